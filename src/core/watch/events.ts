/**
 * Which alert each thing the watcher sees or does becomes: a watched profile's change of
 * state, and each restart of it (begun, done, failed, refused at the hourly cap), each with
 * its level, the finding in words and the command that fixes it. Pure.
 */
import type { AlertEvent, AlertLevel } from './alerts';
import { changed, stateWords, type ActionOutcome, type CheckFacts, type WatchedStatus, type WatchState } from './state';

/** Who sends and when: the watching profile, its host, the time. */
export interface EventSource {
  from: string;
  host: string;
  now: number;
}

/** The watched profile as alerts name it: its label, and the command prefix that acts on it ("epiloop --profile main"; "epiloop" for the default). */
export interface EventTarget {
  label: string;
  invocation: string;
}

const STATE_LEVEL: Record<WatchState, AlertLevel> = { up: 'info', degraded: 'warning', down: 'critical' };
const RANK: Record<AlertLevel, number> = { info: 0, warning: 1, critical: 2 };

/** The command that fixes what a check found; null when the profile is up. A changed config that keeps it down: the rollback. */
export function fixFor(status: WatchedStatus, facts: CheckFacts | null, invocation: string): string | null {
  if (status.state === 'up') return null;
  if (status.rollback !== undefined) return status.rollback;
  if (facts === null) return `${invocation} status`;
  if (facts.config.state === 'missing') return `${invocation} setup`;
  const servicing = facts.service?.installed === true;
  if (status.hung === true) return servicing ? `${invocation} gateway restart` : `${invocation} restart`;
  if (facts.config.state === 'invalid' || facts.foreignHolders.length > 0) return `${invocation} doctor --fix`;
  if (facts.health?.answered === true) return `${invocation} doctor`;
  return servicing ? `${invocation} gateway restart` : `${invocation} start`;
}

function base(source: EventSource, target: EventTarget): Pick<AlertEvent, 'from' | 'host' | 'profile' | 'time'> {
  return { from: source.from, host: source.host, profile: target.label, time: new Date(source.now).toISOString() };
}

/**
 * The alert for a check's outcome: on a change of state (or into / out of "not answering", or
 * a rollback newly offered), none otherwise. A first check that finds the profile up says
 * nothing: there is nothing to tell until something goes wrong.
 */
export function stateEvent(source: EventSource, target: EventTarget, previous: WatchedStatus | undefined, next: WatchedStatus, facts: CheckFacts | null): AlertEvent | null {
  if (!changed(previous, next) || (previous === undefined && next.state === 'up')) return null;
  const level = next.hung === true ? 'warning' : STATE_LEVEL[next.state];
  const before = previous === undefined ? null : previous.hung === true ? 'warning' : STATE_LEVEL[previous.state];
  const title =
    next.state === 'up' && previous !== undefined
      ? `${target.label} is up again`
      : `${target.label} is ${stateWords(next)}${next.rollback === undefined ? '' : ' after a config change'}`;
  return {
    ...base(source, target),
    kind: 'state',
    level,
    state: next.state,
    previous: previous?.state ?? null,
    notAnswering: next.hung === true,
    outcome: null,
    title,
    finding: next.finding,
    fix: fixFor(next, facts, target.invocation),
    resolves: before !== null && RANK[before] > RANK[level] ? before : null,
  };
}

/** What an automatic restart is about: the profile's state and finding when it was decided. */
export interface RestartContext {
  status: WatchedStatus;
  /** The service it goes through: "epiloop-gateway-main.service". */
  service: string;
  /** "attempt 1 of 3 this hour", a refusal's reason, or a failure's message. */
  detail: string;
}

/** Each step of a restart: its level, its title (profile, state in words), and the level it ends. */
const RESTART: Record<ActionOutcome, { level: AlertLevel; title: (profile: string, state: string) => string; resolves: AlertLevel | null }> = {
  started: { level: 'warning', title: (p) => `restarting ${p}`, resolves: null },
  succeeded: { level: 'info', title: (p) => `restarted ${p}'s service`, resolves: 'warning' },
  failed: { level: 'critical', title: (p) => `restart of ${p} failed`, resolves: null },
  refused: { level: 'critical', title: (p, state) => `${p} stays ${state}: automatic restarts paused`, resolves: null },
};

