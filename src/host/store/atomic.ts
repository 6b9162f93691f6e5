import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { tempPathFor } from './lock';

/** An open file, as an atomic write uses it. */
export interface AtomicHandle {
  writeFile(data: string, encoding: 'utf8'): Promise<void>;
  chmod(mode: number): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The file operations of an atomic write: a seam, so a test can record their order or stop at any one. */
export interface AtomicFs {
  open(file: string, flags: string, mode?: number): Promise<AtomicHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
}

export const nodeFs: AtomicFs = { open, rename, unlink };

/**
 * Writes `file` so that a reader (or a crash) sees the old bytes or the new ones, never a
 * mix: a temp file beside it, fsynced, renamed over it, then the directory fsynced.
 */
export async function writeFileAtomic(file: string, content: string, mode: number, fs: AtomicFs = nodeFs): Promise<void> {
  const temp = tempPathFor(file);
  try {
    const handle = await fs.open(temp, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDir(path.dirname(file), fs);
}

/** Makes a rename durable. Some filesystems refuse to fsync a directory; the rename still happened. */
export async function syncDir(dir: string, fs: AtomicFs = nodeFs): Promise<void> {
  const handle = await fs.open(dir, 'r').catch(() => null);
  if (handle === null) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
