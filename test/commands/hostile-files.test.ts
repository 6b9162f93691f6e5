/**
 * The item 2 and item 7 as a user meets them, through the built CLI: profile lab's
 * config is a directory, unreadable (root-owned after a sudo), a FIFO, a symlink to
 * /dev/zero, a symlink out of its state dir, 50 MB, or 10,000 levels deep. main's status,
 * ports, doctor, setup and gateway and rescue's doctor --target main still succeed within a
 * few seconds; lab's status and doctor say what is wrong, what is allowed and what to run,
 * with exit 1, never 70, never a hang, and none of it needs more than a small heap.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO, runCli, type CliResult } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'ignore' });
}, 60_000);

const ROOT = process.getuid?.() === 0;
/** A generous "few seconds": these suites share two cores with the rest of npm test. */
const FEW_SECONDS = 8000;
/** A heap that a 50 MB config read whole (4.3 GB before) could never fit in. */
const SMALL_HEAP = '--max-old-space-size=96';

/** The built CLI with a small heap, as `user` (nobody, for a file root owns) when given. */
function cli(args: string[], env: Record<string, string>, user?: number): Promise<CliResult> {
  return runCli(args, { env, nodeArgs: [SMALL_HEAP], timeoutMs: 20_000, ...(user === undefined ? {} : { user }) });
}

/** main's gateway: ready, then SIGTERM, exit 0. */
function gatewayRuns(env: Record<string, string>, user?: number): Promise<{ ready: boolean; code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SMALL_HEAP, BIN, '--profile', 'main', 'gateway'], { env, stdio: ['ignore', 'pipe', 'pipe'], ...(user === undefined ? {} : { uid: user, gid: user }) });
    let output = '';
    let ready = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      output += d;
      if (!ready && / ready \(pid/.test(output)) {
        ready = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ready, code, output });
    });
  });
}

type Kind = 'directory' | 'unreadable' | 'FIFO' | 'symlink to /dev/zero' | 'symlink out of the state dir' | '50 MB file' | '10,000-deep nesting';

