import type http from 'node:http';
import path from 'node:path';
import { formatConfigError } from '../core/config/parse';
import { ensureStateDir } from '../host/store/store';
import { AlreadyRunning, HostError, UsageError } from '../core/errors';
import type { Config } from '../core/config/schema';
import { footprint, resolveBase, ROLE_LABEL, type ResolvedBase } from '../core/ports/footprint';
import { proposeLive, readHost, refreshHost } from '../host/model';
import { describeHolders } from '../core/ports/portmap';
import { claimsAgainst, currentOf, portFacts, type HostProfile, type HostView } from '../core/host/view';
import { roleOf } from '../core/host/rules';
import type { ProfilePaths } from '../core/profile/paths';
import { tildify } from '../core/profile/paths';
import { createBrowserControl } from './browser';
import { planBrowserProfiles } from '../core/gateway/browser-profiles';
import { canvasHandler, prepareCanvasRoot } from './canvas';
import { healthPorts, healthReport } from '../core/gateway/health';
import { createGuardedServer, sendJson } from './http';
import { acquireGatewayLock, type GatewayLock } from '../host/gateway/pidlock';
import { processStartOf } from '../host/gateway/proc';
import { baseFix, bindHost, clientHost, footprintConflicts, listenPlan, urlOf, type Listening } from '../core/gateway/plan';
import { DEFAULT_RESTART_POLICY } from '../core/watch/state';
import { watchTargets } from '../core/watch/targets';
import type { Watcher } from '../host/watch/watcher';
import { attachWebSocket, WS_PATH } from './ws';
import { workspaceOf } from '../core/profile/plan';

export interface GatewayOptions {
  paths: ProfilePaths;
  home: string;
  env: Record<string, string | undefined>;
  /** --port */
  port: number | undefined;
  /** "epiloop --profile main": prefix of the fix commands we print. */
  invocation: string;
  log: (line: string) => void;
}

export interface RunningGateway {
  /** Closes every server, WebSocket and browser, then releases the lock; bounded by graceMs. */
  stop(graceMs: number): Promise<void>;
}

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

