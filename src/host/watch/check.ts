/**
 * One check of one watched profile, read-only: its config (read as every command reads a
 * profile's files: host/store/read.ts), its /health at the address its own config gives, who holds its three
 * ports, and its service where one is installed. What is wrong is a fact, never a throw.
 */
import { formatConfigError } from '../../core/config/parse';
import { fetchJson } from '../gateway/client';
import { HEALTH_TIMEOUT_MS } from '../gateway/live';
import { readGatewayLock, type GatewayLock } from '../gateway/pidlock';
import { loadConfig } from '../store/store';
import { bindHost, clientHost, listenPlan, urlOf } from '../../core/gateway/plan';
import { ROLE_LABEL, type Footprint } from '../../core/ports/footprint';
import { describeHolders } from '../../core/ports/portmap';
import { snapshotListeners } from '../ports/probe';
import { readHost } from '../model';
import { currentOf, hostProfile, portFacts } from '../../core/host/view';
import { gatewayMismatch, mismatchFix } from '../../core/host/rules';
import { tildify, type ProfilePaths } from '../../core/profile/paths';
import { invocationOf } from '../../core/profile/identity';
import type { CheckFacts } from '../../core/watch/state';
import { type LoadedConfig } from '../../core/config/parse';
import { readLastGood, sha256Of } from './last-good';

export interface CheckOptions {
  home: string;
  /** For the service manager: the caller passes targetEnv() of its own, so nothing of its profile leaks in. */
  env: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Its running gateway from its lock (read like every profile file: a symlinked or odd lock is no gateway). */
async function runningGateway(target: ProfilePaths): Promise<GatewayLock | null> {
  const state = await readGatewayLock(target.stateDir);
  return state.state === 'running' ? state.lock : null;
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
async function portHolders(fp: Footprint, target: ProfilePaths, home: string, readGateway: () => Promise<GatewayLock | null>): Promise<{ foreign: string[]; running: CheckFacts['running'] }> {
  const plan = listenPlan(fp);
  // Only ports a listener already holds: a bind probe would briefly take a free port the watched gateway may be starting on.
  const snapshot = await snapshotListeners();
  const held = plan.filter((p) => snapshot.bound.has(p.port));
  if (held.length === 0) {
    const gateway = await readGateway();
    return { foreign: [], running: gateway === null ? null : { pid: gateway.pid, holdsPort: false } };
  }
  // The view reads the locks after the snapshot (a gateway starting meanwhile holds its lock before it binds), then the listeners.
  const view = await readHost({ home, current: target, health: 'none', only: held.map((p) => p.port) });
  const self = currentOf(view);
  const foreign = held.flatMap(({ role, port }) => {
    const { others } = portFacts(port, view, self);
    return others.length === 0 ? [] : [`${port} (${ROLE_LABEL[role]}) is ${describeHolders(others)}`];
  });
  const holdsPort = portFacts(fp.gateway, view, self).own.some((o) => o.as === 'gateway');
  const gateway = self.gateway;
  return { foreign, running: gateway === null ? null : { pid: gateway.pid, holdsPort } };
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

export async function checkProfile(target: ProfilePaths, options: CheckOptions): Promise<CheckFacts> {
  const shown = (p: string) => tildify(p, options.home);
  // The one reader every command uses: never through a symlink out of its state dir, never blocking, size and depth capped.
  const [loaded, gateway, lastGood] = await Promise.all([loadConfig(target.configPath), runningGateway(target), readLastGood(target.stateDir)]);
  const facts: CheckFacts = { profile: target.label, config: { state: 'ok' }, gatewayAddress: null, health: null, foreignHolders: [], service: null };
  // What the config's bytes are against the last-known-good ones (a file not read is not compared).
  const refused = loaded.state === 'invalid' && loaded.error.kind === 'refused';
  facts.lastGood = lastGood === null ? null : { sha256: lastGood.sha256, recordedAt: lastGood.recordedAt };
  if (!refused) facts.configSha256 = loaded.state === 'missing' ? null : sha256Of(loaded.text);
  if (loaded.state === 'missing') return { ...facts, config: { state: 'missing', shown: shown(target.configPath) } };
  if (loaded.state === 'invalid') {
    const lines = formatConfigError(loaded.error, shown(target.configPath), invocationOf(target.profile)).split('\n');
    // A file not read: what is wrong is the finding (the rest, allowed and fix, is for "doctor --target"), and nothing more is checked.
    if (loaded.error.kind === 'refused') return { ...facts, config: { state: 'invalid', message: lines[0]!.replace(/\.$/, '') } };
    facts.config = { state: 'invalid', message: lines.join('; ') };
  }

  // Its base and footprint by the rule every command follows (a broken file's port, where a tolerant read recovers it).
  const known = hostProfile(target, loaded, {
    via: 'state-dir',
    gateway: gateway === null ? null : { pid: gateway.pid, startedAt: gateway.startedAt, host: gateway.host, ports: gateway.ports, health: null, detail: null, browsers: [] },
  });
  // A gateway serving other ports than its config says (the config changed while it ran): asked where it serves, as status does.
  const mismatch = known.footprint === null ? null : gatewayMismatch(known, known.footprint, 'config');
  const address = known.base === null ? null : hostOf(loaded);
  if (address !== null && 'error' in address && facts.config.state === 'ok') facts.config = { state: 'invalid', message: address.error };
  // No base in its config (a broken one): where its running gateway says it listens is still known, never guessed.
  const url =
    address !== null && 'host' in address && mismatch === null
      ? urlOf(address.host, known.base!)
      : gateway !== null
        ? urlOf(clientHost(gateway.host), gateway.ports.gateway)
        : null;
  const [answer, holders, serviceFacts] = await Promise.all([
    url === null ? null : health(url, options.timeoutMs ?? HEALTH_TIMEOUT_MS),
    known.footprint === null
      ? { foreign: [], running: gateway === null ? null : { pid: gateway.pid, holdsPort: false } }
      : portHolders(known.footprint, target, options.home, () => runningGateway(target)),
    service(target, options),
  ]);
  return {
    ...facts,
    gatewayAddress: url === null ? null : url.slice('http://'.length),
    health: answer,
    foreignHolders: holders.foreign,
    running: holders.running,
    service: serviceFacts,
    ...(mismatch === null ? {} : { mismatch: `${mismatch.text}: ${mismatchFix(mismatch, invocationOf(target.profile), serviceFacts?.installed === true)}` }),
  };
}
