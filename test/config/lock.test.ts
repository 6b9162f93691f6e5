import { existsSync } from 'node:fs';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { HostError } from '../../src/core/errors';
import { removeStale, tryCreate, withFileLock } from '../../src/host/store/lock';
import { tempHome } from '../helpers/home';
import { startFixture } from './fixtures/child';

async function lockIn(): Promise<string> {
  const { home } = await tempHome();
  return path.join(home, 'epiloop.json.lock');
}

/** A lock left behind by a process that was killed while holding it. Returns that pid. */
async function leaveStaleLock(lockPath: string): Promise<number | undefined> {
  const holder = startFixture('hold-lock.ts', [lockPath, 'epiloop setup']);
  await holder.waitFor('locked');
  holder.process.kill('SIGKILL');
  await holder.exited;
  return holder.process.pid;
}

describe('withFileLock', () => {
  it('runs callers one at a time and removes the lock afterwards', async () => {
    const lockPath = await lockIn();
    let inside = 0;
    let most = 0;
    const task = (i: number) =>
      withFileLock(lockPath, async () => {
        most = Math.max(most, ++inside);
        await sleep(5);
        inside--;
        return i;
      });

    expect(await Promise.all([1, 2, 3, 4].map(task))).toEqual([1, 2, 3, 4]);
    expect(most).toBe(1);
    expect(existsSync(lockPath)).toBe(false);
    expect(await readdir(path.dirname(lockPath))).toEqual([]);
  });

  it('writes who holds it into the lock file', async () => {
    const lockPath = await lockIn();
    const content = await withFileLock(lockPath, () => readFile(lockPath, 'utf8'), { what: 'epiloop setup' });

    // start: the kernel's start time of the pid (Linux), so a pid reused later is not taken for the holder.
    expect(JSON.parse(content)).toEqual({ pid: process.pid, start: expect.any(String), what: 'epiloop setup', since: expect.any(String) });
  });

  it('releases the lock when fn throws, and passes the error on', async () => {
    const lockPath = await lockIn();
    await expect(withFileLock(lockPath, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(lockPath)).toBe(false);
  });

  it('does not delete a lock that is no longer its own', async () => {
    const lockPath = await lockIn();
    const other = JSON.stringify({ pid: process.pid, what: 'someone else', since: new Date().toISOString() });

    await withFileLock(lockPath, () => writeFile(lockPath, other));

    expect(await readFile(lockPath, 'utf8')).toBe(other);
  });

  it('times out on a lock held by another process, naming its pid and what it does', async () => {
    const lockPath = await lockIn();
    const holder = startFixture('hold-lock.ts', [lockPath, 'epiloop onboard']);
    try {
      await holder.waitFor('locked');
      const started = Date.now();

      const error = await withFileLock(lockPath, async () => 'never', { timeoutMs: 300 }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(HostError);
      expect((error as HostError).message).toMatch(
        new RegExp(
          `^${lockPath.replace(/[.]/g, '\\.')} is locked by pid ${holder.process.pid} \\(epiloop onboard\\) since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z; wait for it to finish or stop that process\\.$`,
        ),
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      holder.process.stdin.end();
      await holder.exited;
    }
    expect(existsSync(lockPath)).toBe(false);
  });

  it('takes over the lock of a process that was killed while holding it', async () => {
    const lockPath = await lockIn();
    const deadPid = await leaveStaleLock(lockPath);
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: deadPid });

    const content = await withFileLock(lockPath, () => readFile(lockPath, 'utf8'), { timeoutMs: 1000 });

    expect(JSON.parse(content)).toMatchObject({ pid: process.pid });
    expect(existsSync(lockPath)).toBe(false);
  });

  it('lets exactly one of several waiters take over a stale lock at a time', async () => {
    const lockPath = await lockIn();
    await leaveStaleLock(lockPath);
    let inside = 0;
    let most = 0;

    await Promise.all(
      [1, 2, 3].map(() =>
        withFileLock(lockPath, async () => {
          most = Math.max(most, ++inside);
          await sleep(5);
          inside--;
        }),
      ),
    );

    expect(most).toBe(1);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('never frees a live lock while clearing the stale one a waiter read before it was replaced (issue 12: concurrent setups wrote overlapping bases)', async () => {
    const lockPath = await lockIn();
    // The waiter read a holder that has since released and exited; a live process holds the lock now.
    const stale = JSON.stringify({ pid: 999_999_999, since: 'before' }) + '\n';
    const live = JSON.stringify({ pid: process.pid, since: 'now' }) + '\n';
    await writeFile(lockPath, live);
    let taken = 0;
    const clearing = removeStale(lockPath, stale);
    // A third process trying to take the lock meanwhile (bounded: 200 tries).
    for (let i = 0; i < 200; i++) if (await tryCreate(lockPath, 'third\n')) taken++;
    await clearing;
    expect(taken).toBe(0);
    expect(await readFile(lockPath, 'utf8')).toBe(live);
  });

  it('breaking a stale lock removes the temp files dead lock takers and breakers left beside it (killed between their write and their link)', async () => {
    const lockPath = await lockIn();
    const dir = path.dirname(lockPath);
    const stale = JSON.stringify({ pid: 999_999_999, since: 'before' }) + '\n';
    await writeFile(lockPath, stale);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const left = [`.epiloop.json.lock.${dead}.0123456789ab.tmp`, `.epiloop.json.lock.break.${dead}.0123456789ab.tmp`];
    const then = new Date(Date.now() - 60_000);
    for (const name of left) {
      await writeFile(path.join(dir, name), stale);
      await utimes(path.join(dir, name), then, then);
    }

    await removeStale(lockPath, stale);

    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('does not guess about a lock file it cannot read, and says how to clear it', async () => {
    const lockPath = await lockIn();
    await writeFile(lockPath, 'not json');

    await expect(withFileLock(lockPath, async () => 'never', { timeoutMs: 50 })).rejects.toThrow(
      `${lockPath} exists but is not a lock epiloop can read; if no epiloop is running, remove it.`,
    );
  });

  it('reports a lock it cannot create as a HostError', async () => {
    const { home } = await tempHome();
    const lockPath = path.join(home, 'no-such-dir', 'epiloop.json.lock');

    await expect(withFileLock(lockPath, async () => 'never')).rejects.toThrow(HostError);
  });
});

describe('a lock in a directory that does not exist', () => {
  it('names the missing directory, and says so when it is HOME, never a temp file name and ENOENT', async () => {
    const { home } = await tempHome();
    const gone = path.join(home, 'nonexistent', 'x');
    const lockPath = path.join(gone, '.epiloop.ports.lock');
    await expect(tryCreate(lockPath, 'x\n')).rejects.toThrow(new HostError(`Cannot create the lock file ${lockPath}: the directory ${gone} does not exist.`));
    const saved = process.env.HOME;
    process.env.HOME = gone;
    try {
      await expect(tryCreate(lockPath, 'x\n')).rejects.toThrow(
        new HostError(`Cannot create the lock file ${lockPath}: HOME (${gone}) does not exist. Set HOME to your home directory, or create it, and run the command again.`),
      );
    } finally {
      process.env.HOME = saved;
    }
  });
});
