import { chmod, mkdir, readdir, readFile, rename, stat, symlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { spawn as spawnPty } from '@lydell/node-pty';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/core/config/secrets';
import { BIN, runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { disjoint, holdPort } from './support';
import { freeBase } from '../helpers/ports';
import { standIn } from '../service/standin';
import { healthPorts } from '../../src/core/gateway/health';
import { footprint } from '../../src/core/ports/footprint';
import JSON5 from 'json5';

const configOf = (home: string, profile: string) => path.join(home, `.epiloop-${profile}`, 'epiloop.json');
// Configs are JSON5, and writers edit them in place: comments and layout stay.
const readJson = async (file: string) => JSON5.parse(await readFile(file, 'utf8'));

/**
 * `setup` on a base free a moment ago: another test process may take it in between
 * (freeBase hands out blocks per process), so a refused block is traded for another.
 */
async function setup(env: Record<string, string>, profile: string, extra: string[] = []): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const base = await freeBase();
    const result = await runCli(['--profile', profile, 'setup', '--port', String(base), ...extra], { env });
    if (result.code === 0) return base;
    if (attempt === 3 || !result.stderr.includes('cannot be used')) throw new Error(`setup failed: ${result.stderr}`);
  }
}

/** A profile whose config was written by hand, in its own 0700 dir, with the default workspace present. */
async function handWritten(home: string, profile: string, text: string): Promise<string> {
  const file = configOf(home, profile);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await mkdir(path.join(home, '.epiloop', `workspace-${profile}`), { recursive: true });
  await writeFile(file, text, { mode: 0o600 });
  return file;
}

