/**
 * The loop a gateway runs when its config watches other profiles: every target checked
 * each round (rounds never overlap), state changes logged, and, when asked for, a down
 * target's service restarted within the restart policy.
 */
import { formatUptime } from '../gateway/live';
import type { AlertSink } from '../../core/config/schema';
import type { SinkReport } from '../../core/watch/alerts';
import type { ProfilePaths } from '../../core/profile/paths';
import { startAnnouncer } from './announce';
import { checkProfile } from './check';
import { openWatchLog } from './log';
import {
  changed,
  classify,
  DEFAULT_HUNG_AFTER_CHECKS,
  DEFAULT_RESTART_POLICY,
  HOUR_MS,
  jittered,
  nextStatus,
  restartDecision,
  silentChecks,
  stateWords,
  wantsRestart,
  withSilence,
  watchReport,
  type CheckFacts,
  type Observation,
  type WatchedStatus,
  type WatchReport,
} from '../../core/watch/state';
import { targetEnv } from '../../core/watch/targets';
import type { LogLevel } from '../../core/log/event';

export const DEFAULT_INTERVAL_MS = 10_000;
/** However long a check or a restart takes, stop() returns within this. */
const MAX_STOP_WAIT_MS = 1500;

export interface WatcherOptions {
  /** The watching profile: watch.log goes to its state dir. */
  self: ProfilePaths;
  targets: readonly ProfilePaths[];
  home: string;
  /** This process's environment; targets get it without the EPILOOP_* keys of this profile. */
  env: Record<string, string | undefined>;
  intervalMs: number;
  restart: boolean;
  maxRestartsPerHour: number;
  /** watch.hungAfterChecks (default 3). */
  hungAfterChecks?: number;
  /** watch.alerts: where each change and each restart is told. */
  alerts?: readonly AlertSink[];
  /** The gateway's log (stdout and gateway.log, timestamped by the caller); a level where the event is more than info. */
  log: (line: string, level?: LogLevel) => void;
}

export interface Watcher {
  report(): WatchReport[];
  /** Each alert sink: what it was sent, what failed, its last result. */
  sinks(): SinkReport[];
  /** Clears the timer and waits for a running round, at most min(graceMs, 1.5 s). */
  stop(graceMs: number): Promise<void>;
}

