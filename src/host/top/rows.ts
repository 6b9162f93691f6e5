/**
 * Every profile on the host as one row of facts (core/top/row.ts), from one read of the host
 * model and the helpers `status` uses: its gateway (liveOf), the mismatch rule, its service
 * (serviceStatus), its watching (watchSection) and its newest config backup. `list` prints
 * these; `top` reads them again on every refresh.
 */
import path from 'node:path';
import { gatewayMismatch, roleOf } from '../../core/host/rules';
import type { HostProfile, HostView } from '../../core/host/view';
import type { ServiceStatus } from '../../core/service/spec';
import type { ProfilePaths } from '../../core/profile/paths';
import { backupTime } from '../../core/profile/identity';
import { gatewayState, type ProfileRow } from '../../core/top/row';
import { targetEnv } from '../../core/watch/targets';
import { liveOf, staleLockWords, type GatewayLive } from '../gateway/live';
import { readHost } from '../model';
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

/** A profile's row from the facts gathered for it: the gateway's state by the host model's mismatch rule. */
export function hostRow(p: HostProfile, live: GatewayLive, gathered: { service: ServiceStatus; watch: WatchSection | null; lastBackup: string | null }): HostRow {
  const mismatch = p.footprint === null ? null : gatewayMismatch(p, p.footprint, 'config');
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
  };
}

/** How a row asks for a profile's service: serviceStatus itself, or (top) a copy of its last answer that is young enough. */
export type ServiceReader = (paths: ProfilePaths, options: { home: string; env: Env }) => Promise<ServiceStatus>;

async function rowOf(p: HostProfile, options: { home: string; env: Env; now: number; service: ServiceReader }): Promise<HostRow> {
  // A lock left by a dead gateway is worded as `status` words it.
  const live = liveOf(p.gateway, p.gateway === null ? await staleLockWords(p.paths.stateDir) : null, options.now);
  const config = p.loaded.state === 'ok' ? p.loaded.config : undefined;
  const [service, watch, backup] = await Promise.all([
    options.service(p.paths, { env: options.env, home: options.home }),
    // The checks load only for a profile that watches, as in `status`.
    config?.watch?.profiles?.length ? import('../watch/status').then((m) => m.watchSection(config, p.paths, { home: options.home, env: options.env, gateway: live })) : null,
    lastBackup(p.paths.configPath),
  ]);
  return hostRow(p, live, { service, watch, lastBackup: backup });
}

/**
 * The host read once, every profile's row from it. Each profile is seen with its own paths
 * and none of this shell's EPILOOP_* (as `--all` sees them), so a row never mixes two profiles.
 */
export async function readRows(options: { home: string; env: Env; service?: ServiceReader }): Promise<HostRows> {
  const view = await readHost({ home: options.home });
  const env = targetEnv(options.env);
  const now = Date.now();
  const rows = await Promise.all(view.profiles.map((p) => rowOf(p, { home: options.home, env, now, service: options.service ?? serviceStatus })));
  return { view, rows };
}