/** Every file under dir with its bytes: to prove a run wrote nothing there. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const full = path.join(dir, name);
    if ((await stat(full)).isFile()) files[name] = await readFile(full, 'latin1');
  }
  return files;
}

describe('epiloop doctor', () => {
  it('is healthy after setup: exit 0, and --json says so', async () => {
    const { env } = await tempHome();
    await setup(env, 'main');
    const text = await runCli(['--profile', 'main', 'doctor'], { env });
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toContain('✔ healthy');
    const json = await runCli(['--profile', 'main', 'doctor', '--json'], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ profile: 'main', label: 'main', healthy: true, findings: [] });
  });

  it('reports a gateway.bind that is not an address of this host, whose start the gateway would refuse (the network namespace has loopback only)', async () => {
    const { env } = await tempHome();
    await setup(env, 'main');
    expect((await runCli(['--profile', 'main', 'config', 'set', 'gateway.bind', '10.0.0.5'], { env })).code).toBe(0);
    const text = await runCli(['--profile', 'main', 'doctor'], { env });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('gateway.bind is "10.0.0.5", not an address of this host: the gateway will refuse to start');
    expect(text.stdout).toContain('epiloop --profile main config set gateway.bind loopback');
    const json = JSON.parse((await runCli(['--profile', 'main', 'doctor', '--json'], { env })).stdout);
    expect(json.findings).toEqual([expect.objectContaining({ kind: 'bind-address', fixable: false })]);
  });

  it('finds a footprint overlapping main, and --fix --yes moves it to a free base with a backup and the diff', async () => {
    const { home, env } = await tempHome();
    const base = await setup(env, 'main');
    const original = `// rescue, written by hand\n{\n  gateway: { port: ${base + 20}, auth: { token: "rescue-token-0123456789" } },\n  myPlugin: { keep: [1, 2] },\n}\n`;
    const file = await handWritten(home, 'rescue', original);

    const found = await runCli(['--profile', 'rescue', 'doctor'], { env });
    expect(found.code).toBe(1);
    expect(found.stdout).toContain('✖ footprint overlaps profile main:');
    expect(found.stdout).toContain(`gateway ${base + 20} is inside main's CDP range`);
    expect(found.stdout).toContain('Repair: epiloop --profile rescue doctor --fix');

    // No terminal and no --yes: the plan and diff are shown, nothing is written, exit 2.
    const asked = await runCli(['--profile', 'rescue', 'doctor', '--fix'], { env });
    expect(asked.code).toBe(2);
    expect(asked.stdout).toContain(`-  gateway: { port: ${base + 20}, auth: { token: "‹23 characters hidden, #${fingerprint('rescue-token-0123456789')}›" } },`);
    expect(asked.stdout).not.toContain('rescue-token-0123456789');
    expect(asked.stderr).toContain('Nothing was written: there is no terminal to ask on.');
    expect(asked.stderr).toContain('epiloop --profile rescue doctor --fix --yes');
    expect(await readFile(file, 'utf8')).toBe(original);

    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(new RegExp(`move base ${base + 20} → \\d+`));
    expect(fixed.stdout).toContain('Change to ~/.epiloop-rescue/epiloop.json:');
    // An edit, not a rewrite: the user's one-line JSON5 keeps its shape, only the port's bytes change.
    // The token stays: the same fingerprint on both sides of the diff.
    expect(fixed.stdout).toMatch(new RegExp(`^ {2}\\+ {2}gateway: \\{ port: \\d+, auth: \\{ token: "‹23 characters hidden, #${fingerprint('rescue-token-0123456789')}›" \\} \\},$`, 'm'));
    expect(fixed.stdout).toContain('✔ Checked again: healthy.');
    expect(fixed.stdout).not.toContain('rescue-token-0123456789');
    const written = await readJson(file);
    expect(written.myPlugin).toEqual({ keep: [1, 2] });
    expect(written.gateway.auth.token).toBe('rescue-token-0123456789');
    expect(disjoint(written.gateway.port, base)).toBe(true);
    const backups = (await readdir(path.dirname(file))).filter((n) => n.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(await readFile(path.join(path.dirname(file), backups[0]!), 'utf8')).toBe(original);
    expect((await runCli(['--profile', 'rescue', 'doctor'], { env })).code).toBe(0);
  });

  it('replaces a config broken JSON5 with a fresh one; the backup is the broken file byte for byte', async () => {
    const { home, env } = await tempHome();
    const broken = Buffer.from('{\n  gateway: { port: 19789,\n  "unterminated: \xff\n}\n', 'latin1');
    const file = await handWritten(home, 'rescue', '');
    await writeFile(file, broken);

    const found = await runCli(['--profile', 'rescue', 'doctor', '--json'], { env });
    expect(found.code).toBe(1);
    const report = JSON.parse(found.stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ kind: 'config-syntax', severity: 'error', fixable: true });
    expect(report.findings[0].detail[0]).toMatch(/^~\/\.epiloop-rescue\/epiloop\.json:\d+:\d+$/);

    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--fix', '--yes', '--json'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    const result = JSON.parse(fixed.stdout);
    // What still reads is kept (the port); what does not (no token survived) is new, and said so in words.
    expect(result.plan.actions[0]).toBe('rewrite the unreadable ~/.epiloop-rescue/epiloop.json from what can still be read (gateway.port 19789); the broken file stays as the backup');
    expect(result.plan.impacts).toEqual(['the auth token could not be read, so a new one is written: clients using the old one will be refused']);
    expect(result.after).toEqual({ healthy: true, findings: [] });
    expect(await readFile(result.backupPath)).toEqual(broken);
    const written = await readJson(file);
    expect(written.gateway.port).toBe(19789);
    expect(written.gateway.auth.token).toMatch(/^.{16,}$/);
  });

  it('a stray byte just before "auth" loses only itself: doctor names it, not gateway, and --fix keeps the token and the port (hostile pass)', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    const token = 'HzZC0123456789abcdefghijklmnopqr';
    const file = await handWritten(home, 'rescue', `{\n  "gateway": {\n    "port": ${base},\n \u0000   "auth": {\n      "token": "${token}"\n    }\n  }\n}\n`);

    const found = JSON.parse((await runCli(['--profile', 'rescue', 'doctor', '--json'], { env })).stdout);
    expect(found.findings[0].detail).toContain('cannot be read: unreadable text in gateway (line 4)');
    expect(found.findings[0].fix).toMatch(/^rewrite it from what can still be read \(the auth token, gateway\.port \d+\);/);

    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--fix', '--yes', '--json'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(JSON.parse(fixed.stdout).plan.impacts).toEqual([]);
    const written = await readJson(file);
    expect(written.gateway).toEqual({ port: base, auth: { token } });
  });

  it('an escaped key in a broken file is the key it spells: the token under tok\\u0065n is kept, no "gateway.auth.tok" named', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    const token = 'HzZC0123456789abcdefghijklmnopqr';
    const file = await handWritten(home, 'rescue', `{ gateway: { port: ${base}, auth: { tok\\u0065n: "${token}" } }, oops }\n`);

    const found = JSON.parse((await runCli(['--profile', 'rescue', 'doctor', '--json'], { env })).stdout);
    expect(found.findings[0].detail).toContain('cannot be read: oops (line 1)');
    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--fix', '--yes', '--json'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect((await readJson(file)).gateway.auth.token).toBe(token);
  });

  it('a config of which nothing can be read: the finding\'s fix says what the plan does (a rewrite with defaults, no workspace key), not a fresh config', async () => {
    const { home, env } = await tempHome();
    const file = await handWritten(home, 'rescue', '');
    await writeFile(file, '{ oops');
    const found = JSON.parse((await runCli(['--profile', 'rescue', 'doctor', '--json'], { env })).stdout);
    expect(found.findings[0]).toMatchObject({ kind: 'config-syntax', fixable: true });
    expect(found.findings[0].fix).toBe('rewrite it from what can still be read (nothing); what is missing gets a default (a free base for profile rescue, a new auth token); the broken file is kept as the backup');
    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--fix', '--yes', '--json'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(JSON.parse(fixed.stdout).plan.actions[0]).toMatch(/^rewrite the unreadable ~\/\.epiloop-rescue\/epiloop\.json from what can still be read;/);
    const written = await readJson(file);
    expect(written.gateway.auth.token).toMatch(/^.{16,}$/);
    expect(written.agents?.defaults?.workspace).toBeUndefined();
  });

  it('on a config with thousands of bad entries prints twenty findings and how many more (--json lists them all), and status ten problems', async () => {
    const { home, env } = await tempHome();
    expect((await runCli(['setup'], { env })).code).toBe(0);
    const file = path.join(home, '.epiloop', 'epiloop.json');
    const config = JSON.parse(await readFile(file, 'utf8'));
    config.watch = { profiles: Array.from({ length: 3000 }, (_, i) => `BAD NAME ${i}`) };
    await writeFile(file, JSON.stringify(config), { mode: 0o600 });
    const doctor = await runCli(['doctor'], { env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout.split('\n').filter((l) => /^✖ /.test(l))).toHaveLength(20);
    expect(doctor.stdout).toContain('… and 2980 more findings like these; "epiloop doctor --json" lists every one');
    expect(doctor.stdout).toMatch(/\n3000 problems \(3000 errors, 0 warnings\), 3000 fixable\. Repair: epiloop doctor --fix/);
    expect(doctor.stdout.split('\n').length).toBeLessThan(100);
    const json = JSON.parse((await runCli(['doctor', '--json'], { env })).stdout);
    expect(json.findings).toHaveLength(3000);
    const status = await runCli(['status'], { env });
    expect(status.stdout.split('\n').length).toBeLessThan(60);
    expect(status.stdout).toContain('… and 2990 more problems; "epiloop config validate" lists every one');
    expect((await runCli(['config', 'validate'], { env })).stdout.split('\n').filter((l) => l.includes('BAD NAME'))).toHaveLength(3000);
  });

  it('replaces a schema-invalid port and keeps every other key', async () => {
    const { home, env } = await tempHome();
    const file = await handWritten(home, 'rescue', JSON.stringify({ gateway: { port: 99999, bind: '127.0.0.1', auth: { token: 'x'.repeat(20) } }, canvasHost: { enabled: true }, extra: 'mine' }));
    const found = await runCli(['--profile', 'rescue', 'doctor'], { env });
    expect(found.code).toBe(1);
    expect(found.stdout).toContain('✖ gateway.port is 99999, but must be a whole number from 1024 to 65425');
    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(/replace gateway\.port 99999 with base \d+ \(the first free block for profile rescue\)/);
    const written = await readJson(file);
    expect(written).toEqual({ gateway: { port: expect.any(Number), bind: '127.0.0.1', auth: { token: 'x'.repeat(20) } }, canvasHost: { enabled: true }, extra: 'mine' });
    expect(written.gateway.port).toBeGreaterThanOrEqual(1024);
  });

  it('tightens a config left 0644 to 0600 and a state dir left 0755 to 0700', async () => {
    const { home, env } = await tempHome();
    await setup(env, 'rescue');
    const file = configOf(home, 'rescue');
    const before = await readFile(file, 'utf8');
    await chmod(file, 0o644);
    await chmod(path.dirname(file), 0o755);
    const found = await runCli(['--profile', 'rescue', 'doctor'], { env });
    expect(found.code).toBe(1);
    expect(found.stdout).toContain("the config ~/.epiloop-rescue/epiloop.json is 0644: other users can read the gateway's auth token");
    expect(found.stdout).toContain('the state dir ~/.epiloop-rescue is 0755');
    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('--fix on a stopped gateway ends with how to start it, in the words of status; from another profile, with the target\'s command (new-user pass)', async () => {
    const { home, env } = await tempHome();
    await setup(env, 'rescue');
    await setup(env, 'main');
    const flat = (text: string) => text.replace(/\s+/g, ' ');
    const start = (profile: string) => `The gateway is not running. Start it: "epiloop --profile ${profile} start"`;
    expect(flat((await runCli(['--profile', 'rescue', 'status'], { env })).stdout)).toContain(start('rescue'));

    await chmod(configOf(home, 'rescue'), 0o644);
    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    const after = fixed.stdout.slice(fixed.stdout.indexOf('✔ Checked again: healthy.'));
    expect(flat(after)).toContain(start('rescue'));

    await chmod(configOf(home, 'main'), 0o644);
    const target = await runCli(['--profile', 'rescue', 'doctor', '--target', 'main', '--fix', '--yes'], { env });
    expect(target.code, target.stdout + target.stderr).toBe(0);
    expect(flat(target.stdout.slice(target.stdout.indexOf('✔ Checked again: healthy.')))).toContain(start('main'));

    // A config the gateway still refuses after the fix (a bind this host lacks, fixed by hand): no start that would be refused.
    expect((await runCli(['--profile', 'rescue', 'config', 'set', 'gateway.bind', '10.0.0.5'], { env })).code).toBe(0);
    await chmod(configOf(home, 'rescue'), 0o644);
    const refused = await runCli(['--profile', 'rescue', 'doctor', '--fix', '--yes'], { env });
    expect(refused.code).toBe(1);
    const left = flat(refused.stdout.slice(refused.stdout.indexOf('Checked again:')));
    expect(left).toContain('The gateway is not running. It can start once the config is repaired.');
    expect(left).not.toContain('rescue start');
  });

  it('creates a missing workspace', async () => {
    const { home, env } = await tempHome();
    const workspace = path.join(home, 'elsewhere', 'ws');
    await setup(env, 'rescue', ['--workspace', workspace]);
    await (await import('node:fs/promises')).rm(path.join(home, 'elsewhere'), { recursive: true });
    const found = await runCli(['--profile', 'rescue', 'doctor'], { env });
    // Only a warning: the gateway would create it, so the profile is still healthy.
    expect(found.code).toBe(0);
    expect(found.stdout).toContain('⚠ the workspace ~/elsewhere/ws does not exist');
    expect(found.stdout).toContain('1 problem (0 errors, 1 warning), 1 fixable.');
    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('create ~/elsewhere/ws (0700)');
    expect((await stat(workspace)).isDirectory()).toBe(true);
  });

  it('names the pid of a foreign process holding a derived port', async () => {
    const { env } = await tempHome();
    const base = await setup(env, 'rescue');
    await holdPort(base + 2);
    const found = await runCli(['--profile', 'rescue', 'doctor', '--json'], { env });
    expect(found.code).toBe(1);
    const [finding] = JSON.parse(found.stdout).findings;
    expect(finding.kind).toBe('port-bound');
    expect(finding.summary).toMatch(new RegExp(`^browser control ${base + 2} is bound by .+ \\(pid ${process.pid}\\) on 127\\.0\\.0\\.1$`));
    expect(finding.fix).toContain(`or stop`);
  });

  it('--target main from rescue repairs main\'s broken config, writing nothing of rescue\'s and touching no third profile', async () => {
    const { home, env } = await tempHome();
    await setup(env, 'main');
    const [rescueBase, otherBase] = [await setup(env, 'rescue'), await setup(env, 'other')];
    const mainFile = configOf(home, 'main');
    await writeFile(mainFile, '{ gateway: { port: 18789 ');
    const rescueBefore = await snapshot(path.join(home, '.epiloop-rescue'));
    const otherBefore = await snapshot(path.join(home, '.epiloop-other'));
    // The shell is rescue's, down to its explicit paths: --target must not follow them.
    const rescueEnv = { ...env, EPILOOP_STATE_DIR: path.join(home, '.epiloop-rescue'), EPILOOP_CONFIG_PATH: configOf(home, 'rescue') };

    const found = await runCli(['--profile', 'rescue', 'doctor', '--target', 'main'], { env: rescueEnv });
    expect(found.code).toBe(1);
    expect(found.stdout).toContain('from rescue → target main · ~/.epiloop-main/epiloop.json');
    expect(found.stdout).toContain('✖ the config cannot be read: not valid JSON5');
    expect(found.stdout).toContain('~/.epiloop-main/epiloop.json:1:');

    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--target', 'main', '--fix', '--yes', '--json'], { env: rescueEnv });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    const result = JSON.parse(fixed.stdout);
    expect(result).toMatchObject({ profile: 'main', from: 'rescue', configPath: mainFile, after: { healthy: true } });
    expect(await readFile(result.backupPath, 'utf8')).toBe('{ gateway: { port: 18789 ');
    const main = await readJson(mainFile);
    expect(disjoint(main.gateway.port, rescueBase)).toBe(true);
    expect(disjoint(main.gateway.port, otherBase)).toBe(true);
    expect(await snapshot(path.join(home, '.epiloop-rescue'))).toEqual(rescueBefore);
    expect(await snapshot(path.join(home, '.epiloop-other'))).toEqual(otherBefore);
  });

  it("--target main --fix names main's gateway in what changes for clients, where \"this gateway\" would be rescue's own", async () => {
    const { home, env } = await tempHome();
    await setup(env, 'main');
    await setup(env, 'rescue');
    const mainFile = configOf(home, 'main');
    const main = await readJson(mainFile);
    await writeFile(mainFile, JSON.stringify({ ...main, gateway: { ...main.gateway, bind: 'LAN' } }, null, 2) + '\n', { mode: 0o600 });
    const reach = "only this machine can reach main's gateway with gateway.bind unset (loopback)";
    const planned = await runCli(['--profile', 'rescue', 'doctor', '--target', 'main', '--fix', '--json'], { env });
    expect(JSON.parse(planned.stdout).plan.impacts).toEqual([reach]);
    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--target', 'main', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain(reach);
    expect(fixed.stdout).not.toContain('this gateway');
  });

  it('--target main --fix moves main off rescue\'s base + 2, with a backup and the diff (issue 7)', async () => {
    const { home, env } = await tempHome();
    await setup(env, 'main');
    const rescueBase = await setup(env, 'rescue');
    const mainFile = configOf(home, 'main');
    const moved = { ...(await readJson(mainFile)), gateway: { ...(await readJson(mainFile)).gateway, port: rescueBase + 2 } };
    await writeFile(mainFile, JSON.stringify(moved, null, 2) + '\n', { mode: 0o600 });
    const old = await readFile(mainFile, 'utf8');
    const rescueBefore = await snapshot(path.join(home, '.epiloop-rescue'));

    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--target', 'main', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('✖ footprint overlaps profile rescue:');
    expect(fixed.stdout).toContain(`-    "port": ${rescueBase + 2},`);
    expect(fixed.stdout).toMatch(new RegExp(`move base ${rescueBase + 2} → \\d+ \\(the first free block for profile main\\)`));
    const backups = (await readdir(path.dirname(mainFile))).filter((n) => n.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(await readFile(path.join(path.dirname(mainFile), backups[0]!), 'utf8')).toBe(old);
    expect(disjoint((await readJson(mainFile)).gateway.port, rescueBase)).toBe(true);
    expect(await snapshot(path.join(home, '.epiloop-rescue'))).toEqual(rescueBefore);
  });

  it("--target main names rescue's running gateway on main's port and never says to stop it (QA 1)", async () => {
    const { home, env } = await tempHome();
    await setup(env, 'main');
    const rescueBase = await setup(env, 'rescue');
    const mainFile = configOf(home, 'main');
    const config = await readJson(mainFile);
    await writeFile(mainFile, JSON.stringify({ ...config, gateway: { ...config.gateway, port: rescueBase + 2 } }), { mode: 0o600 });
    // This test process stands in for rescue's running gateway, holding its browser-control port.
    const lock = { pid: process.pid, processStart: null, startedAt: new Date().toISOString(), host: '127.0.0.1', ports: healthPorts(footprint(undefined, rescueBase)) };
    await writeFile(path.join(home, '.epiloop-rescue', 'gateway.lock'), JSON.stringify(lock));
    await holdPort(rescueBase + 2);

    const found = await runCli(['--profile', 'rescue', 'doctor', '--target', 'main'], { env });
    expect(found.code).toBe(1);
    expect(found.stdout).toContain(`✖ gateway ${rescueBase + 2} is bound by rescue's gateway (pid ${process.pid}) on 127.0.0.1`);
    expect(found.stdout).toContain(`fix: move the base from ${rescueBase + 2} to the first free block for profile main (at or above 18789)`);
    expect(found.stdout).not.toMatch(/\bstop\b/);
  });

  it('reports a symlinked config as an error to fix by hand; --fix --yes plans no write and says so (QA 2)', async () => {
    const { home, env } = await tempHome();
    await setup(env, 'main');
    const file = configOf(home, 'main');
    // Inside the state dir: a link out of it is not even read (its own test, below).
    const real = path.join(home, '.epiloop-main', 'real.json');
    await rename(file, real);
    await symlink(real, file);
    const before = await readFile(real, 'utf8');

    const found = await runCli(['--profile', 'main', 'doctor'], { env });
    expect(found.code).toBe(1);
    expect(found.stdout).toContain(`✖ the config ~/.epiloop-main/epiloop.json is a symlink to ${real}: epiloop will not write through it`);
    expect(found.stdout).toContain('fix: by hand: replace the link with the file it points to: cp --remove-destination "$(readlink -f ~/.epiloop-main/epiloop.json)" ~/.epiloop-main/epiloop.json');
    expect(found.stdout).toContain('1 problem (1 error, 0 warnings), 0 fixable.');

    const fixed = await runCli(['--profile', 'main', 'doctor', '--fix', '--yes'], { env });
    expect(fixed.code).toBe(1);
    expect(fixed.stdout).not.toContain('Plan:');
    expect(fixed.stdout).toContain('nothing doctor can fix automatically.');
    expect(fixed.stderr).toBe('');
    expect(await readFile(real, 'utf8')).toBe(before);
  });

  it('finds a workspace shared with another profile and --fix gives this profile its default one (QA 3)', async () => {
    const { home, env } = await tempHome();
    await setup(env, 'main');
    await setup(env, 'rescue');
    // Written by hand: setup refuses another profile's workspace.
    const rescue = await readJson(configOf(home, 'rescue'));
    await writeFile(configOf(home, 'rescue'), JSON.stringify({ ...rescue, agents: { defaults: { workspace: '~/.epiloop/workspace-main' } } }), { mode: 0o600 });
    const found = await runCli(['--profile', 'rescue', 'doctor'], { env });
    expect(found.code).toBe(1);
    expect(found.stdout).toContain("✖ workspace shared with profile main: ~/.epiloop/workspace-main is also main's workspace");
    expect(found.stdout).toContain("fix: set agents.defaults.workspace to ~/.epiloop/workspace-rescue (this profile's default workspace)");
    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect((await readJson(configOf(home, 'rescue'))).agents.defaults.workspace).toBe(path.join(home, '.epiloop', 'workspace-rescue'));
    expect((await stat(path.join(home, '.epiloop', 'workspace-rescue'))).isDirectory()).toBe(true);
  });

  it('reinstalls a service whose port disagrees with the config', async () => {
    const { home, env: baseEnv } = await tempHome();
    const { env } = await standIn(home, baseEnv);
    const base = await setup(env, 'main');
    expect((await runCli(['--profile', 'main', 'gateway', 'install'], { env })).code).toBe(0);
    const config = await readJson(configOf(home, 'main'));
    config.gateway.port = base + 200;
    await writeFile(configOf(home, 'main'), JSON.stringify(config));
    const found = await runCli(['--profile', 'main', 'doctor'], { env });
    expect(found.code).toBe(1);
    expect(found.stdout).toContain(`✖ the installed service epiloop-gateway-main.service disagrees with the config: service runs port ${base} but config says ${base + 200}`);
    const fixed = await runCli(['--profile', 'main', 'doctor', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('reinstall the service epiloop-gateway-main.service from the config');
    const unit = await readFile(path.join(home, '.config', 'systemd', 'user', 'epiloop-gateway-main.service'), 'utf8');
    expect(unit).toContain(`gateway --port ${base + 200}`);
  });

  it('refuses usage mistakes with exit 2', async () => {
    const { env } = await tempHome();
    const yes = await runCli(['doctor', '--yes'], { env });
    expect(yes.code).toBe(2);
    expect(yes.stderr).toContain('--yes answers the question "Apply?" of --fix or --rollback; use it with one of them.');
    const both = await runCli(['doctor', '--fix', '--rollback'], { env });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--fix and --rollback are two repairs');
    const bad = await runCli(['doctor', '--target', '../main'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--target: "../main" is not a valid profile name');
    // "default" names the profile without --profile (the seed's main bot).
    const unset = await runCli(['--profile', 'rescue', 'doctor', '--target', 'default'], { env });
    expect(unset.code).toBe(1);
    expect(unset.stdout).toContain('from rescue → target default · ~/.epiloop/epiloop.json');
  });

  it('reports a profile that is not set up, and --fix creates it', async () => {
    const { home, env } = await tempHome();
    const found = await runCli(['--profile', 'rescue', 'doctor'], { env });
    expect(found.code).toBe(1);
    expect(found.stdout).toContain('✖ this profile has no config: it is not set up');
    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect((await readJson(configOf(home, 'rescue'))).gateway.port).toEqual(expect.any(Number));
  });
});

describe('epiloop doctor --fix on a terminal', () => {
  /** Runs the built CLI in a pseudo-terminal, answers the one question, returns the screen text and exit code. */
  function onTerminal(args: string[], env: Record<string, string>, answer: string, question = 'Apply? [y/N]'): Promise<{ code: number; output: string }> {
    return new Promise((resolve, reject) => {
      const term = spawnPty(process.execPath, [BIN, ...args], { cols: 100, rows: 40, env });
      let output = '';
      let answered = false;
      const timer = setTimeout(() => {
        term.kill();
        reject(new Error(`no exit within 15 s:\n${output}`));
      }, 15_000);
      term.onData((data) => {
        output += data;
        if (!answered && output.includes(question)) {
          answered = true;
          term.write(answer);
        }
      });
      term.onExit(({ exitCode }) => {
        clearTimeout(timer);
        resolve({ code: exitCode, output });
      });
    });
  }

  it('asks "Apply? [y/N]": no writes nothing and exits as the check does (1: problems remain), Ctrl-C writes nothing (exit 130), y applies', async () => {
    const { home, env } = await tempHome();
    const base = await setup(env, 'main');
    const file = await handWritten(home, 'rescue', JSON.stringify({ gateway: { port: base + 20, auth: { token: 't'.repeat(20) } } }));
    const original = await readFile(file, 'utf8');

    const declined = await onTerminal(['--profile', 'rescue', 'doctor', '--fix'], env, 'n\r');
    expect(declined.code, declined.output).toBe(1);
    expect(declined.output).toContain('Not applied. Nothing was written.');
    expect(await readFile(file, 'utf8')).toBe(original);

    const interrupted = await onTerminal(['--profile', 'rescue', 'doctor', '--fix'], env, '\x03');
    expect(interrupted.code).toBe(130);
    expect(interrupted.output).toContain('Cancelled. Nothing was written.');
    expect(await readFile(file, 'utf8')).toBe(original);

    const accepted = await onTerminal(['--profile', 'rescue', 'doctor', '--fix'], env, 'y\r');
    expect(accepted.code, accepted.output).toBe(0);
    expect(accepted.output).toContain('✔ Applied:');
    expect(disjoint((await readJson(file)).gateway.port, base)).toBe(true);
  });

  it('asks "Roll back? [y/N]": no writes nothing and exits 1 (the config stays the one that is not last-known-good), not 130', async () => {
    const { home, env } = await tempHome();
    await setup(env, 'main');
    const file = configOf(home, 'main');
    const good = await readFile(file, 'utf8');
    const record = { version: 1, sha256: createHash('sha256').update(good).digest('hex'), recordedAt: '2026-01-02T03:04:05.000Z', by: 'rescue', text: good };
    await writeFile(path.join(home, '.epiloop-main', 'last-good.json'), JSON.stringify(record), { mode: 0o600 });
    const changed = good.replace(/\n*$/, '\n// changed by hand\n');
    await writeFile(file, changed);
    const declined = await onTerminal(['--profile', 'main', 'doctor', '--rollback'], env, 'n\r', 'Roll back? [y/N]');
    expect(declined.code, declined.output).toBe(1);
    expect(declined.output).toContain('Not rolled back. Nothing was written.');
    expect(await readFile(file, 'utf8')).toBe(changed);
  });
});
