/**
 * One check of one watched profile, read-only: its config (read as every command reads a
 * profile's files: host/store/read.ts), its /health where its running gateway serves (its lock) or else where its config puts it, who holds its three
 * ports, and its service where one is installed. What is wrong is a fact, never a throw.
 */
import { formatConfigError } from '../../core/config/parse';
import { profileRuleProblems, ruleFixWords, type ProfileRuleProblem } from '../../core/config/profile-rules';
import { hostAddresses } from '../ports/addresses';
import { fetchJson } from '../gateway/client';
import { HEALTH_TIMEOUT_MS, judgedByHealth } from '../gateway/lock-health';
import { readGatewayLock, type GatewayLock, type LockState } from '../gateway/pidlock';
import { lockFile, lockKind, lockWords } from '../../core/gateway/lock';
import { loadConfig } from '../store/store';
import { bindHost, clientHost, listenPlan, urlOf } from '../../core/gateway/plan';
import { ROLE_LABEL, type Footprint } from '../../core/ports/footprint';
import { describeHolders } from '../../core/ports/portmap';
import { snapshotListeners, socketInodesOf } from '../ports/probe';
import type { Listener } from '../../core/ports/listeners';
import { readHost } from '../model';
import { currentOf, hostProfile, portFacts } from '../../core/host/view';
import { gatewayMismatch, mismatchFix } from '../../core/host/rules';
import { tildify, type ProfilePaths } from '../../core/profile/paths';
import { stateFile } from '../../core/profile/identity';
import { invocationHere } from '../../host/profile/invocation';
import type { CheckFacts } from '../../core/watch/state';
import { type LoadedConfig } from '../../core/config/parse';
import { readLastGood, sha256Of } from './last-good';
import { unchangedFiles, type UnchangedFiles } from './unchanged';

export interface CheckOptions {
  home: string;
  /** For the service manager: the caller passes targetEnv() of its own, so nothing of its profile leaks in. */
  env: Record<string, string | undefined>;
  timeoutMs?: number;
  /** A watcher's memory of unchanged files (checkMemo()); without it every file is read afresh. */
  memo?: CheckMemo;
}

/** Its running gateway from its lock (read like every profile file: a symlinked or odd lock is no gateway, nor a copy of another profile's). */
async function runningGateway(target: ProfilePaths): Promise<GatewayLock | null> {
  const state = await readGatewayLock(target.stateDir, target.label);
  return state.state === 'running' ? state.lock : null;
}

/** What is left of its lock that needs a hand while no gateway of it runs (a copy of another profile's, a broken one), in the words of status; null otherwise. */
function lockTrouble(state: LockState, target: ProfilePaths, home: string): string | null {
  const kind = lockKind(state);
  return kind === 'copy' || kind === 'broken' ? lockWords(state, lockFile(target, home)) : null;
}

