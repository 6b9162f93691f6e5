/**
 * One profile as `list` prints it and `top` draws it: the facts the host model gave, put in
 * words once. Pure: the host layer (src/host/top/rows.ts) gathers the facts, both surfaces
 * read the same cells.
 */
import type { LockKind } from '../gateway/lock';
import type { StartRefusal } from '../host/start';
import type { GatewayMismatch } from '../host/rules';
import type { GatewayRole } from '../ports/propose';
import type { ServiceStatus } from '../service/spec';
import type { WatchReport } from '../watch/state';
import { formatUptime } from '../text/duration';
import { fitTable, type FittedTable, type TableFit } from '../text/table';

export type GatewayState = 'up' | 'down' | 'degraded';

/** What a row needs of the gateway (the `gateway` key of `status --json` has these and more). */
export interface LiveFacts {
  running: boolean;
  pid: number | null;
  uptimeMs: number | null;
  health: 'answered' | 'no answer' | null;
  detail: string | null;
  /** What is left of its lock while it is down (the key of `status --json`). */
  lock: LockKind | null;
}

/** What a row needs of the watch section (the `watch` key of `status --json`). */
export interface WatchFacts {
  active: boolean;
  note: string | null;
  profiles: WatchReport[];
}

export interface ProfileRow<Live extends LiveFacts = LiveFacts, Watch extends WatchFacts = WatchFacts> {
  /** null: the default profile. */
  profile: string | null;
  label: string;
  role: GatewayRole;
  config: 'ok' | 'missing' | 'invalid';
  /** The base its config gives; null when it cannot be read. */
  base: number | null;
  /** up: runs, answers /health and serves its config's base; degraded: runs but is silent or serves another base; down: not running. */
  state: GatewayState;
  gateway: Live;
  /** The base the running gateway really serves; null when it is down. */
  serves: number | null;
  mismatch: GatewayMismatch | null;
  service: ServiceStatus;
  watch: Watch | null;
  /** ISO time of the newest config backup; null when there is none. */
  lastBackup: string | null;
  /** What keeps its gateway from starting (or a running one from restarting), as status judges it (hostStartVerdict); null when nothing does. */
  refusal: StartRefusal | null;
}

/** The gateway's state: the host model's mismatch rule decides whether it serves what its config says. */
export function gatewayState(live: LiveFacts, mismatch: GatewayMismatch | null): GatewayState {
  if (!live.running) return 'down';
  return live.health === 'answered' && mismatch === null ? 'up' : 'degraded';
}

/**
 * "up · pid 4242 · 42s", "up · pid 4242 · 3m", "degraded · pid 4242 · serves 18789", "degraded ·
 * pid 4242 · no answer", "down"; without its pid ("up · 3m") where `top` has no room for it. Seconds
 * only in the first minute, where a restart shows: after that the cell changes once a minute, and an
 * idle `top` draws nothing in between.
 */
export function gatewayWords(row: ProfileRow, pid = true): string {
  const g = row.gateway;
  // A lock that needs a hand is said in the cell: `status` gives its words and the fix.
  if (!g.running) return g.lock === 'copy' ? 'down · stray lock' : g.lock === 'broken' ? 'down · broken lock' : 'down';
  const parts = pid ? [row.state, `pid ${g.pid}`] : [row.state];
  if (row.mismatch !== null) parts.push(`serves ${row.mismatch.serves}`);
  else if (g.health !== 'answered') parts.push('no answer');
  else parts.push(uptimeWords(g.uptimeMs ?? 0));
  return parts.join(' · ');
}

/** 42s in the first minute, then 3m, 2h 05m, 3d 4h. */
export function uptimeWords(ms: number): string {
  return ms < 60_000 ? formatUptime(ms) : formatUptime(ms).replace(/m \d+s$/, 'm');
}

/** "active", "inactive (pid …)", "not installed", "none" (no service manager here). */
export function serviceWords(service: ServiceStatus): string {
  if (service.kind === null) return 'none';
  if (!service.installed) return 'not installed';
  return service.mismatches.length > 0 ? `${service.state}, stale file` : service.state;
}

/** "main up, lab down", or "–" when it watches nothing. */
export function watchWords(watch: WatchFacts | null): string {
  if (watch === null) return '–';
  const words = watch.profiles.map((r) => `${r.profile} ${r.notAnswering ? `${r.state} (not answering)` : r.state}`).join(', ');
  return watch.active ? words : `${words} (one check)`;
}

/** "12m ago", "3d ago", "never". */
export function backupWords(lastBackup: string | null, now: number): string {
  if (lastBackup === null) return 'never';
  return `${formatUptime(Math.max(0, now - Date.parse(lastBackup))).split(' ')[0]} ago`;
}

export const ROW_HEADINGS = ['PROFILE', 'ROLE', 'BASE', 'GATEWAY', 'SERVICE', 'WATCHES', 'BACKUP'] as const;

/**
 * How the rows give way on a narrow terminal, in `list` and `top` alike. Columns go in this
 * order: ROLE (most labels say it), SERVICE, WATCHES (what a rescue is for: "main down" stays
 * while it fits), BASE. PROFILE, GATEWAY and BACKUP stay; BACKUP, last, keeps 7 columns
 * ("12m ago") so it never wraps. The gaps stay two spaces, as in every table (core/text/table).
 * `top`, drawn again, takes a column back only with 6 columns to spare ("main up" → "main degraded"
 * is the most a state word grows), so a ticking uptime or a watched state does not make one come and go.
 */
export const ROW_FIT: TableFit = { indent: 0, drop: [1, 4, 5, 2], minLast: 7, settle: 6 };

/**
 * The row's cells under ROW_HEADINGS, the same in `list` and `top`. A profile that needs a fix
 * before its gateway can start (a broken config, a bind on no address of this host, another
 * profile's ports, a lock no gateway takes: its refusal) is marked "!" after the name, which no
 * width drops; a broken config is worded in the BASE cell too, which goes on a narrow terminal.
 */
export function rowCells(row: ProfileRow, now: number, pid = true): string[] {
  const name = row.config === 'invalid' || row.refusal !== null ? `${row.label} !` : row.label;
  const base = row.config === 'invalid' ? `${row.base ?? '?'} (config broken)` : row.base === null ? '–' : String(row.base);
  return [name, row.role, base, gatewayWords(row, pid), serviceWords(row.service), watchWords(row.watch), backupWords(row.lastBackup, now)];
}

/** How `top` last fitted its table: hand it back when it draws again (a resize starts afresh). */
export interface TopFit {
  width: number;
  dropped: number;
  pids: boolean;
}

/**
 * The table as `top` draws it in `width` columns, one line per profile: `list` wraps BACKUP under
 * itself where it has no room, `top` cannot ("BACKU", "6s" at 40 columns with a "!" in PROFILE),
 * so there the GATEWAY cells leave their pids out (Enter's details keep them). Drawn again at the
 * same width, the pids come back, as a column does, only with ROW_FIT.settle columns to spare.
 */
export function topTable(rows: readonly ProfileRow[], now: number, width: number, last?: TopFit): { table: FittedTable; fit: TopFit } {
  const before = last?.width === width ? last : undefined;
  const fitted = (pids: boolean, room: number) => fitTable([ROW_HEADINGS.map(String), ...rows.map((r) => rowCells(r, now, pids))], room, ROW_FIT, before);
  const spare = before?.pids === false ? (ROW_FIT.settle ?? 0) : 0;
  const pids = fitted(true, width - spare).lines.length === rows.length + 1;
  const table = fitted(pids, width);
  return { table, fit: { width, dropped: table.dropped, pids } };
}
