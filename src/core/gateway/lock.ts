/**
 * A profile's gateway.lock as every command judges it: what it holds, whether the live pid it
 * names is this profile's gateway (one rule), and what is wrong with it, in words. Pure:
 * host/gateway/pidlock.ts reads the file, host/gateway/live.ts asks the pid's /health.
 */
import { refusalWords, shellWord, type FileRefusal } from '../profile/files';
import { stateFile } from '../profile/identity';
import { tildify, type ProfilePaths } from '../profile/paths';
import type { HealthPorts } from './health';

/** What `<stateDir>/gateway.lock` holds while a gateway runs: enough for `status` to find it. */
export interface GatewayLock {
  pid: number;
  /** The kernel's start time of pid (Linux), so a pid reused after a crash or reboot is not taken for ours. */
  processStart: string | null;
  startedAt: string;
  /** The address the servers listen on. */
  host: string;
  ports: HealthPorts;
  /** The label of the profile whose gateway wrote it: a copy in another profile's state dir still names its owner. Absent from a lock an older epiloop wrote. */
  profile?: string;
  /** sha256 (hex) of the config bytes the gateway started on: whether it runs a given config (a restored one). Absent from a lock an older epiloop wrote. */
  configSha256?: string;
}

export type LockState =
  | { state: 'none' }
  | { state: 'running'; lock: GatewayLock }
  /**
   * `pid`: the pid the lock names, even one too broken to be a gateway's; `pidRuns`: that pid
   * runs now, as another process; `json`: the text is JSON (false: garbage).
   */
  | { state: 'stale'; lock: GatewayLock | null; pid: number | null; pidRuns: boolean; json: boolean }
  /** Its pid lives and is another profile's gateway (`owner`): a copy of that profile's lock, not this profile's gateway. */
  | { state: 'copy'; lock: GatewayLock; owner: string }
  /** Not a file epiloop reads (a directory, a FIFO, a symlink out, too large): no gateway can take it. */
  | { state: 'refused'; refusal: FileRefusal };

/** A lock while no gateway of its profile runs by it: none, stale, a copy, refused. */
export type LeftLock = Exclude<LockState, { state: 'running' }>;

/**
 * The one rule for "is this lock's live pid this profile's gateway": not when the lock names
 * another profile (the gateway writes its label into it), or, for a lock that names none (an
 * older epiloop's), when that pid's /health answered for another profile. Returns that
 * other profile's label, or null when nothing says the gateway is another's.
 */
export function otherOwner(label: string, lock: GatewayLock, answeredFor: string | null = null): string | null {
  const owner = lock.profile ?? answeredFor;
  return owner === null || owner === label ? null : owner;
}

/** The live lock judged by otherOwner: running as this profile's gateway, or a copy of another's. */
export function judgedLock(label: string, lock: GatewayLock, answeredFor: string | null = null): LockState {
  const owner = otherOwner(label, lock, answeredFor);
  return owner === null ? { state: 'running', lock } : { state: 'copy', lock, owner };
}

/** A refusal of a directory where a file was expected: removed with `rm -r` (`rm` would refuse it). */
export function isDirectory(refusal: FileRefusal | null): boolean {
  return refusal?.kind === 'not-regular' && refusal.type === 'directory';
}

/** The shell command that removes a lock file that is in the way. */
export function removeCommand(file: { absolute: string; shown: string }, refusal: FileRefusal | null = null): string {
  return `${isDirectory(refusal) ? 'rm -r' : 'rm'} ${shellWord(file.shown, file.absolute)}`;
}

/**
 * A refused lock doctor --fix may remove: nothing a gateway writes (it writes one short regular
 * file of its own). A lock it may not read, or cannot stat, may be a gateway's run by another
 * user (root after a `sudo`): removed only by hand.
 */
export function isRemovable(refusal: FileRefusal): boolean {
  return refusal.kind === 'not-regular' || refusal.kind === 'outside' || refusal.kind === 'dangling' || refusal.kind === 'too-large';
}

/** The lock's path, absolute and as shown: what lockWords names. */
export function lockFile(paths: Pick<ProfilePaths, 'stateDir'>, home: string): { absolute: string; shown: string } {
  const absolute = stateFile(paths.stateDir, 'gatewayLock');
  return { absolute, shown: tildify(absolute, home) };
}

/** How a refused lock is got out of the way, as a clause: "remove it (rm …)", only once no gateway runs when it may be one's. */
export function refusedLockFix(refusal: FileRefusal, file: { absolute: string; shown: string }): string {
  const when = isRemovable(refusal) ? '' : 'if no gateway of this profile runs, ';
  return `${when}remove it (${removeCommand(file, refusal)})`;
}

/** What a refused lock is, and that it blocks every start, in words with the command that removes it. */
export function refusedLockWords(refusal: FileRefusal, file: { absolute: string; shown: string }): string {
  const { problem } = refusalWords(refusal, file, 'epiloop');
  return `${problem}. No gateway of this profile can start while it is there: ${refusedLockFix(refusal, file)}`;
}

/**
 * The lock in words when no gateway of this profile runs by it (status, list, top, stop, the
 * watch, doctor); null when there is no lock or its gateway runs. `file`: the lock's path, absolute and as shown.
 */
export function lockWords(state: LockState, file: { absolute: string; shown: string }): string | null {
  switch (state.state) {
    case 'none':
    case 'running':
      return null;
    case 'stale': {
      const left =
        state.pid !== null
          ? `a lock left by pid ${state.pid}, which is ${state.pidRuns ? 'now another process' : 'gone'}`
          : state.json
            ? 'a lock naming no process'
            : 'a lock that is not valid JSON';
      return `${left}; the next start takes it over`;
    }
    case 'copy':
      return `its gateway.lock is a copy of ${state.owner}'s (pid ${state.lock.pid}): remove the stray copy (${removeCommand(file)})`;
    case 'refused':
      return refusedLockWords(state.refusal, file);
  }
}

/** What is left of a lock while no gateway of this profile runs, in one word (`status --json`'s `gateway.lock`): null when there is none or its gateway runs. */
export type LockKind = 'stale' | 'copy' | 'broken';

export function lockKind(state: LockState): LockKind | null {
  switch (state.state) {
    case 'none':
    case 'running':
      return null;
    case 'stale':
      return 'stale';
    case 'copy':
      return 'copy';
    case 'refused':
      return 'broken';
  }
}