/** lab's config made into `kind`; with the words lab's status must use about it. */
async function plant(home: string, kind: Kind): Promise<RegExp> {
  const dir = path.join(home, '.epiloop-lab');
  const file = path.join(dir, 'epiloop.json');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  switch (kind) {
    case 'directory':
      await mkdir(file);
      return /epiloop\.json is a directory, not a regular file/;
    case 'unreadable':
      await writeFile(file, '{}', { mode: 0o600 });
      // As a sudo would leave it: owned by root, 0600; the commands then run as nobody.
      if (ROOT) await chown(dir, 65534, 65534);
      else await chmod(file, 0o000);
      return /epiloop\.json cannot be read: permission denied/;
    case 'FIFO':
      execFileSync('mkfifo', [file]);
      return /epiloop\.json is a FIFO \(named pipe\), not a regular file/;
    case 'symlink to /dev/zero':
      await symlink('/dev/zero', file);
      return /epiloop\.json is a symlink to \/dev\/zero, outside its profile's dirs/;
    case 'symlink out of the state dir':
      await writeFile(path.join(home, 'elsewhere.json'), '{ "gateway": { "port": 40000 } }');
      await symlink(path.join(home, 'elsewhere.json'), file);
      return /epiloop\.json is a symlink to .*elsewhere\.json, outside its profile's dirs/;
    case '50 MB file':
      await writeFile(file, `{"x":"${'a'.repeat(1024)}`);
      await truncate(file, 50 * 1024 * 1024);
      return /epiloop\.json is 52428800 bytes; it was not read/;
    case '10,000-deep nesting':
      await writeFile(file, `{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
      return /epiloop\.json:1:69 nests deeper than 64 levels/;
  }
}

const KINDS: Kind[] = ['unreadable', 'directory', 'FIFO', 'symlink to /dev/zero', 'symlink out of the state dir', '50 MB file', '10,000-deep nesting'];

describe("one profile's unreadable config never breaks another profile (item 2, item 7)", () => {
  // One host for every kind (set up once; each test plants lab's config anew), "unreadable" first: it hands the home to nobody.
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    // Not tempHome(): that one is removed after each test, and this host lives for the whole describe.
    home = await mkdtemp(path.join(os.tmpdir(), 'epiloop-test-'));
    env = { ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('EPILOOP_'))), HOME: home, NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    for (const profile of ['main', 'rescue']) {
      const done = await cli(['--profile', profile, 'setup', '--port', String(await freeBase())], env);
      expect(done.code, done.stderr).toBe(0);
    }
  }, 60_000);
  afterAll(() => rm(home, { recursive: true, force: true }));

  it.each(KINDS)("lab's config is a %s: main's and rescue's commands succeed; lab's say what is wrong", async (kind) => {
    const said = await plant(home, kind);
    // A root-owned 0600 file only stops someone else: the whole home is nobody's, lab's config root's.
    const user = kind === 'unreadable' && ROOT ? 65534 : undefined;
    if (user !== undefined) {
      for (const entry of await readdir(home, { recursive: true })) if (!entry.startsWith(path.join('.epiloop-lab', 'epiloop.json'))) await chown(path.join(home, entry), user, user);
      await chown(home, user, user);
    }
    const mainConfig = await readFile(path.join(home, '.epiloop-main', 'epiloop.json'), 'utf8');

    // One after another: concurrent commands still take each other's probe binds for holders (the item 5, not this one).
    const status = await cli(['--profile', 'main', 'status', '--json'], env, user);
    const ports = await cli(['--profile', 'main', 'ports', '--json'], env, user);
    const doctor = await cli(['--profile', 'main', 'doctor'], env, user);
    const target = await cli(['--profile', 'rescue', 'doctor', '--target', 'main'], env, user);
    const labStatus = await cli(['--profile', 'lab', 'status'], env, user);
    const labDoctor = await cli(['--profile', 'lab', 'doctor'], env, user);
    const setup = await cli(['--profile', 'main', 'setup'], env, user);
    const gateway = await gatewayRuns(env, user);

    // main: its status has one problem, its gateway not running (it is started below), and nothing of lab.
    expect(JSON.parse(status.stdout)).toMatchObject({ label: 'main', config: { state: 'ok' }, problems: [expect.stringMatching(/^The gateway is not running/)] });
    const rows = JSON.parse(ports.stdout).profiles as { label: string; config: string; base: number | null }[];
    expect(rows.map((r) => [r.label, r.config])).toEqual([['lab', 'invalid'], ['main', 'ok'], ['rescue', 'ok']]);
    expect(ports.code).toBe(1); // the host has a broken profile: lab's row says so
    expect([doctor.code, doctor.stdout]).toEqual([0, expect.stringContaining('✔ healthy')]);
    expect([target.code, target.stdout]).toEqual([0, expect.stringContaining('from rescue → target main')]);
    expect(setup.code, setup.stderr).toBe(0);
    expect(await readFile(path.join(home, '.epiloop-main', 'epiloop.json'), 'utf8')).toBe(mainConfig);
    expect(gateway, gateway.output).toMatchObject({ ready: true, code: 0 });
    for (const ran of [status, ports, doctor, target, setup]) {
      expect(ran.stdout + ran.stderr).not.toContain('internal error');
      expect(ran.ms).toBeLessThan(FEW_SECONDS);
    }

    // lab: what is wrong, what is allowed, what to run; exit 1.
    expect(labStatus.code, labStatus.stderr).toBe(1);
    expect(labStatus.stdout).toMatch(said);
    expect(labStatus.stdout).toMatch(kind === 'unreadable' ? /Allowed: the config must be readable by the user who runs epiloop/ : /Allowed: a config is a regular file of JSON5, at most 1 MiB \(1048576 bytes\), nested at most 64 levels/);
    expect(labStatus.stdout).toMatch(/Fix: .*(mv|rm|chown|doctor --fix|cp --remove-destination)/);
    expect(labDoctor.code, labDoctor.stderr).toBe(1);
    expect(labDoctor.stdout).toMatch(new RegExp(`✖ the config cannot be read: ~/\\.epiloop-lab/${said.source}`));
    expect(labDoctor.stdout).toMatch(/fix: /);
    // No mode finding about a file that was not read: its chmod would act on a directory or on what a link leads to.
    expect(labDoctor.stdout).not.toMatch(/the config \S+ is 0\d{3}:/);
    for (const ran of [labStatus, labDoctor]) expect(ran.ms).toBeLessThan(FEW_SECONDS);
  }, 120_000);

});

describe('a large or deep config of the profile itself (item 7)', () => {
  it("a 50 MB config of the profile itself: setup says so at once, --force replaces it with the file kept as the backup, in a small heap", async () => {
    const { home, env } = await tempHome();
    await plant(home, '50 MB file');
    const refused = await cli(['--profile', 'lab', 'setup'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('epiloop.json is 52428800 bytes; it was not read');
    expect(refused.ms).toBeLessThan(FEW_SECONDS);
    const replaced = await cli(['--profile', 'lab', 'setup', '--force'], env);
    expect(replaced.code, replaced.stderr).toBe(0);
    const names = await readdir(path.join(home, '.epiloop-lab'));
    expect(names.filter((n) => n.endsWith('.bak'))).toHaveLength(1);
    expect(JSON.parse(await readFile(path.join(home, '.epiloop-lab', 'epiloop.json'), 'utf8')).gateway.port).toEqual(expect.any(Number));
  }, 60_000);

  it('unknown keys nested 64 deep are kept by setup; 10,000 deep is refused before any parser sees it', async () => {
    const { home, env } = await tempHome();
    const file = path.join(home, '.epiloop-lab', 'epiloop.json');
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const deep = (depth: number) => `${'{"k":'.repeat(depth)}1${'}'.repeat(depth)}`;
    await writeFile(file, `{"mine":${deep(63)}}`, { mode: 0o600 });
    const kept = await cli(['--profile', 'lab', 'setup', '--port', String(await freeBase())], env);
    expect(kept.code, kept.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(await readFile(file, 'utf8')).mine)).toBe(deep(63));
    await writeFile(file, `{"mine":${deep(10_000)}}`, { mode: 0o600 });
    const refused = await cli(['--profile', 'lab', 'setup'], env);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining('nests deeper than 64 levels')]);
  }, 60_000);
});
