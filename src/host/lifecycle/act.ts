import { spawn } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HealthReport } from '../../core/gateway/health';
import { lifecycleOrder, type LifecycleAction, type LifecycleOutcome, type OutcomeState } from '../../core/lifecycle/plan';
import { ruleFixWords } from '../../core/config/profile-rules';
import { clientHost, urlOf } from '../../core/gateway/plan';
import { hostRefusalWords, hostStartVerdict } from '../../core/host/start';
import { currentOf, type RunningGateway } from '../../core/host/view';
import { brokenConfig } from '../../core/messages';
import { profileArgs, stateFile } from '../../core/profile/identity';
import { invocationHere } from '../../host/profile/invocation';
import { tildify } from '../../core/profile/paths';
import { launchctlCommands, launchdPlistFile } from '../../core/service/launchd';
import { systemctlCommands } from '../../core/service/systemd';
import { fetchJson } from '../gateway/client';
import { bindFacts } from '../ports/addresses';
import { readGateway } from '../gateway/live';
import { lockFile, lockWords } from '../../core/gateway/lock';
import { isRunning } from '../gateway/proc';
import { appendCliEvent } from '../log/event-log';
import { commandText, currentUid, firstLine, runManager } from '../service/manager';
import { currentProgram } from '../service/install';
import { isProcessAlive } from '../store/lock';
import { ensureStateDir } from '../store/store';
import { rollbackOffer } from '../watch/last-good';
import { readHost } from '../model';
import { notSetUpHere } from '../profile/not-set-up';
import type { ResolvedTarget } from './target';

export interface ActOptions {
  home: string;
  /** How long start/restart wait for /health, and stop for the process to exit. */
  waitMs: number;
  /** "epiloop stop": who asked, for the profile's log. */
  by: string;
}

/** Between two /health asks (and two looks at a stopping pid). */
const POLL_MS = 50;
/** One /health ask. */
const HEALTH_TIMEOUT_MS = 500;
/** After SIGKILL, how long a process may take to be gone. */
const KILL_WAIT_MS = 1000;
/** What of gateway.err a failed detached start quotes. */
const ERR_TAIL_BYTES = 2000;

type Step = { argv: string[]; tolerate?: boolean };

/** The manager's command lines for one action on this profile's service. */
function managerSteps(resolved: ResolvedTarget, home: string, action: LifecycleAction): Step[] {
  const { paths, target } = resolved;
  if (target.runner === 'systemd') {
    const c = systemctlCommands(paths.systemdUnit);
    return [{ argv: action === 'start' ? c.start : action === 'stop' ? c.stop : c.restart }];
  }
  const c = launchctlCommands(paths.launchdLabel, launchdPlistFile(paths, home), currentUid());
  // bootstrap fails for an agent that is loaded already (and bootout for one that is not): neither is a failure here.
  if (action === 'start') return [{ argv: c.bootstrap, tolerate: true }, { argv: c.kickstart }];
  if (action === 'stop') return [{ argv: c.bootout, tolerate: true }];
  return [{ argv: c.bootstrap, tolerate: true }, { argv: c.restart }];
}

async function runSteps(steps: readonly Step[], env: ResolvedTarget['env']): Promise<string | null> {
  for (const step of steps) {
    const result = await runManager(step.argv, env as Record<string, string | undefined>);
    if (!result.ok && step.tolerate !== true) return `"${commandText(step.argv)}" failed: ${firstLine(result.stderr)}`;
  }
  return null;
}

/**
 * Why the profile cannot be started at all, or null: no config, a broken one, or anything
 * hostStartVerdict refuses (the config's rules, another profile's ports, a remote browser on
 * them, a lock no gateway can take), judged on the host as status and top judge it. Asked before
 * anything is stopped: a restart the gateway would refuse leaves the running gateway running.
 * `kept`: what the refusal leaves of a running gateway, in words ("nothing was started").
 */
