/**
 * What the watcher derived from a file, kept while the file stays the same: it asks the same
 * few files (a watched profile's config, its last-good.json) every interval, and they almost
 * never change, so reading, parsing and hashing them each time is CPU spent for nothing.
 * "The same" is one lstat: the same regular file (never a symlink, whose target may change
 * under it) with the same device, inode, size, mtime and ctime in nanoseconds. A file whose
 * times were within RACY_MS of the read is read again next time: a second write inside the
 * clock's granularity may not move them (git's "racily clean" entries, the same rule).
 */
import { lstat } from 'node:fs/promises';

/** A file changed this recently is not trusted to show its next change in its times. */
export const RACY_MS = 2000;

export interface UnchangedFiles<T> {
  /** The value derived from `file` when it was last read, if it is unchanged since; else `derive()`, kept for next time. */
  read(file: string, derive: () => Promise<T>): Promise<T>;
}

/** The identity of a regular file at this path, or null when there is none to trust (missing, a symlink, a FIFO…). */
async function signatureOf(file: string): Promise<{ key: string; changedMs: number } | null> {
  const stats = await lstat(file, { bigint: true }).catch(() => null);
  if (stats === null || !stats.isFile()) return null;
  return {
    key: `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`,
    changedMs: Number((stats.mtimeNs > stats.ctimeNs ? stats.mtimeNs : stats.ctimeNs) / 1_000_000n),
  };
}

export function unchangedFiles<T>(now: () => number = Date.now): UnchangedFiles<T> {
  const kept = new Map<string, { key: string; value: T }>();
  return {
    async read(file, derive) {
      // Taken before the read: a change during it gives another signature, so the next read is fresh.
      const signature = await signatureOf(file);
      const entry = kept.get(file);
      if (signature !== null && entry !== undefined && entry.key === signature.key) return entry.value;
      kept.delete(file);
      const value = await derive();
      if (signature !== null && now() - signature.changedMs >= RACY_MS) kept.set(file, { key: signature.key, value });
      return value;
    },
  };
}
