import { chmod, link, lstat, mkdir, readdir, readFile, readlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import { HostError, UsageError } from '../../core/errors';
import { nodeFs, writeFileAtomic, type AtomicFs } from './atomic';
import { readProfileFile } from './read';
import { MAX_FILE_BYTES, refusedWrite, type WriterWords } from '../../core/profile/files';
import { tildify } from '../../core/profile/paths';
import { removeDeadTemps, withFileLock, type LockOptions } from './lock';
import { loadedConfigOf, refusedText } from '../../core/config/parse';
import { type LoadedConfig } from '../../core/config/parse';
import { backupFile, configLockPath, isBackupName } from '../../core/profile/identity';

export interface WriteResult {
  path: string;
  /** false when the file already held exactly this content. */
  written: boolean;
  backupPath: string | null;
  before: string | null;
  after: string;
}

interface StorePaths {
  stateDir: string;
  configPath: string;
  /** The HOME a message names the config under (~/…), as every other config message does. */
  home: string;
}

const KEEP_BACKUPS = 5;

/**
 * A config as every command reads it, through the one safe reader: a file it will not read
 * (a directory, a FIFO, a symlink out of its dir, too large, unreadable) is an invalid
 * config with the reason, never a throw or a hang.
 */
export async function loadConfig(configPath: string): Promise<LoadedConfig> {
  const read = await readProfileFile(configPath, { within: [path.dirname(configPath)] });
  if (read.state === 'missing') return { state: 'missing', path: configPath };
  if (read.state === 'refused') return { state: 'invalid', path: configPath, text: '', error: { kind: 'refused', file: configPath, refusal: read.refusal } };
  return loadedConfigOf(read.text, configPath);
}

/**
 * Writes exactly `raw` (unknown keys are the caller's to keep), atomically, with a backup,
 * as an edit of the file that is there: its comments and layout stay.
 * `fs` carries the write of the new file (a test records or interrupts it there).
 */
export async function writeConfig(
  paths: StorePaths,
  raw: Record<string, unknown>,
  options: { alreadyLocked?: boolean; fs?: AtomicFs; writer?: WriterWords } = {},
): Promise<WriteResult> {
  const fs = options.fs ?? nodeFs;
  if (options.alreadyLocked) return writeLocked(paths, raw, fs, options.writer);
  await ensureConfigDirs(paths);
  return withFileLock(configLockPath(paths.configPath), () => writeLocked(paths, raw, fs, options.writer));
}

/** Load, change and write under one lock, so two processes' read-modify-writes never interleave. */
export async function updateConfig(
  paths: StorePaths,
  update: (current: LoadedConfig) => Record<string, unknown> | Promise<Record<string, unknown>>,
  options?: LockOptions & { writer?: WriterWords },
): Promise<WriteResult> {
  await ensureConfigDirs(paths);
  return withFileLock(
    configLockPath(paths.configPath),
    async () => writeLocked(paths, await update(await loadConfig(paths.configPath)), nodeFs, options?.writer),
    options,
  );
}

/**
 * Puts exactly `text` in the config (a rollback to its last-known-good bytes), under the
 * lock, atomically, the replaced file kept as a backup. `expected`: the text the caller
 * showed a diff from (null: no file); if the file holds anything else now, nothing is written.
 */
export async function restoreConfigText(
  paths: StorePaths,
  text: string,
  options: { expected: string | null; writer?: WriterWords } & LockOptions,
): Promise<WriteResult> {
  await ensureConfigDirs(paths);
  return withFileLock(
    configLockPath(paths.configPath),
    async () => {
      const before = await readExisting(paths.configPath);
      if ((before?.toString('utf8') ?? null) !== options.expected) {
        throw new HostError(`${paths.configPath} changed since its diff was shown; nothing was written. Run the command again.`);
      }
      return commitLocked(paths, before, text, nodeFs, options.writer);
    },
    options,
  );
}

/** The config's text as a writer sees it (null: no file; '' for one too large to read); refuses a symlink or a non-file with the fix. */
export async function readConfigText(configPath: string): Promise<string | null> {
  return (await readExisting(configPath))?.toString('utf8') ?? null;
}

/** mkdir -p; the state dir holds secrets, so a new one is 0700. */
export async function ensureStateDir(stateDir: string): Promise<{ created: boolean }> {
  return { created: await makePrivateDir(stateDir) };
}

/** Backups of configPath, newest first (the UTC timestamp in the name sorts by time). */
export async function listBackups(configPath: string): Promise<string[]> {
  const dir = path.dirname(configPath);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw fsError(error, `list backups in ${dir}`);
  }
  return names
    .filter((name) => isBackupName(path.basename(configPath), name))
    .sort()
    .reverse()
    .map((name) => path.join(dir, name));
}

/** The config may live outside the state dir (EPILOOP_CONFIG_PATH): both must exist. */
async function ensureConfigDirs(paths: StorePaths): Promise<void> {
  await makePrivateDir(paths.stateDir);
  await makePrivateDir(path.dirname(paths.configPath));
}

async function makePrivateDir(dir: string): Promise<boolean> {
  try {
    const first = await mkdir(dir, { recursive: true, mode: 0o700 });
    if (first === undefined) return false;
    await chmod(dir, 0o700); // exact mode whatever the umask
    return true;
  } catch (error) {
    throw fsError(error, `create the directory ${dir}`);
  }
}