async function unstartable(resolved: ResolvedTarget, home: string, action: LifecycleAction, kept: string): Promise<string | null> {
  const { paths, loaded } = resolved;
  const who = { label: paths.label, invocation: invocationHere(paths.profile) };
  if (loaded.state === 'missing') return notSetUpHere(paths, home, who.invocation, action);
  // The last-known-good config a watching rescue recorded: offered whenever there is one.
  const backTo = () => rollbackOffer(paths, who.invocation);
  if (loaded.state === 'invalid') return brokenConfig(who, loaded.error, tildify(loaded.path, home), (await backTo()) ?? undefined);
  const view = await readHost({ home, current: paths, health: 'none' });
  const verdict = hostStartVerdict(view, currentOf(view), { home, bind: bindFacts(paths.profile), ...(resolved.base === null ? {} : { base: resolved.base }) });
  const { refusals } = verdict.config;
  if (refusals.length > 0) {
    const rollback = await backTo();
    return `${tildify(paths.configPath, home)}:\n${refusals.map((r) => `  ${r.sentence}`).join('\n')}\nThe gateway would refuse this config: ${kept}. ${ruleFixWords(refusals, `Fix it with "${who.invocation} doctor --fix" (or "${who.invocation} setup", which adds a missing token)`)}${rollback === null ? '' : `, or ${rollback}`}.`;
  }
  if (resolved.target.url === null) return `the config of profile "${paths.label}" gives no base port and bind the gateway can use. Check it with "${who.invocation} doctor".`;
  if (verdict.host.length === 0) return null;
  // Ports and a remote browser are the config's to move: its last-known-good one is a way back too.
  const rollback = verdict.host.some((r) => r.kind !== 'lock') ? await backTo() : null;
  return hostRefusalWords(verdict.host, kept, rollback);
}

/**
 * A start or restart refused before anything was done: its target's URL becomes the one that
 * serves (the running gateway's, or none), not the one the refused config names.
 */
async function refused(resolved: ResolvedTarget, why: string): Promise<Outcome> {
  const { gateway } = await readGateway(resolved.paths, false);
  resolved.target = { ...resolved.target, url: gateway === null ? null : urlOf(clientHost(gateway.host), gateway.ports.gateway) };
  return { ...outcome(false, 'failed', why, null), refused: true };
}

/** What a start refused leaves of a gateway that runs: the config it read when it started. */
const RUNS_ON = 'it keeps running on the config it started with';

/** What a refused start or restart did to a running gateway of the profile, in words. */
async function keptWords(paths: ResolvedTarget['paths']): Promise<string> {
  const { gateway } = await readGateway(paths, false);
  return gateway !== null ? `the gateway (pid ${gateway.pid}) keeps running` : 'nothing was started';
}

/** Waits until /health on the expected base answers for this profile (and this pid, when known); bounded by deadline. */
async function waitHealthy(resolved: ResolvedTarget, deadline: number, pid: number | null, gone: () => string | null): Promise<{ ok: true; pid: number } | { ok: false; why: string }> {
  const url = `${resolved.target.url}/health`;
  let last = 'no answer yet';
  for (;;) {
    const answer = await fetchJson(url, { timeoutMs: HEALTH_TIMEOUT_MS });
    if (answer.ok && answer.status === 200) {
      const report = answer.body as Partial<HealthReport> | null;
      if (report?.profile === resolved.target.label && (pid === null || report.pid === pid) && typeof report.pid === 'number') return { ok: true, pid: report.pid };
      last = `${url} answered for profile ${JSON.stringify(report?.profile)} (pid ${report?.pid}), not this gateway`;
    } else last = answer.ok ? `${url} answered ${answer.status}` : `${url}: ${answer.error}`;
    const exited = gone();
    if (exited !== null) return { ok: false, why: exited };
    if (Date.now() >= deadline) return { ok: false, why: `no healthy answer within the wait (${last})` };
    await sleep(POLL_MS);
  }
}

