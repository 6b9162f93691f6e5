import { execFileSync } from 'node:child_process';
import { mkdir, open, symlink, truncate, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProfileFile } from '../../src/host/store/read';
import { MAX_CONFIG_DEPTH, MAX_FILE_BYTES } from '../../src/core/profile/files';
import { parseConfigText, tooDeepAt } from '../../src/core/config/parse';
import { tempHome } from '../helpers/home';

/** A state dir with nothing in it yet. */
async function stateDir(): Promise<{ home: string; dir: string; file: string }> {
  const { home } = await tempHome();
  const dir = path.join(home, '.epiloop-lab');
  await mkdir(dir, { recursive: true });
  return { home, dir, file: path.join(dir, 'epiloop.json') };
}

/** Whatever the reader answers, it answers at once: a FIFO or a device must never block it. */
async function readSoon(file: string, within: string[], maxBytes?: number) {
  const started = Date.now();
  const answer = await readProfileFile(file, { within, ...(maxBytes === undefined ? {} : { maxBytes }) });
  expect(Date.now() - started).toBeLessThan(2000);
  return answer;
}

describe('readProfileFile: the one reader of a profile\'s files', () => {
  it('reads a regular file, and a symlink that stays inside the dir', async () => {
    const { dir, file } = await stateDir();
    await writeFile(path.join(dir, 'real.json'), '{"a":1}');
    expect(await readSoon(path.join(dir, 'real.json'), [dir])).toEqual({ state: 'ok', text: '{"a":1}' });
    await symlink('real.json', file);
    expect(await readSoon(file, [dir])).toEqual({ state: 'ok', text: '{"a":1}' });
  });

  it('says missing for no file', async () => {
    const { dir, file } = await stateDir();
    expect(await readSoon(file, [dir])).toEqual({ state: 'missing' });
  });

  it('refuses a directory, a FIFO and a socket without opening them (no hang)', async () => {
    const { dir, file } = await stateDir();
    await mkdir(file);
    expect(await readSoon(file, [dir])).toEqual({ state: 'refused', refusal: { kind: 'not-regular', type: 'directory' } });

    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await readSoon(fifo, [dir])).toEqual({ state: 'refused', refusal: { kind: 'not-regular', type: 'FIFO (named pipe)' } });

    const socket = path.join(dir, 's');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      expect(await readSoon(socket, [dir])).toEqual({ state: 'refused', refusal: { kind: 'not-regular', type: 'socket' } });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a symlink out of the dir: to a file elsewhere, to /dev/zero; and a dangling one', async () => {
    const { home, dir, file } = await stateDir();
    const outside = path.join(home, 'secret.json');
    await writeFile(outside, '{}');
    await symlink(outside, file);
    expect(await readSoon(file, [dir])).toEqual({ state: 'refused', refusal: { kind: 'outside', target: outside } });

    const zero = path.join(dir, 'zero.json');
    await symlink('/dev/zero', zero);
    expect(await readSoon(zero, [dir])).toEqual({ state: 'refused', refusal: { kind: 'outside', target: '/dev/zero' } });

    const dangling = path.join(dir, 'gone.json');
    await symlink('nowhere.json', dangling);
    expect(await readSoon(dangling, [dir])).toEqual({ state: 'refused', refusal: { kind: 'dangling', target: 'nowhere.json' } });
  });

  it('follows a symlink to /dev/zero only when told the dir holds it, and still refuses the device', async () => {
    const { dir } = await stateDir();
    const zero = path.join(dir, 'zero.json');
    await symlink('/dev/zero', zero);
    expect(await readSoon(zero, [dir, '/dev'])).toEqual({ state: 'refused', refusal: { kind: 'not-regular', type: 'character device' } });
  });

  it('refuses a file over the cap without reading it: 50 MB, and one byte over 1 MiB', async () => {
    const { dir, file } = await stateDir();
    await writeFile(file, '');
    await truncate(file, 50 * 1024 * 1024);
    expect(await readSoon(file, [dir])).toEqual({ state: 'refused', refusal: { kind: 'too-large', bytes: 50 * 1024 * 1024 } });
    await truncate(file, MAX_FILE_BYTES + 1);
    expect(await readSoon(file, [dir])).toEqual({ state: 'refused', refusal: { kind: 'too-large', bytes: MAX_FILE_BYTES + 1 } });
    await truncate(file, MAX_FILE_BYTES);
    expect(await readSoon(file, [dir])).toMatchObject({ state: 'ok' });
  });

  it('stops at the cap when the file grows while it reads', async () => {
    const { dir, file } = await stateDir();
    await writeFile(file, 'x'.repeat(10));
    const handle = await open(file, 'a');
    // Appends during the read: never more than maxBytes + 1 bytes are read in any case.
    const growing = (async () => {
      for (let i = 0; i < 50; i++) await handle.write('y'.repeat(1024));
    })();
    const answer = await readSoon(file, [dir], 4096);
    await growing;
    await handle.close();
    if (answer.state === 'ok') expect(answer.text.length).toBeLessThanOrEqual(4096);
    else expect(answer).toEqual({ state: 'refused', refusal: { kind: 'too-large', bytes: expect.any(Number) } });
  });

  it('says why a path through a file cannot be read, without throwing', async () => {
    const { home } = await tempHome();
    const notDir = path.join(home, '.epiloop-lab');
    await writeFile(notDir, 'i am a file');
    expect(await readSoon(path.join(notDir, 'epiloop.json'), [notDir])).toEqual({ state: 'refused', refusal: { kind: 'io', message: 'a directory on its path is a file' } });
  });
});

describe('nesting depth: refused before any parser runs', () => {
  it('finds the first bracket past the limit, with its line and column', () => {
    expect(tooDeepAt('{"a":[[1]]}', 3)).toBeNull();
    expect(tooDeepAt('{"a":[[1]]}', 2)).toEqual({ line: 1, column: 7 });
    expect(tooDeepAt('{\n  a: {\n    b: [1]\n  }\n}', 2)).toEqual({ line: 3, column: 8 });
  });

  it('skips brackets inside strings and comments', () => {
    const text = `{ a: "[[[[{{{{", b: '}}]]"', // [[[[[\n /* {{{{ [[[[ */ c: "\\"[[[" }`;
    expect(tooDeepAt(text, 1)).toBeNull();
    expect(parseConfigText(text, 'x').ok).toBe(true);
  });

  it('parses 64 levels of unknown keys, refuses 65 and 10,000 without touching the stack', () => {
    const nested = (depth: number) => `{ "gateway": {}, "x": ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)} }`;
    expect(parseConfigText(nested(MAX_CONFIG_DEPTH), 'f').ok).toBe(true);
    expect(parseConfigText(nested(MAX_CONFIG_DEPTH + 1), 'f')).toMatchObject({ ok: false, error: { kind: 'refused', refusal: { kind: 'too-deep', line: 1 } } });
    const started = Date.now();
    expect(parseConfigText(nested(10_000), 'f')).toMatchObject({ ok: false, error: { kind: 'refused', refusal: { kind: 'too-deep' } } });
    expect(parseConfigText(`{"x":${'{"x":'.repeat(200_000)}1${'}'.repeat(200_000)}}`, 'f')).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