/** The host its gateway listens on, as a client on this host reaches it: from its config's gateway.bind. */
function hostOf(loaded: Exclude<LoadedConfig, { state: 'missing' }>): { host: string } | { error: string } {
  const bind = (loaded.raw?.gateway as { bind?: unknown } | undefined)?.bind;
  try {
    return { host: clientHost(bindHost(typeof bind === 'string' ? bind : undefined)) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * "21002 (browser control) is bound by nginx (pid 812) on 127.0.0.1", for each of its ports a
 * process other than its own gateway holds, attributed by the host view as every command does
 * (another profile's gateway is named as such); and whether its gateway process holds its gateway port.
 */
async function portHolders(fp: Footprint, target: ProfilePaths, home: string, gateway: GatewayLock | null, readGateway: () => Promise<GatewayLock | null>): Promise<{ foreign: string[]; running: CheckFacts['running'] }> {
  const plan = listenPlan(fp);
  // Only ports a listener already holds: a bind probe would briefly take a free port the watched gateway may be starting on.
  const snapshot = await snapshotListeners();
  const held = plan.filter((p) => snapshot.bound.has(p.port));
  if (held.length === 0) {
    const gateway = await readGateway();
    return { foreign: [], running: gateway === null ? null : { pid: gateway.pid, holdsPort: false } };
  }
  const own = heldByGatewayAlone(snapshot.listeners, held, gateway);
  if (own !== null) return { foreign: [], running: { pid: own.pid, holdsPort: held.some((p) => p.port === fp.gateway) } };
  // The view reads the locks after the snapshot (a gateway starting meanwhile holds its lock before it binds), then the listeners.
  const view = await readHost({ home, current: target, health: 'none', only: held.map((p) => p.port) });
  const self = currentOf(view);
  const foreign = held.flatMap(({ role, port }) => {
    const { others } = portFacts(port, view, self);
    return others.length === 0 ? [] : [`${port} (${ROLE_LABEL[role]}) is ${describeHolders(others)}`];
  });
  const holdsPort = portFacts(fp.gateway, view, self).own.some((o) => o.as === 'gateway');
  const running = self.gateway;
  return { foreign, running: running === null ? null : { pid: running.pid, holdsPort } };
}

/**
 * The usual answer, found cheaply: every listener on its held ports is a socket of its own
 * running gateway's process (one look at that process's fds), so no port has another holder
 * and the host view would say just that. Null when anything else may hold one: then the
 * whole view is read, and names the holder as every command does.
 */
function heldByGatewayAlone(listeners: readonly Listener[], held: readonly { port: number }[], gateway: GatewayLock | null): GatewayLock | null {
  // This process is never counted as a holder's owner by the view: leave that case to it.
  if (gateway === null || gateway.pid === process.pid) return null;
  const ports = new Set(held.map((p) => p.port));
  const own = socketInodesOf(gateway.pid);
  return listeners.every((l) => !ports.has(l.port) || own.has(l.inode)) ? gateway : null;
}

async function health(url: string, timeoutMs: number): Promise<CheckFacts['health']> {
  const answer = await fetchJson(`${url}/health`, { timeoutMs });
  if (!answer.ok) return { answered: false, error: answer.error, ...(answer.timedOut ? { timedOut: true } : {}) };
  const profile = (answer.body as { profile?: unknown } | null)?.profile;
  if (answer.status !== 200 || typeof profile !== 'string') {
    return { answered: false, error: `GET /health answered ${answer.status}${typeof profile === 'string' ? '' : ' without a gateway report'}` };
  }
  return { answered: true, profile };
}

async function service(target: ProfilePaths, options: CheckOptions): Promise<CheckFacts['service']> {
  // Loaded only here: a gateway that watches nothing never loads the service module.
  const { serviceStatus } = await import('../service/install');
  // serviceStatus spawns nothing unless a unit file (or plist) is installed.
  const status = await serviceStatus(target, { env: options.env, home: options.home }).catch(() => null);
  return status === null ? null : { installed: status.installed, usable: status.usable, state: status.state };
}

/** What a check takes from a config: decided by its bytes alone, so kept while the file does not change. */
interface ConfigRead {
  /** sha256 of its bytes; null when there is none; absent when the file was not read (refused). */
  configSha256?: string | null;
  config: CheckFacts['config'];
  /** Missing, or a file not read: nothing more is checked. */
  final: boolean;
  /** Its base and footprint by the rule every command follows (the parsed config itself is not kept). */
  base: number | null;
  footprint: Footprint | null;
  address: { host: string } | { error: string } | null;
  /** The gateway's own rules on its (valid) config, given this host's addresses: asked at each check, as an address may come or go while the file stays. */
  rules?: (addresses: readonly string[]) => ProfileRuleProblem[];
}

/** How many of a broken config's problems a finding names. */
const SHOWN_PROBLEMS = 3;

function readOf(loaded: LoadedConfig, target: ProfilePaths, home: string): ConfigRead {
  const shown = tildify(target.configPath, home);
  if (loaded.state === 'missing') return { configSha256: null, config: { state: 'missing', shown }, final: true, base: null, footprint: null, address: null };
  let config: CheckFacts['config'] = { state: 'ok' };
  if (loaded.state === 'invalid') {
    // A finding names the first few problems and counts the rest: thousands of bad entries made one 1.26 MB line.
    const lines = formatConfigError(loaded.error, shown, invocationHere(target.profile), { shown: SHOWN_PROBLEMS }).split('\n');
    // A file not read: what is wrong is the finding (the rest, allowed and fix, is for "doctor --target"), and nothing more is checked.
    if (loaded.error.kind === 'refused') return { config: { state: 'invalid', message: lines[0]!.replace(/\.$/, '') }, final: true, base: null, footprint: null, address: null };
    config = { state: 'invalid', message: lines.join('; ') };
  }
  // Its base and footprint by the rule every command follows (a broken file's port, where a tolerant read recovers it).
  const known = hostProfile(target, loaded, { via: 'state-dir' });
  const address = known.base === null ? null : hostOf(loaded);
  if (address !== null && 'error' in address && config.state === 'ok') config = { state: 'invalid', message: address.error };
  const valid = loaded.state === 'ok' ? loaded.config : null;
  const rules = valid === null ? {} : { rules: (addresses: readonly string[]) => profileRuleProblems(valid, target, home, { addresses, invocation: invocationHere(target.profile) }) };
  return { configSha256: sha256Of(loaded.text), config, final: false, base: known.base, footprint: known.footprint, address, ...rules };
}

/** What of its config its gateway would refuse to start on (profileRuleProblems), with the fix, in words; undefined when nothing. */
function refusedWords(read: ConfigRead, target: ProfilePaths): string | undefined {
  const refusals = read.rules?.(hostAddresses()) ?? [];
  if (refusals.length === 0) return undefined;
  const invocation = invocationHere(target.profile);
  return `${refusals.map((r) => r.sentence).join(' ')} ${ruleFixWords(refusals, `Fix it with "${invocation} doctor --fix"`)}`;
}

/** The last-known-good record as a check compares it: its hash and time, not the config text it holds. */
async function lastGoodStamp(stateDir: string): Promise<CheckFacts['lastGood']> {
  const lastGood = await readLastGood(stateDir);
  return lastGood === null ? null : { sha256: lastGood.sha256, recordedAt: lastGood.recordedAt };
}

/** What a watcher keeps between its checks: what its targets' unchanged files said last time. */
export interface CheckMemo {
  configs: UnchangedFiles<ConfigRead>;
  lastGood: UnchangedFiles<CheckFacts['lastGood']>;
}

export function checkMemo(now: () => number = Date.now): CheckMemo {
  return { configs: unchangedFiles(now), lastGood: unchangedFiles(now) };
}

export async function checkProfile(target: ProfilePaths, options: CheckOptions): Promise<CheckFacts> {
  const memo = options.memo;
  // The one reader every command uses: never through a symlink out of its state dir, never blocking, size and depth capped.
  const readConfig = async () => readOf(await loadConfig(target.configPath), target, options.home);
  const readStamp = () => lastGoodStamp(target.stateDir);
  const [read, lock, lastGood] = await Promise.all([
    memo === undefined ? readConfig() : memo.configs.read(target.configPath, readConfig),
    readGatewayLock(target.stateDir, target.label).then((state) => judgedByHealth(target.label, state)),
    memo === undefined ? readStamp() : memo.lastGood.read(stateFile(target.stateDir, 'lastGood'), readStamp),
  ]);
  const facts: CheckFacts = {
    profile: target.label,
    config: read.config,
    gatewayAddress: null,
    health: null,
    foreignHolders: [],
    service: null,
    // What the config's bytes are against the last-known-good ones (a file not read is not compared).
    lastGood,
    ...('configSha256' in read ? { configSha256: read.configSha256 } : {}),
  };
  if (read.final) return facts;
  const { base, footprint: fp, address } = read;
  const gateway = lock.state === 'running' ? lock.lock : null;
  const trouble = lockTrouble(lock, target, options.home);
  const self = { gateway: gateway === null ? null : { pid: gateway.pid, startedAt: gateway.startedAt, host: gateway.host, ports: gateway.ports, health: null, detail: null, browsers: [] } };
  // A gateway serving other ports than its config says (the config changed while it ran): asked where it serves, as status does.
  const mismatch = fp === null ? null : gatewayMismatch(self, fp, 'config');
  // A running gateway is asked where its lock says it serves, as status asks it: the config on disk may have changed since it started
  // (a bind on no address of this host, another port), and that says nothing of whether it is up. No gateway: where its config puts it.
  const url =
    gateway !== null
      ? urlOf(clientHost(gateway.host), gateway.ports.gateway)
      : address !== null && 'host' in address
        ? urlOf(address.host, base!)
        : null;
  const refused = refusedWords(read, target);
  const [answer, holders, serviceFacts] = await Promise.all([
    url === null ? null : health(url, options.timeoutMs ?? HEALTH_TIMEOUT_MS),
    fp === null
      ? { foreign: [], running: gateway === null ? null : { pid: gateway.pid, holdsPort: false } }
      : portHolders(fp, target, options.home, gateway, () => runningGateway(target)),
    service(target, options),
  ]);
  return {
    ...facts,
    gatewayAddress: url === null ? null : url.slice('http://'.length),
    health: answer,
    foreignHolders: holders.foreign,
    running: holders.running,
    service: serviceFacts,
    ...(mismatch === null ? {} : { mismatch: `${mismatch.text}: ${mismatchFix(mismatch, invocationHere(target.profile), serviceFacts?.installed === true)}` }),
    ...(trouble === null ? {} : { lock: trouble }),
    ...(refused === undefined ? {} : { refused }),
  };
}
