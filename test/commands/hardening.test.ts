/**
 * Regression tests for the items 4, 6 and 9 (the parts outside the running
 * gateway's servers and the probes), through the built CLI as a user meets them.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO, runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { processStartOf } from '../../src/host/gateway/proc';

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'ignore' });
}, 60_000);

const configOf = (home: string, profile: string) => path.join(home, `.epiloop-${profile}`, 'epiloop.json');
const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8'));

async function setup(env: Record<string, string>, profile: string): Promise<number> {
  const base = await freeBase();
  const done = await runCli(['--profile', profile, 'setup', '--port', String(base)], { env });
  expect(done.code, done.stderr).toBe(0);
  return base;
}

/** Rewrites a profile's config with `change` applied to its JSON. */
async function edit(home: string, profile: string, change: (config: Record<string, any>) => void): Promise<void> {
  const config = await readJson(configOf(home, profile));
  change(config);
  await writeFile(configOf(home, profile), JSON.stringify(config, null, 2), { mode: 0o600 });
}

describe('item 4: an invalid entry in a list is a finding with a fix, never exit 70', () => {
  it('watch.profiles: ["Main"] through doctor, doctor --fix --yes and doctor --target … --fix --yes', async () => {
    const { home, env } = await tempHome();
    await setup(env, 'main');
    await setup(env, 'rescue');
    await edit(home, 'rescue', (c) => (c.watch = { profiles: ['Main'] }));

    const found = await runCli(['--profile', 'rescue', 'doctor'], { env });
    expect(found.code, found.stderr).toBe(1);
    expect(found.stdout).toContain('✖ watch.profiles[0] is "Main", but must be a profile name (1–32 characters of a-z, 0-9, "-" and "_", starting with a letter or digit), or "default", each listed once');
    expect(found.stdout).toContain('fix: remove it; the other entries of watch.profiles stay');

    const fromMain = await runCli(['--profile', 'main', 'doctor', '--target', 'rescue', '--fix', '--yes'], { env });
    expect(fromMain.code, fromMain.stdout + fromMain.stderr).toBe(0);
    expect((await readJson(configOf(home, 'rescue'))).watch).toEqual({ profiles: [] });

    await edit(home, 'rescue', (c) => (c.watch = { profiles: ['main', 'Main', 'main'] }));
    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect((await readJson(configOf(home, 'rescue'))).watch).toEqual({ profiles: ['main'] });
  }, 60_000);
});

describe('item 6: values past the port range are refused by the schema, with the real limits', () => {
  it('a base whose footprint ends past 65535, and browser.controlUrl on port 0, 80 or 65535', async () => {
    const { home, env } = await tempHome();
    await setup(env, 'main');
    await edit(home, 'main', (c) => (c.gateway.port = 65_500));
    const doctor = await runCli(['--profile', 'main', 'doctor'], { env });
    expect([doctor.code, doctor.stderr]).toEqual([1, '']);
    expect(doctor.stdout).toContain('gateway.port is 65500, but must be a whole number from 1024 to 65425, so that base … base+110 fits below 65536');
    const gateway = await runCli(['--profile', 'main', 'gateway'], { env });
    expect(gateway.code).toBe(1);
    expect(gateway.stderr).toContain('from 1024 to 65425');

    for (const controlUrl of ['http://127.0.0.1:0', 'http://127.0.0.1:80', 'http://127.0.0.1:65535', 'http://127.0.0.1']) {
      await edit(home, 'main', (c) => {
        c.gateway.port = 30_000;
        c.browser = { controlUrl };
      });
      const found = await runCli(['--profile', 'main', 'doctor', '--json'], { env });
      expect(JSON.parse(found.stdout).findings).toContainEqual(expect.objectContaining({ kind: 'config-schema', summary: expect.stringContaining(`browser.controlUrl is "${controlUrl}", but must be an http:// URL on a port from 1024 to 65427`) }));
    }
    await edit(home, 'main', (c) => delete c.browser);
    const flag = await runCli(['--profile', 'main', 'setup', '--port', '65426'], { env });
    expect([flag.code, flag.stderr]).toEqual([2, expect.stringContaining('A base port must be a whole number from 1024 to 65425')]);
  }, 60_000);
});

