import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { brokenConfig, notSetUpAmong } from '../core/messages';
import { ensureStateDir } from '../host/store/store';
import { AlreadyRunning, HostError, UsageError } from '../core/errors';
import type { Config } from '../core/config/schema';
import { describeSelfOverlap, footprint, resolveBase, ROLE_LABEL, selfOverlaps, type ResolvedBase } from '../core/ports/footprint';
import { proposeLive, readHost, refreshHost } from '../host/model';
import { othersOf } from '../host/profile/not-set-up';
import { describeHolders } from '../core/ports/portmap';
import type { PortHolder } from '../core/ports/listeners';
import { probePorts, snapshotListeners } from '../host/ports/probe';
import { hostAddresses } from '../host/ports/addresses';
import { claimsAgainst, currentOf, portFacts, type HostProfile, type HostView } from '../core/host/view';
import { cdpUrlConflicts, roleOf } from '../core/host/rules';
import { workspaceOf } from '../core/profile/plan';
import type { ProfilePaths } from '../core/profile/paths';
import { tildify } from '../core/profile/paths';
import { createBrowserControl } from './browser';
import { planBrowserProfiles } from '../core/gateway/browser-profiles';
import { canvasHandler, prepareCanvasRoot } from './canvas';
import { healthPorts, healthReport } from '../core/gateway/health';
import { allowedHosts } from './hosts';
import { createGuardedServer, sendJson } from './http';
import type { ThrottledLog } from './log-throttle';
import { acquireGatewayLock, type GatewayLock } from '../host/gateway/pidlock';
import { processStartOf } from '../host/gateway/proc';
import { sha256Of } from '../host/watch/last-good';
import { baseFix, bindAddressFix, bindHost, clientHost, footprintConflicts, isLoopbackHost, listenPlan, urlOf, type Listening } from '../core/gateway/plan';
import { DEFAULT_RESTART_POLICY } from '../core/watch/state';
import { watchTargets } from '../core/watch/targets';
import type { Watcher } from '../host/watch/watcher';
import { attachWebSocket, WS_PATH } from './ws';
import { profileRuleProblems } from '../core/config/profile-rules';
import { systemDirUnder } from '../host/profile/resolve';

export interface GatewayOptions {
  paths: ProfilePaths;
  home: string;
  env: Record<string, string | undefined>;
  /** --port */
  port: number | undefined;
  /** "epiloop --profile main": prefix of the fix commands we print. */
  invocation: string;
  log: (line: string) => void;
  /** For lines a client can cause: refusals, failures serving one client. */
  throttled: ThrottledLog;
}

/**
 * What a gateway process holds that must not outlive it. startGateway fills it in as it takes
 * each thing, so every exit path (a stop, a signal during start-up, a failed start, a bug) lets
 * go of exactly what is held: releaseHoldings when there is time, releaseHoldingsNow when not.
 */
export interface Holdings {
  lock: { release(): Promise<void>; releaseNow(): void } | null;
  servers: http.Server[];
  ws: { close(): Promise<void> } | null;
  browsers: { stopAll(graceMs: number): Promise<void>; killAll(): void } | null;
  watcher: Watcher | null;
}

export function emptyHoldings(): Holdings {
  return { lock: null, servers: [], ws: null, browsers: null, watcher: null };
}

/** Closes every server, WebSocket and browser, bounded by graceMs, then releases the lock. */
export async function releaseHoldings(held: Holdings, graceMs: number): Promise<void> {
  const { servers, ws, browsers, watcher } = held;
  Object.assign(held, { servers: [], ws: null, watcher: null });
  const closing = Promise.all([watcher?.stop(graceMs), ws?.close(), ...servers.map(closeServer), browsers?.stopAll(Math.max(0, graceMs - 500))]);
  await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
  const lock = held.lock;
  held.lock = null;
  await lock?.release();
}

/** The same, at once and synchronously, for a process about to exit: the browsers killed, the servers unbound, the lock released. */
export function releaseHoldingsNow(held: Holdings): void {
  held.browsers?.killAll();
  for (const server of held.servers) if (server.listening) server.close();
  held.lock?.releaseNow();
  held.lock = null;
}

