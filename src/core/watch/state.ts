import { notSetUp } from '../messages';

/** What a watcher concluded about one watched profile at one check. */
export type WatchState = 'up' | 'down' | 'degraded';

export interface Observation {
  state: WatchState;
  /** The most telling finding, in words: "gateway did not answer on 127.0.0.1:18789". */
  finding: string;
  /** degraded because its gateway lives and holds its port but has not answered for watch.hungAfterChecks checks. */
  hung?: boolean;
  /** The last-known-good config: when it was recorded, and whether the config on disk differs (none recorded: absent). */
  lastGood?: { recordedAt: string; changed: boolean };
  /** The command that rolls it back to its last-known-good config, when a rollback is offered (core/watch/last-good.ts). */
  rollback?: string;
}

export interface WatchedStatus extends Observation {
  profile: string;
  /** When the current state began (ms since epoch). */
  since: number;
  checkedAt: number;
}

/** Keeps `since` across checks that agree; a change of state starts a new period. */
export function nextStatus(previous: WatchedStatus | undefined, profile: string, observation: Observation, now: number): WatchedStatus {
  const since = previous !== undefined && previous.state === observation.state ? previous.since : now;
  return { profile, ...observation, since, checkedAt: now };
}

/** A change of state, into or out of "not answering", or a rollback newly offered (a changed config that keeps it down). */
export function changed(previous: WatchedStatus | undefined, next: WatchedStatus): boolean {
  return (
    previous === undefined ||
    previous.state !== next.state ||
    (previous.hung === true) !== (next.hung === true) ||
    (previous.rollback === undefined && next.rollback !== undefined)
  );
}

/** The state in words: "degraded (not answering)" for a hung gateway. */
export function stateWords(status: Pick<Observation, 'state' | 'hung'>): string {
  return status.hung === true ? `${status.state} (not answering)` : status.state;
}

/** The facts one check gathered; classify() turns them into up / down / degraded. */
export interface CheckFacts {
  profile: string;
  /** shown: the config path as printed (~/…). A config not read (a symlink out of the profile's dir) is invalid. */
  config: { state: 'missing'; shown: string } | { state: 'invalid'; message: string } | { state: 'ok' };
  /** null: no base known (config missing or broken without a readable port). */
  gatewayAddress: string | null;
  /** timedOut: nothing answered within the timeout (a frozen or overloaded gateway), unlike a refused connection or an error answer. */
  health: { answered: true; profile: string | null } | { answered: false; error: string; timedOut?: boolean } | null;
  /** Its gateway process (by its lock, alive) and whether that process holds its gateway port; null when none runs. */
  running?: { pid: number; holdsPort: boolean } | null;
  /** Its gateway, browser control and canvas ports held by a process other than that profile's gateway, in words. */
  foreignHolders: string[];
  /** Its running gateway serves other ports than its config says: the mismatch and its fix, in the words of status. */
  mismatch?: string;
  /** What of its config its gateway refuses to start on (profileRuleProblems: a bind on no address of this host, no token), with the fix: why it does not answer when none runs, a warning when one does. */
  refused?: string;
  /** No gateway of it runs, and its gateway.lock needs a hand (a copy of another profile's, a broken one): in the words of status. */
  lock?: string;
  /** null: not asked (the config was not read) or the service manager could not be asked. */
  service: { installed: boolean; usable: boolean; state: string } | null;
  /** sha256 of its config's bytes; null when there is no config; absent when not read (refused). */
  configSha256?: string | null;
  /** Its last-known-good config as recorded (core/watch/last-good.ts); null when none is. */
  lastGood?: { sha256: string; recordedAt: string } | null;
}

