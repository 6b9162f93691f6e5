/**
 * Every profile on the host as one row of facts (core/top/row.ts), from one read of the host
 * model and the helpers `status` uses: its gateway (liveOf), the mismatch rule, whether its
 * gateway would start (hostStartVerdict), its service (serviceStatus), its watching
 * (watchSection) and its newest config backup. `list` prints these; `top` reads them again on
 * every refresh.
 */
import path from 'node:path';
import { gatewayMismatch, roleOf } from '../../core/host/rules';
import { hostStartVerdict, startRefusal } from '../../core/host/start';
import type { HostProfile, HostView } from '../../core/host/view';
import type { Config } from '../../core/config/schema';
import type { HealthReport } from '../../core/gateway/health';
import type { ServiceStatus } from '../../core/service/spec';
import type { ProfilePaths } from '../../core/profile/paths';
import { backupTime } from '../../core/profile/identity';
import { gatewayState, type ProfileRow } from '../../core/top/row';
import { targetEnv } from '../../core/watch/targets';
import { liveOf, type GatewayLive } from '../gateway/live';
import { readHost } from '../model';
import { hostAddresses } from '../ports/addresses';
import { invocationHere } from '../profile/invocation';
import { serviceStatus } from '../service/install';
import { listBackups } from '../store/store';
import type { WatchSection } from '../watch/status';

export type HostRow = ProfileRow<GatewayLive, WatchSection>;

export interface HostRows {
  view: HostView;
  rows: HostRow[];
}

type Env = Record<string, string | undefined>;

async function lastBackup(configPath: string): Promise<string | null> {
  const newest = (await listBackups(configPath).catch(() => []))[0];
  return newest === undefined ? null : backupTime(path.basename(configPath), path.basename(newest));
}

/** What a row judges a start by beyond the view: the home, and this host's addresses (hostAddresses). */
export interface RowHost {
  home: string;
  addresses: readonly string[];
}

/**
 * A profile's row from the facts gathered for it: the gateway's state by the host model's
 * mismatch rule, and whether its gateway would start by the verdict status gives, on its
 * config's own base (as `--all` starts it).
 */
export function hostRow(view: HostView, p: HostProfile, live: GatewayLive, gathered: { service: ServiceStatus; watch: WatchSection | null; lastBackup: string | null }, host: RowHost): HostRow {
  const mismatch = p.footprint === null ? null : gatewayMismatch(p, p.footprint, 'config');
  const invocation = invocationHere(p.paths.profile);
  const refusal = startRefusal(hostStartVerdict(view, p, { home: host.home, bind: { addresses: host.addresses, invocation } }), invocation);
  return {
    profile: p.paths.profile,
    label: p.paths.label,
    role: roleOf(p),
    config: p.loaded.state,
    base: p.base,
    state: gatewayState(live, mismatch),
    gateway: live,
    serves: p.gateway?.ports.gateway ?? null,
    mismatch,
    ...gathered,
    refusal,
  };
}

/** How a row asks for a profile's service: serviceStatus itself, or (top) a copy of its last answer that is young enough. */
export type ServiceReader = (paths: ProfilePaths, options: { home: string; env: Env }) => Promise<ServiceStatus>;

/**
 * Where a row's facts beyond the host model come from: asked now (list, and every whole read
 * of top), or, for top between its reads of the host, the last answers that still hold.
 */
export interface RowReaders {
  service: ServiceReader;
  /** What its watching says (watchSection). */
  watch: (config: Config, paths: ProfilePaths, options: { home: string; env: Env; gateway: GatewayLive; report: HealthReport | undefined }) => Promise<WatchSection | null>;
  /** Its newest config backup's time. */
  backup: (paths: ProfilePaths) => Promise<string | null>;
}

export const READ_NOW: RowReaders = {
  service: serviceStatus,
  // The checks load only for a profile that watches, as in `status`.
  watch: (config, paths, options) => import('../watch/status').then((m) => m.watchSection(config, paths, options)),
  backup: (paths) => lastBackup(paths.configPath),
};

async function rowOf(view: HostView, p: HostProfile, options: { home: string; env: Env; now: number; readers: RowReaders; addresses: readonly string[] }): Promise<HostRow> {
  const { readers } = options;
  // What is left of a lock is worded as `status` words it, from the same read of the host.
  const live = liveOf(p, options.home, options.now);
  const config = p.loaded.state === 'ok' ? p.loaded.config : undefined;
  const [service, watch, backup] = await Promise.all([
    readers.service(p.paths, { env: options.env, home: options.home }),
    config?.watch?.profiles?.length ? readers.watch(config, p.paths, { home: options.home, env: options.env, gateway: live, report: p.gateway?.report }) : null,
    readers.backup(p.paths),
  ]);
  return hostRow(view, p, live, { service, watch, lastBackup: backup }, { home: options.home, addresses: options.addresses });
}

/**
 * Every profile's row of a view of the host. Each profile is seen with its own paths and none
 * of this shell's EPILOOP_* (as `--all` sees them), so a row never mixes two profiles.
 */
export async function rowsOf(view: HostView, options: { home: string; env: Env; readers?: Partial<RowReaders> }): Promise<HostRows> {
  const env = targetEnv(options.env);
  const now = Date.now();
  const readers = { ...READ_NOW, ...options.readers };
  // Read with the view: an address that comes or goes changes whether a bind on it starts.
  const addresses = hostAddresses();
  const rows = await Promise.all(view.profiles.map((p) => rowOf(view, p, { home: options.home, env, now, readers, addresses })));
  return { view, rows };
}

/** The host read once, every profile's row from it. */
export async function readRows(options: { home: string; env: Env }): Promise<HostRows> {
  return rowsOf(await readHost({ home: options.home }), options);
}
