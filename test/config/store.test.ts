import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, link, lstat, mkdir, readdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { HostError, UsageError } from '../../src/core/errors';
import { MAX_FILE_BYTES } from '../../src/core/profile/files';
import { formatConfigError } from '../../src/core/config/parse';
import { ensureStateDir, listBackups, loadConfig, restoreConfigText, updateConfig, writeConfig } from '../../src/host/store/store';
import { backupFile, configLockPath } from '../../src/core/profile/identity';
import { tempHome } from '../helpers/home';
import { bundleFixture, startFixture, type Child } from './fixtures/child';
import { recordingFs } from './fixtures/recording-fs';
import { configVersion, isCompleteVersion } from './fixtures/versions';
import { serializeConfig, type ConfigError, type LoadedConfig } from '../../src/core/config/parse';

async function profileIn(): Promise<{ stateDir: string; configPath: string; home: string }> {
  const { home } = await tempHome();
  const stateDir = path.join(home, '.epiloop-rescue');
  return { stateDir, configPath: path.join(stateDir, 'epiloop.json'), home };
}

async function modeOf(file: string): Promise<number> {
  return (await stat(file)).mode & 0o777;
}

function expectOk(loaded: LoadedConfig): Extract<LoadedConfig, { state: 'ok' }> {
  if (loaded.state !== 'ok') throw new Error(`expected a valid config, got ${JSON.stringify(loaded)}`);
  return loaded;
}

function expectInvalid(loaded: LoadedConfig): Extract<LoadedConfig, { state: 'invalid' }> {
  if (loaded.state !== 'invalid') throw new Error(`expected an invalid config, got ${loaded.state}`);
  return loaded;
}

/** A config as a user might have written it by hand. */
async function writeByHand(configPath: string, text: string, mode = 0o600): Promise<void> {
  await mkdir(path.dirname(configPath), { recursive: true });
  await writeFile(configPath, text, { mode });
}

/**
 * Runs the store in a child as "nobody" when we are root (root may read and write anything,
 * so a permission error could never show), or as ourselves otherwise.
 */
