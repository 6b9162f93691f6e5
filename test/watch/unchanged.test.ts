import { execFileSync } from 'node:child_process';
import { rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RACY_MS, unchangedFiles } from '../../src/host/watch/unchanged';
import { tempHome } from '../helpers/home';

/** A derive that counts its calls and returns the file's text as it is now. */
function counting(file: string) {
  let calls = 0;
  const derive = async () => {
    calls++;
    return (await import('node:fs/promises')).readFile(file, 'utf8').catch(() => null);
  };
  return { derive, calls: () => calls };
}

const PAST = new Date(Date.now() - 60_000);

/** Written with its mtime a minute back (its ctime is now: no one can set that). */
async function settled(file: string, text: string): Promise<void> {
  await writeFile(file, text);
  await utimes(file, PAST, PAST);
}

/** A clock RACY_MS ahead: the files written now are old enough to be trusted by their times. */
const later = () => Date.now() + RACY_MS;

describe('unchangedFiles (what the watcher derived from a file, while the file stays the same)', () => {
  it('derives once while the file is unchanged, and again after any write, even one that keeps its size and mtime', async () => {
    const { home } = await tempHome();
    const file = path.join(home, 'epiloop.json');
    await settled(file, '{"a":1}');
    const memo = unchangedFiles<string | null>(later);
    const { derive, calls } = counting(file);
    expect(await memo.read(file, derive)).toBe('{"a":1}');
    expect(await memo.read(file, derive)).toBe('{"a":1}');
    expect(calls()).toBe(1);

    // The same size, the same inode, the mtime set back to what it was: only the ctime tells, and it does.
    await settled(file, '{"a":2}');
    expect(await memo.read(file, derive)).toBe('{"a":2}');
    expect(calls()).toBe(2);

    // An atomic replace (the store's writes): another inode.
    await settled(`${file}.tmp`, '{"a":3}');
    await rename(`${file}.tmp`, file);
    expect(await memo.read(file, derive)).toBe('{"a":3}');
    expect(calls()).toBe(3);
  });

  it(`reads again a file changed within ${RACY_MS} ms of the read: a second write may not move its times`, async () => {
    const { home } = await tempHome();
    const file = path.join(home, 'epiloop.json');
    await settled(file, '{}');
    let now = Date.now();
    const memo = unchangedFiles<string | null>(() => now);
    const { derive, calls } = counting(file);
    await memo.read(file, derive);
    await memo.read(file, derive);
    expect(calls()).toBe(2);
    // Read once more when it is old enough: from then on it is trusted.
    now += RACY_MS;
    await memo.read(file, derive);
    await memo.read(file, derive);
    expect(calls()).toBe(3);
  });

  it('never trusts a symlink, a FIFO or a missing file: each read derives afresh', async () => {
    const { home } = await tempHome();
    const target = path.join(home, 'real.json');
    await settled(target, '{}');
    const link = path.join(home, 'link.json');
    await symlink(target, link);
    const fifo = path.join(home, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const memo = unchangedFiles<string>(later);
    for (const file of [link, fifo, path.join(home, 'missing.json')]) {
      let calls = 0;
      const derive = async () => `${++calls}`;
      await memo.read(file, derive);
      await memo.read(file, derive);
      expect(calls, file).toBe(2);
    }
  });

  it('forgets a file that went away, so one put back in its place is read', async () => {
    const { home } = await tempHome();
    const file = path.join(home, 'last-good.json');
    await settled(file, 'one');
    const memo = unchangedFiles<string | null>(later);
    const { derive, calls } = counting(file);
    expect(await memo.read(file, derive)).toBe('one');
    await rm(file);
    expect(await memo.read(file, derive)).toBeNull();
    await settled(file, 'two');
    expect(await memo.read(file, derive)).toBe('two');
    expect(calls()).toBe(3);
  });
});
