import { isPlainObject } from '../config/json-value';
import type { Footprint } from '../ports/footprint';
import type { SinkReport } from '../watch/alerts';
import type { WatchReport } from '../watch/state';

declare const __EPILOOP_VERSION__: string;
export const VERSION = typeof __EPILOOP_VERSION__ === 'string' ? __EPILOOP_VERSION__ : '0.0.0-dev';

export interface HealthPorts {
  gateway: number;
  browserControl: number;
  /** null when canvasHost.enabled is false. */
  canvas: number | null;
  cdp: { from: number; to: number };
}

/** GET /health and the WebSocket "status" answer; documented in the README. */
export interface HealthReport {
  profile: string;
  version: string;
  pid: number;
  uptimeMs: number;
  startedAt: string;
  ports: HealthPorts;
  /** The profiles this gateway watches (rescue watches main), in the config's order; [] when none. */
  watch: WatchReport[];
  /** The alert sinks of this gateway's watch.alerts (URLs masked): what each was sent, its last result; [] when none. */
  alerts: SinkReport[];
}

export function healthPorts(fp: Footprint): HealthPorts {
  return { gateway: fp.gateway, browserControl: fp.browserControl, canvas: fp.canvas, cdp: { ...fp.cdp } };
}

export function healthReport(
  input: { label: string; pid: number; startedAt: number; ports: HealthPorts; watch?: WatchReport[]; alerts?: SinkReport[] },
  now: number,
): HealthReport {
  return {
    profile: input.label,
    version: VERSION,
    pid: input.pid,
    uptimeMs: Math.max(0, now - input.startedAt),
    startedAt: new Date(input.startedAt).toISOString(),
    ports: input.ports,
    watch: input.watch ?? [],
    alerts: input.alerts ?? [],
  };
}

const isPort = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0 && (v as number) <= 65535;

function isHealthPorts(v: unknown): v is HealthPorts {
  return isPlainObject(v) && isPort(v.gateway) && isPort(v.browserControl) && (v.canvas === null || isPort(v.canvas)) && isPlainObject(v.cdp) && isPort(v.cdp.from) && isPort(v.cdp.to) && v.cdp.from <= v.cdp.to;
}

/**
 * A /health body as a gateway's report, or null when it is not one: whatever answers on a
 * gateway's port (an older or newer build, or another program) is read with care, and the
 * fields epiloop reads — the pid, the uptime, the ports, each watched profile's state and
 * each sink's name — must have their documented shapes.
 */
export function readHealthReport(body: unknown): HealthReport | null {
  if (!isPlainObject(body) || typeof body.profile !== 'string' || !Number.isInteger(body.pid) || typeof body.uptimeMs !== 'number' || !isHealthPorts(body.ports)) return null;
  const watch = body.watch ?? [];
  const alerts = body.alerts ?? [];
  if (!Array.isArray(watch) || !watch.every((w) => isPlainObject(w) && typeof w.profile === 'string' && typeof w.state === 'string' && typeof w.finding === 'string')) return null;
  if (!Array.isArray(alerts) || !alerts.every((a) => isPlainObject(a) && typeof a.sink === 'string')) return null;
  return { ...(body as unknown as HealthReport), watch: watch as WatchReport[], alerts: alerts as SinkReport[] };
}

/** What is said of a /health answer that is no report of the lock's gateway. */
export function healthAnswerWords(answer: { ok: true; status: number } | { ok: false; error: string }, report: HealthReport | null, lockPid: number): string {
  if (!answer.ok) return answer.error;
  if (report !== null) return `GET /health answered from pid ${report.pid}, not ${lockPid}`;
  return answer.status === 200 ? 'GET /health answered 200 with something that is not a gateway\'s report' : `GET /health answered ${answer.status}`;
}
