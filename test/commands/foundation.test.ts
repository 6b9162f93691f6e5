import { readdir, readFile, rm, stat, symlink, writeFile, mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { execFileSync, spawnSync } from 'node:child_process';
import { footprint, footprintPorts } from '../../src/core/ports/footprint';
import { proposeLive, readHost } from '../../src/host/model';
import { BIN, REPO } from '../helpers/cli';
import { COMMANDS } from '../../src/commands/registry';

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'ignore' });
}, 60_000);

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function listen(port: number, host: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      servers.push(server);
      resolve(server);
    });
  });
}

async function readConfig(home: string, profile: string) {
  return JSON.parse(await readFile(path.join(home, `.epiloop-${profile}`, 'epiloop.json'), 'utf8'));
}

describe('setup → ports (the issue\'s "Done when")', () => {
  it('gives main and rescue non-overlapping footprints, both shown by ports', async () => {
    const { home, env } = await tempHome();
    const main = await runCli(['--profile', 'main', 'setup'], { env });
    expect(main.code, main.stderr).toBe(0);
    const rescue = await runCli(['--profile', 'rescue', 'setup'], { env });
    expect(rescue.code, rescue.stderr).toBe(0);
    const m = await readConfig(home, 'main');
    const r = await readConfig(home, 'rescue');
    expect(Math.abs(m.gateway.port - r.gateway.port)).toBeGreaterThanOrEqual(111);
    expect(m.gateway.auth.token).not.toBe(r.gateway.auth.token);
    expect(m.agents.defaults.workspace).toBe(path.join(home, '.epiloop', 'workspace-main'));
    expect((await stat(path.join(home, '.epiloop-main'))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(home, '.epiloop-main', 'epiloop.json'))).mode & 0o777).toBe(0o600);

    const ports = await runCli(['ports'], { env });
    expect(ports.code, ports.stdout + ports.stderr).toBe(0);
    expect(ports.stdout).toMatch(/main\s+\d+/);
    expect(ports.stdout).toMatch(/rescue\s+\d+/);
    expect(ports.stdout).toContain('No two profiles share a port.');

    const json = JSON.parse((await runCli(['ports', '--json'], { env })).stdout);
    expect(json.profiles.map((p: { label: string }) => p.label)).toEqual(['main', 'rescue']);
    expect(json.overlaps).toEqual([]);
  });

  it("names, for a rescue that watches nothing, the command that makes it watch main (the wizard's rescue does), and writes no watch itself", async () => {
    const { home, env } = await tempHome();
    const alone = await runCli(['--profile', 'rescue', 'setup'], { env });
    // With no main on the host there is nothing to name.
    expect(alone.stdout).not.toContain('  watch ');
    expect((await runCli(['--profile', 'main', 'setup'], { env })).stdout).not.toContain('  watch ');
    const rescue = await runCli(['--profile', 'rescue', 'setup'], { env });
    expect(rescue.code, rescue.stderr).toBe(0);
    const hint = rescue.stdout.split('\n').find((l) => l.startsWith('  watch '));
    expect(hint).toBe(`  watch      nothing; to watch main: epiloop --profile rescue config set watch.profiles '["main"]'`);
    expect((await readConfig(home, 'rescue')).watch).toBeUndefined();
    // The command it names does it, and then there is nothing to say.
    const command = hint!.slice(hint!.indexOf('epiloop ')).split(' ').slice(1).map((w) => w.replace(/^'(.*)'$/, '$1'));
    expect((await runCli(command, { env })).code).toBe(0);
    expect((await readConfig(home, 'rescue')).watch).toEqual({ profiles: ['main'] });
    expect((await runCli(['--profile', 'rescue', 'setup'], { env })).stdout).not.toContain('  watch ');
  });

  it('is idempotent: a second setup keeps the port and the token', async () => {
    const { home, env } = await tempHome();
    const port = await freeBase();
    expect((await runCli(['--profile', 'main', 'setup', '--port', String(port)], { env })).code).toBe(0);
    const first = await readConfig(home, 'main');
    const again = await runCli(['--profile', 'main', 'setup'], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Already set up');
    expect(await readConfig(home, 'main')).toEqual(first);
    // What to run next is start (detached, through the service when there is one), as every other command advises.
    expect(again.stdout.split('\n').slice(-3)).toEqual(['Next: epiloop --profile main start    start the gateway', '      epiloop --profile main status   check it', '']);
  });

  it('advises restart, not start, when it changed the config of a running gateway ("start" would answer "already running")', async () => {
    const { home, env } = await tempHome();
    const port = await freeBase();
    expect((await runCli(['--profile', 'main', 'setup', '--port', String(port)], { env })).code).toBe(0);
    // This test process stands in for the gateway: its lock names a live pid.
    const ports = { gateway: port, browserControl: port + 2, canvas: port + 4, cdp: { from: port + 11, to: port + 110 } };
    await writeFile(path.join(home, '.epiloop-main', 'gateway.lock'), JSON.stringify({ pid: process.pid, processStart: null, startedAt: new Date().toISOString(), host: '127.0.0.1', ports }));
    const moved = await freeBase();
    const changed = await runCli(['--profile', 'main', 'setup', '--port', String(moved)], { env });
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout.split('\n').slice(-3)).toEqual(['Next: epiloop --profile main restart   restart the gateway to apply the change', '      epiloop --profile main status    check it', '']);
    // Nothing changed and it runs: nothing to start or restart.
    const same = await runCli(['--profile', 'main', 'setup'], { env });
    expect(same.stdout.split('\n').slice(-2)).toEqual(['Next: epiloop --profile main status   check it', '']);
  });

  it('keeps the keys epiloop does not know, top level and nested, when it changes a config', async () => {
    const { home, env } = await tempHome();
    const [before, after] = [await freeBase(), await freeBase()];
    const mine = {
      theme: 'dark',
      plugins: { search: { enabled: true } },
      gateway: { port: before, auth: { token: 'abcdefghijklmnopqrstuvwxyz' }, futureKey: 'kept' },
      agents: { defaults: { workspace: '~/ws', model: 'theirs' } },
    };
    await mkdir(path.join(home, '.epiloop-main'), { recursive: true, mode: 0o700 });
    await writeFile(path.join(home, '.epiloop-main', 'epiloop.json'), JSON.stringify(mine), { mode: 0o600 });
    const result = await runCli(['--profile', 'main', 'setup', '--port', String(after)], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Updated profile main');
    // Only the port changes; the workspace stays as the user wrote it (~/ws names the same directory).
    expect(await readConfig(home, 'main')).toEqual({
      ...mine,
      gateway: { ...mine.gateway, port: after },
    });
  });

  it('refuses a base inside another profile\'s footprint, with exit 2, writing nothing', async () => {
    const { home, env } = await tempHome();
    const port = await freeBase();
    await runCli(['--profile', 'main', 'setup', '--port', String(port)], { env });
    const refused = await runCli(['--profile', 'r2', 'setup', '--port', String(port + 20)], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${port + 20} (gateway): inside main's CDP range`);
    expect(refused.stderr).toMatch(/Use a free base instead: epiloop --profile r2 setup --port \d+/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(await readdir(home)).not.toContain('.epiloop-r2');
  });

  it('advises a command the CLI accepts for each profile of an overlap, the default one without --profile', async () => {
    const { home, env } = await tempHome();
    const port = await freeBase();
    // "alpha" sorts before "default": the default profile is the one the advice moves.
    for (const [dir, base] of [['.epiloop', port + 50], ['.epiloop-alpha', port]] as const) {
      await mkdir(path.join(home, dir), { recursive: true });
      await writeFile(path.join(home, dir, 'epiloop.json'), JSON.stringify({ gateway: { port: base } }));
    }
    const ports = await runCli(['ports'], { env });
    expect(ports.code).toBe(1);
    expect(ports.stdout).toContain('Fix: epiloop doctor --fix or re-run epiloop onboard.');
    expect(ports.stdout).not.toContain('--profile default');
    // The advice runs as given: the CLI does not refuse it as a usage error.
    const advised = await runCli(['doctor'], { env });
    expect(advised.code).toBe(1);
  });

  it('refuses an env port that lands on another profile (never leaks across profiles)', async () => {
    const { home, env } = await tempHome();
    const port = await freeBase();
    await runCli(['--profile', 'main', 'setup', '--port', String(port)], { env });
    const refused = await runCli(['--profile', 'rescue', 'setup'], { env: { ...env, EPILOOP_GATEWAY_PORT: String(port) } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('from EPILOOP_GATEWAY_PORT');
    expect(await readdir(home)).not.toContain('.epiloop-rescue');
  });

  it('rejects a bad profile name with exit 2 and creates nothing', async () => {
    const { home, env } = await tempHome();
    for (const name of ['../x', 'a/b', 'Main', '']) {
      const result = await runCli(['--profile', name, 'setup'], { env });
      expect(result.code, name).toBe(2);
      expect(result.stderr).toContain('is not a valid profile name');
    }
    expect(await readdir(home)).toEqual([]);
  });

  it('refuses --profile given twice with different names', async () => {
    const { env } = await tempHome();
    const result = await runCli(['--profile', 'a', 'status', '--profile', 'b'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('given twice');
  });

  it('skips a block whose port another process holds, and says why', async () => {
    const { home, env } = await tempHome();
    // The block setup would propose right now (the main role starts at 18789, where other
    // gateways on this machine may live): hold a port inside its CDP range.
    const { proposal: free } = await proposeLive(await readHost({ home }), null, 'main', (b) => footprint(undefined, b));
    expect(free).not.toBeNull();
    const held = free!.base + 50;
    await listen(held, '127.0.0.1');

    const refused = await runCli(['--profile', 'r4', 'setup', '--port', String(free!.base)], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${held} bound by node (pid ${process.pid})`);
    expect(await readdir(home)).toEqual([]);

    const result = await runCli(['--profile', 'main', 'setup'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`skipped ${free!.base}: ${held} (CDP range) is bound by node (pid ${process.pid}) on 127.0.0.1`);
    const base = (await readConfig(home, 'main')).gateway.port;
    expect(base).not.toBe(free!.base);
    expect(footprintPorts(footprint(undefined, base)).has(held)).toBe(false);
  });
});

describe('setup across profiles', () => {
  it('never gives two profiles set up at the same moment overlapping ports', async () => {
    const { env } = await tempHome();
    const results = await Promise.all(['a1', 'a2', 'a3', 'a4'].map((p) => runCli(['--profile', p, 'setup'], { env, timeoutMs: 30_000 })));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse((await runCli(['ports', '--json'], { env })).stdout);
    expect(json.profiles).toHaveLength(4);
    expect(json.overlaps).toEqual([]);
  });

  it('refuses a workspace that is another profile\'s, or not a directory, writing nothing', async () => {
    const { home, env } = await tempHome();
    await runCli(['--profile', 'main', 'setup', '--port', String(await freeBase())], { env });
    const shared = await runCli(['--profile', 'rescue', 'setup', '--workspace', '~/.epiloop/workspace-main'], { env });
    expect(shared.code).toBe(2);
    expect(shared.stderr).toContain('belongs to profile "main"');
    await writeFile(path.join(home, 'afile'), 'x');
    const file = await runCli(['--profile', 'rescue', 'setup', '--workspace', path.join(home, 'afile')], { env });
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('is not a directory');
    expect(await readdir(home)).not.toContain('.epiloop-rescue');
    // The default profile's state dir holds every profile's default workspace: that is no clash.
    expect((await runCli(['setup', '--port', String(await freeBase())], { env })).code).toBe(0);
    const named = await runCli(['--profile', 'r6', 'setup', '--port', String(await freeBase())], { env });
    expect(named.code, named.stderr).toBe(0);
  });

  it('sees instances set up with the seed\'s manual EPILOOP_CONFIG_PATH / EPILOOP_STATE_DIR', async () => {
    const { home, env } = await tempHome();
    await mkdir(path.join(home, '.epiloop'), { recursive: true });
    const base = await freeBase();
    const first = { ...env, EPILOOP_CONFIG_PATH: '~/.epiloop/main.json', EPILOOP_STATE_DIR: '~/.epiloop-main' };
    expect((await runCli(['setup', '--port', String(base)], { env: first })).code).toBe(0);
    const second = { ...env, EPILOOP_CONFIG_PATH: '~/.epiloop/third.json', EPILOOP_STATE_DIR: '~/.epiloop-third' };
    const refused = await runCli(['setup', '--port', String(base + 20)], { env: second });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("inside main's CDP range");
    expect((await runCli(['setup', '--port', String(base + 200)], { env: second })).code).toBe(0);
    const json = JSON.parse((await runCli(['ports', '--json'], { env })).stdout);
    expect(json.profiles.map((p: { configPath: string }) => p.configPath).sort()).toEqual(
      [path.join(home, '.epiloop', 'main.json'), path.join(home, '.epiloop', 'third.json')],
    );
    const workspaces = await Promise.all(['main', 'third'].map(async (n) => JSON.parse(await readFile(path.join(home, '.epiloop', `${n}.json`), 'utf8')).agents.defaults.workspace));
    expect(workspaces).toEqual([path.join(home, '.epiloop-main', 'workspace'), path.join(home, '.epiloop-third', 'workspace')]);
  });
});

describe('status', () => {
  it('names the file, line and column of a syntax error, without a stack trace', async () => {
    const { home, env } = await tempHome();
    await mkdir(path.join(home, '.epiloop-main'), { recursive: true });
    await writeFile(path.join(home, '.epiloop-main', 'epiloop.json'), '{\n  gateway: { port: 18789, },\n  oops\n}\n');
    const result = await runCli(['--profile', 'main', 'status'], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/~\/\.epiloop-main\/epiloop\.json:4:1: not valid JSON5/);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the key, value and what is allowed for a schema error', async () => {
    const { home, env } = await tempHome();
    await mkdir(path.join(home, '.epiloop-main'), { recursive: true });
    await writeFile(path.join(home, '.epiloop-main', 'epiloop.json'), '{ gateway: { port: 99999 } }');
    const result = await runCli(['--profile', 'main', 'status'], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('gateway.port is 99999, but must be a whole number from 1024 to 65425');
  });

  it('a token that is a list is one problem, counted once, in status, --json and config validate', async () => {
    const { home, env } = await tempHome();
    await mkdir(path.join(home, '.epiloop-main'), { recursive: true });
    await writeFile(path.join(home, '.epiloop-main', 'epiloop.json'), '{ gateway: { port: 31000, auth: { token: ["a", "b"] } } }');
    const said = 'gateway.auth.token is a value of type array';
    const status = await runCli(['--profile', 'main', 'status'], { env });
    expect(status.stdout.split(said)).toHaveLength(2);
    expect(status.stdout).toContain('✖ 2 problems:');
    const json = JSON.parse((await runCli(['--profile', 'main', 'status', '--json'], { env })).stdout);
    expect(json.config.error.problems).toHaveLength(1);
    expect(json.problems.filter((p: string) => p.includes(said))).toHaveLength(1);
    expect((await runCli(['--profile', 'main', 'config', 'validate'], { env })).stdout.split(said)).toHaveLength(2);
  });

  it('counts problems, not the advice that repairs them: the advice is still said, inside the problem it repairs (--json too)', async () => {
    const { home, env } = await tempHome();
    const dir = path.join(home, '.epiloop-main');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'epiloop.json');
    const status = async () => {
      const text = await runCli(['--profile', 'main', 'status'], { env });
      const json = JSON.parse((await runCli(['--profile', 'main', 'status', '--json'], { env })).stdout) as { problems: string[] };
      return { text: text.stdout, problems: json.problems };
    };
    // A start would be refused until the config is repaired: the repair first, no start before it.
    const notRunning = 'The gateway is not running. It can start once the config is repaired.';
    const repair = 'The config of profile "main" is broken. Repair it with "epiloop --profile main doctor --fix" or "epiloop --profile main onboard".';
    // Two bad keys, the repair advice once after them, and the gateway down: three problems.
    await writeFile(file, '{ gateway: { port: 80, auth: { token: 7 } } }');
    const schema = await status();
    expect(schema.text).toContain(`✖ 3 problems:\n  ~/.epiloop-main/epiloop.json: gateway.port is 80`);
    expect(schema.text).toContain(`\n  ${repair}\n  ${notRunning}\n`);
    expect(schema.problems).toHaveLength(3);
    expect(schema.text).not.toContain('Start it');
    expect(schema.problems[1]).toMatch(/^~\/\.epiloop-main\/epiloop\.json: gateway\.auth\.token is a value of type number, /);
    expect(schema.problems[1]!.endsWith(`\n${repair}`)).toBe(true);
    // A file refused unread: one problem with what is allowed and its fix, not three.
    await writeFile(path.join(home, 'elsewhere.json'), '{}');
    await rm(file);
    await symlink(path.join(home, 'elsewhere.json'), file);
    const refused = await status();
    expect(refused.text).toContain('✖ 2 problems:\n  ~/.epiloop-main/epiloop.json is a symlink to');
    // doctor --fix does not replace a link out: the advice is its Fix, by hand.
    expect(refused.text).toMatch(/\n {2}Allowed: .*\n {2}Fix: .*\n {2}The config of profile "main" was not read: fix it by hand as above\./);
    expect(refused.problems).toHaveLength(2);
    expect(refused.problems[1]).toBe(notRunning);
    expect(refused.problems[0]).toMatch(/^~\/\.epiloop-main\/epiloop\.json is a symlink to .*\nAllowed: .*\nFix: .*\nThe config of profile "main" was not read: fix it by hand as above\./);
    // A valid config the gateway refuses (no token): the refusal is the problem, its fix goes with it; the gateway down waits for it, as for a broken one.
    await rm(file);
    await writeFile(file, '{ gateway: { port: 31000 } }');
    const rule = await status();
    expect(rule.text).toContain(`✖ 2 problems:\n  Profile "main" has no gateway.auth.token, so nothing could authenticate to it.\n  The gateway refuses to start with this config. Fix it with "epiloop --profile main doctor --fix".\n  ${notRunning}\n`);
    expect(rule.problems).toEqual(['Profile "main" has no gateway.auth.token, so nothing could authenticate to it.\nThe gateway refuses to start with this config. Fix it with "epiloop --profile main doctor --fix".', notRunning]);
  });

  it('counts every problem of a config with thousands of bad entries though it shows the first 10; --json lists every one', async () => {
    const { home, env } = await tempHome();
    await mkdir(path.join(home, '.epiloop-main'), { recursive: true });
    // One bad value per entry (its retries): 3,000 problems, and the gateway down makes 3,001.
    const alerts = Array.from({ length: 3000 }, (_, i) => ({ type: 'webhook', url: `https://example.com/${i}`, retries: 99 }));
    const config = { gateway: { port: 31000, auth: { token: 'a-token-of-more-than-16-chars' } }, watch: { alerts } };
    await writeFile(path.join(home, '.epiloop-main', 'epiloop.json'), JSON.stringify(config));
    const bad = '~/.epiloop-main/epiloop.json: watch.alerts[';
    const text = (await runCli(['--profile', 'main', 'status'], { env })).stdout;
    expect(text).toContain('✖ 3001 problems:\n');
    expect(text.split('\n').filter((l) => l.startsWith(`  ${bad}`))).toHaveLength(10);
    expect(text).toContain('\n  … and 2990 more problems; "epiloop --profile main config validate" lists every one\n  The config of profile "main" is broken.');
    const json = JSON.parse((await runCli(['--profile', 'main', 'status', '--json'], { env })).stdout) as { problems: string[] };
    expect(json.problems).toHaveLength(3001);
    expect(json.problems.filter((p) => p.startsWith(bad))).toHaveLength(3000);
    expect(json.problems.some((p) => p.startsWith('…'))).toBe(false);
    // The repair is said once, on the last bad entry: advice, not a problem.
    expect(json.problems[2999]).toMatch(/^~\/\.epiloop-main\/epiloop\.json: watch\.alerts\[2999\]\.retries is 99, .*\nThe config of profile "main" is broken\. Repair it with /);
  });

  it('shows the port map with live state, and a port held by another process', async () => {
    const { env } = await tempHome();
    const base = await freeBase();
    await runCli(['--profile', 'main', 'setup', '--port', String(base)], { env });
    await listen(base + 2, '::1');
    const result = await runCli(['--profile', 'main', 'status', '--json'], { env });
    const json = JSON.parse(result.stdout);
    expect(json.base).toEqual({ port: base, source: 'config' });
    const control = json.ports.find((r: { role: string }) => r.role === 'browser-control');
    expect(control.state).toBe('bound');
    expect(control.text).toContain(`pid ${process.pid}`);
    expect(json.ports.find((r: { role: string }) => r.role === 'canvas').state).toBe('free');
  });

  it('every command says the same of a profile that is not set up, and of a broken config', async () => {
    const { home, env } = await tempHome();
    const notSetUp = 'profile "ghost" is not set up: no config at ~/.epiloop-ghost/epiloop.json. Run "epiloop --profile ghost setup" or "epiloop --profile ghost onboard" first.';
    for (const command of [['status'], ['browser', 'status'], ['gateway']]) {
      const result = await runCli(['--profile', 'ghost', ...command], { env });
      expect(result.stdout + result.stderr, command.join(' ')).toContain(notSetUp);
    }
    await mkdir(path.join(home, '.epiloop-ghost'), { recursive: true });
    await writeFile(path.join(home, '.epiloop-ghost', 'epiloop.json'), '{\n  oops\n}\n');
    const broken = 'The config of profile "ghost" is broken. Repair it with "epiloop --profile ghost doctor --fix"';
    for (const command of [['status'], ['browser', 'status'], ['gateway'], ['setup'], ['onboard', '--yes']]) {
      const result = await runCli(['--profile', 'ghost', ...command], { env });
      expect(result.code, command.join(' ')).toBe(1);
      // Onboard, just refused, does not advise itself.
      expect(result.stdout + result.stderr, command.join(' ')).toContain(command[0] === 'onboard' ? `${broken}.` : `${broken} or "epiloop --profile ghost onboard"`);
      expect(result.stdout + result.stderr, command.join(' ')).toContain('~/.epiloop-ghost/epiloop.json:3:1');
      if (result.stderr !== '') expect(result.stderr, command.join(' ')).toMatch(/^epiloop: /);
    }
  });

  it('says how to set up a profile that does not exist', async () => {
    const { env } = await tempHome();
    const result = await runCli(['--profile', 'ghost', 'status'], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('epiloop --profile ghost setup');
  });
});

describe('the command line', () => {
  it('an internal error (exit 70) names the command that was running, since the bundled stack names no module', async () => {
    const { env } = await tempHome();
    const bug = ['--import=' + pathToFileURL(path.join(import.meta.dirname, 'fixtures', 'bug.mjs')).href];
    for (const [args, name] of [[['--profile', 'lab', 'onboard', '--yes'], 'epiloop onboard'], [['config', 'get', 'gateway.port'], 'epiloop config get']] as const) {
      const ran = await runCli([...args], { env, nodeArgs: bug });
      expect(ran.code, ran.stderr).toBe(70);
      const [first, ...stack] = ran.stderr.split('\n');
      expect(first).toBe(`epiloop: internal error in "${name}" — this is a bug, please report it:`);
      expect(stack[0]).toBe('TypeError: injected bug');
    }
  });

  it('prints the version and help, and exits 2 with a hint on unknown commands and flags', async () => {
    const { env } = await tempHome();
    expect((await runCli(['--version'], { env })).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await runCli(['--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('setup');
    const unknown = await runCli(['stauts'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Did you mean "status"?');
    const badFlag = await runCli(['setup', '--prot', '1'], { env });
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('Did you mean --port?');
    expect((await runCli(['setup', '--help'], { env })).stdout).toContain('--workspace');
  });

  it('answers --help for every command with the flags of its table, before any flag is checked', async () => {
    const { env } = await tempHome();
    for (const spec of COMMANDS) {
      const result = await runCli([...spec.path, '--no-such-flag', '--help'], { env });
      expect(result.code, spec.path.join(' ')).toBe(0);
      for (const flag of spec.flags) expect(result.stdout, spec.path.join(' ')).toContain(`--${flag.name}`);
    }
    const unknown = await runCli(['doctor', '--fx'], { env });
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('Did you mean --fix?')]);
  });

  it('gives --help examples that work on a host set up as the seed describes: the default profile and rescue', () => {
    for (const spec of COMMANDS) {
      for (const example of spec.examples ?? []) {
        const named = [...example.matchAll(/--(?:profile|target) (\S+)/g)].map((m) => m[1]);
        const watched = [...example.matchAll(/watch\.profiles '(\[[^']*\])'/g)].flatMap((m) => JSON.parse(m[1]!) as string[]);
        for (const name of [...named, ...watched]) expect(['rescue', 'default'], example).toContain(name);
        // The default profile is named by --target or in watch.profiles, never by --profile.
        expect(example, example).not.toMatch(/--profile default/);
      }
    }
  });

  it('answers --help and `help` for a group of commands (config, watch, browser) with its subcommands, exit 0', async () => {
    const { env } = await tempHome();
    for (const group of ['config', 'watch', 'browser', 'gateway']) {
      const subs = COMMANDS.filter((c) => c.path.length === 2 && c.path[0] === group);
      expect(subs.length, group).toBeGreaterThan(0);
      for (const args of [[group, '--help'], ['help', group], ['-h', group]]) {
        const result = await runCli(args, { env });
        expect([result.code, result.stderr], args.join(' ')).toEqual([0, '']);
        for (const sub of subs) expect(result.stdout, args.join(' ')).toMatch(new RegExp(`epiloop ${sub.path.join(' ')} +${sub.summary.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      }
    }
    // Without --help a group still needs its subcommand.
    expect((await runCli(['config'], { env })).code).toBe(2);
  });

  it('exits quietly when the reader closes the pipe early (| head), and knows `help` and -v', async () => {
    const { env } = await tempHome();
    const piped = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${BIN}" --help | head -1`], { env, encoding: 'utf8' });
    expect(piped.status).toBe(0);
    expect(piped.stderr).toBe('');
    expect((await runCli(['help', 'status'], { env })).stdout).toContain('epiloop status');
    expect((await runCli(['-v'], { env })).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('honours NO_COLOR and writes no escape codes when piped', async () => {
    const { env } = await tempHome();
    const result = await runCli(['--help'], { env: { ...env, FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(result.stdout).not.toContain('\u001b[');
  });
});
