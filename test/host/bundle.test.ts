import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheDirFor, cacheFileName, cacheKey, loadBundle, MAX_CACHE_BYTES, ownCacheDir, readCache, writeCache } from '../../src/host/bundle';
import { runCli } from '../helpers/cli';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'epiloop-bundle-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const noImport = () => Promise.reject(new Error('no import here'));

describe('loadBundle', () => {
  it('runs a CommonJS file with its module scope, Node\'s require, the siblings and the import function', async () => {
    const file = path.join(dir, 'main.js');
    writeFileSync(
      file,
      "const path = require('node:path'); module.exports = { base: path.basename(__filename), dir: __dirname, ui: require('./ui.js').name, self: this === exports, later: () => __epiloopImport('x') };",
    );
    let loads = 0;
    const exports = loadBundle(file, { cacheDir: null, importEsm: async (s) => `imported ${s}`, siblings: { './ui.js': () => ({ name: `ui ${++loads}` }) } }) as Record<string, unknown>;
    expect(exports).toMatchObject({ base: 'main.js', dir, ui: 'ui 1', self: true });
    await expect((exports.later as () => Promise<string>)()).resolves.toBe('imported x');
  });

  it('a sibling name that is not own to the table goes to Node (no prototype lookups)', () => {
    const file = path.join(dir, 'main.js');
    writeFileSync(file, "module.exports = (() => { try { require('toString'); return 'loaded'; } catch (e) { return e.code; } })();");
    expect(loadBundle(file, { cacheDir: null, importEsm: noImport, siblings: {} })).toBe('MODULE_NOT_FOUND');
  });
});

describe('the code cache', () => {
  const source = 'function add(a, b) { return a + b; }\nglobalThis.epiloopBundleTest = add(1, 2);';

  it('round-trips: what writeCache keeps, readCache gives back for the same key, and V8 accepts it', () => {
    const file = path.join(dir, 'cache', 'main.js.v8');
    const script = new vm.Script(source, { filename: 'main.js' });
    script.runInThisContext();
    writeCache(file, 'key 1\n', script);
    const data = readCache(file, 'key 1\n');
    expect(data).toBeInstanceOf(Buffer);
    expect(new vm.Script(source, { filename: 'main.js', cachedData: data }).cachedDataRejected).toBe(false);
    // Only the owner may read or change it; no temp file is left behind.
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.dirname(file))).toEqual(['main.js.v8']);
  });

  it('gives nothing for another build (another key), a missing file, a directory, a FIFO (without waiting) or an oversized file', () => {
    const file = path.join(dir, 'main.js.v8');
    writeCache(file, 'key 1\n', new vm.Script(source));
    expect(readCache(file, 'key 2\n')).toBeUndefined();
    expect(readCache(path.join(dir, 'none.v8'), 'key 1\n')).toBeUndefined();
    mkdirSync(path.join(dir, 'dir.v8'));
    expect(readCache(path.join(dir, 'dir.v8'), 'key 1\n')).toBeUndefined();
    execFileSync('mkfifo', [path.join(dir, 'fifo.v8')]);
    const started = Date.now();
    expect(readCache(path.join(dir, 'fifo.v8'), 'key 1\n')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
    writeFileSync(path.join(dir, 'big.v8'), 'key 1\n');
    truncateSync(path.join(dir, 'big.v8'), MAX_CACHE_BYTES + 1);
    expect(readCache(path.join(dir, 'big.v8'), 'key 1\n')).toBeUndefined();
  });

  it('a cache that cannot be written is no error: nothing is thrown and no temp file stays', () => {
    const blocker = path.join(dir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    expect(() => writeCache(path.join(blocker, 'main.js.v8'), 'k\n', new vm.Script(source))).not.toThrow();
    // The file's own name taken by a directory: the rename fails, the temp file goes.
    mkdirSync(path.join(dir, 'taken', 'main.js.v8'), { recursive: true });
    chmodSync(path.join(dir, 'taken'), 0o700);
    expect(() => writeCache(path.join(dir, 'taken', 'main.js.v8'), 'k\n', new vm.Script(source))).not.toThrow();
    expect(readdirSync(path.join(dir, 'taken'))).toEqual(['main.js.v8']);
  });

  it('keys a build by its size, time and inode, so a rebuild of the same length is a new key', () => {
    const file = path.join(dir, 'main.js');
    writeFileSync(file, source);
    const before = cacheKey(statSync(file));
    utimesSync(file, new Date(2000, 0, 1), new Date(2000, 0, 1));
    expect(cacheKey(statSync(file))).not.toBe(before);
    expect(before).toContain(process.version);
    expect(before.endsWith('\n')).toBe(true);
  });
});

