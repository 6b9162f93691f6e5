import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { tempPathFor } from './lock';

/**
 * Writes `file` so that a reader (or a crash) sees the old bytes or the new ones, never a
 * mix: a temp file beside it, fsynced, renamed over it, then the directory fsynced.
 */
export async function writeFileAtomic(file: string, content: string, mode: number): Promise<void> {
  const temp = tempPathFor(file);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDir(path.dirname(file));
}

/** Makes a rename durable. Some filesystems refuse to fsync a directory; the rename still happened. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (handle === null) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
