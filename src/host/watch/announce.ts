/**
 * What the watcher tells, besides its own log: alerts to the configured sinks on each change
 * of a watched profile and each step of a restart, and every action the rescue takes on a
 * watched profile written into that profile's own state dir (rescue-actions.log), so main's
 * owner finds it beside main's files. Keeps the last alert and restart per profile for status.
 */
import os from 'node:os';
import type { AlertSink } from '../../core/config/schema';
import type { AlertEvent, SinkReport } from '../../core/watch/alerts';
import { restartEvent, rollbackEvent, stateEvent, type EventSource, type EventTarget, type RestartContext, type RollbackContext } from '../../core/watch/events';
import type { ActionOutcome, CheckFacts, WatchActions, WatchedStatus } from '../../core/watch/state';
import { invocationHere } from '../../host/profile/invocation';
import type { ProfilePaths } from '../../core/profile/paths';
import { openWatchLog, type WatchLog } from './log';
import { startSinks, type SinkRunner } from './sinks';

export interface AnnouncerOptions {
  self: ProfilePaths;
  sinks: readonly AlertSink[];
  env: Record<string, string | undefined>;
  home: string;
  /** The watcher's record(): the gateway's output and watch.log. */
  record: (line: string) => void;
}

export interface Announcer {
  /** After each check: an alert when the state changed. */
  checked(target: ProfilePaths, previous: WatchedStatus | undefined, next: WatchedStatus, facts: CheckFacts | null): void;
  /** Each step of an automatic restart: an alert, a line in the target's rescue-actions.log, and its lastRestart. */
  restart(target: ProfilePaths, outcome: ActionOutcome, context: RestartContext): void;
  /** Each outcome of an automatic rollback: an alert, a line in the target's rescue-actions.log, and its lastRollback. */
  rollback(target: ProfilePaths, outcome: Exclude<ActionOutcome, 'started'>, context: RollbackContext): void;
  /** A line in the target's rescue-actions.log only (recording its last-known-good config). */
  note(target: ProfilePaths, line: string): void;
  actions(): ReadonlyMap<string, WatchActions>;
  sinks(): SinkReport[];
  stop(graceMs: number): Promise<void>;
}

/** The line a restart step leaves in the watched profile's rescue-actions.log. */
function actionLine(from: string, target: string, outcome: ActionOutcome, context: RestartContext): string {
  const state = `${target} was ${context.status.hung === true ? 'not answering' : context.status.state}: ${context.status.finding}`;
  return {
    started: `${from} restarts ${context.service} (${context.detail}); ${state}`,
    succeeded: `${from} restarted ${context.service}`,
    failed: `${from} could not restart ${context.service}: ${context.detail}`,
    refused: `${from} does not restart ${context.service}: ${context.detail}; ${state}`,
  }[outcome];
}

export function startAnnouncer(options: AnnouncerOptions): Announcer {
  const { self, record } = options;
  const host = os.hostname();
  const runner: SinkRunner = startSinks({ sinks: options.sinks, env: options.env, cwd: options.home, log: record });
  const actions = new Map<string, WatchActions>();
  const logs = new Map<string, WatchLog>();
  const source = (): EventSource => ({ from: self.label, host, now: Date.now() });
  const targetOf = (paths: ProfilePaths): EventTarget => ({ label: paths.label, invocation: invocationHere(paths.profile) });
  const entry = (label: string): WatchActions => actions.get(label) ?? { lastAlert: null, lastRestart: null, lastRollback: null };

  function send(label: string, event: AlertEvent): void {
    // Without sinks there is no alert to speak of: lastAlert stays null.
    if (options.sinks.length === 0) return;
    const sinks = runner.notify(event);
    actions.set(label, { ...entry(label), lastAlert: { time: event.time, kind: event.kind, level: event.level, title: event.title, sinks } });
  }

  function actionLog(target: ProfilePaths): WatchLog {
    let log = logs.get(target.label);
    if (log === undefined) {
      log = openWatchLog(target.stateDir, (message) => record(message), 'rescueActionsLog');
      logs.set(target.label, log);
    }
    return log;
  }

  return {
    checked(target, previous, next, facts) {
      const event = stateEvent(source(), targetOf(target), previous, next, facts);
      if (event !== null) send(target.label, event);
    },
    restart(target, outcome, context) {
      const event = restartEvent(source(), targetOf(target), outcome, context);
      send(target.label, event);
      actions.set(target.label, { ...entry(target.label), lastRestart: { time: event.time, outcome, detail: event.finding } });
      actionLog(target).append(actionLine(self.label, target.label, outcome, context));
    },
    rollback(target, outcome, context) {
      const event = rollbackEvent(source(), targetOf(target), outcome, context);
      send(target.label, event);
      actions.set(target.label, { ...entry(target.label), lastRollback: { time: event.time, outcome, detail: event.finding, fix: event.fix } });
      actionLog(target).append(`${self.label}: ${event.title}: ${event.finding}`);
    },
    note(target, line) {
      actionLog(target).append(`${self.label} ${line}`);
    },
    actions: () => actions,
    sinks: () => runner.report(),
    async stop(graceMs) {
      await Promise.all([runner.stop(graceMs), ...[...logs.values()].map((log) => log.flushed())]);
    },
  };
}
