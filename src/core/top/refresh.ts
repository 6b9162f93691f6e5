/**
 * How `top` refreshes, pure. Every second it stamps each file the profiles' discovery reads
 * and each gateway lock (host/top/stamp.ts), and asks whether each running gateway's process
 * still lives. The whole host model (every config parsed and validated, every path resolved,
 * the backups listed, each gateway's /health, the listeners with their owners) is read again
 * when the stamp changed or a gateway died, and at least every WHOLE_EVERY_MS; each running
 * gateway's /health (whether it answers, what a watching gateway reports) and the /proc socket
 * tables are read again every HEALTH_EVERY_MS, and at each refresh for SETTLE_MS after a whole
 * read; in between, the last answers stand.
 */

/** The longest a whole read of the host is reused (what no stamp covers, such as a symlink's new target, shows by then). */
export const WHOLE_EVERY_MS = 30_000;
/** The longest the gateways' /health answers and the host's listeners are reused. */
export const HEALTH_EVERY_MS = 3000;

/**
 * After a whole read (the host changed: a gateway started or stopped, a config was edited),
 * each refresh within this asks /health again: a watching gateway checks a profile whose lock
 * came or went within a second of it, and top shows that check then, not at the next HEALTH_EVERY_MS.
 */
export const SETTLE_MS = 2500;

/** Each file or folder stamped → which inode, size, times and mode it has, or why there is none. */
export type Stamp = ReadonlyMap<string, string>;

export interface LastReads {
  /** The stamp taken just after the last whole read, over the files its profiles name. */
  stamp: Stamp;
  /** Whether the files held still while it read (steadyDuring): if not, the next refresh reads everything again. */
  steady: boolean;
  /** When the last whole read was made, and when /health and the listeners were last read (ms since the epoch). */
  wholeAt: number;
  healthAt: number;
}

/** What a refresh sees before it reads: the stamp now, whether every gateway the last read saw running still runs, the time. */
export interface RefreshNow {
  stamp: Stamp;
  gatewaysLive: boolean;
  at: number;
}

/**
 * whole: the host model read again; health: each gateway's lock and /health and the host's
 * listeners read again; same: nothing changed that a second shows (the rows are drawn again
 * from the last reads, for their clock: an uptime, a backup's age).
 */
export type RefreshKind = 'whole' | 'health' | 'same';

export function sameStamp(a: Stamp, b: Stamp): boolean {
  if (a.size !== b.size) return false;
  for (const [file, stamp] of a) if (b.get(file) !== stamp) return false;
  return true;
}

/**
 * Whether a whole read made between these two stamps saw the files as the later stamp has
 * them: every file it covers was stamped before the read too, the same. A file that changed
 * while the read ran, or a profile the read found first, makes the next refresh read again.
 */
export function steadyDuring(before: Stamp, after: Stamp): boolean {
  for (const [file, stamp] of after) if (before.get(file) !== stamp) return false;
  return true;
}

/** What this refresh reads, given the last reads and what it sees now. */
export function refreshKind(last: LastReads | null, now: RefreshNow): RefreshKind {
  if (last === null || !last.steady || !sameStamp(last.stamp, now.stamp) || !now.gatewaysLive) return 'whole';
  // A clock set back is a reason to read again, not to wait for it to catch up.
  const due = (at: number, every: number) => now.at < at || now.at - at >= every;
  if (due(last.wholeAt, WHOLE_EVERY_MS)) return 'whole';
  const settling = now.at - last.wholeAt < SETTLE_MS;
  return settling || due(last.healthAt, HEALTH_EVERY_MS) ? 'health' : 'same';
}
