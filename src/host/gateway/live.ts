import { fetchJson } from './client';
import { healthAnswerWords, readHealthReport, type HealthPorts } from '../../core/gateway/health';
import { readGatewayLock, staleWords } from './pidlock';
import { clientHost, urlOf } from '../../core/gateway/plan';
import type { RunningGateway } from '../../core/host/view';
import { formatUptime } from '../../core/text/duration';

export { formatUptime };

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

/** The lock says whether a gateway runs and where; /health says whether it answers. */
export async function probeGateway(stateDir: string): Promise<GatewayLive> {
  const state = await readGatewayLock(stateDir);
  if (state.state !== 'running') {
    const stale = staleWords(state);
    return { running: false, pid: null, startedAt: null, uptimeMs: null, health: null, host: null, url: null, ports: null, detail: stale };
  }
  const { lock } = state;
  const host = clientHost(lock.host);
  const url = urlOf(host, lock.ports.gateway);
  const answer = await fetchJson(`${url}/health`, { timeoutMs: HEALTH_TIMEOUT_MS });
  const report = answer.ok && answer.status === 200 ? readHealthReport(answer.body) : null;
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
    detail: answered ? null : healthAnswerWords(answer, report, lock.pid),
  };
}

/** The `gateway` key of `status --json` for a gateway of the host view; `stale` words a lock left by a dead process. */
export function liveOf(gateway: RunningGateway | null, stale: string | null, now: number): GatewayLive {
  if (gateway === null) return { running: false, pid: null, startedAt: null, uptimeMs: null, health: null, host: null, url: null, ports: null, detail: stale };
  const host = clientHost(gateway.host);
  return {
    running: true,
    pid: gateway.pid,
    startedAt: gateway.startedAt,
    uptimeMs: Math.max(0, now - Date.parse(gateway.startedAt)),
    health: gateway.health ?? 'no answer',
    host,
    url: urlOf(host, gateway.ports.gateway),
    ports: gateway.ports,
    detail: gateway.detail,
  };
}

/** Words for a lock left by a dead gateway, or null when there is none. */
export async function staleLockWords(stateDir: string): Promise<string | null> {
  const state = await readGatewayLock(stateDir);
  return staleWords(state);
}

/** The gateway line of `status`, in words. */
export function describeGateway(live: GatewayLive): string {
  if (!live.running) return `not running${live.detail ? ` (${live.detail})` : ''}`;
  const health = live.health === 'answered' ? `health answered at ${live.url}/health` : `health: no answer from ${live.url}/health (${live.detail})`;
  return `running, pid ${live.pid}, up ${formatUptime(live.uptimeMs ?? 0)}, ${health}`;
}

/** The problem `status` reports for the gateway, or null when it runs and answers. */
/** `serviceUsable`: a service manager is usable on this host; where none is, no text advises installing a service. */
export function gatewayProblem(live: GatewayLive, invocation: string, serviceUsable = true): string | null {
  if (!live.running) {
    return `the gateway is not running. Start it: "${invocation} start"${serviceUsable ? ` (or install it as a service: "${invocation} gateway install")` : ''}.`;
  }
  if (live.health !== 'answered') return `the gateway (pid ${live.pid}) runs but does not answer ${live.url}/health: ${live.detail}.`;
  return null;
}