async function writeLocked(paths: StorePaths, raw: Record<string, unknown>, fs: AtomicFs = nodeFs, writer?: WriterWords): Promise<WriteResult> {
  const before = await readExisting(paths.configPath);
  // Loaded by writers only: status and --version never pay for the editor.
  const { editConfigText } = await import('../../core/config/edit');
  return commitLocked(paths, before, editConfigText(before?.toString('utf8') ?? null, raw), fs, writer);
}

/**
 * With the lock held: writes `after` unless the file already holds it, backing up what was there.
 * Every writer comes through here, so none leaves a config the reader would refuse whole
 * (too large, too deep: one rule, refusedText); `writer` words that refusal for who asked.
 */
async function commitLocked(paths: StorePaths, before: Buffer | null, after: string, fs: AtomicFs, writer?: WriterWords): Promise<WriteResult> {
  const { configPath } = paths;
  // Every writer, even one with nothing to change, clears what killed writers left: a partial copy may hold the token.
  await removeDeadTemps(configPath);
  const refused = refusedText(after);
  if (refused !== null) throw new UsageError(refusedWrite(tildify(configPath, paths.home), refused, writer));
  if (before !== null && before.equals(Buffer.from(after))) {
    return { path: configPath, written: false, backupPath: null, before: before.toString('utf8'), after };
  }
  const backupPath = before === null ? null : await writeBackup(configPath, before);
  await replaceAtomically(configPath, after, fs);
  await pruneBackups(configPath);
  return { path: configPath, written: true, backupPath, before: before?.toString('utf8') ?? null, after };
}

/** The current bytes, or null when there is no file. Refuses a symlink: it may point out of the state dir. */
async function readExisting(configPath: string): Promise<Buffer | null> {
  let stats;
  try {
    stats = await lstat(configPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fsError(error, `inspect the config ${configPath}`);
  }
  if (stats.isSymbolicLink()) {
    const target = await readlink(configPath);
    throw new HostError(
      `${configPath} is a symlink to ${target}; epiloop will not write through it. Replace it with a regular file, or point EPILOOP_CONFIG_PATH at the target.`,
    );
  }
  if (!stats.isFile()) throw new HostError(`${configPath} is not a regular file; move it away and run again.`);
  // An oversized file cannot equal a config epiloop writes: not read (its bytes stay whole in the backup).
  if (stats.size > MAX_FILE_BYTES) return Buffer.alloc(0);
  try {
    return await readFile(configPath);
  } catch (error) {
    throw fsError(error, `read the config ${configPath}`);
  }
}

async function replaceAtomically(configPath: string, content: string, fs: AtomicFs): Promise<void> {
  try {
    await writeFileAtomic(configPath, content, 0o600, fs);
  } catch (error) {
    throw fsError(error, `write the config ${configPath}`);
  }
}

/**
 * A hard link to the old file: the backup appears whole or not at all, even if we are killed
 * here, and the rename that follows leaves the old bytes to it alone. The newest backup when
 * it already holds them: a writer killed before its rename must not cost an older version its slot.
 */
async function writeBackup(configPath: string, before: Buffer): Promise<string> {
  const newest = (await listBackups(configPath))[0];
  if (newest !== undefined && (await holdsConfig(newest, configPath, before))) return newest;
  // Writes are serialized by the lock, so a name taken twice in one millisecond is ours: step on.
  for (let time = Date.now(); ; time += 1) {
    const backupPath = backupFile(configPath, new Date(time));
    try {
      await link(configPath, backupPath);
      await chmod(backupPath, 0o600);
      return backupPath;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(error, `back up the config to ${backupPath}`);
    }
  }
}

/** Whether a backup is the config's own inode (linked by a writer killed before its rename) or a copy of its bytes. */
async function holdsConfig(backupPath: string, configPath: string, before: Buffer): Promise<boolean> {
  const [backup, config] = await Promise.all([lstat(backupPath), lstat(configPath)]).catch(() => [null, null]);
  if (backup === null || config === null || !backup.isFile()) return false;
  if (backup.ino === config.ino && backup.dev === config.dev) return true;
  // `before` is empty for a config too large to read: then only the inode can tell.
  if (backup.size !== config.size || before.length !== config.size) return false;
  return (await readFile(backupPath).catch(() => null))?.equals(before) ?? false;
}

/**
 * Keeps the newest KEEP_BACKUPS versions. Names of one inode (writers killed before their
 * rename, before writeBackup looked) are one version: only the newest name of it stays.
 */
async function pruneBackups(configPath: string): Promise<void> {
  const seen = new Set<string>();
  for (const backup of await listBackups(configPath)) {
    const stats = await lstat(backup).catch(() => null);
    const inode = stats === null ? backup : `${stats.dev}:${stats.ino}`;
    if (seen.size < KEEP_BACKUPS && !seen.has(inode)) seen.add(inode);
    else await unlink(backup).catch(() => undefined);
  }
}

/** fs failures the user can fix (permissions, full disk, read-only fs) as a message, not a stack. */
function fsError(error: unknown, doing: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (error instanceof HostError || code === undefined) return error as Error;
  const reason: Record<string, string> = {
    EACCES: 'permission denied; check the owner and mode of the file and its directory',
    EPERM: 'operation not permitted; check the owner and mode of the file and its directory',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a parent of it is a file, not a directory',
    ENOSPC: 'the disk is full',
    EROFS: 'the filesystem is read-only',
    EEXIST: 'a file is in the way',
  };
  return new HostError(`Cannot ${doing}: ${reason[code] ?? (error as Error).message}.`);
}
