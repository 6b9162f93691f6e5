import { readFileSync, unlinkSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { stateFile } from '../../core/profile/identity';
import { isProcessAlive, readLockFile, removeStale, tryCreate } from '../store/lock';
import { HostError } from '../../core/errors';
import { judgedLock, otherOwner, refusedLockWords, type GatewayLock, type LockState } from '../../core/gateway/lock';
import { isRunning, processStartOf } from './proc';
import { answeredFor } from './lock-health';
import { NOT_A_DIRECTORY } from '../store/read';

export type { GatewayLock, LockState } from '../../core/gateway/lock';

export type Acquired =
  | { ok: true; release: () => Promise<void>; /** The same, synchronous: for a process about to exit. */ releaseNow: () => void }
  | { ok: false; holder: GatewayLock };

const TAKEOVER_TRIES = 5;

function parseLock(text: string): GatewayLock | null {
  try {
    const value = JSON.parse(text) as Partial<GatewayLock>;
    return Number.isInteger(value.pid) && (value.pid as number) > 0 && typeof value.ports === 'object' && value.ports !== null
      ? (value as GatewayLock)
      : null;
  } catch {
    return null;
  }
}

async function isLive(lock: GatewayLock): Promise<boolean> {
  // A gateway killed but not yet reaped (a zombie: a container's pid 1 may be slow) runs no more.
  if (!(await isRunning(lock.pid, isProcessAlive))) return false;
  if (lock.processStart === null) return true;
  const now = await processStartOf(lock.pid);
  return now === null || now === lock.processStart;
}

/**
 * The gateway lock of the profile labelled `label`, judged by the lock alone: a live pid is its
 * gateway unless the lock names another profile (a copy); live.ts's readGateway asks /health
 * too, for a lock that names none. A lock that is not a file epiloop reads is refused.
 */
export async function readGatewayLock(stateDir: string, label: string): Promise<LockState> {
  const read = await readLockFile(stateFile(stateDir, 'gatewayLock'));
  // A state "dir" that is a file holds no lock: that is the config's finding, not the lock's.
  if (read.state === 'missing' || (read.state === 'refused' && read.refusal.kind === 'io' && read.refusal.message === NOT_A_DIRECTORY)) return { state: 'none' };
  if (read.state === 'refused') return { state: 'refused', refusal: read.refusal };
  const lock = parseLock(read.text);
  if (lock !== null && (await isLive(lock))) {
    return judgedLock(label, lock);
  }
  const named = pidOf(read.text);
  return { state: 'stale', lock, pid: named.pid, pidRuns: named.pid !== null && (await isRunning(named.pid, isProcessAlive)), json: named.json };
}

/** The pid a lock names, even one that is no gateway's lock ({"pid": 123}); null when it names none; json: the text is JSON at all. */
function pidOf(text: string): { pid: number | null; json: boolean } {
  try {
    const pid = (JSON.parse(text) as { pid?: unknown } | null)?.pid;
    return { pid: Number.isInteger(pid) && (pid as number) > 0 ? (pid as number) : null, json: true };
  } catch {
    return { pid: null, json: false };
  }
}

/**
 * Takes the profile's gateway lock, or names the live gateway that holds it. A lock left by a
 * dead process (or one whose pid now belongs to another program), or a copy of another
 * profile's lock (its pid is that profile's gateway, by the rule every command follows), is
 * taken over. A lock that is not a file epiloop reads is an error naming how to remove it.
 */
export async function acquireGatewayLock(stateDir: string, lock: GatewayLock & { profile: string }): Promise<Acquired> {
  const lockPath = stateFile(stateDir, 'gatewayLock');
  const mine = JSON.stringify(lock) + '\n';
  for (let attempt = 0; attempt < TAKEOVER_TRIES; attempt++) {
    if (await tryCreate(lockPath, mine)) return { ok: true, release: () => releaseIfMine(lockPath, mine), releaseNow: () => releaseIfMineNow(lockPath, mine) };
    const read = await readLockFile(lockPath);
    if (read.state === 'missing') continue;
    if (read.state === 'refused') throw new HostError(refusedLockWords(read.refusal, { absolute: lockPath, shown: lockPath }));
    const holder = parseLock(read.text);
    if (holder !== null && (await isLive(holder))) {
      const owner = otherOwner(lock.profile, holder, holder.profile === undefined ? await answeredFor(holder) : null);
      if (owner === null) return { ok: false, holder };
    }
    await removeStale(lockPath, read.text);
  }
  throw new HostError(`${lockPath} kept changing while this gateway tried to take it over; another gateway of this profile is starting. Try again.`);
}

/** Never deletes a lock that another gateway took over meanwhile. */
async function releaseIfMine(lockPath: string, mine: string): Promise<void> {
  const read = await readLockFile(lockPath).catch(() => null);
  if (read?.state === 'ok' && read.text === mine) await unlink(lockPath).catch(() => undefined);
}

function releaseIfMineNow(lockPath: string, mine: string): void {
  try {
    if (readFileSync(lockPath, 'utf8') === mine) unlinkSync(lockPath);
  } catch {
    // gone already, or unreadable: not ours to remove
  }
}
