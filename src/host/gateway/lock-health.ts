/** The /health of the gateway a lock names, asked at the address and port the lock gives. */
import { readHealthReport, type HealthReport } from '../../core/gateway/health';
import { judgedLock, type GatewayLock, type LockState } from '../../core/gateway/lock';
import { clientHost, urlOf } from '../../core/gateway/plan';
import { fetchJson, type JsonAnswer } from './client';

/** status must stay fast: a gateway that does not answer /health within this is reported as silent. */
export const HEALTH_TIMEOUT_MS = 500;

/** What the lock's gateway answered, and its report when the answer is one (from any pid: the caller compares it with the lock's). */
export async function askLockHealth(lock: GatewayLock): Promise<{ url: string; answer: JsonAnswer; report: HealthReport | null }> {
  const url = urlOf(clientHost(lock.host), lock.ports.gateway);
  const answer = await fetchJson(`${url}/health`, { timeoutMs: HEALTH_TIMEOUT_MS });
  return { url, answer, report: answer.ok && answer.status === 200 ? readHealthReport(answer.body) : null };
}

/** The profile the lock's own pid answered /health for; null when it did not answer as a gateway. */
export async function answeredFor(lock: GatewayLock): Promise<string | null> {
  const { report } = await askLockHealth(lock);
  return report !== null && report.pid === lock.pid ? report.profile : null;
}

/** A live lock that names no profile (an older epiloop's) judged by whose gateway its pid's /health says it is; any other lock as it was read. */
export async function judgedByHealth(label: string, state: LockState): Promise<LockState> {
  if (state.state !== 'running' || state.lock.profile !== undefined) return state;
  return judgedLock(label, state.lock, await answeredFor(state.lock));
}
