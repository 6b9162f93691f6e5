/**
 * `doctor --rollback`, and the rescue's automatic rollback: the diff from a profile's config
 * back to its last-known-good bytes (token masked), and the restore through the store (lock,
 * atomic, the bad config kept as a backup), then a restart of its service where one is installed.
 */
import { HostError } from '../../core/errors';
import { getAt } from '../../core/config/edits';
import { clientImpacts } from '../../core/doctor/impacts';
import { readTolerant } from '../../core/config/tolerant';
import { maskDiffSides } from '../../core/config/secrets';
import { stateFile } from '../../core/profile/identity';
import { tildify, type ProfilePaths } from '../../core/profile/paths';
import { formatDiff, lineDiff } from '../../core/text/diff';
import { rollsBack, type LastGood } from '../../core/watch/last-good';
import { readConfigText, restoreConfigText } from '../store/store';
import { readLastGood } from '../watch/last-good';
import { readGatewayLock, type GatewayLock } from '../gateway/pidlock';
import { openWatchLog } from '../watch/log';
import { writeRolledBack } from '../watch/rolled-back';

export interface RollbackPlan {
  paths: ProfilePaths;
  lastGood: LastGood;
  /** The config's text now; null when there is no file. */
  current: string | null;
  /** The line diff from the config now to the last-known-good one, every secret masked. */
  diff: string[];
  /** The config already holds the last-known-good bytes: nothing to restore. */
  same: boolean;
  /** The service restarted after the restore (installed, and its manager usable); null when none. */
  service: string | null;
  /** What changes for clients, in doctor --fix's words (clientImpacts): the auth token, the base port, who can reach the gateway. */
  impacts: string[];
  /** Who can reach the gateway now (the address its running gateway serves, else gateway.bind as it would read the file) and after the restore (undefined: unset, or lost in a broken file): for reachChange. */
  bind: { now: unknown; restored: unknown };
  /**
   * The profile's running gateway (its lock), or null: `runsRestored` when it started on the
   * restored bytes (the config hash its lock records), so no restart is needed. A lock an older
   * epiloop wrote records none: then when the record was made while it ran (a record is made
   * only of the bytes the running gateway loaded).
   */
  gateway: { pid: number; runsRestored: boolean } | null;
}

export interface RollbackOptions {
  home: string;
  /** For the service manager: the target's environment (targetEnv() when acting on another profile). */
  env: Record<string, string | undefined>;
  /** How the impacts name the target's gateway when another profile asks (doctor --target, othersGateway): "main's gateway"; "this gateway" unless said. */
  gateway?: string;
}

/** Reads only. A profile without a recorded last-known-good config is a HostError that says how one gets recorded. */
export async function planRollback(paths: ProfilePaths, options: RollbackOptions): Promise<RollbackPlan> {
  const lastGood = await readLastGood(paths.stateDir);
  if (lastGood === null) {
    throw new HostError(
      `No last-known-good config of profile "${paths.label}" is recorded (${tildify(stateFile(paths.stateDir, 'lastGood'), options.home)}): a rescue gateway that watches it records one while its gateway is healthy. Nothing was written.`,
    );
  }
  const current = await readConfigText(paths.configPath);
  const diff = formatDiff(lineDiff(...maskDiffSides(current, lastGood.text)));
  const { serviceStatus } = await import('../service/install');
  const status = await serviceStatus(paths, { env: options.env, home: options.home });
  // As the gateway would read each: a bind lost in a broken file is no bind, loopback.
  const rawOf = (text: string | null) => (text === null ? {} : readTolerant(text).raw);
  const [now, restored] = [rawOf(current), rawOf(lastGood.text)];
  const lock = await readGatewayLock(paths.stateDir, paths.label);
  const running = lock.state === 'running' ? lock.lock : null;
  // Clients use what the running gateway serves, not what the file on disk says.
  const served = running === null ? null : { port: running.ports.gateway, host: running.host };
  const bind = { now: served?.host ?? getAt(now, ['gateway', 'bind']), restored: getAt(restored, ['gateway', 'bind']) };
  const impacts = clientImpacts(now, restored, { served, ...(options.gateway === undefined ? {} : { gateway: options.gateway }) });
  const gateway = running === null ? null : { pid: running.pid, runsRestored: runsRecord(running, lastGood) };
  return { paths, lastGood, current, diff, same: !rollsBack(lastGood, current), service: status.installed && status.usable ? status.name : null, impacts, bind, gateway };
}

/** Whether the running gateway started on the recorded bytes: by the hash its lock records, else (an older lock) by the record made while it ran. */
function runsRecord(lock: GatewayLock, lastGood: LastGood): boolean {
  if (lock.configSha256 !== undefined) return lock.configSha256 === lastGood.sha256;
  return Date.parse(lock.startedAt) <= Date.parse(lastGood.recordedAt);
}

export interface RollbackResult {
  /** Where the replaced (bad) config is kept; null when nothing was replaced. */
  backupPath: string | null;
  /** The service restarted; null when none is installed. */
  restarted: string | null;
}

/**
 * Restores the last-known-good bytes (refusing if the config changed since the plan was
 * read), records the rollback in the profile's rolled-back.json (its status and doctor say it),
 * then restarts the service. `by`: the other profile acting on this one (doctor --target, or a
 * watching rescue on its own: `automatic`); doctor --target leaves a line in this profile's
 * rescue-actions.log (a rescue's own rollback leaves the line its alert words).
 */
export async function applyRollback(plan: RollbackPlan, options: RollbackOptions & { what: string; by?: string; automatic?: boolean }): Promise<RollbackResult> {
  const shown = (p: string) => tildify(p, options.home);
  const written = await restoreConfigText(plan.paths, plan.lastGood.text, { expected: plan.current, what: options.what, timeoutMs: 30_000 });
  const automatic = options.automatic === true;
  // The profile's memory of the rollback, not the rollback: a record not written fails nothing that was restored.
  await writeRolledBack(plan.paths.stateDir, {
    version: 1,
    at: new Date().toISOString(),
    by: options.by ?? null,
    automatic,
    command: automatic ? null : options.what,
    sha256: plan.lastGood.sha256,
    lastGood: plan.lastGood.recordedAt,
    backupPath: written.backupPath,
  }).catch(() => undefined);
  const kept = written.backupPath === null ? '' : `; the bad config is kept as ${shown(written.backupPath)}`;
  const done = `${shown(plan.paths.configPath)} restored to the last-known-good config of ${plan.lastGood.recordedAt}${kept}`;
  let restarted: string | null = null;
  let failure: string | null = null;
  if (plan.service !== null) {
    const { restartService } = await import('../service/install');
    await restartService(plan.paths, { env: options.env, home: options.home }).then(
      () => (restarted = plan.service),
      (error: Error) => (failure = `${plan.service} could not be restarted: ${error.message}`),
    );
  }
  if (options.by !== undefined && !automatic) {
    const log = openWatchLog(plan.paths.stateDir, () => undefined, 'rescueActionsLog');
    log.append(`${options.by} rolled back (${options.what}): ${done}${restarted === null ? '' : `; restarted ${restarted}`}${failure === null ? '' : `; ${failure}`}`);
    await log.flushed();
  }
  if (failure !== null) throw new HostError(`${done}, but ${failure}`);
  return { backupPath: written.backupPath, restarted };
}