/** The alert for one step of an automatic restart, with what to run by hand when it did not help. */
export function restartEvent(source: EventSource, target: EventTarget, outcome: ActionOutcome, context: RestartContext): AlertEvent {
  const look = RESTART[outcome];
  const { status } = context;
  const finding = {
    started: `${target.label} is ${stateWords(status)} (${status.finding}); restarting ${context.service}, ${context.detail}`,
    succeeded: `${context.service} was restarted; the next checks tell whether ${target.label} answers`,
    failed: `${context.service} could not be restarted: ${context.detail}`,
    refused: `${target.label} is ${stateWords(status)} (${status.finding}); not restarting it: ${context.detail}`,
  }[outcome];
  const fix = { started: null, succeeded: null, failed: `${target.invocation} gateway status`, refused: `${target.invocation} doctor` }[outcome];
  return {
    ...base(source, target),
    kind: 'restart',
    level: look.level,
    state: status.state,
    previous: null,
    notAnswering: status.hung === true,
    outcome,
    title: look.title(target.label, stateWords(status)),
    finding,
    fix,
    resolves: look.resolves,
  };
}

/** Why a gateway rolled back without a service stays down (its alert, its watch.log line). */
export const NOTHING_STARTS = (label: string): string => `no service of ${label} is installed, so nothing starts its gateway on the restored config`;

/** What an automatic rollback is about: the profile's state when it was decided, and what became of it in words. */
export interface RollbackContext {
  status: WatchedStatus;
  /** started/succeeded: "the last-known-good config of <time>"; failed: the error; refused: why not again. */
  detail: string;
  /** succeeded: the service restarted after the restore; null when none is installed, so nothing starts the gateway on it. */
  restarted?: string | null;
  /** succeeded: where the bad config is kept. */
  backup?: string | null;
  /** succeeded: who can reach the gateway now, when the restore changed that (reachChange's words); else null. */
  reach?: string | null;
}

/**
 * Each step of an automatic rollback: done (the bad config kept as a backup, the service
 * restarted), failed (with the command to try by hand), refused (the restored config did not
 * bring it back, or the same bad config came back: the rescue does not roll back again).
 * Done without a service, only the config is back: the gateway stays down until started,
 * which the alert says, with the start as its fix.
 */
export function rollbackEvent(source: EventSource, target: EventTarget, outcome: Exclude<ActionOutcome, 'started'>, context: RollbackContext): AlertEvent {
  const { status } = context;
  const unstarted = context.restarted === null;
  const look = {
    succeeded: unstarted
      ? { level: 'warning' as const, title: `rolled back ${target.label}'s config; ${target.label} stays down until it is started`, fix: `${target.invocation} start` }
      : { level: 'warning' as const, title: `rolled back ${target.label}'s config`, fix: null },
    failed: { level: 'critical' as const, title: `rollback of ${target.label} failed`, fix: status.rollback ?? null },
    refused: { level: 'critical' as const, title: `${target.label} stays ${stateWords(status)}: no further rollback`, fix: `${target.invocation} doctor` },
  }[outcome];
  const finding = {
    succeeded: `${target.label} was ${stateWords(status)} (${status.finding}); restored ${context.detail}${context.restarted ? ` and restarted ${context.restarted}` : ''}${context.backup ? `, the bad config kept as ${context.backup}` : ''}${unstarted ? `; ${NOTHING_STARTS(target.label)}` : ''}${context.reach ? `; ${context.reach}` : ''}`,
    failed: `${target.label} is ${stateWords(status)} (${status.finding}); the rollback failed: ${context.detail}`,
    refused: `${target.label} is ${stateWords(status)} (${status.finding}); ${context.detail}`,
  }[outcome];
  return {
    ...base(source, target),
    kind: 'rollback',
    level: look.level,
    state: status.state,
    previous: null,
    notAnswering: status.hung === true,
    outcome,
    title: look.title,
    finding,
    fix: look.fix,
    resolves: null,
  };
}

/** The event `watch test` sends to every sink; `invocation` names the sending profile ("epiloop --profile rescue"). */
export function testEvent(source: EventSource, invocation: string): AlertEvent {
  return {
    from: source.from,
    host: source.host,
    profile: source.from,
    time: new Date(source.now).toISOString(),
    kind: 'test',
    level: 'info',
    state: null,
    previous: null,
    notAnswering: false,
    outcome: null,
    title: `test alert from ${source.from}`,
    finding: `a test sent by "${invocation} watch test": this sink works`,
    fix: null,
    resolves: null,
  };
}
