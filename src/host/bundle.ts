import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/**
 * Runs one file of the CommonJS build (dist/main.js, dist/ui.js) with V8's code cache.
 *
 * Compiling dist/main.js (~0.6 MB) costs every command ~40 ms before it does anything, and Node
 * 20 has no compile cache of its own (22's module.enableCompileCache is the same idea). The
 * first run of a build compiles as usual and, when it exits, keeps what V8 compiled in the
 * cache directory; later runs of the same build hand that to V8 instead of compiling.
 * The cache is only ever a shortcut: a missing, stale, foreign or unreadable file means a
 * normal compile, and a cache that cannot be written is not an error.
 */
export interface BundleOptions {
  /** Where the cache files live; null compiles without one. */
  readonly cacheDir: string | null;
  /**
   * `import()` for the bundle. Code that vm compiles cannot use the dynamic import of Node's
   * own loader without a flag, so the few ES-module-only packages load through this function,
   * which lives in a file Node compiled itself (see src/host/esm.ts).
   */
  readonly importEsm: (specifier: string) => Promise<unknown>;
  /** Sibling bundles the file requires by relative name ('./ui.js'), each loaded once. */
  readonly siblings?: Readonly<Record<string, () => unknown>>;
}

/** A file past this size is not ours (V8's cache of main.js is ~0.5 MB): not read. */
export const MAX_CACHE_BYTES = 16 * 1024 * 1024;

/** What the bundle's code sees as its module scope; `__epiloopImport` is BundleOptions.importEsm. */
const PARAMS = ['exports', 'require', 'module', '__filename', '__dirname', '__epiloopImport'];

/**
 * The cache directory: `epiloop-v8-cache-<uid>` in the temp dir, as Node 22 keeps its own compile
 * cache there (not in HOME: a command that refuses creates nothing in it). Null when the user
 * turned it off.
 */
export function cacheDirFor(env: NodeJS.ProcessEnv, tmp: string, uid: number): string | null {
  if (env.EPILOOP_NO_COMPILE_CACHE !== undefined && env.EPILOOP_NO_COMPILE_CACHE !== '' && env.EPILOOP_NO_COMPILE_CACHE !== '0') return null;
  if (!path.isAbsolute(tmp)) return null;
  return path.join(tmp, `epiloop-v8-cache-${uid}`);
}

/**
 * Whether `dir` is this user's own cache directory, made if missing: a real directory (not a
 * link), owned by this user, that no one else may write or read. In a shared temp dir another
 * user could make the name first; then there is no cache, nothing worse.
 */
export function ownCacheDir(dir: string, make: boolean): boolean {
  try {
    if (make) mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
  }
  try {
    const stat = lstatSync(dir);
    return stat.isDirectory() && stat.uid === (process.getuid?.() ?? stat.uid) && (stat.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** One cache file per installed file (its path, hashed): two installs, or two checkouts, never take turns overwriting one. */
export function cacheFileName(file: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < file.length; i++) hash = Math.imul(hash ^ file.charCodeAt(i), 0x01000193) >>> 0;
  return `${path.basename(file)}.${hash.toString(16).padStart(8, '0')}.v8`;
}

/**
 * The first line of a cache file: what it was made from. V8 checks its own version, flags and
 * the source's length; the build's size, time and inode tell two builds of one length apart.
 */
export function cacheKey(stat: { size: number; mtimeMs: number; ino: number }): string {
  return `epiloop-v8-cache 1 ${process.version} ${process.arch} ${stat.size} ${stat.mtimeMs} ${stat.ino}\n`;
}

export function loadBundle(file: string, options: BundleOptions): unknown {
  const fd = openSync(file, 'r');
  let source: string;
  let key: string;
  try {
    const stat = fstatSync(fd);
    key = cacheKey(stat);
    const bytes = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break;
      read += n;
    }
    source = bytes.toString('utf8', 0, read);
  } finally {
    closeSync(fd);
  }
  const cachePath = options.cacheDir === null ? null : path.join(options.cacheDir, cacheFileName(file));
  const cachedData = cachePath === null || !ownCacheDir(options.cacheDir!, false) ? undefined : readCache(cachePath, key);
  const script = new vm.Script(`(function (${PARAMS.join(', ')}) {${source}\n})`, { filename: file, cachedData });
  if (cachePath !== null && (cachedData === undefined || script.cachedDataRejected === true)) {
    process.once('exit', () => writeCache(cachePath, key, script));
  }
  const nodeRequire = createRequire(file);
  const siblings = options.siblings ?? {};
  const require = Object.assign((id: string) => (Object.hasOwn(siblings, id) ? siblings[id]!() : nodeRequire(id)), nodeRequire);
  const module = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, require, module, file, path.dirname(file), options.importEsm);
  module.loaded = true;
  return module.exports;
}

/** The cached data in `file` when it was made for `key`; undefined for anything else, without waiting on a FIFO. */
export function readCache(file: string, key: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size <= key.length || stat.size > MAX_CACHE_BYTES) return undefined;
    const bytes = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) return undefined;
      read += n;
    }
    if (bytes.toString('latin1', 0, key.length) !== key) return undefined;
    return bytes.subarray(key.length);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Keeps what V8 compiled, whole or not at all (a temp file renamed over the old one); any failure is silent. */
export function writeCache(file: string, key: string, script: vm.Script): void {
  const temp = `${file}.${process.pid}.tmp`;
  if (!ownCacheDir(path.dirname(file), true)) return;
  try {
    writeFileSync(temp, Buffer.concat([Buffer.from(key, 'latin1'), script.createCachedData()]), { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // Nothing was made there.
    }
  }
}