async function asUnprivileged(action: 'read' | 'write', stateDir: string, configPath: string): Promise<{ ok: boolean; hostError?: boolean; message?: string; value?: unknown }> {
  const home = path.dirname(stateDir);
  const bundle = await bundleFixture('denied.ts', home);
  const root = process.getuid?.() === 0;
  if (root) await chmod(home, 0o755); // let "nobody" reach the fixture and the profile
  const result = spawnSync(process.execPath, [bundle, action, stateDir, configPath], {
    encoding: 'utf8',
    timeout: 15_000,
    ...(root ? { uid: 65534, gid: 65534 } : {}),
  });
  if (result.status !== 0) throw new Error(`fixture failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

async function tempFilesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.tmp'));
}

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

/** Makes files look untouched for a minute: what a killed writer left a while ago. */
async function age(dir: string, names: readonly string[]): Promise<void> {
  const then = new Date(Date.now() - 60_000);
  for (const name of names) await utimes(path.join(dir, name), then, then);
}

describe('writeConfig and loadConfig', () => {
  it('round-trips unknown keys, top level and nested, with mode 0600 in a 0700 state dir', async () => {
    const paths = await profileIn();
    const raw = { gateway: { port: 19789, futureKey: { deep: [1, 2] } }, plugins: ['x'], note: 'mine' };

    const result = await writeConfig(paths, raw);

    expect(result).toMatchObject({ path: paths.configPath, written: true, backupPath: null, before: null });
    expect(expectOk(await loadConfig(paths.configPath)).raw).toEqual(raw);
    expect(await readFile(paths.configPath, 'utf8')).toBe(serializeConfig(raw));
    expect(await modeOf(paths.configPath)).toBe(0o600);
    expect(await modeOf(paths.stateDir)).toBe(0o700);
  });

  it('reports a missing config as missing, not as an error', async () => {
    const { configPath } = await profileIn();
    expect(await loadConfig(configPath)).toEqual({ state: 'missing', path: configPath });
  });

  it('creates the config directory when EPILOOP_CONFIG_PATH puts it outside the state dir', async () => {
    const { home } = await tempHome();
    const paths = { stateDir: path.join(home, '.epiloop'), configPath: path.join(home, 'elsewhere', 'cfg', 'epiloop.json'), home };

    await writeConfig(paths, { gateway: { port: 18789 } });

    expect(await modeOf(paths.stateDir)).toBe(0o700);
    expect(await modeOf(path.dirname(paths.configPath))).toBe(0o700);
    expect(existsSync(configLockPath(paths.configPath))).toBe(false);
    expectOk(await loadConfig(paths.configPath));
  });

  it('ensureStateDir says whether it created the directory', async () => {
    const { stateDir } = await profileIn();
    expect(await ensureStateDir(stateDir)).toEqual({ created: true });
    expect(await modeOf(stateDir)).toBe(0o700);
    expect(await ensureStateDir(stateDir)).toEqual({ created: false });
  });

  it('keeps JSON5 comments and trailing commas readable', async () => {
    const { configPath } = await profileIn();
    await writeByHand(configPath, '// mine\n{\n  gateway: { port: 18789, }, /* block */\n  extra: [1, 2,],\n}\n');

    expect(expectOk(await loadConfig(configPath)).raw).toEqual({ gateway: { port: 18789 }, extra: [1, 2] });
  });

  it('reports broken JSON5 as invalid, with the line and column', async () => {
    const { configPath } = await profileIn();
    await writeByHand(configPath, '{ gateway: { port: 18789, }, oops }');

    const loaded = expectInvalid(await loadConfig(configPath));

    expect(loaded.error).toMatchObject({ kind: 'syntax', line: 1, column: 35 });
    expect(loaded.text).toBe('{ gateway: { port: 18789, }, oops }');
    expect(formatConfigError(loaded.error, loaded.error.file, 'epiloop')).toContain(`${configPath}:1:35:`);
  });

  it('finds the line of a syntax error in a multi-line file', async () => {
    const { configPath } = await profileIn();
    await writeByHand(configPath, '{\n  // comment\n  gateway: { port: 18789, },\n  oops\n}\n');

    const loaded = expectInvalid(await loadConfig(configPath));

    expect(formatConfigError(loaded.error, loaded.error.file, 'epiloop')).toMatch(new RegExp(`^${configPath.replace(/[.]/g, '\\.')}:5:1: not valid JSON5`));
  });

  it('names the key, the value and the allowed range of a schema error, and keeps the raw object', async () => {
    const { configPath } = await profileIn();
    await writeByHand(configPath, '{gateway:{port:99999}, mine: true}');

    const loaded = expectInvalid(await loadConfig(configPath));
    const message = formatConfigError(loaded.error, loaded.error.file, 'epiloop');

    expect(loaded.raw).toEqual({ gateway: { port: 99999 }, mine: true });
    expect(message).toContain('gateway.port');
    expect(message).toContain('99999');
    // The real highest base: its whole footprint (base … base+110) must fit.
    expect(message).toContain('1024 to 65425');
  });

  it('turns a config that is a directory into an invalid config with the reason, not a throw', async () => {
    const { configPath } = await profileIn();
    await mkdir(configPath, { recursive: true });

    const loaded = expectInvalid(await loadConfig(configPath));

    expect(loaded.error).toEqual({ kind: 'refused', file: configPath, refusal: { kind: 'not-regular', type: 'directory' } });
    expect(formatConfigError(loaded.error, loaded.error.file, 'epiloop')).toContain(`${configPath} is a directory, not a regular file`);
  });

  it('says "permission denied" for a config it may not read', async () => {
    const { stateDir, configPath } = await profileIn();
    await writeByHand(configPath, '{}', 0o000);

    // A value, not a throw: one profile's unreadable file (root-owned after a sudo) never fails another's command.
    const answer = await asUnprivileged('read', stateDir, configPath);
    expect(answer).toMatchObject({ ok: true, value: { state: 'invalid', error: { kind: 'refused', refusal: { kind: 'unreadable' } } } });
    expect(formatConfigError((answer.value as { error: ConfigError }).error, configPath, 'epiloop')).toMatch(/permission denied/);
  });

  it('refuses to write through a symlink and leaves its target alone', async () => {
    const { home } = await tempHome();
    const paths = { stateDir: path.join(home, '.epiloop'), configPath: path.join(home, '.epiloop', 'epiloop.json'), home };
    const target = path.join(home, 'outside.json');
    await writeFile(target, '{"theirs": true}\n');
    await mkdir(paths.stateDir, { recursive: true });
    await symlink(target, paths.configPath);

    const error = await writeConfig(paths, { gateway: { port: 18789 } }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).message).toContain(
      `${paths.configPath} is a symlink to ${target}; epiloop will not write through it.`,
    );
    expect(await readFile(target, 'utf8')).toBe('{"theirs": true}\n');
    expect((await lstat(paths.configPath)).isSymbolicLink()).toBe(true);
    expect(await tempFilesIn(paths.stateDir)).toEqual([]);
  });
});

describe('backups', () => {
  it('backs up the old bytes on a change, with mode 0600', async () => {
    const paths = await profileIn();
    await writeByHand(paths.configPath, '// hand-written\n{ gateway: { port: 18789 } }\n', 0o644);

    const result = await writeConfig(paths, { gateway: { port: 19789 } });

    expect(result.backupPath).toMatch(/epiloop\.json\.\d{8}T\d{9}Z\.bak$/);
    expect(await readFile(result.backupPath!, 'utf8')).toBe('// hand-written\n{ gateway: { port: 18789 } }\n');
    expect(result.before).toBe('// hand-written\n{ gateway: { port: 18789 } }\n');
    expect(await modeOf(result.backupPath!)).toBe(0o600);
    expect(await modeOf(paths.configPath)).toBe(0o600);
    expect(await listBackups(paths.configPath)).toEqual([result.backupPath]);
  });

  it('writes nothing and backs up nothing when the content is unchanged', async () => {
    const paths = await profileIn();
    await writeConfig(paths, { gateway: { port: 18789 } });
    const before = await stat(paths.configPath);

    const result = await writeConfig(paths, { gateway: { port: 18789 } });

    expect(result).toMatchObject({ written: false, backupPath: null });
    expect(result.before).toBe(result.after);
    expect((await stat(paths.configPath)).ino).toBe(before.ino);
    expect(await listBackups(paths.configPath)).toEqual([]);
  });

  it('keeps the newest 5, newest first', async () => {
    const paths = await profileIn();
    const made: string[] = [];
    for (let i = 0; i < 9; i++) {
      const { backupPath } = await writeConfig(paths, { version: i });
      if (backupPath !== null) made.push(backupPath);
    }

    const kept = await listBackups(paths.configPath);

    expect(made).toHaveLength(8);
    expect(kept).toEqual(made.slice(-5).reverse());
    expect(JSON.parse(await readFile(kept[0]!, 'utf8'))).toEqual({ version: 7 });
    expect(JSON.parse(await readFile(kept[4]!, 'utf8'))).toEqual({ version: 3 });
  });

  it('a writer killed after its backup, before its rename, leaves a backup the next writer does not make again: the 5 kept are 5 versions', async () => {
    const paths = await profileIn();
    for (let i = 0; i <= 5; i++) await writeConfig(paths, { version: i });
    // Killed at its first step after the hard link: the config is still the inode just backed up, three times over.
    for (let kill = 0; kill < 3; kill++) {
      const killed = recordingFs({ dieAt: 0 });
      await expect(writeConfig(paths, { version: 6 }, { fs: killed.fs })).rejects.toThrow(/^killed before /);
      await killed.closeLeftovers();
    }
    const result = await writeConfig(paths, { version: 6 });

    const kept = await listBackups(paths.configPath);
    expect(result.backupPath).toBe(kept[0]);
    expect(await Promise.all(kept.map(async (b) => JSON.parse(await readFile(b, 'utf8')).version))).toEqual([5, 4, 3, 2, 1]);
    expect(await Promise.all(kept.map(async (b) => (await stat(b)).nlink))).toEqual([1, 1, 1, 1, 1]);
  });

  it('heals the slots a killed writer took before this fix: names of one inode count once, the newest name kept', async () => {
    const paths = await profileIn();
    for (let i = 0; i <= 3; i++) await writeConfig(paths, { version: i });
    // Three more names of the config's inode, as killed writers linked them.
    const killed = [1000, 2000, 3000].map((ms) => backupFile(paths.configPath, new Date(Date.now() + ms)));
    for (const name of killed) await link(paths.configPath, name);

    await writeConfig(paths, { version: 4 });

    const kept = await listBackups(paths.configPath);
    expect(kept[0]).toBe(killed[2]);
    expect(await Promise.all(kept.map(async (b) => JSON.parse(await readFile(b, 'utf8')).version))).toEqual([3, 2, 1, 0]);
  });

  it('a config holding the bytes of the newest backup (copied back by hand) is not backed up a second time', async () => {
    const paths = await profileIn();
    for (let i = 0; i <= 2; i++) await writeConfig(paths, { version: i });
    const [newest] = await listBackups(paths.configPath);
    await writeFile(paths.configPath, await readFile(newest!));

    const result = await writeConfig(paths, { version: 3 });

    expect(result.backupPath).toBe(newest);
    expect(await listBackups(paths.configPath)).toHaveLength(2);
    // Other bytes are a version of their own, even of the same length.
    await writeFile(paths.configPath, serializeConfig({ version: 4 }));
    expect((await writeConfig(paths, { version: 5 })).backupPath).not.toBe(newest);
    expect(await listBackups(paths.configPath)).toHaveLength(3);
  });

  it('lists no backups for a directory that does not exist', async () => {
    const { configPath } = await profileIn();
    expect(await listBackups(configPath)).toEqual([]);
  });
});

describe('updateConfig', () => {
  it('hands the loaded raw object to the update, so unknown keys survive', async () => {
    const paths = await profileIn();
    await writeByHand(paths.configPath, '{ gateway: { port: 18789, futureKey: "f" }, plugins: { a: 1 } }');

    await updateConfig(paths, (current) => {
      const raw = expectOk(current).raw;
      return { ...raw, gateway: { ...(raw.gateway as object), port: 19789 } };
    });

    expect(expectOk(await loadConfig(paths.configPath)).raw).toEqual({
      gateway: { port: 19789, futureKey: 'f' },
      plugins: { a: 1 },
    });
    expect(existsSync(configLockPath(paths.configPath))).toBe(false);
  });

  it('lets the update see a broken config, and releases the lock when the update throws', async () => {
    const paths = await profileIn();
    await writeByHand(paths.configPath, '{ oops');

    const attempt = updateConfig(paths, (current) => {
      throw new Error(`saw ${current.state}`);
    });

    await expect(attempt).rejects.toThrow('saw invalid');
    expect(existsSync(configLockPath(paths.configPath))).toBe(false);
    expect(await readFile(paths.configPath, 'utf8')).toBe('{ oops');
  });

  it('loses no update when two processes update the same config at once', async () => {
    const paths = await profileIn();
    const children = [1, 2].map((proc) => startFixture('updater.ts', [paths.stateDir, paths.configPath, String(proc), '100']));
    try {
      await Promise.all(children.map((child) => child.waitFor('ready')));
      for (const child of children) child.send('go');
      await Promise.all(children.map((child) => child.waitFor('done', 60_000)));
    } finally {
      for (const child of children) child.process.kill('SIGKILL');
    }

    const raw = expectOk(await loadConfig(paths.configPath)).raw;
    for (const proc of [1, 2]) {
      for (let i = 0; i < 100; i++) expect(raw[`p${proc}_${i}`], `p${proc}_${i}`).toBe(i);
    }
    expect(Object.keys(raw)).toHaveLength(200);
    expect(await listBackups(paths.configPath)).toHaveLength(5);
  }, 60_000);

  it('leaves the old config or the new one, whole, when the write is killed at any of its steps (deterministic)', async () => {
    const paths = await profileIn();
    const old = { version: 'old', pad: 'x'.repeat(4096) };
    const next = { version: 'new', pad: 'y'.repeat(8192) };
    const full = recordingFs();
    await writeConfig(paths, old);
    await writeConfig(paths, next, { fs: full.fs });
    // Only a rename ever puts bytes at the config's path: nothing opens, writes or removes it.
    expect(full.ops.filter((op) => op.path === paths.configPath || op.to === paths.configPath)).toEqual([
      { op: 'rename', path: full.ops[0]!.path, to: paths.configPath },
    ]);
    const renamedAt = full.ops.findIndex((op) => op.op === 'rename');

    for (let dieAt = 0; dieAt < full.ops.length; dieAt++) {
      await writeConfig(paths, old);
      const killed = recordingFs({ dieAt });
      const outcome = await writeConfig(paths, next, { fs: killed.fs }).then(
        () => 'finished',
        (error: Error) => error.message,
      );
      await killed.closeLeftovers();
      const text = await readFile(paths.configPath, 'utf8');
      if (dieAt <= renamedAt) {
        expect(outcome, `killed at step ${dieAt}`).toMatch(/^killed before /);
        expect(text, `killed at step ${dieAt}`).toBe(serializeConfig(old));
      } else {
        // After the rename the new config is in place; only the directory fsync was cut short.
        expect(text, `killed at step ${dieAt}`).toBe(serializeConfig(next));
      }
    }
  });

  it('leaves a whole config, old or new, when the writer is killed mid-write; the next writer takes over its lock', async () => {
    const paths = await profileIn();
    const writerScript = await bundleFixture('writer.ts', path.dirname(paths.stateDir));
    const start = (writer: number) => startFixture(writerScript, [paths.stateDir, paths.configPath, String(writer)]);
    const kills = 20;
    let staleLocks = 0;
    let strayTemps = 0;
    // Later writers start while the current one runs, so start-up is not paid 20 times in a row.
    const waiting: Child[] = [start(0), start(1)];
    try {
      for (let writer = 0; writer < kills; writer++) {
        const current = waiting.shift()!;
        waiting.push(start(writer + 2));
        await current.waitFor('ready');
        current.send('go');
        await current.waitFor('wrote');
        await sleep(Math.random() * 20);
        current.process.kill('SIGKILL');
        await current.exited;

        if (existsSync(configLockPath(paths.configPath))) staleLocks++;
        strayTemps += (await tempFilesIn(paths.stateDir)).length;
        const loaded = expectOk(await loadConfig(paths.configPath));
        expect(isCompleteVersion(loaded.raw)).toBe(true);
        expect(loaded.text).toBe(serializeConfig(loaded.raw));
      }
    } finally {
      for (const child of waiting) child.process.kill('SIGKILL');
    }

    // Killed inside the lock nearly every time: proves the takeover ran, not just that it could.
    expect(staleLocks).toBeGreaterThan(0);
    await updateConfig(paths, () => configVersion(99, 0), { timeoutMs: 2000 });
    expect(isCompleteVersion(expectOk(await loadConfig(paths.configPath)).raw)).toBe(true);
    // Temp files of killed writers never matter for correctness; the next writer clears those older than a moment.
    await age(paths.stateDir, await tempFilesIn(paths.stateDir));
    await updateConfig(paths, () => configVersion(99, 1), { timeoutMs: 2000 });
    expect(await tempFilesIn(paths.stateDir)).toEqual([]);
    expect(await listBackups(paths.configPath)).toHaveLength(5);
    console.info(`killed ${kills} writers: ${staleLocks} left a stale lock, ${strayTemps} stray temp files seen in total`);
  }, 60_000);
});

describe('temp files left by killed writers', () => {
  it("the next writer, even one with nothing to change, removes what dead writers left: the config's temp, its lock's and the lock breaker's", async () => {
    const paths = await profileIn();
    await writeConfig(paths, { version: 1 });
    const dead = deadPid();
    const left = [`.epiloop.json.${dead}.0123456789ab.tmp`, `.epiloop.json.lock.${dead}.0123456789ab.tmp`, `.epiloop.json.lock.break.${dead}.0123456789ab.tmp`];
    for (const name of left) await writeFile(path.join(paths.stateDir, name), 'partial', { mode: 0o600 });
    await age(paths.stateDir, left);

    expect(await writeConfig(paths, { version: 1 })).toMatchObject({ written: false });

    expect(await tempFilesIn(paths.stateDir)).toEqual([]);
  });

  it('leaves a temp file of a live process, and one of a dead pid written a moment ago (it may be a writer this host cannot see)', async () => {
    const paths = await profileIn();
    await writeConfig(paths, { version: 1 });
    const live = `.epiloop.json.${process.pid}.0123456789ab.tmp`;
    const fresh = `.epiloop.json.${deadPid()}.0123456789ab.tmp`;
    for (const name of [live, fresh]) await writeFile(path.join(paths.stateDir, name), 'partial', { mode: 0o600 });
    await age(paths.stateDir, [live]);

    await writeConfig(paths, { version: 2 });

    expect((await tempFilesIn(paths.stateDir)).sort()).toEqual([live, fresh].sort());
  });

  it('a writer killed after writing its temp file leaves it 0600 even before its chmod: the partial copy holds the token', async () => {
    const paths = await profileIn();
    await writeConfig(paths, { version: 1 });
    // Ops: open, write, chmod…: killed before the chmod.
    const killed = recordingFs({ dieAt: 2 });
    await expect(writeConfig(paths, { gateway: { auth: { token: 'a-token-of-more-than-16-chars' } } }, { fs: killed.fs })).rejects.toThrow(/^killed before /);
    await killed.closeLeftovers();

    const [temp] = await tempFilesIn(paths.stateDir);
    expect(temp).toMatch(new RegExp(`^\\.epiloop\\.json\\.${process.pid}\\.[0-9a-f]+\\.tmp$`));
    expect(await readFile(path.join(paths.stateDir, temp!), 'utf8')).toContain('a-token-of-more-than-16-chars');
    expect(await modeOf(path.join(paths.stateDir, temp!))).toBe(0o600);
  });
});

describe('write failures', () => {
  it('reports a read-only state dir as a HostError and leaves no temp file', async () => {
    const paths = await profileIn();
    await writeConfig(paths, { a: 1 });
    await chmod(paths.stateDir, 0o555);
    await chmod(paths.configPath, 0o644);
    try {
      expect(await asUnprivileged('write', paths.stateDir, paths.configPath)).toMatchObject({ ok: false, hostError: true });
    } finally {
      await chmod(paths.stateDir, 0o700);
    }
    expect(await tempFilesIn(paths.stateDir)).toEqual([]);
    expect(JSON.parse(await readFile(paths.configPath, 'utf8'))).toEqual({ a: 1 });
  });
});

describe('the size limit a writer is held to', () => {
  it('refuses a config larger than it would read back (a UsageError naming the file under ~, the limit and the size); nothing written', async () => {
    const paths = await profileIn();
    await writeConfig(paths, { gateway: { port: 19789 } });
    const before = await readFile(paths.configPath, 'utf8');

    const write = writeConfig(paths, { gateway: { port: 19789 }, x: 'a'.repeat(MAX_FILE_BYTES) });
    await expect(write).rejects.toThrow(UsageError);
    await expect(write).rejects.toThrow(/^~\/\.epiloop-rescue\/epiloop\.json would be \d{7} bytes, over the 1 MiB \(1048576 bytes\) epiloop reads back; nothing was written/);
    const restore = restoreConfigText(paths, 'a'.repeat(MAX_FILE_BYTES + 1), { expected: before });
    await expect(restore).rejects.toThrow(`~/.epiloop-rescue/epiloop.json would be ${MAX_FILE_BYTES + 1} bytes`);

    expect(await readFile(paths.configPath, 'utf8')).toBe(before);
    expect(await listBackups(paths.configPath)).toEqual([]);
    // Exactly the limit is what the reader takes, so the writer takes it too.
    const full = await restoreConfigText(paths, 'a'.repeat(MAX_FILE_BYTES), { expected: before });
    expect(full.written).toBe(true);
  });
});

describe('the depth limit a writer is held to', () => {
  it('refuses a config nested deeper than it would read back (a UsageError naming the limit); nothing written', async () => {
    const paths = await profileIn();
    await writeConfig(paths, { gateway: { port: 19789 } });
    const before = await readFile(paths.configPath, 'utf8');
    let deep: unknown = 1;
    for (let i = 0; i < 65; i++) deep = { a: deep };
    const write = writeConfig(paths, { gateway: { port: 19789 }, deep });
    await expect(write).rejects.toThrow(UsageError);
    await expect(write).rejects.toThrow(/would nest deeper than the 64 levels epiloop reads back; nothing was written/);
    const restore = restoreConfigText(paths, '['.repeat(65) + ']'.repeat(65), { expected: before });
    await expect(restore).rejects.toThrow(/would nest deeper than the 64 levels/);
    expect(await readFile(paths.configPath, 'utf8')).toBe(before);
    expect(await listBackups(paths.configPath)).toEqual([]);
    // Exactly the limit is what the reader takes, so the writer takes it too.
    let limit: unknown = 1;
    for (let i = 0; i < 63; i++) limit = { a: limit };
    expect((await writeConfig(paths, { deep: limit })).written).toBe(true);
    expect((await loadConfig(paths.configPath)).state).not.toBe('invalid');
  });
});

describe('restoreConfigText (a rollback)', () => {
  it('puts back exactly the bytes given, the replaced file kept as a backup; refuses when the file is not what the caller showed', async () => {
    const paths = await profileIn();
    const good = '// kept as is\r\n{ gateway: { port: 19789, }, }\r\n';
    const bad = '{ "gateway": { "port": 1 } }\n';
    await writeByHand(paths.configPath, bad);
    await expect(restoreConfigText(paths, good, { expected: 'something else' })).rejects.toThrow(/changed since its diff was shown; nothing was written/);
    expect(await readFile(paths.configPath, 'utf8')).toBe(bad);
    expect(await listBackups(paths.configPath)).toEqual([]);

    const result = await restoreConfigText(paths, good, { expected: bad });
    expect(result).toMatchObject({ written: true, before: bad, after: good });
    expect(await readFile(paths.configPath, 'utf8')).toBe(good);
    expect(await modeOf(paths.configPath)).toBe(0o600);
    expect(await listBackups(paths.configPath)).toEqual([result.backupPath]);
    expect(await readFile(result.backupPath!, 'utf8')).toBe(bad);
    // Already those bytes: nothing written, no backup.
    expect(await restoreConfigText(paths, good, { expected: good })).toMatchObject({ written: false, backupPath: null });
  });
});
