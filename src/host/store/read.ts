/**
 * The one reader of a profile's files, for every command and the watcher: its config, the
 * config-path pointer, its gateway.lock, a service unit read back. Only a regular file is
 * opened (a FIFO would block, a device never end); a symlink is followed only when it
 * resolves inside the dirs given; the size is capped. Whatever is wrong comes back as a
 * refusal, never as a throw or a hang: one profile's broken file never fails another's command.
 */
import { constants } from 'node:fs';
import { lstat, open, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { MAX_FILE_BYTES, type FileRefusal } from '../../core/profile/files';

export type FileRead = { state: 'ok'; text: string } | { state: 'missing' } | { state: 'refused'; refusal: FileRefusal };

export interface ReadOptions {
  /** The dirs the file must resolve inside, whatever symlinks lie between (its profile's state dir, its own dir). */
  within: readonly string[];
  /** Default MAX_FILE_BYTES. */
  maxBytes?: number;
}

function typeOf(stats: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isDirectory()) return 'directory';
  if (stats.isFIFO()) return 'FIFO (named pipe)';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isBlockDevice()) return 'block device';
  return 'special file';
}

function inside(file: string, dir: string): boolean {
  return file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/** The words of an io refusal for a path through a file (a state "dir" that is not one): there is no such file. */
export const NOT_A_DIRECTORY = 'a directory on its path is a file';

function failure(error: unknown): FileRead {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { state: 'missing' };
  if (code === 'EACCES' || code === 'EPERM') return { state: 'refused', refusal: { kind: 'unreadable' } };
  // A parent of the file is a file (a state "dir" that is not one).
  if (code === 'ENOTDIR') return { state: 'refused', refusal: { kind: 'io', message: NOT_A_DIRECTORY } };
  return { state: 'refused', refusal: { kind: 'io', message: code ?? (error as Error).message } };
}

/** Where `file` really is, or why it is not to be read: a symlink must land inside `within`. */
async function place(file: string, within: readonly string[]): Promise<{ real: string } | FileRead> {
  let link;
  try {
    link = await lstat(file);
  } catch (error) {
    return failure(error);
  }
  let real: string;
  try {
    real = await realpath(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (link.isSymbolicLink() && (code === 'ENOENT' || code === 'ELOOP')) {
      return { state: 'refused', refusal: { kind: 'dangling', target: await readlink(file).catch(() => '?'), ...(code === 'ELOOP' ? { loop: true } : {}) } };
    }
    return failure(error);
  }
  if (link.isSymbolicLink()) {
    const dirs = await Promise.all(within.map((dir) => realpath(dir).catch(() => null)));
    if (!dirs.some((dir) => dir !== null && inside(real, dir))) return { state: 'refused', refusal: { kind: 'outside', target: real } };
  }
  return { real };
}

/**
 * Reads a profile's file as text, or says why not. Never opens anything but a regular file
 * (checked before opening, and again on the open handle: O_NOFOLLOW | O_NONBLOCK, so a swap
 * in between can neither lead out nor block), and never reads more than maxBytes.
 */
export async function readProfileFile(file: string, options: ReadOptions): Promise<FileRead> {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  const found = await place(file, options.within);
  if (!('real' in found)) return found;
  let stats;
  try {
    stats = await stat(found.real);
  } catch (error) {
    return failure(error);
  }
  if (!stats.isFile()) return { state: 'refused', refusal: { kind: 'not-regular', type: typeOf(stats) } };
  if (stats.size > maxBytes) return { state: 'refused', refusal: { kind: 'too-large', bytes: stats.size } };
  let handle;
  try {
    handle = await open(found.real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { state: 'refused', refusal: { kind: 'outside', target: found.real } };
    return failure(error);
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) return { state: 'refused', refusal: { kind: 'not-regular', type: typeOf(opened) } };
    // At most one byte past the cap, whatever fstat said: a file that grows meanwhile is still never read whole.
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= maxBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > maxBytes) return { state: 'refused', refusal: { kind: 'too-large', bytes: Math.max(total, opened.size) } };
    return { state: 'ok', text: Buffer.concat(chunks).toString('utf8') };
  } catch (error) {
    return failure(error);
  } finally {
    await handle.close();
  }
}