/** Why a port could not be bound, in words, with the holder named where the host tells (another profile's gateway by its profile). */
async function bindFailure(role: Listening, host: string, error: NodeJS.ErrnoException, view: HostView): Promise<string> {
  const what = `port ${role.port} (${ROLE_LABEL[role.role]})`;
  if (error.code === 'EADDRINUSE') {
    const now = await refreshHost(view, [role.port]);
    const { others } = portFacts(role.port, now, currentOf(now));
    return `${what} is already in use: ${others.length > 0 ? describeHolders(others) : 'its holder is not visible'}`;
  }
  if (error.code === 'EACCES') return `${what} may not be bound by this user on ${host}`;
  if (error.code === 'EADDRNOTAVAIL') return `${what}: ${host} is not an address of this host (gateway.bind)`;
  return `${what} could not be bound on ${host}: ${error.message}`;
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
 * then binds base, +2 and +4 together: if any bind fails, none stays bound.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { paths, home, invocation, log } = options;
  const view = await readHost({ home, current: paths, health: 'none' });
  const self = currentOf(view);
  const loaded = self.loaded;
  if (loaded.state === 'missing') {
    throw new UsageError(`profile "${paths.label}" is not set up: no config at ${tildify(paths.configPath, home)}. Run "${invocation} setup" (or "${invocation} onboard" for the guided wizard) first.`);
  }
  if (loaded.state === 'invalid') {
    throw new HostError(`${formatConfigError(loaded.error, tildify(loaded.path, home))}\nThe gateway of profile "${paths.label}" cannot start with a broken config. Repair it with "${invocation} onboard" or "${invocation} doctor --fix".`);
  }
  const config = loaded.config;
  const token = config.gateway?.auth?.token;
  if (token === undefined || token.trim() === '') {
    throw new UsageError(`profile "${paths.label}" has no gateway.auth.token, so nothing could authenticate to it. Run "${invocation} setup" (it adds a token and keeps everything else).`);
  }
  const watching = watchTargets(config, paths, home);
  if (watching.problems.length > 0) {
    throw new UsageError(
      `${tildify(paths.configPath, home)}:\n${watching.problems.map((p) => `  ${p}`).join('\n')}\nThe gateway of profile "${paths.label}" was not started: fix watch.profiles in that file.`,
    );
  }
  const base = resolveBase({ flag: options.port, env: options.env, config });
  const fp = footprint(config, base.port);
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
  const canvasRoot = fp.canvas === null ? null : await prepareCanvasRoot(path.join(workspaceOf(loaded, paths), 'canvas'));

  await ensureStateDir(paths.stateDir);
  const startedAt = Date.now();
  const ports = healthPorts(fp);
  const lock: GatewayLock = { pid: process.pid, processStart: await processStartOf(process.pid), startedAt: new Date(startedAt).toISOString(), host: address, ports };
  const acquired = await acquireGatewayLock(paths.stateDir, lock);
  if (!acquired.ok) {
    const held = acquired.holder;
    throw new AlreadyRunning(
      `the gateway of profile "${paths.label}" is already running: pid ${held.pid}, since ${held.startedAt}, on ${urlOf(clientHost(held.host), held.ports.gateway)}. Nothing to do; stop pid ${held.pid} first to restart it, or check it with "${invocation} status".`,
    );
  }

  let watcher: Watcher | null = null;
  const health = () => healthReport({ label: paths.label, pid: process.pid, startedAt, ports, watch: watcher?.report() }, Date.now());
  const logError = (error: unknown) => log(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`.split('\n').join(' | '));
  const gatewayServer = createGuardedServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && pathname === '/health') return sendJson(res, 200, health());
    sendJson(res, 404, { error: `not found; this gateway answers GET /health and a WebSocket at ${WS_PATH}` });
  }, logError);
  const ws = attachWebSocket(gatewayServer, { token, status: health, log });
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
  const controlServer = createGuardedServer(browsers.handle, logError);
  const servers = new Map<Listening['role'], http.Server>([
    ['gateway', gatewayServer],
    ['browser-control', controlServer],
  ]);
  if (canvasRoot !== null) servers.set('canvas', createGuardedServer(canvasHandler(canvasRoot), logError));

  const results = await Promise.allSettled(plan.map((role) => listen(servers.get(role.role)!, role.port, address)));
  const failed = plan.flatMap((role, i) => (results[i]!.status === 'rejected' ? [{ role, error: (results[i] as PromiseRejectedResult).reason as NodeJS.ErrnoException }] : []));
  if (failed.length > 0) {
    await Promise.all([...servers.values()].map(closeServer));
    await acquired.release();
    const reasons = await Promise.all(failed.map((f) => bindFailure(f.role, address, f.error, view)));
    throw new HostError(
      `the gateway of profile "${paths.label}" cannot start:\n${reasons.map((r) => `  ${r}`).join('\n')}\nNothing was bound. Fix: stop that process, or ${await fixFor(base, config, view, self, invocation)}.`,
    );
  }

  if (watching.targets.length > 0) {
    // Loaded only by a gateway that watches: the others never pay for the checks or the service module.
    const { DEFAULT_INTERVAL_MS, startWatcher } = await import('../host/watch/watcher');
    watcher = startWatcher({
      self: paths,
      targets: watching.targets,
      home,
      env: options.env,
      intervalMs: config.watch?.intervalMs ?? DEFAULT_INTERVAL_MS,
      restart: config.watch?.restart === true,
      maxRestartsPerHour: config.watch?.maxRestartsPerHour ?? DEFAULT_RESTART_POLICY.maxPerHour,
      log,
    });
  }
  const shown = plan.map((role) => `${ROLE_LABEL[role.role]} ${urlOf(address, role.port)}`).join(' · ');
  ws.warm();
  log(`gateway of profile "${paths.label}" ready (pid ${process.pid}): ${shown} · WebSocket ${WS_PATH} · CDP ${fp.cdp.from}–${fp.cdp.to}${canvasRoot ? ` · canvas folder ${tildify(canvasRoot, home)}` : ''}`);

  let stopping: Promise<void> | null = null;
  return {
    stop(graceMs: number): Promise<void> {
      stopping ??= (async () => {
        const closing = Promise.all([
          watcher?.stop(graceMs),
          ws.close(),
          ...[...servers.values()].map(closeServer),
          browsers.stopAll(Math.max(0, graceMs - 500)),
        ]);
        await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
        await acquired.release();
        log(`gateway of profile "${paths.label}" stopped`);
      })();
      return stopping;
    },
  };
}
