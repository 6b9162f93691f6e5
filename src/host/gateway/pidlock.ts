import { readFileSync, unlinkSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { stateFile } from '../../core/profile/identity';
import { isProcessAlive, readLock, removeStale, tryCreate } from '../store/lock';
import { HostError } from '../../core/errors';
import type { HealthPorts } from '../../core/gateway/health';
import { isRunning, processStartOf } from './proc';

/** What `<stateDir>/gateway.lock` holds while a gateway runs: enough for `status` to find it. */
export interface GatewayLock {
  pid: number;
  /** The kernel's start time of pid (Linux), so a pid reused after a crash or reboot is not taken for ours. */
  processStart: string | null;
  startedAt: string;
  /** The address the servers listen on. */
  host: string;
  ports: HealthPorts;
}

export type LockState =
  | { state: 'none' }
  | { state: 'running'; lock: GatewayLock }
  /** `pid`: the pid the lock names, even one too broken to be a gateway's; `pidRuns`: that pid runs now, as another process. */
  | { state: 'stale'; lock: GatewayLock | null; pid: number | null; pidRuns: boolean };

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

export async function readGatewayLock(stateDir: string): Promise<LockState> {
  const text = await readLock(stateFile(stateDir, 'gatewayLock')).catch(() => null);
  if (text === null) return { state: 'none' };
  const lock = parseLock(text);
  if (lock !== null && (await isLive(lock))) return { state: 'running', lock };
  const pid = lock?.pid ?? pidOf(text);
  return { state: 'stale', lock, pid, pidRuns: pid !== null && (await isRunning(pid, isProcessAlive)) };
}

/** The pid a lock names, even one that is no gateway's lock ({"pid": 123}); null when it names none. */
function pidOf(text: string): number | null {
  try {
    const pid = (JSON.parse(text) as { pid?: unknown } | null)?.pid;
    return Number.isInteger(pid) && (pid as number) > 0 ? (pid as number) : null;
  } catch {
    return null;
  }
}

/** A stale lock in words (status, stop): its pid gone, or reused by another process; null when the lock is not stale. */
export function staleWords(state: LockState): string | null {
  if (state.state !== 'stale') return null;
  const left = state.pid === null ? 'an unreadable lock naming no process' : `a lock left by pid ${state.pid}, which is ${state.pidRuns ? 'now another process' : 'gone'}`;
  return `${left}; the next start takes it over`;
}

/**
 * Takes the profile's gateway lock, or names the live gateway that holds it. A lock left
 * by a dead process (or one whose pid now belongs to another program) is taken over.
 */
export async function acquireGatewayLock(stateDir: string, lock: GatewayLock): Promise<Acquired> {
  const lockPath = stateFile(stateDir, 'gatewayLock');
  const mine = JSON.stringify(lock) + '\n';
  for (let attempt = 0; attempt < TAKEOVER_TRIES; attempt++) {
    if (await tryCreate(lockPath, mine)) return { ok: true, release: () => releaseIfMine(lockPath, mine), releaseNow: () => releaseIfMineNow(lockPath, mine) };
    const seen = await readLock(lockPath);
    if (seen === null) continue;
    const holder = parseLock(seen);
    if (holder !== null && (await isLive(holder))) return { ok: false, holder };
    await removeStale(lockPath, seen);
  }
  throw new HostError(`${lockPath} kept changing while this gateway tried to take it over; another gateway of this profile is starting. Try again.`);
}

/** Never deletes a lock that another gateway took over meanwhile. */
async function releaseIfMine(lockPath: string, mine: string): Promise<void> {
  const current = await readLock(lockPath).catch(() => null);
  if (current === mine) await unlink(lockPath).catch(() => undefined);
}

function releaseIfMineNow(lockPath: string, mine: string): void {
  try {
    if (readFileSync(lockPath, 'utf8') === mine) unlinkSync(lockPath);
  } catch {
    // gone already, or unreadable: not ours to remove
  }
}