async function errTail(stateDir: string): Promise<string> {
  const text = await readFile(stateFile(stateDir, 'gatewayErr'), 'utf8').catch(() => '');
  const tail = text.trim().slice(-ERR_TAIL_BYTES).replace(/^epiloop: /, '');
  return tail === '' ? 'it wrote nothing on stderr' : tail;
}

/** Runs the gateway as a detached process (its own session), stdout dropped, stderr into gateway.err, and waits for its health. */
async function startDetached(resolved: ResolvedTarget, options: ActOptions, started: number): Promise<Outcome> {
  const { paths } = resolved;
  const program = currentProgram();
  const env = { ...resolved.env, EPILOOP_PROFILE: paths.profile ?? '', EPILOOP_STATE_DIR: paths.stateDir, EPILOOP_CONFIG_PATH: paths.configPath };
  await ensureStateDir(paths.stateDir);
  const err = openSync(stateFile(paths.stateDir, 'gatewayErr'), constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let child;
  try {
    // In its state dir, as a daemon should be: not holding the directory start ran in (a mount, a checkout about to go).
    child = spawn(program.node, [program.cli, ...profileArgs(paths.profile), 'gateway'], { env, cwd: paths.stateDir, detached: true, stdio: ['ignore', 'ignore', err] });
  } finally {
    closeSync(err);
  }
  child.once('exit', (code, signal) => (exited = { code, signal }));
  child.unref();
  const pid = child.pid ?? null;
  log(resolved, 'info', `${options.by}: started the gateway as a detached process (pid ${pid})`);
  const health = await waitHealthy(resolved, started + options.waitMs, pid, () =>
    exited === null ? null : `the gateway exited (${exited.code ?? exited.signal}) before it was healthy`,
  );
  if (health.ok) return outcome(true, 'started', `healthy at ${resolved.target.url}/health (pid ${health.pid})`, health.pid);
  const why = exited !== null ? `${health.why}: ${await errTail(paths.stateDir)}` : health.why;
  // The gateway's refusal ends a sentence of its own: one full stop, not "..".
  return outcome(false, 'failed', `${why.replace(/\.$/, '')}. Its stderr is in ${tildify(stateFile(paths.stateDir, 'gatewayErr'), options.home)}; its log: "${invocationHere(paths.profile)} logs".`, pid);
}

type Outcome = Omit<LifecycleOutcome, 'ms'>;

function outcome(ok: boolean, state: OutcomeState, detail: string, pid: number | null): Outcome {
  return { ok, state, detail, pid };
}

function log(resolved: ResolvedTarget, level: 'info' | 'warn' | 'error', message: string): void {
  // A profile that is not set up gets no log: its state dir is not made for one line about it.
  if (resolved.loaded.state === 'missing') return;
  appendCliEvent(resolved.paths.stateDir, resolved.paths.label, resolved.rotation, level, message);
}

/** Waits for pid to be gone; SIGKILL when the wait is over. */
async function waitGone(pid: number, deadline: number): Promise<'exited' | 'killed' | 'alive'> {
  const running = () => isRunning(pid, isProcessAlive);
  while (Date.now() < deadline) {
    if (!(await running())) return 'exited';
    await sleep(POLL_MS);
  }
  if (!(await running())) return 'exited';
  process.kill(pid, 'SIGKILL');
  const killDeadline = Date.now() + KILL_WAIT_MS;
  while (Date.now() < killDeadline) {
    if (!(await running())) return 'killed';
    await sleep(POLL_MS);
  }
  return 'alive';
}

/**
 * Signals the pid in the profile's gateway lock, when that pid is this profile's gateway by the
 * rule every command follows: a pid reused by another program is not (the lock's start time
 * says so), nor another profile's gateway named by a copy of its lock.
 */
async function stopByLock(resolved: ResolvedTarget, options: ActOptions, started: number): Promise<Outcome> {
  const { gateway, lock } = await readGateway(resolved.paths, true);
  if (gateway === null) {
    const words = lockWords(lock, lockFile(resolved.paths, options.home));
    if (words === null) return outcome(true, 'not running', 'no gateway of this profile runs (no lock)', null);
    const left = lock.state === 'copy' ? `; ${lock.owner}'s gateway was left running` : '';
    return outcome(true, 'not running', `no gateway of this profile runs; ${words}${left}`, null);
  }
  const { pid } = gateway;
  log(resolved, 'info', `${options.by}: sending SIGTERM to the gateway (pid ${pid})`);
  try {
    process.kill(pid, 'SIGTERM');
  } catch (error) {
    return outcome(false, 'failed', `cannot signal pid ${pid}: ${(error as Error).message}`, pid);
  }
  const gone = await waitGone(pid, started + options.waitMs);
  if (gone === 'exited') return outcome(true, 'stopped', `pid ${pid} exited`, pid);
  if (gone === 'killed') return outcome(true, 'stopped', `pid ${pid} did not exit within the wait after SIGTERM and was killed (SIGKILL)`, pid);
  return outcome(false, 'failed', `pid ${pid} is still alive after SIGTERM and SIGKILL`, pid);
}

/** Runs the manager's steps for the action and records that it was asked; the failure in words, or null. */
async function askManager(resolved: ResolvedTarget, options: ActOptions, action: LifecycleAction): Promise<string | null> {
  const failed = await runSteps(managerSteps(resolved, options.home, action), resolved.env);
  if (failed === null) log(resolved, 'info', `${options.by}: asked ${resolved.target.service} to ${action}`);
  return failed;
}

/** start / restart through the service manager, then the wait for health. */
async function upThroughManager(resolved: ResolvedTarget, options: ActOptions, started: number, action: 'start' | 'restart'): Promise<Outcome> {
  const failed = await askManager(resolved, options, action);
  if (failed !== null) return outcome(false, 'failed', failed, null);
  const health = await waitHealthy(resolved, started + options.waitMs, null, () => null);
  if (health.ok) return outcome(true, action === 'start' ? 'started' : 'restarted', `healthy at ${resolved.target.url}/health (pid ${health.pid})`, health.pid);
  return outcome(false, 'failed', `${health.why}. See "${invocationHere(resolved.paths.profile)} logs" and "${invocationHere(resolved.paths.profile)} gateway status".`, null);
}

/**
 * A start of a gateway that runs and is healthy while its config is one a start refuses: it is
 * already running, on the config it started with, and the refusal is advice for its next restart.
 * Its target's URL is the one it serves. null when no gateway of the profile runs healthy.
 */
async function runningRefused(resolved: ResolvedTarget, options: ActOptions, started: number, gateway: RunningGateway, cannot: string): Promise<Outcome | null> {
  const url = urlOf(clientHost(gateway.host), gateway.ports.gateway);
  resolved.target = { ...resolved.target, url };
  const health = await waitHealthy(resolved, started + options.waitMs, gateway.pid, () => null);
  if (!health.ok) return null;
  return outcome(true, 'already running', `pid ${health.pid}, healthy at ${url}/health. A restart would be refused:\n${cannot}`, health.pid);
}

async function start(resolved: ResolvedTarget, options: ActOptions, started: number): Promise<Outcome> {
  const running = (await readGateway(resolved.paths, false)).gateway;
  const cannot = await unstartable(resolved, options.home, 'start', running === null ? 'nothing was started' : RUNS_ON);
  if (cannot !== null) return (running === null ? null : await runningRefused(resolved, options, started, running, cannot)) ?? refused(resolved, cannot);
  if (resolved.target.runner !== 'detached') return upThroughManager(resolved, options, started, 'start');
  // A copy of another profile's lock is no gateway of this one: the start takes it over, as a stale one.
  const { gateway } = await readGateway(resolved.paths, true);
  if (gateway !== null) {
    const health = await waitHealthy(resolved, started + options.waitMs, gateway.pid, () => null);
    return health.ok
      ? outcome(true, 'already running', `pid ${health.pid}, healthy at ${resolved.target.url}/health`, health.pid)
      : outcome(false, 'failed', `a gateway of this profile runs (pid ${gateway.pid}) but is not healthy: ${health.why}`, gateway.pid);
  }
  return startDetached(resolved, options, started);
}

/**
 * Nothing to act on: no config, and no gateway of the profile running (one left running after
 * its config was removed can still be stopped). The sentence says what to run; null otherwise.
 */
export async function notSetUpFor(resolved: ResolvedTarget, home: string, action: LifecycleAction): Promise<string | null> {
  if (resolved.loaded.state !== 'missing' || (await readGateway(resolved.paths, false)).gateway !== null) return null;
  return notSetUpHere(resolved.paths, home, invocationHere(resolved.paths.profile), action);
}

async function stop(resolved: ResolvedTarget, options: ActOptions, started: number): Promise<Outcome> {
  // Nothing to stop and nothing set up: "epiloop stop" on a host of main and rescue meant one of them.
  const notSetUp = await notSetUpFor(resolved, options.home, 'stop');
  if (notSetUp !== null) return outcome(false, 'failed', notSetUp, null);
  if (resolved.target.runner !== 'detached') {
    const failed = await askManager(resolved, options, 'stop');
    if (failed !== null) return outcome(false, 'failed', failed, null);
    // The manager stopped what it runs; a gateway of this profile started by hand still holds the lock.
    const rest = await stopByLock(resolved, options, started);
    if (rest.state === 'not running') return outcome(true, 'stopped', `${resolved.target.service} is stopped`, null);
    return rest.ok ? outcome(true, 'stopped', `${resolved.target.service} is stopped, and a gateway of this profile it did not run: ${rest.detail}`, rest.pid) : rest;
  }
  return stopByLock(resolved, options, started);
}

async function restart(resolved: ResolvedTarget, options: ActOptions, started: number): Promise<Outcome> {
  const cannot = await unstartable(resolved, options.home, 'restart', await keptWords(resolved.paths));
  if (cannot !== null) return refused(resolved, cannot);
  if (resolved.target.runner !== 'detached') return upThroughManager(resolved, options, started, 'restart');
  const stopped = await stopByLock(resolved, options, started);
  if (!stopped.ok) return stopped;
  const up = await startDetached(resolved, options, Date.now());
  return up.ok ? { ...up, state: 'restarted' } : up;
}

const ACTIONS: Record<LifecycleAction, (resolved: ResolvedTarget, options: ActOptions, started: number) => Promise<Outcome>> = { start, stop, restart };

/** One action on one profile, with its outcome in words; never throws for what the host does (a failed start is an outcome). */
export async function act(action: LifecycleAction, resolved: ResolvedTarget, options: ActOptions): Promise<LifecycleOutcome> {
  const started = Date.now();
  let result: Outcome;
  try {
    result = await ACTIONS[action](resolved, options, started);
  } catch (error) {
    result = outcome(false, 'failed', (error as Error).message, null);
  }
  log(resolved, result.ok ? 'info' : 'error', `${options.by}: ${result.refused === true ? 'refused' : result.state}: ${result.detail}`);
  return { ...result, ms: Date.now() - started };
}

/**
 * The action on each target in turn, in lifecycleOrder (watching profiles start first, stop
 * last); `before` is told each target before anything is done to it, `after` its outcome.
 * A failure does not stop the others.
 */
export async function actInOrder(
  action: LifecycleAction,
  targets: readonly ResolvedTarget[],
  options: ActOptions,
  report: { before(resolved: ResolvedTarget): void; after(resolved: ResolvedTarget, outcome: LifecycleOutcome): void },
): Promise<{ resolved: ResolvedTarget; outcome: LifecycleOutcome }[]> {
  const results: { resolved: ResolvedTarget; outcome: LifecycleOutcome }[] = [];
  const byTarget = new Map(targets.map((t) => [t.target, t]));
  for (const target of lifecycleOrder([...byTarget.keys()], action)) {
    const resolved = byTarget.get(target)!;
    report.before(resolved);
    const result = await act(action, resolved, options);
    report.after(resolved, result);
    results.push({ resolved, outcome: result });
  }
  return results;
}
