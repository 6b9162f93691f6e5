import { healthAnswerWords, type HealthPorts } from '../../core/gateway/health';
import { judgedLock, lockFile, lockKind, lockWords, type LeftLock, type LockKind } from '../../core/gateway/lock';
import { readGatewayLock } from './pidlock';
import { askLockHealth } from './lock-health';
import { clientHost, urlOf } from '../../core/gateway/plan';
import type { HostProfile, RunningGateway } from '../../core/host/view';
import type { ProfilePaths } from '../../core/profile/paths';
import { formatUptime } from '../../core/text/duration';
import { whenItStartsSentence } from '../../core/messages';
import { sha256Of } from '../watch/last-good';

export { formatUptime };

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
  /** Why /health did not answer, or what is left of a lock while no gateway of this profile runs. */
  detail: string | null;
  /** What is left of its gateway.lock while no gateway of this profile runs: stale, a copy of another profile's, broken; null when none (or it runs). */
  lock: LockKind | null;
}

/**
 * A profile's gateway as its lock and (with askHealth) its /health tell: the one place they
 * meet. A live pid whose lock names another profile, or (a lock that names none) whose /health
 * answers for another profile, is that profile's gateway: a copy of its lock, never this one's.
 * `lock`: what is left of the lock when no gateway of this profile runs by it.
 */
export async function readGateway(paths: Pick<ProfilePaths, 'stateDir' | 'label'>, askHealth: boolean): Promise<{ gateway: RunningGateway | null; lock: LeftLock }> {
  const none = { state: 'none' } as const;
  const { label } = paths;
  const state = await readGatewayLock(paths.stateDir, label);
  if (state.state !== 'running') return { gateway: null, lock: state };
  const { lock } = state;
  const gateway: RunningGateway = { pid: lock.pid, startedAt: lock.startedAt, host: lock.host, ports: lock.ports, health: null, detail: null, browsers: [], ...(lock.configSha256 === undefined ? {} : { configSha256: lock.configSha256 }) };
  if (!askHealth) return { gateway, lock: none };
  const { answer, report } = await askLockHealth(lock);
  const fromPid = report !== null && report.pid === lock.pid ? report : null;
  const judged = judgedLock(label, lock, fromPid?.profile ?? null);
  if (judged.state !== 'running') return { gateway: null, lock: judged };
  if (fromPid !== null) return { gateway: { ...gateway, health: 'answered', ports: fromPid.ports, report: fromPid }, lock: none };
  return { gateway: { ...gateway, health: 'no answer', detail: healthAnswerWords(answer, report, lock.pid) }, lock: none };
}

/**
 * Whether the running gateway started on other config bytes than the file holds now (the
 * configSha256 its lock records): a change to the file waits for its restart, as config set
 * said when it was made. False when nothing says so (no gateway, a lock an older epiloop wrote).
 */
export function startedOnOtherConfig(p: Pick<HostProfile, 'gateway' | 'loaded'>): boolean {
  const started = p.gateway?.configSha256;
  return started !== undefined && (p.loaded.state === 'missing' || started !== sha256Of(p.loaded.text));
}

/** The lock says whether a gateway of this profile runs and where; /health says whether it answers. */
export async function probeGateway(paths: ProfilePaths, home: string): Promise<GatewayLive> {
  const { gateway, lock } = await readGateway(paths, true);
  return liveOf({ gateway, lock, paths }, home, Date.now());
}

/** The `gateway` key of `status --json` for a profile of the host view (its gateway, or what is left of its lock). */
export function liveOf(p: Pick<HostProfile, 'gateway' | 'lock' | 'paths'>, home: string, now: number): GatewayLive {
  const gateway = p.gateway;
  if (gateway === null) {
    return { running: false, pid: null, startedAt: null, uptimeMs: null, health: null, host: null, url: null, ports: null, detail: lockWords(p.lock, lockFile(p.paths, home)), lock: lockKind(p.lock) };
  }
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
    lock: null,
  };
}

/** The gateway line of `status`, in words. */
export function describeGateway(live: GatewayLive): string {
  if (!live.running) return `not running${live.detail ? `; ${live.detail}` : ''}`;
  const health = live.health === 'answered' ? `health answered at ${live.url}/health` : `health: no answer from ${live.url}/health (${live.detail})`;
  return `running, pid ${live.pid}, up ${formatUptime(live.uptimeMs ?? 0)}, ${health}`;
}

/**
 * The problem `status` reports for the gateway, or null when it runs and answers. A broken lock
 * is the problem itself (no start gets past it); a stray copy of another profile's is said with
 * its removal. `serviceUsable`: a service manager is usable on this host; where none is, no text
 * advises installing a service. `blocker`: what a start waits for (whenItStarts), null for nothing;
 * `fixes`: the sentences that follow it (hostFixes), each with its leading space.
 */
export function gatewayProblem(live: GatewayLive, invocation: string, serviceUsable = true, blocker: string | null = null, fixes = ''): string | null {
  if (!live.running) {
    const start = whenItStartsSentence(`"${invocation} start"${serviceUsable ? ` (or install it as a service: "${invocation} gateway install")` : ''}`, blocker);
    // The lock's words say its removal; what else keeps the start back follows them.
    if (live.lock === 'broken') return `${live.detail}.${fixes === '' ? '' : ` ${start}${fixes}`}`;
    const copy = live.lock === 'copy' ? `; ${live.detail}` : '';
    return `The gateway is not running${copy}. ${start}${fixes}`;
  }
  if (live.health !== 'answered') return `The gateway (pid ${live.pid}) runs but does not answer ${live.url}/health: ${live.detail}.`;
  return null;
}
