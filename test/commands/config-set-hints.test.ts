/**
 * What config set says around a change a new user gets slightly wrong (new-user pass): a key
 * the gateway does not read at any depth, and the key it likely meant; a refused watch entry
 * with its fix wherever it sits in the list; a remote browser on ports a profile uses; a watched
 * profile not set up yet; a refused base whose free alternative is the one it has.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';

/** A host with the default profile on 18789 and rescue on 19789 (the tests run in a private network), plus `more` on free bases. */
async function host(more: string[] = []): Promise<Record<string, string>> {
  const { env } = await tempHome();
  const setups: [string[], string][] = [
    [['setup', '--port', '18789'], 'default'],
    [['--profile', 'rescue', 'setup', '--port', '19789'], 'rescue'],
    ...more.map((name, i): [string[], string] => [['--profile', name, 'setup', '--port', String(20789 + 200 * i)], name]),
  ];
  for (const [args, name] of setups) {
    const ran = await runCli(args, { env });
    expect(ran.code, `${name}: ${ran.stderr}`).toBe(0);
  }
  return env;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ');

describe('config set: a key the gateway does not read, at any depth', { timeout: 60_000 }, () => {
  it('says nothing needs a restart, and names the known key a near miss meant with what it takes', async () => {
    const env = await host();
    const seconds = await runCli(['config', 'set', 'watch.intervalSeconds', '--', '-1'], { env });
    expect(seconds.code, seconds.stderr).toBe(0);
    expect(seconds.stdout).toContain("epiloop's gateway does not read this key: nothing to restart.");
    expect(seconds.stdout).not.toContain('when it starts');
    // -1 is no interval: the command offered leaves the value to the user, with the words of what it takes.
    expect(seconds.stdout).toContain(
      'Did you mean watch.intervalMs (a whole number of milliseconds from 200 to 3600000)? Set it, and unset watch.intervalSeconds: epiloop config set watch.intervalMs <value>; epiloop config unset watch.intervalSeconds',
    );
    const model = await runCli(['config', 'set', 'agents.defaults.model', 'gpt'], { env });
    expect(model.code, model.stderr).toBe(0);
    expect(model.stdout).toContain("epiloop's gateway does not read this key: nothing to restart.");
    expect(model.stdout).not.toMatch(/when it starts|Did you mean/);
    // A value the known key takes is offered as typed; the profile's invocation names the commands.
    const typo = await runCli(['--profile', 'rescue', 'config', 'set', 'gatway.auth.tokn', 'x'], { env });
    expect(typo.code, typo.stderr).toBe(0);
    expect(typo.stdout).toContain('Did you mean gateway.auth.token (');
    const port = await runCli(['--profile', 'rescue', 'config', 'set', 'gateway.prot', '19999'], { env });
    expect(port.code, port.stderr).toBe(0);
    expect(port.stdout).toContain('Did you mean gateway.port? Set it, and unset gateway.prot: epiloop --profile rescue config set gateway.port 19999; epiloop --profile rescue config unset gateway.prot');
    // A key it reads keeps its advice.
    const known = await runCli(['config', 'set', 'watch.intervalMs', '5000'], { env });
    expect(known.stdout).toContain('The gateway is not running: it uses the new value when it starts.');
    expect(known.stdout).not.toContain('Did you mean');
  });
});

describe('config set: a refused watch entry has its fix at any index', { timeout: 60_000 }, () => {
  it('a profile listed twice or the rescue itself, at [1], offers a profile left to watch, or says how to add one', async () => {
    const env = await host(['other']);
    const rescue = (args: string[]) => runCli(['--profile', 'rescue', 'config', 'set', ...args], { env });
    expect((await rescue(['watch.profiles[0]', 'default'])).code).toBe(0);
    const twice = await rescue(['watch.profiles[1]', 'default']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('"default" is already listed at watch.profiles[0]');
    expect(twice.stderr).toContain("Watch another profile of this host instead (other): epiloop --profile rescue config set 'watch.profiles[1]' other\n");
    const self = await rescue(['watch.profiles[1]', 'rescue']);
    expect(self.code).toBe(2);
    expect(self.stderr).toContain("Watch another profile of this host instead (other): epiloop --profile rescue config set 'watch.profiles[1]' other\n");
    // Every other profile watched: nothing left to offer but setting up another.
    expect((await rescue(['watch.profiles[1]', 'other'])).code).toBe(0);
    for (const args of [['watch.profiles[2]', 'default'], ['watch.profiles[2]', 'rescue']]) {
      const ran = await rescue(args);
      expect([args, ran.code]).toEqual([args, 2]);
      expect(ran.stderr).toContain('It watches every other profile of this host already (default, other); to watch one more, set it up first: epiloop --profile <name> onboard\n');
    }
  });

  it('a name in capitals: did you mean the profile of that name, or the lower-case one with the profiles there are', async () => {
    const env = await host(['main']);
    const rescue = (args: string[]) => runCli(['--profile', 'rescue', 'config', 'set', ...args], { env });
    const main = await rescue(['watch.profiles[0]', 'Main']);
    expect(main.code).toBe(2);
    expect(oneLine(main.stderr)).toContain(
      `Did you mean "main"? Names are lower case so that "Foo" and "foo" can never be two profiles. Watch it with: epiloop --profile rescue config set 'watch.profiles[0]' main`,
    );
    const fallback = await rescue(['watch.profiles[0]', 'Default']);
    expect(fallback.stderr).toContain(`Did you mean "default"?`);
    expect(fallback.stderr).toContain(`Watch it with: epiloop --profile rescue config set 'watch.profiles[0]' default`);
    // No profile of that name: the lower-case name, and the profiles it could watch.
    const ghost = await rescue(['watch.profiles[0]', 'Ghost']);
    expect(ghost.code).toBe(2);
    expect(ghost.stderr).toContain('Did you mean "ghost"?');
    expect(ghost.stderr).toContain("Watch another profile of this host instead (default, main): epiloop --profile rescue config set 'watch.profiles[0]' default\n");
  });
});

describe('config set browser.cdpUrl on ports of this host a profile uses', { timeout: 60_000 }, () => {
  it("names whose ports they are, the ports left for a Chrome of its own, and how to unset the key", async () => {
    const env = await host();
    const other = await runCli(['config', 'set', 'browser.cdpUrl', 'http://127.0.0.1:19791'], { env });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("browser.cdpUrl: port 19791 is inside rescue's browser control");
    expect(oneLine(other.stderr)).toContain(
      "Nothing was written. The gateway refuses to start with a remote browser on another profile's ports: give the DevTools address of a Chrome of its own, on a port outside this profile's own 18789, 18791 and 18793 and other profiles' (rescue: 19789–19899), or leave browser.cdpUrl unset.",
    );
    // Set before: how to unset it.
    expect((await runCli(['config', 'set', 'browser.cdpUrl', 'http://127.0.0.1:9222'], { env })).code).toBe(0);
    const again = await runCli(['config', 'set', 'browser.cdpUrl', 'http://127.0.0.1:19800'], { env });
    expect(again.code).toBe(2);
    expect(oneLine(again.stderr)).toContain('or unset it: epiloop config unset browser.cdpUrl');
    const own = await runCli(['config', 'set', 'browser.cdpUrl', 'http://127.0.0.1:18791'], { env });
    expect(own.code).toBe(2);
    expect(oneLine(own.stderr)).toContain(
      "refuses to start with it: give the DevTools address of a Chrome you run, on a port outside this profile's own 18789, 18791 and 18793 and other profiles' (rescue: 19789–19899), or unset it: epiloop config unset browser.cdpUrl.",
    );
  });
});

describe('config set: a watched profile that is not set up', { timeout: 60_000 }, () => {
  it('is written (it may be set up later), with a warning in the words status uses and how to set it up', async () => {
    const env = await host();
    const ran = await runCli(['--profile', 'rescue', 'config', 'set', 'watch.profiles[0]', 'nosuch'], { env });
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.parse(await readFile(path.join(env.HOME!, '.epiloop-rescue', 'epiloop.json'), 'utf8')).watch.profiles).toEqual(['nosuch']);
    const status = await runCli(['--profile', 'rescue', 'status'], { env });
    expect(status.stdout).toContain('profile "nosuch" is not set up: no config at ~/.epiloop-nosuch/epiloop.json');
    expect(oneLine(ran.stdout)).toContain(
      '! Profile "nosuch" is not set up: no config at ~/.epiloop-nosuch/epiloop.json. Run "epiloop --profile nosuch setup" or "epiloop --profile nosuch onboard" first. Until then it is watched as down.',
    );
    // One set up says nothing of it.
    const known = await runCli(['--profile', 'rescue', 'config', 'set', 'watch.profiles[1]', 'default'], { env });
    expect(known.code, known.stderr).toBe(0);
    expect(known.stdout).not.toContain('not set up');
  });
});

describe('config set gateway.port: a refused base whose free alternative is the current one', { timeout: 60_000 }, () => {
  it('says to keep its current base instead of offering to set it', async () => {
    const env = await host();
    const ran = await runCli(['--profile', 'rescue', 'config', 'set', 'gateway.port', '18800'], { env });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('base port 18800 (from config set gateway.port) cannot be used for profile "rescue"');
    expect(ran.stderr).not.toContain('config set gateway.port 19789');
    expect(ran.stderr).toContain('Nothing was written: profile "rescue" keeps 19789, its current base, which is free.');
  });
});
