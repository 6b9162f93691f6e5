/**
 * `top`'s reads of the host, one per refresh, of the kind core/top/refresh.ts decides: the
 * whole host model, or the last one's profiles and configs with each gateway and the
 * listeners read again, or the last reads as they are. Every kind gives the rows `list`
 * prints, from the same functions (rowsOf); only where their facts come from differs.
 */
import type { HostView } from '../../core/host/view';
import { refreshKind, steadyDuring, type LastReads, type RefreshKind, type Stamp } from '../../core/top/refresh';
import { isProcessAlive } from '../store/lock';
import { readHost, refreshHost } from '../model';
import { rowsOf, type HostRow, type HostRows, type RowReaders } from './rows';
import { discoveryStamp } from './stamp';

type Env = Record<string, string | undefined>;

export interface TopRead extends HostRows {
  kind: RefreshKind;
}

interface Last extends LastReads {
  view: HostView;
  rows: ReadonlyMap<string, HostRow>;
}

/**
 * Between reads the last answers stand, for the same process: the backups (their folder is
 * stamped), and, until /health is asked again, what a watching gateway reported. (What is left
 * of a lock comes with the view: its file is stamped.)
 */
function lastAnswers(last: Last, kind: RefreshKind): Partial<RowReaders> {
  const was = (label: string) => last.rows.get(label);
  return {
    backup: async (paths) => was(paths.label)?.lastBackup ?? null,
    ...(kind === 'same' ? { watch: async (_config, paths) => was(paths.label)?.watch ?? null } : {}),
  };
}

/** A reader that remembers its last reads; reads must not overlap (top waits for one before the next). */
export function topReader(options: { home: string; env: Env; service?: RowReaders['service'] }): () => Promise<TopRead> {
  const base: Partial<RowReaders> = options.service === undefined ? {} : { service: options.service };
  let last: Last | null = null;
  return async () => {
    let before: Stamp | null = null;
    if (last !== null) {
      const seen = last;
      before = discoveryStamp(options.home, seen.view);
      // Each lock's file is in the stamp; its process is asked here, and asked whether it is still the one that wrote the lock at each /health.
      const gatewaysLive = seen.view.profiles.every((p) => p.gateway === null || isProcessAlive(p.gateway.pid));
      const kind = refreshKind(seen, { stamp: before, gatewaysLive, at: Date.now() });
      if (kind !== 'whole') {
        const view = kind === 'health' ? await refreshHost(seen.view, [], { health: true }) : seen.view;
        const read = await rowsOf(view, { ...options, readers: { ...base, ...lastAnswers(seen, kind) } });
        if (kind === 'health') seen.healthAt = Date.now();
        seen.view = read.view;
        seen.rows = new Map(read.rows.map((r) => [r.label, r]));
        return { ...read, kind };
      }
    }
    // The first read loads the watch checks while the host is read (a watching profile's row asks them after it), not then.
    if (last === null) void import('../watch/status').catch(() => undefined);
    const read = await rowsOf(await readHost({ home: options.home }), { ...options, readers: base });
    const after = discoveryStamp(options.home, read.view);
    const at = Date.now();
    // The first read is not stamped before it (the screen waits for it): the next refresh reads everything again.
    const steady = before !== null && steadyDuring(before, after);
    last = { view: read.view, rows: new Map(read.rows.map((r) => [r.label, r])), stamp: after, steady, wholeAt: at, healthAt: at };
    return { ...read, kind: 'whole' };
  };
}
