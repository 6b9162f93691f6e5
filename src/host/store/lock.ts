import { link, lstat, readdir, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HostError } from '../../core/errors';
import { refusalWords } from '../../core/profile/files';
import { removeCommand } from '../../core/gateway/lock';
import { processStartOf } from '../gateway/proc';
import { readProfileFile, type FileRead } from './read';

export interface LockOptions {
  /** How long to wait for another process to release the lock. Default 10 s. */
  timeoutMs?: number;
  /** Who holds the lock, e.g. "epiloop setup": shown to whoever has to wait for it. */
  what?: string;
}

interface LockHolder {
  pid: number;
  /** The kernel's start time of pid (Linux; null elsewhere): a pid reused by another process since is no holder. */
  start?: string | null;
  what?: string;
  since: string;
}

/** Lock files hold one line of JSON: anything bigger is not a lock. */
const MAX_LOCK_BYTES = 64 * 1024;

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Runs fn while holding a cross-process lock file. A lock whose process is gone is taken
 * over; a live one is waited for, then reported by pid.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const mine = await acquire(lockPath, options);
  try {
    await removeDeadTemps(lockPath, breakerPath(lockPath));
    return await fn();
  } finally {
    await release(lockPath, mine);
  }
}

/** Is the process alive? EPERM means it exists but belongs to someone else. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Random hex for a temp file's name. The name only has to be unique beside the pid: every
 * temp is opened with 'wx', which refuses a name that exists. So Math.random: loading
 * node:crypto for it cost every writer (`config set`) a few milliseconds of its start.
 */
function randomHex(bytes: number): string {
  let hex = '';
  for (let i = 0; i < bytes; i++) hex += Math.floor(Math.random() * 256).toString(16).padStart(2, '0');
  return hex;
}