export function classify(facts: CheckFacts): Observation {
  if (facts.config.state === 'missing') return { state: 'down', finding: notSetUp({ label: facts.profile }, facts.config.shown) };
  if (facts.config.state === 'invalid') {
    const answered = facts.health?.answered === true;
    return {
      state: answered ? 'degraded' : 'down',
      finding: `config is broken: ${facts.config.message}${answered ? ' (the running gateway still answers)' : ''}`,
    };
  }
  // A copy of another profile's lock, or a broken one: why it is not running, or what keeps it from starting.
  const lock = facts.lock === undefined ? '' : `; not running; ${facts.lock}`;
  // Asked where it really serves: answering there is degraded, as status calls it a problem, never down.
  if (facts.mismatch !== undefined) return { state: facts.health?.answered === true ? 'degraded' : 'down', finding: facts.mismatch };
  if (facts.health === null || !facts.health.answered) {
    // A config its gateway refuses is the cause, with its fix: the probe's socket error (ENETUNREACH for a bind on no address of this host) says less.
    // A running gateway was asked where it serves: the config on disk did not keep it from answering, so it is a note, not the cause.
    const error = facts.health === null ? 'no gateway address' : facts.health.error;
    const why = facts.refused === undefined ? error : facts.running != null ? `${error}; its config on disk would not start it again: ${facts.refused}` : facts.refused;
    const service = facts.service?.installed ? `; service ${facts.service.state}` : '';
    // A foreign holder of its ports is usually why it is down: say so in the same line.
    const holder = facts.foreignHolders.length > 0 ? `; ${facts.foreignHolders[0]}` : '';
    return { state: 'down', finding: `gateway did not answer on ${facts.gatewayAddress ?? '?'}: ${why}${service}${holder}${lock}` };
  }
  if (facts.health.profile !== facts.profile) {
    return { state: 'degraded', finding: `${facts.gatewayAddress} answers as profile "${facts.health.profile ?? '?'}", not "${facts.profile}"${lock}` };
  }
  if (facts.foreignHolders.length > 0) return { state: 'degraded', finding: facts.foreignHolders[0]! };
  // A unit file no usable manager runs (a host systemd did not boot) is no service: status and doctor find no problem in it.
  if (facts.service?.installed && facts.service.usable && facts.service.state !== 'active') {
    return { state: 'degraded', finding: `gateway answers, but its service is ${facts.service.state}` };
  }
  // A config on disk its gateway would refuse (edited while it runs) is a warning in the finding: the gateway still answers, so it is up.
  const warning = facts.refused === undefined ? '' : `; its config on disk would not start it again: ${facts.refused}`;
  return { state: 'up', finding: `gateway answers on ${facts.gatewayAddress}${warning}` };
}

/**
 * How long a watcher holds a watched profile it has not yet seen up: `start --all` starts the
 * rescue before the main it watches, so its first checks find main starting, not down. Within
 * this grace such a profile is shown (in status, list, top) but neither alerted nor restarted;
 * if it is still not up when the grace ends, it is told as a first check tells it. Two
 * intervals, as a detection is (3 s at least, 30 s at most).
 */
export function startGraceMs(intervalMs: number): number {
  return Math.min(30_000, Math.max(3_000, 2 * intervalMs));
}

/** watch.hungAfterChecks by default: a live gateway silent on this many checks in a row is degraded (not answering). */
export const DEFAULT_HUNG_AFTER_CHECKS = 3;

/** Its own live gateway holds its port, yet /health timed out: frozen or overloaded, not down. */
export function isSilent(facts: CheckFacts): boolean {
  return facts.config.state === 'ok' && facts.running?.holdsPort === true && facts.health?.answered === false && facts.health.timedOut === true;
}

/** Consecutive silent checks, this one included; any other check resets the count. */
export function silentChecks(before: number, facts: CheckFacts): number {
  return isSilent(facts) ? before + 1 : 0;
}

/**
 * A silent gateway is degraded (not answering) once it has been silent for hungAfter checks in
 * a row; before that it keeps its previous state (one slow answer is no outage), and a first
 * check counts it degraded. Any other check is classified as it is.
 */
export function withSilence(observation: Observation, facts: CheckFacts, silent: number, hungAfter: number, previous: WatchedStatus | undefined): Observation {
  if (silent === 0 || facts.running == null || facts.health?.answered !== false) return observation;
  const where = `pid ${facts.running.pid} holds ${facts.gatewayAddress ?? 'its port'}`;
  if (silent >= hungAfter) {
    return { state: 'degraded', hung: true, finding: `${where} but /health has not answered for ${silent} check${silent === 1 ? '' : 's'} in a row (${facts.health.error})` };
  }
  return { state: previous?.state ?? 'degraded', finding: `${where} but /health did not answer (${facts.health.error}); not answering after ${hungAfter} checks in a row, this was ${silent}` };
}

/** What became of an action of the rescue on a watched profile (a restart, a rollback): begun, done, failed, or not done. */
export type ActionOutcome = 'started' | 'succeeded' | 'failed' | 'refused';

/** The last alert about a watched profile and the last restart of it, in /health and `status --json`. */
export interface WatchActions {
  /** sinks: how many sinks took it (0 when none is configured, or the rate limit held it back). */
  lastAlert: { time: string; kind: string; level: string; title: string; sinks: number } | null;
  lastRestart: { time: string; outcome: ActionOutcome; detail: string } | null;
  /** fix: what to run after it, as its alert says (a start, when no service started the gateway on the restored config); null for nothing. */
  lastRollback: { time: string; outcome: ActionOutcome; detail: string; fix: string | null } | null;
}

