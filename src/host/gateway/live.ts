import type { PortMapRow } from '../../core/ports/portmap';
import { fetchJson } from './client';
import type { HealthPorts, HealthReport } from '../../core/gateway/health';
import { readGatewayLock } from './pidlock';
import { clientHost, urlOf } from '../../core/gateway/plan';
import { parentPidOf } from './proc';
import { type PortState } from '../../core/ports/listeners';

/** status must stay fast: a gateway that does not answer /health within this is reported as silent. */
export const HEALTH_TIMEOUT_MS = 500;

/** The `gateway` key of `status --json`; documented in the README. */
export interface GatewayLive {
  running: boolean;
  pid: number | null;
  startedAt: string | null;
  uptimeMs: number | null;
  /** 'answered': GET /health answered by this pid; 'no answer': the process lives but is silent; null when not running. */
  health: 'answered' | 'no answer' | null;
  /** Where a client on this host reaches its servers, and the gateway's base URL. */
  host: string | null;
  url: string | null;
  ports: HealthPorts | null;
  /** Why /health did not answer, or that a stale lock is left. */
  detail: string | null;
}

/** A port map row, marked when every port of it that is bound is held by this profile's own gateway or its browsers. */
export type LiveRow = PortMapRow & { own?: true };

/** The lock says whether a gateway runs and where; /health says whether it answers. */
export async function probeGateway(stateDir: string): Promise<GatewayLive> {
  const state = await readGatewayLock(stateDir);
  if (state.state !== 'running') {
    const stale = state.state === 'stale' ? `a lock left by pid ${state.lock?.pid ?? '?'}, which is gone; the next start takes it over` : null;
    return { running: false, pid: null, startedAt: null, uptimeMs: null, health: null, host: null, url: null, ports: null, detail: stale };
  }
  const { lock } = state;
  const host = clientHost(lock.host);
  const url = urlOf(host, lock.ports.gateway);
  const answer = await fetchJson(`${url}/health`, { timeoutMs: HEALTH_TIMEOUT_MS });
  const report = answer.ok && answer.status === 200 ? (answer.body as HealthReport) : null;
  const answered = report !== null && report.pid === lock.pid;
  return {
    running: true,
    pid: lock.pid,
    startedAt: lock.startedAt,
    uptimeMs: answered ? report.uptimeMs : Math.max(0, Date.now() - Date.parse(lock.startedAt)),
    health: answered ? 'answered' : 'no answer',
    host,
    url,
    ports: lock.ports,
    detail: answered ? null : !answer.ok ? answer.error : report === null ? `GET /health answered ${answer.status}` : `GET /health answered from pid ${report.pid}, not ${lock.pid}`,
  };
}

/** Relabels rows bound only by the gateway (or a browser it started) as "this gateway": they are not problems. */
export function markOwnRows(rows: readonly PortMapRow[], gatewayPid: number, browserPids: ReadonlySet<number>): LiveRow[] {
  const whose = (pid: number | undefined) =>
    pid === gatewayPid ? `this gateway (pid ${pid})` : pid !== undefined && browserPids.has(pid) ? `a browser of this gateway (pid ${pid})` : null;
  return rows.map((row) => {
    if (row.state !== 'bound' || row.claimed.length > 0) return row;
    const owners = row.bound.map((b) => whose(b.holders.find((h) => h.pid !== undefined)?.pid));
    if (owners.some((o) => o === null)) return row;
    const count = row.to - row.from + 1;
    const text = count === 1 ? owners[0]! : `${row.bound.length} of ${count} bound by ${[...new Set(owners)].join(', ')}`;
    return { ...row, text, own: true };
  });
}

/** markOwnRows, with the browsers found as the processes whose parent is the gateway. */
export async function liveRows(rows: readonly PortMapRow[], live: GatewayLive): Promise<LiveRow[]> {
  if (live.pid === null) return [...rows];
  const holders = [...new Set(rows.flatMap((r) => r.bound.flatMap((b) => b.holders.flatMap((h) => (h.pid === undefined ? [] : [h.pid])))))];
  const parents = await Promise.all(holders.map(parentPidOf));
  return markOwnRows(rows, live.pid, new Set(holders.filter((_, i) => parents[i] === live.pid)));
}

/** 42s, 3m 12s, 2h 05m, 3d 4h: enough to see a restart at a glance. */
export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

/** The gateway line of `status`, in words. */
export function describeGateway(live: GatewayLive): string {
  if (!live.running) return `not running${live.detail ? ` (${live.detail})` : ''}`;
  const health = live.health === 'answered' ? `health answered at ${live.url}/health` : `health: no answer from ${live.url}/health (${live.detail})`;
  return `running, pid ${live.pid}, up ${formatUptime(live.uptimeMs ?? 0)}, ${health}`;
}

/** The problem `status` reports for the gateway, or null when it runs and answers. */
export function gatewayProblem(live: GatewayLive, invocation: string): string | null {
  if (!live.running) return `the gateway is not running. Start it: "${invocation} gateway" (or install it as a service: "${invocation} gateway install").`;
  if (live.health !== 'answered') return `the gateway (pid ${live.pid}) runs but does not answer ${live.url}/health: ${live.detail}.`;
  return null;
}

/**
 * The same port states, with each holder that is a profile's running gateway named after
 * that profile: "bound by rescue's gateway (pid 812)", never "stop node (pid 812)".
 */
export async function nameGatewayHolders(
  states: ReadonlyMap<number, PortState>,
  profiles: readonly { paths: { label: string; stateDir: string } }[],
): Promise<Map<number, PortState>> {
  const locks = await Promise.all(profiles.map((p) => readGatewayLock(p.paths.stateDir)));
  const byPid = new Map<number, string>();
  locks.forEach((lock, i) => {
    if (lock.state === 'running') byPid.set(lock.lock.pid, profiles[i]!.paths.label);
  });
  const named = new Map<number, PortState>();
  for (const [port, state] of states) {
    named.set(
      port,
      state.state === 'bound'
        ? { state: 'bound', holders: state.holders.map((h) => (h.pid !== undefined && byPid.has(h.pid) ? { ...h, gateway: byPid.get(h.pid)! } : h)) }
        : state,
    );
  }
  return named;
}
