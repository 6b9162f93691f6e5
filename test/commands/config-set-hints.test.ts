/**
 * What config set says around a change a new user gets slightly wrong (new-user pass): a key
 * the gateway does not read at any depth, and the key it likely meant.
 */
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