describe('cacheDirFor', () => {
  it('is epiloop-v8-cache-<uid> in the temp dir; none for a relative temp dir or when turned off', () => {
    expect(cacheDirFor({}, '/tmp', 1000)).toBe('/tmp/epiloop-v8-cache-1000');
    expect(cacheDirFor({}, 'relative', 1000)).toBeNull();
    expect(cacheDirFor({ EPILOOP_NO_COMPILE_CACHE: '1' }, '/tmp', 1000)).toBeNull();
    expect(cacheDirFor({ EPILOOP_NO_COMPILE_CACHE: '0' }, '/tmp', 1000)).toBe('/tmp/epiloop-v8-cache-1000');
  });

  it('names one file per installed file, so two checkouts never overwrite each other', () => {
    expect(cacheFileName('/a/dist/main.js')).toMatch(/^main\.js\.[0-9a-f]{8}\.v8$/);
    expect(cacheFileName('/a/dist/main.js')).toBe(cacheFileName('/a/dist/main.js'));
    expect(cacheFileName('/b/dist/main.js')).not.toBe(cacheFileName('/a/dist/main.js'));
  });
});

describe('ownCacheDir', () => {
  it('makes the directory 0700 and takes it; takes no link, no file, nothing others may read or write', () => {
    const own = path.join(dir, 'own');
    expect(ownCacheDir(own, false)).toBe(false);
    expect(ownCacheDir(own, true)).toBe(true);
    expect(statSync(own).mode & 0o777).toBe(0o700);
    symlinkSync(own, path.join(dir, 'link'));
    expect(ownCacheDir(path.join(dir, 'link'), true)).toBe(false);
    writeFileSync(path.join(dir, 'file'), '');
    expect(ownCacheDir(path.join(dir, 'file'), true)).toBe(false);
    mkdirSync(path.join(dir, 'open'), { mode: 0o777 });
    chmodSync(path.join(dir, 'open'), 0o777);
    expect(ownCacheDir(path.join(dir, 'open'), true)).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)("takes no directory another user made first (the name in a shared temp dir)", () => {
    mkdirSync(path.join(dir, 'theirs'), { mode: 0o700 });
    chownSync(path.join(dir, 'theirs'), 4242, 4242);
    expect(ownCacheDir(path.join(dir, 'theirs'), true)).toBe(false);
  });
});

describe('the built CLI with its cache', () => {
  it('writes the cache on the first run, leaves it alone on the next (V8 took it), and replaces a damaged one', async () => {
    const home = path.join(dir, 'home');
    mkdirSync(home);
    // The cache goes to the temp dir (TMPDIR), never to HOME.
    const env = { HOME: home, TMPDIR: dir, NO_COLOR: '1', PATH: process.env.PATH ?? '' };
    const cacheDir = path.join(dir, `epiloop-v8-cache-${process.getuid?.() ?? 0}`);
    const cache = () => path.join(cacheDir, readdirSync(cacheDir).find((f) => f.startsWith('main.js.'))!);
    const first = await runCli(['--help'], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(readdirSync(home)).toEqual([]);
    const written = statSync(cache());
    const second = await runCli(['--help'], { env });
    expect(second.stdout).toBe(first.stdout);
    expect(statSync(cache()).mtimeMs).toBe(written.mtimeMs);
    // Damaged past its key: V8 refuses it, the command runs as without a cache, and the cache is made anew.
    const key = readFileSync(cache()).subarray(0, readFileSync(cache()).indexOf(10) + 1);
    writeFileSync(cache(), Buffer.concat([key, Buffer.alloc(64, 7)]));
    const third = await runCli(['--help'], { env });
    expect([third.code, third.stdout, third.stderr]).toEqual([0, first.stdout, '']);
    const remade = statSync(cache());
    expect(remade.size).toBeGreaterThan(key.length + 64);
    await runCli(['--help'], { env });
    expect(statSync(cache()).mtimeMs).toBe(remade.mtimeMs);
  });

  it('turned off with EPILOOP_NO_COMPILE_CACHE=1 it writes nothing', async () => {
    const run = await runCli(['--help'], { env: { HOME: dir, TMPDIR: dir, NO_COLOR: '1', PATH: process.env.PATH ?? '', EPILOOP_NO_COMPILE_CACHE: '1' } });
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});