/** `<dir>/.<base>.<pid>.<random>.tmp`: beside the target (so rename is atomic), owner in the name. */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomHex(6)}.tmp`);
}

/**
 * A temp file untouched for this long, of a pid not alive, is a killed writer's: younger, it may be
 * a write in flight by a process whose pid this one cannot see (another pid namespace).
 */
const STALE_TEMP_MS = 5_000;

const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]+\.tmp$/;

/** Temp files (tempPathFor's) of `targets` left by processes that were killed mid-write: their pid not alive, untouched for STALE_TEMP_MS. */
export async function deadTemps(targets: readonly string[]): Promise<string[]> {
  const now = Date.now();
  const dead: string[] = [];
  for (const dir of new Set(targets.map((t) => path.dirname(t)))) {
    const names = new Set(targets.filter((t) => path.dirname(t) === dir).map((t) => path.basename(t)));
    // A dir that is missing or cannot be listed holds no temp anyone here could remove.
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const entry of entries) {
      const match = TEMP_NAME.exec(entry);
      if (match === null || !names.has(match[1]!)) continue;
      const pid = Number(match[2]);
      if (pid <= 0 || isProcessAlive(pid)) continue;
      const stats = await lstat(path.join(dir, entry)).catch(() => null);
      if (stats?.isFile() === true && now - stats.mtimeMs >= STALE_TEMP_MS) dead.push(path.join(dir, entry));
    }
  }
  return dead;
}

/** Removes deadTemps of `targets`; one that will not go (another owner's) never fails the writer that tried. */
export async function removeDeadTemps(...targets: string[]): Promise<void> {
  for (const file of await deadTemps(targets)) await unlink(file).catch(() => undefined);
}

/** The lock one waiter at a time takes to remove a stale lock (removeStale). */
export function breakerPath(lockPath: string): string {
  return `${lockPath}.break`;
}

/** Whether the process that wrote the lock still runs: its pid alive, and (where the kernel tells) not reused since. */
async function holderAlive(holder: LockHolder): Promise<boolean> {
  if (!isProcessAlive(holder.pid)) return false;
  if (holder.start === undefined || holder.start === null) return true;
  const now = await processStartOf(holder.pid);
  return now === null || now === holder.start;
}

async function acquire(lockPath: string, options: LockOptions): Promise<string> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const start = await processStartOf(process.pid);
  for (;;) {
    const mine = JSON.stringify({ pid: process.pid, start, what: options.what, since: new Date().toISOString() }) + '\n';
    if (await tryCreate(lockPath, mine)) return mine;
    const seen = await readLock(lockPath);
    if (seen === null) continue; // released between our attempt and our read
    const holder = parseHolder(seen);
    if (holder !== null && !(await holderAlive(holder))) {
      await removeStale(lockPath, seen);
      continue;
    }
    if (Date.now() >= deadline) throw lockedError(lockPath, holder);
    await sleep(10 + Math.random() * 30);
  }
}

/**
 * Writes the lock's content to a temp file and hard-links it into place: as exclusive as
 * open('wx'), but no other process can ever see an empty lock file (a crash between
 * open and write would leave one that nobody could judge stale).
 */
export async function tryCreate(lockPath: string, content: string): Promise<boolean> {
  const temp = tempPathFor(lockPath);
  try {
    await writeFile(temp, content, { flag: 'wx', mode: 0o600 });
    await link(temp, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new HostError(`Cannot create the lock file ${lockPath}: ${lockErrorWords(lockPath, error as NodeJS.ErrnoException)}`);
  } finally {
    await unlink(temp).catch(ignoreMissing);
  }
}

/** Why a lock could not be created: a missing directory by its name (HOME, when it is HOME), never the temp file's ENOENT. */
function lockErrorWords(lockPath: string, error: NodeJS.ErrnoException): string {
  if (error.code !== 'ENOENT') return error.message;
  const dir = path.dirname(lockPath);
  return dir === os.homedir()
    ? `HOME (${dir}) does not exist. Set HOME to your home directory, or create it, and run the command again.`
    : `the directory ${dir} does not exist.`;
}

/** A lock file read like every profile file (a FIFO or a symlink out is refused, never waited on), at most a lock's size. */
export function readLockFile(lockPath: string): Promise<FileRead> {
  return readProfileFile(lockPath, { within: [path.dirname(lockPath)], maxBytes: MAX_LOCK_BYTES });
}

/** A lock's text, or null when there is none; a lock that is not a file epiloop reads is an error naming how to remove it. */
export async function readLock(lockPath: string): Promise<string | null> {
  const read = await readLockFile(lockPath);
  if (read.state === 'ok') return read.text;
  if (read.state === 'missing') return null;
  const file = { absolute: lockPath, shown: lockPath };
  const { problem } = refusalWords(read.refusal, file, 'epiloop');
  throw new HostError(`Cannot read the lock file: ${problem}. If no epiloop is running, remove it (${removeCommand(file, read.refusal)}).`);
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return Number.isInteger(value.pid) && (value.pid as number) > 0 && typeof value.since === 'string'
      ? (value as LockHolder)
      : null;
  } catch {
    return null;
  }
}

/**
 * Removes the stale lock a waiter read, never another: under a breaker lock (one waiter at a
 * time), and only if the lock is still the one judged stale. Then nothing can replace it in
 * between: its holder is dead, other waiters wait for the breaker, and nobody can create a
 * lock where one exists. (Moving the lock aside to look at it freed a live one for a moment,
 * and two setups then chose bases at once.)
 */
export async function removeStale(lockPath: string, seen: string): Promise<void> {
  const breaker = breakerPath(lockPath);
  const mine = JSON.stringify({ pid: process.pid, start: await processStartOf(process.pid), since: new Date().toISOString() }) + '\n';
  if (!(await tryCreate(breaker, mine))) {
    // Another waiter is clearing it; one killed while doing so left its breaker, judged as any lock.
    const other = parseHolder((await readLock(breaker).catch(() => null)) ?? '');
    if (other !== null && !(await holderAlive(other))) await unlink(breaker).catch(ignoreMissing);
    return;
  }
  try {
    if ((await readLock(lockPath)) === seen) await unlink(lockPath).catch(ignoreMissing);
    // What the killed holder (or a waiter killed breaking its lock) left half made.
    await removeDeadTemps(lockPath, breaker);
  } finally {
    await unlink(breaker).catch(ignoreMissing);
  }
}

/** Only our own lock: if it was taken over, the new holder's lock is not ours to delete. */
async function release(lockPath: string, mine: string): Promise<void> {
  // A failed release is not worth masking fn's result: the lock is stale once we exit.
  const current = await readLock(lockPath).catch(() => null);
  if (current === mine) await unlink(lockPath).catch(() => undefined);
}

function lockedError(lockPath: string, holder: LockHolder | null): HostError {
  if (holder === null) {
    return new HostError(`${lockPath} exists but is not a lock epiloop can read; if no epiloop is running, remove it.`);
  }
  const what = holder.what ? ` (${holder.what})` : '';
  return new HostError(
    `${lockPath} is locked by pid ${holder.pid}${what} since ${holder.since}; wait for it to finish or stop that process.`,
  );
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