/** One watched profile in /health, the WebSocket status and `status --json`; documented in the README. */
export interface WatchReport {
  profile: string;
  /** "pending" until the first check of that profile has finished. */
  state: WatchState | 'pending';
  /** ISO time the current state began; null when not known (pending, or a one-off check by `status`). */
  since: string | null;
  /** ISO time of the last check; null while pending. */
  checkedAt: string | null;
  finding: string;
  /** degraded because its gateway lives but has not answered for watch.hungAfterChecks checks: "degraded (not answering)". */
  notAnswering: boolean;
  lastAlert: WatchActions['lastAlert'];
  lastRestart: WatchActions['lastRestart'];
  /** Its last-known-good config: when recorded, and whether the config on disk differs; null when none is recorded. */
  lastGood: { recordedAt: string; changed: boolean } | null;
  /** The command that restores the last-known-good config, when a changed config keeps it down; else null. */
  rollback: string | null;
  lastRollback: WatchActions['lastRollback'];
}

/** The report of every watched profile, in the config's order; an unchecked one is pending. */
export function watchReport(profiles: readonly string[], statuses: ReadonlyMap<string, WatchedStatus>, actions: ReadonlyMap<string, WatchActions> = new Map()): WatchReport[] {
  return profiles.map((profile) => {
    const status = statuses.get(profile);
    const done = { lastAlert: actions.get(profile)?.lastAlert ?? null, lastRestart: actions.get(profile)?.lastRestart ?? null, lastRollback: actions.get(profile)?.lastRollback ?? null };
    if (status === undefined) {
      return { profile, state: 'pending', since: null, checkedAt: null, finding: 'the first check is running', notAnswering: false, ...done, lastGood: null, rollback: null };
    }
    return {
      profile,
      state: status.state,
      since: new Date(status.since).toISOString(),
      checkedAt: new Date(status.checkedAt).toISOString(),
      finding: status.finding,
      notAnswering: status.hung === true,
      ...done,
      lastGood: status.lastGood ?? null,
      rollback: status.rollback ?? null,
    };
  });
}

export interface RestartPolicy {
  maxPerHour: number;
  /** First wait after a failed restart; doubles each time, capped at maxBackoffMs. */
  baseBackoffMs: number;
  maxBackoffMs: number;
}

export const HOUR_MS = 3_600_000;

export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxPerHour: 3, baseBackoffMs: 30_000, maxBackoffMs: 15 * 60_000 };

/** Whether to restart now, given the times of earlier attempts (oldest first). Pure. */
export function restartDecision(
  attempts: readonly number[],
  now: number,
  policy: RestartPolicy,
): { restart: true } | { restart: false; reason: string; retryAt: number; limit: 'hourly' | 'backoff' } {
  const lastHour = attempts.filter((t) => now - t < HOUR_MS);
  if (lastHour.length >= policy.maxPerHour) {
    return { restart: false, reason: `${lastHour.length} restart${lastHour.length === 1 ? '' : 's'} in the last hour (limit ${policy.maxPerHour})`, retryAt: lastHour[0]! + HOUR_MS, limit: 'hourly' };
  }
  const last = attempts[attempts.length - 1];
  if (last !== undefined) {
    const wait = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** Math.max(0, lastHour.length - 1));
    if (now - last < wait) return { restart: false, reason: `backing off ${Math.round(wait / 1000)} s after the last restart`, retryAt: last + wait, limit: 'backoff' };
  }
  return { restart: true };
}

/**
 * Whether an automatic restart could help: down on two checks in a row (one down check may
 * be a restart already under way) or not answering, with a config the gateway can start
 * with, and a service the manager can restart (the manager, never this process, stops the
 * pid that does not answer).
 */
export function wantsRestart(status: WatchedStatus, facts: CheckFacts): boolean {
  return (
    ((status.state === 'down' && status.since < status.checkedAt) || status.hung === true) &&
    facts.config.state === 'ok' &&
    facts.service !== null &&
    facts.service.installed &&
    facts.service.usable
  );
}

/** The interval with ±10 % jitter, so watchers started together do not check in lockstep. */
export function jittered(intervalMs: number, random: () => number = Math.random): number {
  return Math.round(intervalMs * (0.9 + 0.2 * random()));
}

/**
 * The last rollback of a watched profile as `status` says it: its outcome and time; one that
 * restored the config with no service to start the gateway on it says so rather than
 * "succeeded", and, while the profile is not up, what starts it (its alert's fix).
 */
export function lastRollbackWords(report: WatchReport): string | null {
  const last = report.lastRollback;
  if (last === null) return null;
  const head = `last rollback of ${report.profile}:`;
  if (last.outcome !== 'succeeded' || last.fix === null) return `${head} ${last.outcome} at ${last.time}`;
  return `${head} config restored at ${last.time}, but no service starts ${report.profile} on it${report.state === 'up' ? '' : `; start it: ${last.fix}`}`;
}