describe('item 9', () => {
  it("a collision inside one profile's own footprint (canvas pinned on the base) is a doctor finding, refused by the gateway, fixed by --fix", async () => {
    const { home, env } = await tempHome();
    const base = await setup(env, 'main');
    await edit(home, 'main', (c) => (c.canvasHost = { port: base }));
    const found = await runCli(['--profile', 'main', 'doctor'], { env });
    expect(found.code).toBe(1);
    expect(found.stdout).toContain(`✖ canvasHost.port is ${base}, but must be a port clear of this profile's other roles: here the gateway ${base}`);
    expect(found.stdout).toContain('fix: remove it; the canvas host goes back to base + 4');
    const gateway = await runCli(['--profile', 'main', 'gateway'], { env });
    expect([gateway.code, gateway.stdout]).toEqual([1, expect.not.stringContaining(' ready ')]);
    const fixed = await runCli(['--profile', 'main', 'doctor', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect((await readJson(configOf(home, 'main'))).canvasHost).toEqual({});
    // A base given on the command line is checked against the pins too.
    await edit(home, 'main', (c) => (c.canvasHost = { port: base + 4 }));
    const flag = await runCli(['--profile', 'main', 'gateway', '--port', String(base + 4)], { env });
    expect([flag.code, flag.stderr]).toEqual([2, expect.stringContaining(`the canvas host ${base + 4} is on the gateway's port`)]);
  }, 60_000);

  it('doctor reports what the gateway refuses: no token, a rescue watching itself', async () => {
    const { home, env } = await tempHome();
    await setup(env, 'rescue');
    await edit(home, 'rescue', (c) => {
      delete c.gateway.auth;
      c.watch = { profiles: ['rescue'] };
    });
    const gateway = await runCli(['--profile', 'rescue', 'gateway'], { env });
    expect(gateway.code).toBe(2);
    expect(gateway.stderr).toContain('Profile "rescue" has no gateway.auth.token');
    expect(gateway.stderr).toContain('watch.profiles: profile "rescue" cannot watch itself');
    const doctor = await runCli(['--profile', 'rescue', 'doctor'], { env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('✖ gateway.auth.token is missing, but must be a string of 16 to 512 visible ASCII characters');
    expect(doctor.stdout).toContain('✖ watch.profiles[0] is "rescue", but must be another profile than "rescue": a gateway cannot watch itself');
    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    const after = await readJson(configOf(home, 'rescue'));
    expect([after.gateway.auth.token, after.watch.profiles]).toEqual([expect.stringMatching(/^[\w-]{32}$/), []]);
  }, 60_000);

  it('a whitespace-only token: the gateway refuses it (never printing it), setup replaces it and says so, then the gateway starts', async () => {
    const { home, env } = await tempHome();
    await setup(env, 'main');
    const secret = 'hunter2hunter2';
    await edit(home, 'main', (c) => (c.gateway.auth.token = ' '.repeat(24)));
    const refused = await runCli(['--profile', 'main', 'gateway'], { env });
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining('gateway.auth.token is a 24-character string with a space at character 1, but must be')]);
    const replaced = await runCli(['--profile', 'main', 'setup'], { env });
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain('auth token replaced: gateway.auth.token was a 24-character string, not a valid token');
    expect((await readJson(configOf(home, 'main'))).gateway.auth.token).toMatch(/^[\w-]{32}$/);

    // An invalid token's value is printed nowhere.
    await edit(home, 'main', (c) => (c.gateway.auth.token = secret));
    const outputs = await Promise.all([['status'], ['status', '--json'], ['doctor'], ['doctor', '--json'], ['gateway'], ['doctor', '--fix']].map((args) => runCli(['--profile', 'main', ...args], { env })));
    for (const out of outputs) expect(out.stdout + out.stderr).not.toContain(secret);
    expect(outputs[0]!.stdout).toContain('gateway.auth.token is a 14-character string');
  }, 60_000);

  it('onboard --non-interactive --yes without --port proposes again when another writer took its proposal meanwhile', async () => {
    const { home, env } = await tempHome();
    // Hold the host-wide port lock as a live process would: onboard computes its proposal, prints it, then waits here.
    const lock = path.join(home, '.epiloop.ports.lock');
    await writeFile(lock, JSON.stringify({ pid: process.pid, start: await processStartOf(process.pid), what: 'the test', since: new Date().toISOString() }) + '\n');
    const child = spawn(process.execPath, [BIN, '--profile', 'lab', 'onboard', '--non-interactive', '--yes', '--no-install-service'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 15_000;
    let proposed: number | null = null;
    while (proposed === null && Date.now() < deadline) {
      proposed = Number(/(\d+) gateway · /.exec(stdout)?.[1] ?? NaN) || null;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(proposed, stdout + stderr).not.toBeNull();
    // Another profile takes exactly that block while onboard waits for the lock.
    const other = path.join(home, '.epiloop-other');
    await mkdir(other, { recursive: true, mode: 0o700 });
    await writeFile(path.join(other, 'epiloop.json'), JSON.stringify({ gateway: { port: proposed } }), { mode: 0o600 });
    await rm(lock);
    const code = await exited;
    expect(code, stdout + stderr).toBe(0);
    const written = (await readJson(configOf(home, 'lab'))).gateway.port;
    expect(Math.abs(written - proposed!)).toBeGreaterThanOrEqual(111);
    expect(stdout).toContain(`${proposed} was taken meanwhile: the first free base, ${written}, was written instead`);
  }, 60_000);

  it('a stray EPILOOP_CONFIG_PATH never makes another profile\'s config this one\'s, nor leaves a pointer that relabels it', async () => {
    const { home, env } = await tempHome();
    await setup(env, 'main');
    const before = await readFile(configOf(home, 'main'), 'utf8');
    const stray = await runCli(['--profile', 'lab', 'setup'], { env: { ...env, EPILOOP_CONFIG_PATH: configOf(home, 'main') } });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('EPILOOP_CONFIG_PATH is ~/.epiloop-main/epiloop.json, the config of profile "main"; profile "lab" must not share it. Nothing was written.');
    expect(existsSync(path.join(home, '.epiloop-lab', 'config-path'))).toBe(false);
    expect(await readFile(configOf(home, 'main'), 'utf8')).toBe(before);

    // A pointer left by an older version: the profile that owns the config keeps its name.
    await mkdir(path.join(home, '.epiloop-lab'), { recursive: true, mode: 0o700 });
    await writeFile(path.join(home, '.epiloop-lab', 'config-path'), configOf(home, 'main') + '\n');
    const ports = JSON.parse((await runCli(['ports', '--json'], { env })).stdout);
    expect(ports.profiles.map((p: { label: string; configPath: string }) => [p.label, p.configPath])).toEqual([['main', configOf(home, 'main')]]);
  }, 60_000);

  it('terminal escape codes in config values are shown escaped by status, doctor and ports', async () => {
    const { home, env } = await tempHome();
    await setup(env, 'main');
    await edit(home, 'main', (c) => (c.agents.defaults.workspace = '~/ws\u001b]0;pwned\u0007\u001b[2J\r'));
    const runs = await Promise.all([['status'], ['doctor'], ['ports'], ['status', '--json']].map((args) => runCli(['--profile', 'main', ...args], { env })));
    for (const out of runs) expect(out.stdout + out.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(runs[0]!.stdout).toContain('~/ws\\e]0;pwned\\x07\\e[2J\\r');
    // And in the line of a syntax error doctor quotes.
    await writeFile(configOf(home, 'main'), '{ gateway: {}, x: "\u001b]0;pwned\u0007" oops }', { mode: 0o600 });
    const broken = await runCli(['--profile', 'main', 'doctor'], { env });
    expect(broken.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(broken.stdout).toContain('1 | { gateway: {}, x: "\\e]0;pwned\\x07" oops }');
  }, 60_000);

  it("a lock naming a pid that now belongs to another process does not block writers", async () => {
    const { home, env } = await tempHome();
    await setup(env, 'main');
    // This test's own pid is alive, but its start time is not the one the lock recorded: the pid was reused.
    await writeFile(`${configOf(home, 'main')}.lock`, JSON.stringify({ pid: process.pid, start: '1', what: 'epiloop setup', since: '2020-01-01T00:00:00.000Z' }) + '\n');
    const started = Date.now();
    const again = await runCli(['--profile', 'main', 'setup', '--workspace', '~/elsewhere'], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(8000);
    expect((await readJson(configOf(home, 'main'))).agents.defaults.workspace).toBe(path.join(home, 'elsewhere'));
  }, 60_000);

  it('relative paths in the environment and an empty HOME are refused; a relative --workspace is taken from where it is typed', async () => {
    const { home, env } = await tempHome();
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'epiloop-cwd-'));
    try {
      const run = (args: string[], extra: Record<string, string>) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extra }, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
          child.on('close', (code) => resolve({ code, stderr }));
        });
      expect(await run(['--profile', 'main', 'setup'], { HOME: '' })).toEqual({ code: 2, stderr: expect.stringContaining('HOME is empty;') });
      expect(await run(['--profile', 'main', 'setup'], { HOME: 'relative' })).toEqual({ code: 2, stderr: expect.stringContaining('HOME is "relative", not an absolute path') });
      expect(await run(['setup'], { EPILOOP_STATE_DIR: 'state' })).toEqual({ code: 2, stderr: expect.stringContaining('EPILOOP_STATE_DIR: "state" is a relative path') });
      expect(await run(['setup'], { EPILOOP_CONFIG_PATH: 'c.json' })).toEqual({ code: 2, stderr: expect.stringContaining('EPILOOP_CONFIG_PATH: "c.json" is a relative path') });
      expect(await run(['setup'], { EPILOOP_STATE_DIR: '/etc' })).toEqual({ code: 2, stderr: expect.stringContaining('EPILOOP_STATE_DIR: /etc is the system directory /etc') });
      expect(await readdir(cwd)).toEqual([]);
      expect(await readdir(home)).toEqual([]);
      // A flag is typed where it means something, as with any CLI: setup and onboard read it alike.
      expect(await run(['--profile', 'main', 'setup', '--workspace', 'ws'], {})).toEqual({ code: 0, stderr: '' });
      expect((await readJson(configOf(home, 'main'))).agents.defaults.workspace).toBe(path.join(cwd, 'ws'));
      expect(await run(['--profile', 'lab', 'onboard', '--yes', '--no-install-service', '--workspace', 'lab-ws'], {})).toEqual({ code: 0, stderr: '' });
      expect((await readJson(configOf(home, 'lab'))).agents.defaults.workspace).toBe(path.join(cwd, 'lab-ws'));
      expect((await readdir(cwd)).sort()).toEqual(['lab-ws', 'ws']);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  }, 60_000);

  it('a relative --workspace typed in a directory removed under the shell is a usage error naming the fix; nothing is written, and the commands that need no cwd still run', async () => {
    const { home, env } = await tempHome();
    const parent = await mkdtemp(path.join(os.tmpdir(), 'epiloop-gone-'));
    try {
      // The shell stands in a directory that no longer exists (rmdir'd from there, or from another shell).
      const run = (args: string[]) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const gone = path.join(parent, 'gone');
          const script = 'mkdir "$1" && cd "$1" && rmdir "$1" && shift && exec "$@"';
          const child = spawn('sh', ['-c', script, 'sh', gone, process.execPath, BIN, ...args], { env, cwd: parent, stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
          child.on('close', (code) => resolve({ code, stderr }));
        });
      const refusal = 'epiloop: --workspace: the current directory no longer exists; give --workspace as an absolute path (or one starting with ~/).\n';
      expect(await run(['--profile', 'lab3', 'setup', '--workspace', 'rel'])).toEqual({ code: 2, stderr: refusal });
      expect(await run(['--profile', 'lab3', 'onboard', '--yes', '--no-install-service', '--workspace', 'rel'])).toEqual({ code: 2, stderr: refusal });
      expect(await readdir(home)).toEqual([]);
      expect(await readdir(parent)).toEqual([]);
      // No relative path, no need of the directory it was typed in.
      expect(await run(['--profile', 'lab3', 'onboard', '--yes', '--no-install-service'])).toEqual({ code: 0, stderr: '' });
      expect(await run(['--profile', 'lab4', 'setup', '--workspace', '~/ws4'])).toEqual({ code: 0, stderr: '' });
      expect((await readJson(configOf(home, 'lab4'))).agents.defaults.workspace).toBe(path.join(home, 'ws4'));
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  }, 60_000);

  it('a workspace that is a symlink to /etc is refused by setup, reported by doctor, refused by the gateway; nothing is created there', async () => {
    const { home, env } = await tempHome();
    await setup(env, 'main');
    const existed = existsSync('/etc/canvas');
    await symlink('/etc', path.join(home, 'ws'));
    const flag = await runCli(['--profile', 'main', 'setup', '--workspace', '~/ws'], { env });
    expect([flag.code, flag.stderr]).toEqual([2, expect.stringContaining('workspace ~/ws is the system directory /etc')]);
    await edit(home, 'main', (c) => (c.agents.defaults.workspace = '~/ws'));
    const doctor = await runCli(['--profile', 'main', 'doctor'], { env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('✖ the workspace ~/ws is really the system directory /etc');
    expect(doctor.stdout).toContain("fix: set agents.defaults.workspace to ~/.epiloop/workspace-main (this profile's default workspace)");
    const gateway = await runCli(['--profile', 'main', 'gateway'], { env });
    expect([gateway.code, gateway.stderr]).toEqual([2, expect.stringContaining('the workspace ~/ws is /etc, a system directory /etc')]);
    expect(existsSync('/etc/canvas')).toBe(existed);
    // Written literally, the schema refuses it already.
    await edit(home, 'main', (c) => (c.agents.defaults.workspace = '/'));
    expect((await runCli(['--profile', 'main', 'doctor'], { env })).stdout).toContain('agents.defaults.workspace is "/", but must be a directory path');
  }, 60_000);
});
