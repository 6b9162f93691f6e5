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
