/**
 * What one stat says of a file, as one comparable string: its kind, device, inode, size, mode
 * and its mtime and ctime in nanoseconds. Equal signatures mean nothing a read could see has
 * changed — save a second write within the file system's clock granularity, which may move
 * neither time nor size: a file changed within RACY_MS of the look is not trusted by its
 * signature (git's "racily clean" entries, the same rule). The watcher's memo of configs
 * (host/watch/unchanged.ts) and `top`'s discovery stamp (host/top/stamp.ts) both decide
 * "unchanged" here.
 */
import { lstatSync, statSync, type BigIntStats } from 'node:fs';

/** A file changed this recently is not trusted to show its next change in its times. */
export const RACY_MS = 2000;

function kindOf(s: BigIntStats): string {
  return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'link' : 'other';
}

/** The signature of what `stats` describes. */
export function signatureOf(stats: BigIntStats): string {
  return `${kindOf(stats)}:${stats.dev}:${stats.ino}:${stats.size}:${stats.mode}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

/** True when the file changed within RACY_MS before `now`: its next change may not show in its signature. */
export function isRacy(stats: BigIntStats, now: number): boolean {
  const changedNs = stats.mtimeNs > stats.ctimeNs ? stats.mtimeNs : stats.ctimeNs;
  return now - Number(changedNs / 1_000_000n) < RACY_MS;
}

/**
 * The path itself (a symlink is itself), and, for a symlink, what it leads to (`undefined`:
 * dangling); null when nothing is there. Synchronous on purpose: a stat costs microseconds.
 * Throws only what lstat throws besides a missing entry (a denied directory, a loop).
 */
export function lookAt(file: string): { self: BigIntStats; target: BigIntStats | undefined } | null {
  const self = lstatSync(file, { bigint: true, throwIfNoEntry: false });
  if (self === undefined) return null;
  const target = self.isSymbolicLink() ? statSync(file, { bigint: true, throwIfNoEntry: false }) : self;
  return { self, target };
}
