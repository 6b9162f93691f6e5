import { execFileSync, spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheDirFor, cacheFileName, cacheKey, checksum, loadBundle, MAX_CACHE_BYTES, ownCacheDir, readCache, writeCache } from '../../src/host/bundle';
import { runCli } from '../helpers/cli';
import { runs } from '../helpers/runs';

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
    const exports = loadBundle(file, { cacheDir: null, build: 'b', importEsm: async (s) => `imported ${s}`, siblings: { './ui.js': () => ({ name: `ui ${++loads}` }) } }) as Record<string, unknown>;
    expect(exports).toMatchObject({ base: 'main.js', dir, ui: 'ui 1', self: true });
    await expect((exports.later as () => Promise<string>)()).resolves.toBe('imported x');
  });

  it('a sibling name that is not own to the table goes to Node (no prototype lookups)', () => {
    const file = path.join(dir, 'main.js');
    writeFileSync(file, "module.exports = (() => { try { require('toString'); return 'loaded'; } catch (e) { return e.code; } })();");
    expect(loadBundle(file, { cacheDir: null, build: 'b', importEsm: noImport, siblings: {} })).toBe('MODULE_NOT_FOUND');
  });
});

describe('the code cache', () => {
  const source = 'function add(a, b) { return a + b; }\nglobalThis.epiloopBundleTest = add(1, 2);';

  it('round-trips: what writeCache keeps, readCache gives back for the same key, and V8 accepts it', () => {
    const file = path.join(dir, 'cache', 'main.js.v8');
    const script = new vm.Script(source, { filename: 'main.js' });
    script.runInThisContext();
    writeCache(file, 'key 1 ', script);
    const data = readCache(file, 'key 1 ');
    expect(data).toBeInstanceOf(Buffer);
    expect(new vm.Script(source, { filename: 'main.js', cachedData: data }).cachedDataRejected).toBe(false);
    // Only the owner may read or change it; no temp file is left behind.
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.dirname(file))).toEqual(['main.js.v8']);
  });

  it('gives nothing for another build (another key), a missing file, a directory, a FIFO (without waiting) or an oversized file', () => {
    const file = path.join(dir, 'main.js.v8');
    writeCache(file, 'key 1 ', new vm.Script(source));
    expect(readCache(file, 'key 2 ')).toBeUndefined();
    expect(readCache(path.join(dir, 'none.v8'), 'key 1 ')).toBeUndefined();
    mkdirSync(path.join(dir, 'dir.v8'));
    expect(readCache(path.join(dir, 'dir.v8'), 'key 1 ')).toBeUndefined();
    execFileSync('mkfifo', [path.join(dir, 'fifo.v8')]);
    const started = Date.now();
    expect(readCache(path.join(dir, 'fifo.v8'), 'key 1 ')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
    writeFileSync(path.join(dir, 'big.v8'), 'key 1 ');
    truncateSync(path.join(dir, 'big.v8'), MAX_CACHE_BYTES + 1);
    expect(readCache(path.join(dir, 'big.v8'), 'key 1 ')).toBeUndefined();
  });

  it('gives nothing for data damaged after its first line: a flipped bit, a zeroed tail, an edited string', () => {
    const file = path.join(dir, 'main.js.v8');
    const script = new vm.Script(`${source}\nglobalThis.epiloopWord = 'BACKUP';`, { filename: 'main.js' });
    script.runInThisContext();
    writeCache(file, 'key 1 ', script);
    const whole = readFileSync(file);
    expect(readCache(file, 'key 1 ')).toBeInstanceOf(Buffer);
    const header = whole.indexOf(10) + 1;
    const damaged = (change: (data: Buffer) => void) => {
      const copy = Buffer.from(whole);
      change(copy.subarray(header));
      writeFileSync(file, copy);
      return readCache(file, 'key 1 ');
    };
    expect(damaged((d) => d.writeUInt8(d.readUInt8(d.length >> 1) ^ 0x10, d.length >> 1))).toBeUndefined();
    expect(damaged((d) => d.fill(0, Math.max(0, d.length - 64)))).toBeUndefined();
    expect(damaged((d) => d.write('BAKKUP', d.indexOf('BACKUP'), 'latin1'))).toBeUndefined();
    // A shorter or longer file with a copied first line.
    writeFileSync(file, whole.subarray(0, whole.length - 4));
    expect(readCache(file, 'key 1 ')).toBeUndefined();
  });

  it('sums as CRC-32 written out in JS does, for every length', () => {
    const table = Array.from({ length: 256 }, (_, n) => {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      return c >>> 0;
    });
    const reference = (data: Uint8Array) => {
      let c = 0xffffffff;
      for (const byte of data) c = table[(c ^ byte) & 0xff]! ^ (c >>> 8);
      return `${((c ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0')}:${data.length}`;
    };
    // The published check value of CRC-32 (ISO-HDLC): "123456789" -> cbf43926.
    expect(checksum(Buffer.from('123456789'))).toBe('cbf43926:9');
    expect(checksum(new Uint8Array(0))).toBe('00000000:0');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(checksum(data)).toBe(reference(data));
      }),
      { numRuns: runs(300) },
    );
    const big = Uint8Array.from({ length: 200_003 }, (_, i) => (i * 7919) & 0xff);
    expect(checksum(big)).toBe(reference(big));
  });

  it('a writer killed before its rename leaves a temp file, which the next write removes', () => {
    const file = path.join(dir, 'cache', 'main.js.v8');
    mkdirSync(path.dirname(file), { mode: 0o700 });
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${file}.${gone.stdout}.tmp`, 'half');
    writeFileSync(`${file}.${process.ppid}.tmp`, 'a live writer');
    writeFileSync(path.join(dir, 'cache', `other.js.v8.${gone.stdout}.tmp`), 'not this file');
    writeCache(file, 'key 1 ', new vm.Script(source));
    expect(readdirSync(path.dirname(file)).sort()).toEqual(['main.js.v8', `main.js.v8.${process.ppid}.tmp`, `other.js.v8.${gone.stdout}.tmp`].sort());
  });

  it('a cache that cannot be written is no error: nothing is thrown and no temp file stays', () => {
    const blocker = path.join(dir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    expect(() => writeCache(path.join(blocker, 'main.js.v8'), 'k ', new vm.Script(source))).not.toThrow();
    // The file's own name taken by a directory: the rename fails, the temp file goes.
    mkdirSync(path.join(dir, 'taken', 'main.js.v8'), { recursive: true });
    chmodSync(path.join(dir, 'taken'), 0o700);
    expect(() => writeCache(path.join(dir, 'taken', 'main.js.v8'), 'k ', new vm.Script(source))).not.toThrow();
    expect(readdirSync(path.join(dir, 'taken'))).toEqual(['main.js.v8']);
  });

  it('keys a build by its fingerprint, size, time and inode, so a rebuild of the same length is a new key', () => {
    const file = path.join(dir, 'main.js');
    writeFileSync(file, source);
    const before = cacheKey('build1', statSync(file));
    utimesSync(file, new Date(2000, 0, 1), new Date(2000, 0, 1));
    expect(cacheKey('build1', statSync(file))).not.toBe(before);
    // Two builds alike in size, time and inode are still two keys.
    expect(cacheKey('build2', statSync(file))).not.toBe(cacheKey('build1', statSync(file)));
    expect(before).toContain(process.version);
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
  it('writes the cache on the first run that does some work, leaves it alone on the next (V8 took it), and replaces a damaged one', async () => {
    const home = path.join(dir, 'home');
    mkdirSync(home);
    // The cache goes to the temp dir (TMPDIR), never to HOME.
    const env = { HOME: home, TMPDIR: dir, NO_COLOR: '1', PATH: process.env.PATH ?? '' };
    const cacheDir = path.join(dir, `epiloop-v8-cache-${process.getuid?.() ?? 0}`);
    const cache = () => path.join(cacheDir, readdirSync(cacheDir).find((f) => f.startsWith('main.js.'))!);
    // Help, a version or a usage error compile little: they keep no cache for the build.
    for (const args of [['--help'], ['help', 'list'], ['list', '-h'], ['--profile', 'x', '--version'], ['bogus'], []]) {
      await runCli(args, { env });
      expect(readdirSync(dir), args.join(' ')).toEqual(['home']);
    }
    const first = await runCli(['list'], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(readdirSync(home)).toEqual([]);
    const written = statSync(cache());
    const second = await runCli(['list'], { env });
    expect(second.stdout).toBe(first.stdout);
    expect(statSync(cache()).mtimeMs).toBe(written.mtimeMs);
    // Damaged past its first line (20 bits flipped): no cache, the command runs as without one
    // (V8 itself would crash on it), and the cache is made anew.
    const damaged = readFileSync(cache());
    const header = damaged.indexOf(10) + 1;
    for (let k = 0; k < 20; k++) {
      const at = header + Math.floor(((k + 0.5) / 20) * (damaged.length - header));
      damaged.writeUInt8(damaged.readUInt8(at) ^ (1 << k % 8), at);
    }
    writeFileSync(cache(), damaged);
    const key = damaged.subarray(0, header);
    const third = await runCli(['list'], { env });
    expect([third.code, third.stdout, third.stderr]).toEqual([0, first.stdout, '']);
    const remade = statSync(cache());
    expect(remade.size).toBeGreaterThan(key.length + 64);
    await runCli(['list'], { env });
    expect(statSync(cache()).mtimeMs).toBe(remade.mtimeMs);
  });

  it('turned off with EPILOOP_NO_COMPILE_CACHE=1 it writes nothing', async () => {
    const run = await runCli(['list'], { env: { HOME: dir, TMPDIR: dir, NO_COLOR: '1', PATH: process.env.PATH ?? '', EPILOOP_NO_COMPILE_CACHE: '1' } });
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});
