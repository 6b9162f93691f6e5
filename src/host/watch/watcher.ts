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
import { checkMemo, checkProfile } from './check';
import { watchLocks } from './lock-events';
import { openWatchLog } from './log';
import {
  changed,
  classify,
  DEFAULT_HUNG_AFTER_CHECKS,
  DEFAULT_RESTART_POLICY,
  HOUR_MS,
  isSilent,
  jittered,
  nextStatus,
  restartDecision,
  silentChecks,
  startGraceMs,
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
import { badConfigKey, rollbackCommand, ROLLBACK_VERDICT_CHECKS, wantsRollback, withLastGood } from '../../core/watch/last-good';
import { invocationHere } from '../../host/profile/invocation';
import { othersGateway } from '../../core/messages';
import { NOTHING_STARTS } from '../../core/watch/events';
import { tildify } from '../../core/profile/paths';
import { recordLastGood } from './last-good';
import { reachChange } from '../../core/config/effects';

export const DEFAULT_INTERVAL_MS = 10_000;
/** However long a check or a restart takes, stop() returns within this. */
const MAX_STOP_WAIT_MS = 1500;
/** A watched gateway's lock came or went: its prompt check runs this long after the last such change. */
const PROMPT_DELAY_MS = 100;
/** A gateway found starting (its lock live, not answering yet) by a prompt check is checked again this often, this many times at most. */
const PROMPT_FOLLOW_UP_MS = 1000;
const PROMPT_FOLLOW_UPS = 5;
/**
 * A round that finds a target not up within this of its lock coming or going, and not seen up
 * since (a restart under way: the old gateway gone, the new one starting), neither alerts nor
 * restarts: the next round decides.
 */
const LOCK_SETTLE_MS = 3000;

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
  /** watch.rollback "auto": restore a watched profile's last-known-good config when a changed config keeps it down, once per bad config. */
  rollback?: boolean;
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
  /** Per target: the bad configs (badConfigKey) rolled back from, so each is rolled back once at most. */
  const rolledBackFrom = new Map<string, Set<string>>();
  /** Per target, after an automatic rollback: the restored config's hash and the checks since, until it is up or judged. */
  const verdicts = new Map<string, { restored: string; checks: number; at: string }>();
  /** What the targets' unchanged files said: a check reads a config or last-good.json again only when it changed. */
  const memo = checkMemo();
  const announcer = startAnnouncer({ self: options.self, sinks: options.alerts ?? [], env: options.env, home, record });

  /** Targets found not up by every check since the start, within the start grace (startGraceMs). */
  const held = new Set<string>();
  /** Per target, the status alerts and restarts were last decided on: each round's, and a prompt check's "up" (toldUp); a prompt "down" is not, so a restart it saw is no alert. */
  const rounds = new Map<string, WatchedStatus>();
  /** Per target, when a check last found it up. */
  const seenUp = new Map<string, number>();
  /** Per target, its pending prompt check. */
  const prompts = new Map<string, NodeJS.Timeout>();
  const lockEvents = watchLocks(targets, (target) => prompt(target, 0, PROMPT_DELAY_MS));
  /** Rounds and prompt checks run one at a time, so two checks of a target never race to set its status. */
  let queue: Promise<void> = Promise.resolve();
  const startedAt = Date.now();
  const graceMs = startGraceMs(intervalMs);
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  async function observe(target: ProfilePaths): Promise<{ facts: CheckFacts | null; observation: Observation }> {
    try {
      const facts = await checkProfile(target, { home, env, memo });
      return { facts, observation: classify(facts) };
    } catch (error) {
      // A bug in a check must not stop the others, nor the gateway.
      return { facts: null, observation: { state: 'degraded', finding: `the check itself failed: ${(error as Error).message}` } };
    }
  }

  /**
   * One check of a target: its status set, a change of state logged. A prompt check (after
   * its lock came or went) leaves a silent gateway to the rounds, which count silence; null
   * when it did so, or when the watcher stopped meanwhile.
   */
  async function update(target: ProfilePaths, prompt: boolean): Promise<{ facts: CheckFacts | null; next: WatchedStatus; now: number } | null> {
    const { facts, observation: observed } = await observe(target);
    if (stopped || (prompt && (facts === null || isSilent(facts)))) return null;
    const now = Date.now();
    const previous = statuses.get(target.label);
    const silent = facts === null ? 0 : silentChecks(silence.get(target.label) ?? 0, facts);
    silence.set(target.label, silent);
    const observation =
      facts === null
        ? observed
        : withLastGood(withSilence(observed, facts, silent, hungAfter, previous), facts, rollbackCommand(invocationHere(options.self.profile), target.label));
    const next = nextStatus(previous, target.label, observation, now);
    statuses.set(target.label, next);
    if (changed(previous, next)) {
      const was = previous === undefined ? '' : ` (was ${stateWords(previous)} for ${formatUptime(now - previous.since)})`;
      record(`${target.label} is ${stateWords(next)}${was}: ${next.finding}`, next.state === 'up' ? 'info' : 'warn');
    }
    return { facts, next, now };
  }

  /** A round's check: the status, then what it asks for (an alert, a last-known-good record, a rollback, a restart). */
  async function check(target: ProfilePaths): Promise<void> {
    const checked = await update(target, false);
    if (checked === null) return;
    const { facts, next, now } = checked;
    const before = rounds.get(target.label);
    const lockChangedAt = lockEvents.changedAt(target);
    // A restart under way: its lock changed lately and it was not seen up since. (Up since, then down: a crash, told now.)
    const restarting = lockChangedAt !== null && now - lockChangedAt < LOCK_SETTLE_MS && (seenUp.get(target.label) ?? 0) < lockChangedAt;
    if (before?.state === 'up' && next.state !== 'up' && restarting) return;
    if (next.state === 'up') seenUp.set(target.label, now);
    rounds.set(target.label, next);
    // A target not up since this watcher started may be starting beside it: shown, not yet alerted or restarted.
    if ((before === undefined || held.has(target.label)) && next.state !== 'up' && now - startedAt < graceMs) {
      held.add(target.label);
      return;
    }
    // Told as a first check would be: nothing if it came up, its state if the grace ran out.
    if (held.delete(target.label)) announcer.checked(target, undefined, next, facts);
    else if (changed(before, next)) announcer.checked(target, before, next, facts);
    if (next.state !== 'down' && next.hung !== true) refusals.delete(target.label);
    if (facts !== null) await rememberIfHealthy(target, next, facts);
    if (facts !== null && options.rollback === true && (await judgeRollback(target, next, facts))) return;
    // Down in two rounds in a row, as before prompt checks: a stop seen at once is not restarted sooner.
    const confirmed = next.hung === true || before?.state === 'down';
    if (options.restart && facts !== null && confirmed && wantsRestart(next, facts)) await restart(target, now, next);
    else if (options.restart && next.hung === true) refuseOnce(target, `no usable service manages it, and the rescue never kills a gateway by hand (pid ${facts?.running?.pid ?? '?'} is left alone)`);
  }

  /**
   * A check of one target soon, after its lock came or went: `status`, `list` and `top` show a
   * stop within a second, not at the next round. A gateway found starting is checked again
   * each second until it answers (a few times at most). It sets the status and logs a change;
   * only an "up" is told as a round would (toldUp): alerts of a stop, restarts and rollbacks stay with the rounds.
   */
  function prompt(target: ProfilePaths, followUps: number, delayMs: number): void {
    if (stopped) return;
    clearTimeout(prompts.get(target.label));
    const pending = setTimeout(() => {
      prompts.delete(target.label);
      void serially(async () => {
        const checked = await update(target, true);
        if (checked !== null && checked.next.state === 'up') toldUp(target, checked.next, checked.facts);
        const starting = checked !== null && checked.next.state !== 'up' && checked.facts?.running != null;
        if (starting && followUps < PROMPT_FOLLOW_UPS && !prompts.has(target.label)) prompt(target, followUps + 1, PROMPT_FOLLOW_UP_MS);
      });
    }, delayMs);
    pending.unref();
    prompts.set(target.label, pending);
  }

  /**
   * A prompt check that finds a target up counts as a round's: an outage already told is told
   * over ("up again") at once, and a later stop is a change the rounds see. A prompt "down"
   * waits for them (a restart under way is no outage).
   */
  function toldUp(target: ProfilePaths, next: WatchedStatus, facts: CheckFacts | null): void {
    const before = rounds.get(target.label);
    rounds.set(target.label, next);
    seenUp.set(target.label, Date.now());
    refusals.delete(target.label);
    // Seen up within the start grace: nothing to tell, as a first check up tells nothing.
    if (held.delete(target.label)) return;
    if (changed(before, next)) announcer.checked(target, before, next, facts);
  }

  function serially(work: () => Promise<unknown>): Promise<void> {
    queue = queue.then(work).then(
      () => undefined,
      (error: Error) => options.log(`watch: error: ${error.message}`),
    );
    return queue;
  }

  /** Up and healthy on the config on disk, which is not yet the last-known-good one: record it (only if its gateway loaded those bytes). */
  async function rememberIfHealthy(target: ProfilePaths, status: WatchedStatus, facts: CheckFacts): Promise<void> {
    if (status.state !== 'up' || facts.configSha256 == null || facts.configSha256 === facts.lastGood?.sha256) return;
    try {
      const recorded = await recordLastGood(target, { by: options.self.label, expected: facts.configSha256 });
      if (recorded === null) return;
      const line = `recorded ${tildify(target.configPath, home)} as the last-known-good config of ${target.label} (sha256 ${recorded.sha256.slice(0, 12)})`;
      record(line);
      announcer.note(target, line);
    } catch (error) {
      refuseOnce(target, `cannot record its last-known-good config: ${(error as Error).message}`);
    }
  }

  /**
   * watch.rollback "auto": rolls a changed config that keeps the target down back to the
   * last-known-good one, once per bad config; after a rollback, judges whether it helped and
   * says once when it did not. True when this round's action is taken (no restart as well).
   */
  async function judgeRollback(target: ProfilePaths, status: WatchedStatus, facts: CheckFacts): Promise<boolean> {
    const verdict = verdicts.get(target.label);
    if (verdict !== undefined) {
      if (status.state === 'up' || facts.configSha256 !== verdict.restored) verdicts.delete(target.label);
      else if (++verdict.checks >= ROLLBACK_VERDICT_CHECKS) {
        verdicts.delete(target.label);
        const detail = `it stayed ${stateWords(status)} on the last-known-good config restored at ${verdict.at} for ${verdict.checks} checks; the rescue does not roll back again`;
        record(`rollback of ${target.label} did not help: ${detail}`);
        announcer.rollback(target, 'refused', { status, detail });
      }
    }
    const tried = rolledBackFrom.get(target.label) ?? new Set<string>();
    rolledBackFrom.set(target.label, tried);
    if (wantsRollback(status, facts, tried)) {
      tried.add(badConfigKey(facts));
      await rollBack(target, status);
      return true;
    }
    if (status.rollback !== undefined && status.state === 'down' && tried.has(badConfigKey(facts))) {
      if (refuseOnce(target, 'its config is one the rescue already rolled back from; it rolls back once per bad config')) {
        announcer.rollback(target, 'refused', { status, detail: 'this config was rolled back from once already; the rescue rolls back once per bad config and does not again' });
      }
      return true;
    }
    return false;
  }

  async function rollBack(target: ProfilePaths, status: WatchedStatus): Promise<void> {
    record(`rolling back the config of ${target.label} to its last-known-good one: ${status.finding}`);
    try {
      const { applyRollback, planRollback } = await import('../doctor/rollback');
      const plan = await planRollback(target, { home, env });
      // The restart that follows counts against the same back-off and hourly cap as any other.
      if (plan.service !== null) attempts.set(target.label, [...(attempts.get(target.label) ?? []), Date.now()]);
      const result = await applyRollback(plan, { home, env, what: `automatic rollback by ${options.self.label}`, by: options.self.label, automatic: true });
      const detail = `the last-known-good config of ${plan.lastGood.recordedAt}`;
      // A restore that moves gateway.bind changes who can reach the gateway: said as config set says it.
      const reach = reachChange(plan.bind.now, plan.bind.restored, { gateway: othersGateway(target.label) })?.words ?? null;
      const restarted = result.restarted === null ? `; ${NOTHING_STARTS(target.label)}` : ` and restarted ${result.restarted}`;
      record(`rolled back the config of ${target.label}: ${detail}${restarted}${result.backupPath === null ? '' : `; the bad config is kept as ${tildify(result.backupPath, home)}`}${reach === null ? '' : `; ${reach}`}`);
      announcer.rollback(target, 'succeeded', { status, detail, restarted: result.restarted, backup: result.backupPath === null ? null : tildify(result.backupPath, home), reach });
      // Whether the restored config helped is judged only when something starts the gateway on it: without a service, nothing does.
      if (result.restarted !== null) verdicts.set(target.label, { restored: plan.lastGood.sha256, checks: 0, at: new Date().toISOString() });
    } catch (error) {
      record(`rollback of ${target.label} failed: ${(error as Error).message}`);
      announcer.rollback(target, 'failed', { status, detail: (error as Error).message });
    }
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
      lockEvents.attach();
      void serially(() => Promise.all(targets.map(check))).then(() => {
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
      for (const pending of prompts.values()) clearTimeout(pending);
      lockEvents.close();
      const wait = Math.max(0, Math.min(graceMs, MAX_STOP_WAIT_MS));
      const bounded = (p: Promise<unknown>) => Promise.race([p, new Promise((resolve) => setTimeout(resolve, wait).unref())]);
      await bounded(queue);
      await bounded(announcer.stop(wait));
      await bounded(watchLog.flushed());
    },
  };
}