/** A refused start closes what it opened within this (no browser can have started yet). */
const REFUSED_START_GRACE_MS = 1000;

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A port of the plan that something holds, in words: its holders as the host view names them (another profile's gateway by its profile). */
function inUse(role: Listening, holders: readonly PortHolder[]): string {
  return `port ${role.port} (${ROLE_LABEL[role.role]}) is already in use: ${holders.length > 0 ? describeHolders(holders) : 'its holder is not visible'}`;
}

/**
 * The ports of the plan that anything listens on, in either address family, wildcard or not,
 * each in words with its holder: binding 127.0.0.1 beside a squatter on [::1] would succeed,
 * and every client that resolves localhost to ::1 would hand the squatter its token.
 */
async function portsInUse(plan: readonly Listening[], view: HostView): Promise<string[]> {
  const snapshot = await snapshotListeners();
  const states = await probePorts(plan.map((role) => role.port), { snapshot, owners: false, confirm: false });
  const busy = plan.filter((role) => states.get(role.port)?.state === 'bound');
  if (busy.length === 0) return [];
  const now = await refreshHost(view, busy.map((role) => role.port));
  return busy.map((role) => inUse(role, portFacts(role.port, now, currentOf(now)).others));
}

/** Why a port could not be bound, in words, with the holder named where the host tells (another profile's gateway by its profile). */
async function bindFailure(role: Listening, host: string, error: NodeJS.ErrnoException, view: HostView): Promise<string> {
  const what = `port ${role.port} (${ROLE_LABEL[role.role]})`;
  if (error.code === 'EADDRINUSE') {
    const now = await refreshHost(view, [role.port]);
    return inUse(role, portFacts(role.port, now, currentOf(now)).others);
  }
  if (error.code === 'EACCES') return `${what} may not be bound by this user on ${host}`;
  return `${what} could not be bound on ${host}: ${error.message}`;
}

/** "port 18789 (gateway)", "ports 18789 (gateway), 18791 (browser control) and 18793 (canvas host)". */
function portsWords(roles: readonly Listening[]): string {
  const each = roles.map((role) => `${role.port} (${ROLE_LABEL[role.role]})`);
  return each.length === 1 ? `port ${each[0]}` : `ports ${each.slice(0, -1).join(', ')} and ${each.at(-1)}`;
}

/** The fix line for a refused base; a free base is looked for only when the base was given on the command line or in the environment. */
async function fixFor(base: ResolvedBase, config: Config, view: HostView, self: HostProfile, invocation: string): Promise<string> {
  const own = resolveBase({ env: {}, config });
  const overridden = base.source === '--port' || base.source === 'EPILOOP_GATEWAY_PORT';
  const free = overridden ? (await proposeLive(view, self, roleOf(self), (b) => footprint(config, b))).proposal : null;
  return baseFix({
    source: base.source,
    invocation,
    own: { ...own, clear: footprintConflicts(footprint(config, own.port), claimsAgainst(view, self)).length === 0 },
    free: free?.base ?? null,
  });
}

/**
 * Checks everything that can be checked first (config, token, other profiles' ports, the lock),
 * then binds base, +2 and +4 together: if any bind fails, none stays bound. Whatever it takes
 * goes into `held` at once; an aborted `signal` ends it at the next step, with `held` to let go.
 */
export async function startGateway(options: GatewayOptions, held: Holdings, signal: AbortSignal): Promise<void> {
  const { paths, home, invocation, log, throttled } = options;
  const view = await readHost({ home, current: paths, health: 'none' });
  signal.throwIfAborted();
  const self = currentOf(view);
  const loaded = self.loaded;
  if (loaded.state === 'missing') {
    throw new UsageError(notSetUpAmong({ label: paths.label, invocation }, tildify(paths.configPath, home), othersOf(view.profiles, paths), 'gateway'));
  }
  if (loaded.state === 'invalid') {
    throw new HostError(brokenConfig({ label: paths.label, invocation }, loaded.error, tildify(loaded.path, home)));
  }
  const config = loaded.config;
  // The rules doctor reports too (profileRuleProblems): a config one passes, the other starts.
  const refusals = profileRuleProblems(config, paths, home);
  if (refusals.length > 0) {
    throw new UsageError(
      `${tildify(paths.configPath, home)}:\n${refusals.map((r) => `  ${r.sentence}`).join('\n')}\nThe gateway of profile "${paths.label}" was not started. Fix it with "${invocation} doctor --fix" (or "${invocation} setup", which adds a missing token).`,
    );
  }
  const token = config.gateway!.auth!.token!;
  const watching = watchTargets(config, paths, home);
  // Loaded only by a gateway that watches (the others never pay for the checks or the service
  // module), and from here: its files load while the lock and the ports are checked.
  const watcherModule = watching.targets.length > 0 ? import('../host/watch/watcher') : null;
  watcherModule?.catch(() => undefined); // a refused start never awaits it
  const base = resolveBase({ flag: options.port, env: options.env, config });
  const fp = footprint(config, base.port);
  // A base from --port or the environment may put the config's pinned ports onto its own roles.
  const overlaps = selfOverlaps(fp);
  if (overlaps.length > 0) {
    throw new UsageError(`base ${base.port} (from ${base.source}) cannot be used with the ports profile "${paths.label}" pins: ${overlaps.map((o) => describeSelfOverlap(o, fp)).join('; ')}. Nothing was bound; pick another base.`);
  }
  const address = bindHost(config.gateway?.bind);
  const plan = listenPlan(fp);
  // Every port of the footprint, not only the three bound here: DESIGN.md reserves it whole.
  // Another profile's claim, by its config or by where its gateway runs now.
  const conflicts = footprintConflicts(fp, claimsAgainst(view, self));
  if (conflicts.length > 0) {
    throw new HostError(
      `the gateway of profile "${paths.label}" cannot use base ${base.port} (from ${base.source}):\n${conflicts.map((c) => `  ${c}`).join('\n')}\nNothing was bound. Fix: ${await fixFor(base, config, view, self, invocation)}.`,
    );
  }
  // A remote browser on another profile's ports would hand it this gateway's browser traffic: the rule doctor reports.
  const remote = cdpUrlConflicts(self.pins, view, self, fp);
  if (remote.length > 0) {
    // Doctor reads the config's base: a URL that is this gateway's own server only on a base from --port or the environment is that base's fault, not one doctor finds.
    const seen = new Set(cdpUrlConflicts(self.pins, view, self).map((b) => b.pin));
    const fix = remote.every((b) => seen.has(b.pin))
      ? `Fix it with "${invocation} doctor --fix", or point it at a Chrome of its own.`
      : `Start it on another base than ${base.port} (from ${base.source}), or point it at a Chrome of its own.`;
    throw new HostError(
      `the gateway of profile "${paths.label}" cannot use its remote browser:\n${remote.map((b) => `  ${b.pin.keys.join('.')}: ${b.text}`).join('\n')}\nNothing was bound. ${fix}`,
    );
  }
  const workspace = workspaceOf(loaded, paths);
  const system = await systemDirUnder(workspace);
  if (system !== null) {
    throw new UsageError(`the workspace ${tildify(workspace, home)} is ${system.real}, ${system.real === system.system ? 'a' : 'inside the'} system directory ${system.system}; the gateway never creates or serves files there. Fix it with "${invocation} doctor --fix".`);
  }
  const canvasRoot = fp.canvas === null ? null : await prepareCanvasRoot(path.join(workspace, 'canvas'));

  await ensureStateDir(paths.stateDir);
  signal.throwIfAborted();
  const startedAt = Date.now();
  const ports = healthPorts(fp);
  const lock: GatewayLock & { profile: string } = {
    pid: process.pid,
    processStart: await processStartOf(process.pid),
    startedAt: new Date(startedAt).toISOString(),
    host: address,
    ports,
    profile: paths.label,
    configSha256: sha256Of(loaded.text),
  };
  const acquired = await acquireGatewayLock(paths.stateDir, lock);
  if (acquired.ok) held.lock = acquired;
  signal.throwIfAborted();
  if (!acquired.ok) {
    const holder = acquired.holder;
    throw new AlreadyRunning(
      `the gateway of profile "${paths.label}" is already running: pid ${holder.pid}, since ${holder.startedAt}, on ${urlOf(clientHost(holder.host), holder.ports.gateway)}. Nothing to do; to restart it: "${invocation} restart"; to stop it: "${invocation} stop"; to check it: "${invocation} status".`,
    );
  }
  const squatted = await portsInUse(plan, view);
  signal.throwIfAborted();
  const cannotStart = async (reasons: string[], fix?: string) =>
    new HostError(
      `the gateway of profile "${paths.label}" cannot start:\n${reasons.map((r) => `  ${r}`).join('\n')}\nNothing was bound. Fix: ${fix ?? `stop that process, or ${await fixFor(base, config, view, self, invocation)}`}.`,
    );
  if (squatted.length > 0) {
    await releaseHoldings(held, REFUSED_START_GRACE_MS);
    throw await cannotStart(squatted);
  }

  // /health answers once start-up is done: before, it would name ports not yet bound, or (a
  // watching gateway) no watch at all. A request that comes first waits; a failed start drops it.
  let serving = false;
  let markServing!: () => void;
  const whenServing = new Promise<void>((resolve) => (markServing = resolve));
  const health = () => healthReport({ label: paths.label, pid: process.pid, startedAt, ports, watch: held.watcher?.report(), alerts: held.watcher?.sinks() }, Date.now());
  const logError = (error: unknown) =>
    throttled.line('error serving a client', `error serving a client: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`.split('\n').join(' | '));
  // A wildcard bind answers to this host's addresses and name too; only then are they looked up.
  const names = address === '0.0.0.0' || address === '::' ? { addresses: hostAddresses(), hostname: os.hostname() } : undefined;
  const guard = (port: number) => ({ hosts: allowedHosts(port, address, names), onError: logError, log: throttled });
  const gatewayGuard = guard(fp.gateway);
  const gatewayServer = createGuardedServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && pathname === '/health') {
      if (serving) return sendJson(res, 200, health());
      return whenServing.then(() => sendJson(res, 200, health()));
    }
    sendJson(res, 404, { error: `not found; this gateway answers GET /health and a WebSocket at ${WS_PATH}` });
  }, gatewayGuard);
  const ws = attachWebSocket(gatewayServer, { token, hosts: gatewayGuard.hosts, status: health, log: throttled, onError: logError });
  held.ws = ws;
  const controlUrl = urlOf(clientHost(address), fp.browserControl);
  const browsers = createBrowserControl({
    label: paths.label,
    token,
    stateDir: paths.stateDir,
    controlUrl,
    cdp: fp.cdp,
    profiles: planBrowserProfiles(config, fp),
    env: options.env,
    log,
  });
  held.browsers = browsers;
  const controlServer = createGuardedServer(browsers.handle, guard(fp.browserControl));
  const servers = new Map<Listening['role'], http.Server>([
    ['gateway', gatewayServer],
    ['browser-control', controlServer],
  ]);
  // Reachable from other machines: the canvas host demands the token too.
  const canvasToken = isLoopbackHost(address) ? null : token;
  if (canvasRoot !== null && fp.canvas !== null) servers.set('canvas', createGuardedServer(canvasHandler(canvasRoot, { token: canvasToken }), guard(fp.canvas)));
  held.servers = [...servers.values()];

  const results = await Promise.allSettled(plan.map((role) => listen(servers.get(role.role)!, role.port, address)));
  const failed = plan.flatMap((role, i) => (results[i]!.status === 'rejected' ? [{ role, error: (results[i] as PromiseRejectedResult).reason as NodeJS.ErrnoException }] : []));
  if (failed.length > 0) {
    // Unbound before the holders are probed and a free base is looked for: our own servers must not show up.
    await releaseHoldings(held, REFUSED_START_GRACE_MS);
    // No process to stop and no base to move to: gateway.bind names an address this host does not have,
    // one reason for every port it refused, said once.
    const notHere = failed.filter((f) => f.error.code === 'EADDRNOTAVAIL');
    const reasons = [
      ...(notHere.length === 0 ? [] : [`${portsWords(notHere.map((f) => f.role))}: ${address} is not an address of this host (gateway.bind)`]),
      ...(await Promise.all(failed.filter((f) => f.error.code !== 'EADDRNOTAVAIL').map((f) => bindFailure(f.role, address, f.error, view)))),
    ];
    throw await cannotStart(reasons, notHere.length > 0 ? bindAddressFix(invocation, hostAddresses()) : undefined);
  }

  signal.throwIfAborted();
  if (watcherModule !== null) {
    const { DEFAULT_INTERVAL_MS, startWatcher } = await watcherModule;
    signal.throwIfAborted();
    held.watcher = startWatcher({
      self: paths,
      targets: watching.targets,
      home,
      env: options.env,
      intervalMs: config.watch?.intervalMs ?? DEFAULT_INTERVAL_MS,
      restart: config.watch?.restart === true,
      rollback: config.watch?.rollback === 'auto',
      maxRestartsPerHour: config.watch?.maxRestartsPerHour ?? DEFAULT_RESTART_POLICY.maxPerHour,
      hungAfterChecks: config.watch?.hungAfterChecks,
      alerts: config.watch?.alerts,
      log,
    });
  }
  const shown = plan.map((role) => `${ROLE_LABEL[role.role]} ${urlOf(address, role.port)}`).join(' · ');
  serving = true;
  markServing();
  ws.warm();
  log(`gateway of profile "${paths.label}" ready (pid ${process.pid}): ${shown} · WebSocket ${WS_PATH} · CDP ${fp.cdp.from}–${fp.cdp.to}${canvasRoot ? ` · canvas folder ${tildify(canvasRoot, home)}` : ''}`);
}
