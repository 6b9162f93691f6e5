/**
 * What `epiloop top` asks of the host, in one place: the rows (host/top/rows.ts, as `list`
 * reads them), a profile's log, an action through the lifecycle functions, doctor's
 * findings. The screen calls these and draws; tests hand it their own.
 */
import { statSync } from 'node:fs';
import type { HostView } from '../../core/host/view';
import type { LifecycleAction, LifecycleOutcome } from '../../core/lifecycle/plan';
import { lastEvents, type LogEvent } from '../../core/log/event';
import { stateFile } from '../../core/profile/identity';
import { invocationHere } from '../../host/profile/invocation';
import { targetEnv } from '../../core/watch/targets';
import { readProfileLog } from '../../host/log/read';
import type { HostRow, ServiceReader } from '../../host/top/rows';
import { topReader } from '../../host/top/reader';
import { serviceStatus } from '../../host/service/install';
import type { ServiceStatus } from '../../core/service/spec';
import type { DoctorFinding } from '../../core/top/doctor';

export interface TopFacts {
  view: HostView;
  rows: HostRow[];
  /** When they were read (ms since the epoch). */
  at: number;
}

/** One finding of doctor, as the screen shows it (core/top/doctor.ts words the view). */
export type TopFinding = DoctorFinding;

export interface TopIO {
  read(): Promise<TopFacts>;
  /** The last `count` events of a profile's log, oldest first (the screen words them for its width). */
  log(label: string, count: number): Promise<LogEvent[]>;
  act(action: LifecycleAction, label: string): Promise<LifecycleOutcome>;
  doctor(label: string): Promise<TopFinding[]>;
}

/**
 * A service's state is asked of the manager at most this often (the gateway's own state, from
 * the host model, every refresh): `systemctl show` each second would cost more than the rest
 * of a refresh. An action of top's own asks again at once.
 */
const SERVICE_EVERY_MS = 5000;

/** A log file's stat, synchronous (microseconds); undefined when there is none yet. */
function logStat(file: string) {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** How long start/restart wait for /health and stop for the process to exit, from top. */
const ACT_WAIT_MS = 10_000;

/**
 * The host's TopIO; `read` starts at once (while Ink loads), and the screen's first read takes
 * that one. The actions and doctor load their code when first asked: the first read starts
 * (and the first frame comes) that much sooner.
 */
export function hostTopIO(options: { home: string; env: Record<string, string | undefined> }): TopIO {
  let last: TopFacts | null = null;
  const services = new Map<string, { at: number; status: Promise<ServiceStatus> }>();
  const service: ServiceReader = (paths, o) => {
    const cached = services.get(paths.label);
    if (cached !== undefined && Date.now() - cached.at < SERVICE_EVERY_MS) return cached.status;
    const status = serviceStatus(paths, o);
    services.set(paths.label, { at: Date.now(), status });
    return status;
  };
  // The log is read again only when its file changed: an idle screen takes one stat a second.
  const logs = new Map<string, { key: string; events: LogEvent[]; tails: Map<number, LogEvent[]> }>();
  const profileOf = (label: string) => {
    const p = last?.view.profiles.find((x) => x.paths.label === label);
    if (p === undefined) throw new Error(`profile "${label}" is no longer on this host`);
    return p;
  };
  const reader = topReader({ ...options, service });
  const readNow = async () => {
    const { view, rows } = await reader();
    last = { view, rows, at: Date.now() };
    return last;
  };
  let first: Promise<TopFacts> | null = readNow();
  // A failed first read is the screen's to report, when it asks.
  first.catch(() => undefined);
  return {
    read() {
      const ready = first ?? readNow();
      first = null;
      return ready;
    },
    async log(label, count) {
      const p = last?.view.profiles.find((x) => x.paths.label === label);
      if (p === undefined) return [];
      const file = logStat(stateFile(p.paths.stateDir, 'gatewayLog'));
      const key = file === undefined ? 'none' : `${file.ino}:${file.size}:${file.mtimeMs}`;
      let cached = logs.get(label);
      if (cached === undefined || cached.key !== key) {
        cached = { key, events: (await readProfileLog({ label, stateDir: p.paths.stateDir })).events, tails: new Map() };
        logs.set(label, cached);
      }
      let tail = cached.tails.get(count);
      if (tail === undefined) cached.tails.set(count, (tail = lastEvents(cached.events, count)));
      return tail;
    },
    async act(action, label) {
      const p = profileOf(label);
      const [{ act }, { resolveTarget }] = await Promise.all([import('../../host/lifecycle/act'), import('../../host/lifecycle/target')]);
      const resolved = resolveTarget(p.paths, p.loaded, { home: options.home, env: targetEnv(options.env) });
      const outcome = await act(action, resolved, { home: options.home, waitMs: ACT_WAIT_MS, by: 'epiloop top' });
      services.delete(label);
      return outcome;
    },
    async doctor(label) {
      const p = profileOf(label);
      const { diagnose } = await import('../../host/doctor/diagnose');
      const d = await diagnose(p.paths, { home: options.home, env: targetEnv(options.env) });
      const invocation = invocationHere(p.paths.profile);
      return d.findings.map((f) => ({
        severity: f.severity,
        summary: f.summary,
        fix: f.fixable ? `run "${invocation} doctor --fix"${f.fix === null ? '' : ` (${f.fix})`}` : (f.fix ?? 'none automatic'),
      }));
    },
  };
}