export function startWatcher(options: WatcherOptions): Watcher {
  const { targets, home, intervalMs } = options;
  const env = targetEnv(options.env);
  const policy = { ...DEFAULT_RESTART_POLICY, maxPerHour: options.maxRestartsPerHour };
  const statuses = new Map<string, WatchedStatus>();
  const attempts = new Map<string, number[]>();
  /** The last "not restarting" reason logged per target, so a wait is logged once, not every round. */
  const refusals = new Map<string, string>();
  const watchLog = openWatchLog(options.self.stateDir, (message) => options.log(`watch: ${message}`));
  const record = (line: string, level?: LogLevel) => {
    options.log(`watch: ${line}`, level);
    watchLog.append(line);
  };
  const hungAfter = options.hungAfterChecks ?? DEFAULT_HUNG_AFTER_CHECKS;
  /** Consecutive checks per target in which its live gateway held its port but did not answer. */
  const silence = new Map<string, number>();
  const announcer = startAnnouncer({ self: options.self, sinks: options.alerts ?? [], env: options.env, home, record });

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let round: Promise<void> | null = null;

  async function observe(target: ProfilePaths): Promise<{ facts: CheckFacts | null; observation: Observation }> {
    try {
      const facts = await checkProfile(target, { home, env });
      return { facts, observation: classify(facts) };
    } catch (error) {
      // A bug in a check must not stop the others, nor the gateway.
      return { facts: null, observation: { state: 'degraded', finding: `the check itself failed: ${(error as Error).message}` } };
    }
  }

  async function check(target: ProfilePaths): Promise<void> {
    const { facts, observation: observed } = await observe(target);
    if (stopped) return;
    const now = Date.now();
    const previous = statuses.get(target.label);
    const silent = facts === null ? 0 : silentChecks(silence.get(target.label) ?? 0, facts);
    silence.set(target.label, silent);
    const observation = facts === null ? observed : withSilence(observed, facts, silent, hungAfter, previous);
    const next = nextStatus(previous, target.label, observation, now);
    statuses.set(target.label, next);
    if (changed(previous, next)) {
      const was = previous === undefined ? '' : ` (was ${stateWords(previous)} for ${formatUptime(now - previous.since)})`;
      record(`${target.label} is ${stateWords(next)}${was}: ${next.finding}`, next.state === 'up' ? 'info' : 'warn');
      announcer.checked(target, previous, next, facts);
    }
    if (next.state !== 'down' && next.hung !== true) refusals.delete(target.label);
    if (options.restart && facts !== null && wantsRestart(next, facts)) await restart(target, now, next);
    else if (options.restart && next.hung === true) refuseOnce(target, `no usable service manages it, and the rescue never kills a gateway by hand (pid ${facts?.running?.pid ?? '?'} is left alone)`);
  }

  /** Logs why a target is not restarted, once per reason rather than every round; true when it was new. */
  function refuseOnce(target: ProfilePaths, reason: string, retryAt?: number): boolean {
    if (refusals.get(target.label) === reason) return false;
    refusals.set(target.label, reason);
    record(`not restarting ${target.label}: ${reason}${retryAt === undefined ? '' : `; next try from ${new Date(retryAt).toISOString()}`}`);
    return true;
  }

  async function restart(target: ProfilePaths, now: number, status: WatchedStatus): Promise<void> {
    const tries = (attempts.get(target.label) ?? []).filter((t) => now - t < HOUR_MS);
    attempts.set(target.label, tries);
    const service = process.platform === 'darwin' ? target.launchdLabel : target.systemdUnit;
    const decision = restartDecision(tries, now, policy);
    if (!decision.restart) {
      // Backing off between attempts is routine; the hourly cap is when a person is needed.
      if (refuseOnce(target, decision.reason, decision.retryAt) && decision.limit === 'hourly') {
        announcer.restart(target, 'refused', { status, service, detail: `${decision.reason}; next try from ${new Date(decision.retryAt).toISOString()}` });
      }
      return;
    }
    tries.push(now);
    refusals.delete(target.label);
    const attempt = `attempt ${tries.length} of ${policy.maxPerHour} this hour`;
    record(`restarting the service of ${target.label} (${attempt})`);
    announcer.restart(target, 'started', { status, service, detail: attempt });
    try {
      const { restartService } = await import('../service/install');
      await restartService(target, { env, home });
      record(`restarted the service of ${target.label}`);
      announcer.restart(target, 'succeeded', { status, service, detail: attempt });
    } catch (error) {
      record(`restart of ${target.label} failed: ${(error as Error).message}`, 'error');
      announcer.restart(target, 'failed', { status, service, detail: (error as Error).message });
    }
  }

  function schedule(delay: number): void {
    timer = setTimeout(() => {
      timer = null;
      round = Promise.all(targets.map(check))
        .catch((error: Error) => options.log(`watch: error: ${error.message}`))
        .then(() => {
          round = null;
          if (!stopped) schedule(jittered(intervalMs));
        });
    }, delay);
    // The servers keep the gateway alive; the watcher alone must not.
    timer.unref();
  }

  const sinkCount = options.alerts?.length ?? 0;
  record(
    `watching ${targets.map((t) => t.label).join(', ')} every ${intervalMs / 1000} s (±10 %); automatic restart ${options.restart ? `on, at most ${policy.maxPerHour} per hour per profile` : 'off'}${sinkCount > 0 ? `; alerts to ${sinkCount} sink${sinkCount === 1 ? '' : 's'}` : ''}`,
  );
  schedule(0);

  return {
    report: () => watchReport(targets.map((t) => t.label), statuses, announcer.actions()),
    sinks: () => announcer.sinks(),
    async stop(graceMs: number): Promise<void> {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      const wait = Math.max(0, Math.min(graceMs, MAX_STOP_WAIT_MS));
      const bounded = (p: Promise<unknown>) => Promise.race([p, new Promise((resolve) => setTimeout(resolve, wait).unref())]);
      if (round !== null) await bounded(round);
      await bounded(announcer.stop(wait));
      await bounded(watchLog.flushed());
    },
  };
}
