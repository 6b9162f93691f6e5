/**
 * What the watcher derived from a file, kept while the file stays the same: it asks the same
 * few files (a watched profile's config, its last-good.json) every interval, and they almost
 * never change, so reading, parsing and hashing them each time is CPU spent for nothing.
 * "The same" is one lstat with the same signature (host/store/signature.ts): the same regular
 * file — never a symlink, whose target may change under it — with the same device, inode,
 * size, mode and times. A file changed within RACY_MS of the read is read again next time.
 */
import { isRacy, lookAt, signatureOf } from '../store/signature';

export { RACY_MS } from '../store/signature';

export interface UnchangedFiles<T> {
  /** The value derived from `file` when it was last read, if it is unchanged since; else `derive()`, kept for next time. */
  read(file: string, derive: () => Promise<T>): Promise<T>;
}

/** The signature of a regular file at this path, and whether it is too fresh to keep; null when there is none to trust (missing, a symlink, a FIFO…). */
function regularFile(file: string, now: number): { key: string; racy: boolean } | null {
  let seen: ReturnType<typeof lookAt>;
  try {
    seen = lookAt(file);
  } catch {
    return null;
  }
  if (seen === null || !seen.self.isFile()) return null;
  return { key: signatureOf(seen.self), racy: isRacy(seen.self, now) };
}

export function unchangedFiles<T>(now: () => number = Date.now): UnchangedFiles<T> {
  const kept = new Map<string, { key: string; value: T }>();
  return {
    async read(file, derive) {
      // Taken before the read: a change during it gives another signature, so the next read is fresh.
      const signature = regularFile(file, now());
      const entry = kept.get(file);
      if (signature !== null && entry !== undefined && entry.key === signature.key) return entry.value;
      kept.delete(file);
      const value = await derive();
      if (signature !== null && !signature.racy) kept.set(file, { key: signature.key, value });
      return value;
    },
  };
}
