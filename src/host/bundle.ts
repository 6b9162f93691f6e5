import { closeSync, constants, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
  /** The build's fingerprint of this file (a hash of its text, written into dist/cli.js by the build). */
  readonly build: string;
  /**
   * `import()` for the bundle. Code that vm compiles cannot use the dynamic import of Node's
   * own loader without a flag, so the few ES-module-only packages load through this function,
   * which lives in a file Node compiled itself (see src/host/esm.ts).
   */
  readonly importEsm: (specifier: string) => Promise<unknown>;
  /** Sibling bundles the file requires by relative name ('./ui.js'), each loaded once. */
  readonly siblings?: Readonly<Record<string, () => unknown>>;
  /**
   * Whether a run that ends with this exit code keeps what it compiled (default: always). The
   * cache is made once per build, so a run that compiled little (help, a usage error) should
   * not be the one to make it.
   */
  readonly keep?: (exitCode: number) => boolean;
  /**
   * The `require` of a module in the file's own directory (dist/cli.js's), so that it resolves as
   * the file's own would; without it, one is made with node:module's createRequire (~2 ms to load).
   */
  readonly require?: NodeJS.Require;
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
 * The start of a cache file's first line: what it was made from. V8 checks its own version and
 * flags, and of the source only its length; the build's own fingerprint of the file's text
 * (plus its size, time and inode) tells two builds apart. The line ends with the checksum of
 * the cached data after it.
 */
export function cacheKey(build: string, stat: { size: number; mtimeMs: number; ino: number }): string {
  return `epiloop-v8-cache 3 ${process.version} ${process.arch} ${build} ${stat.size} ${stat.mtimeMs} ${stat.ino} `;
}

/**
 * V8 in Node 20 checks nothing of a code cache's contents: a damaged one (a bit flipped on the
 * disk, a block zeroed, an edit) is not refused but crashes V8, in every later run. So the data
 * carries a checksum, and a file whose data does not match it is no cache: zlib's CRC-32 (native,
 * ~0.3 ms for the ~0.4 MB of main.js's cache) beside the length. node:zlib loads in ~1 ms once
 * node:stream is loaded, which every command loads anyway to print; the WebAssembly sum used
 * before cost 8–15 ms on its first call (the engine's start-up), more than loading zlib.
 * test/host/bundle.test.ts holds it to a CRC-32 written out in JS.
 */
export function checksum(data: Uint8Array): string | null {
  // zlib.crc32 came in Node 20.15: on an older 20 there is no check, so no cache.
  const crc32 = (process.getBuiltinModule('node:zlib') as { crc32?: (data: Uint8Array) => number }).crc32;
  if (typeof crc32 !== 'function') return null;
  return `${(crc32(data) >>> 0).toString(16).padStart(8, '0')}:${data.length}`;
}

export function loadBundle(file: string, options: BundleOptions): unknown {
  const fd = openSync(file, 'r');
  let source: string;
  let key: string;
  try {
    const stat = fstatSync(fd);
    key = cacheKey(options.build, stat);
    source = readUpTo(fd, stat.size).toString('utf8');
  } finally {
    closeSync(fd);
  }
  const cachePath = options.cacheDir === null ? null : path.join(options.cacheDir, cacheFileName(file));
  const cachedData = cachePath === null || !ownCacheDir(options.cacheDir!, false) ? undefined : readCache(cachePath, key);
  const script = new vm.Script(`(function (${PARAMS.join(', ')}) {${source}\n})`, { filename: file, cachedData });
  if (cachePath !== null && (cachedData === undefined || script.cachedDataRejected === true)) {
    process.once('exit', (code) => {
      if (options.keep?.(code) ?? true) writeCache(cachePath, key, script);
    });
  }
  const nodeRequire = options.require ?? process.getBuiltinModule('node:module').createRequire(file);
  const siblings = options.siblings ?? {};
  const require = Object.assign((id: string) => (Object.hasOwn(siblings, id) ? siblings[id]!() : nodeRequire(id)), nodeRequire);
  const module = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, require, module, file, path.dirname(file), options.importEsm);
  module.loaded = true;
  return module.exports;
}

/** Up to `size` bytes from the start of `fd`: fewer only when the file ends sooner. */
function readUpTo(fd: number, size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let read = 0;
  while (read < size) {
    const n = readSync(fd, bytes, read, size - read, read);
    if (n === 0) break;
    read += n;
  }
  return bytes.subarray(0, read);
}

/** The cached data in `file` when it was made for `key` and is whole; undefined for anything else, without waiting on a FIFO. */
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
    const bytes = readUpTo(fd, stat.size);
    if (bytes.length < stat.size) return undefined;
    if (bytes.toString('latin1', 0, key.length) !== key) return undefined;
    const end = bytes.indexOf(10, key.length);
    if (end < 0 || end - key.length > 32) return undefined;
    const data = bytes.subarray(end + 1);
    const sum = checksum(data);
    return sum !== null && sum === bytes.toString('latin1', key.length, end) ? data : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Keeps what V8 compiled, whole or not at all: a temp file, flushed to the disk, renamed over
 * the old one (a power cut cannot leave a half-written file under the cache's name). Any
 * failure is silent. Temp files of writers that were killed before their rename go too.
 */
export function writeCache(file: string, key: string, script: vm.Script): void {
  const dir = path.dirname(file);
  const temp = `${file}.${process.pid}.tmp`;
  if (!ownCacheDir(dir, true)) return;
  try {
    const data = script.createCachedData();
    const sum = checksum(data);
    if (sum === null) return;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeFileSync(fd, Buffer.concat([Buffer.from(`${key}${sum}\n`, 'latin1'), data]));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
    removeDeadTemps(dir, path.basename(file));
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // Nothing was made there.
    }
  }
}

/** `<name>.<pid>.tmp` files whose writer is gone. */
function removeDeadTemps(dir: string, name: string): void {
  for (const entry of readdirSync(dir)) {
    const pid = entry.startsWith(`${name}.`) && entry.endsWith('.tmp') ? Number(entry.slice(name.length + 1, -'.tmp'.length)) : NaN;
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    rmSync(path.join(dir, entry), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
