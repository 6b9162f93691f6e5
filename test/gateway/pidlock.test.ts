import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireGatewayLock, readGatewayLock, staleWords, type GatewayLock } from '../../src/host/gateway/pidlock';
import { stateFile } from '../../src/core/profile/identity';
import { processStartOf } from '../../src/host/gateway/proc';

const dirs: string[] = [];
async function stateDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'epiloop-lock-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  while (dirs.length) await rm(dirs.pop()!, { recursive: true, force: true });
});

const ports = { gateway: 21000, browserControl: 21002, canvas: 21004, cdp: { from: 21011, to: 21110 } };
const lockOf = async (pid: number): Promise<GatewayLock> => ({ pid, processStart: await processStartOf(pid), startedAt: new Date().toISOString(), host: '127.0.0.1', ports });

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('gateway lock', () => {
  it('is held by one gateway: the second is told who holds it; released, it is free again', async () => {
    const dir = await stateDir();
    const first = await acquireGatewayLock(dir, await lockOf(process.pid));
    expect(first.ok).toBe(true);
    const second = await acquireGatewayLock(dir, { ...(await lockOf(process.pid)), host: '0.0.0.0' });
    expect(second).toEqual({ ok: false, holder: expect.objectContaining({ pid: process.pid, host: '127.0.0.1', ports }) });
    expect(await readGatewayLock(dir)).toEqual({ state: 'running', lock: expect.objectContaining({ pid: process.pid }) });
    if (first.ok) await first.release();
    expect(await readGatewayLock(dir)).toEqual({ state: 'none' });
    expect((await acquireGatewayLock(dir, await lockOf(process.pid))).ok).toBe(true);
  });

  it('reads a lock whose gateway was killed but not yet reaped (a zombie) as stale, and takes it over', async () => {
    const dir = await stateDir();
    // sh starts a child that exits at once, then becomes a sleep that never reaps it: a zombie for 3 s.
    const { spawn } = await import('node:child_process');
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 3'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()))));
    try {
      const deadline = Date.now() + 2000;
      const stateOf = async () => (await readFile(`/proc/${zombie}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.[0];
      while ((await stateOf()) !== 'Z' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(await stateOf()).toBe('Z');
      await writeFile(stateFile(dir, 'gatewayLock'), JSON.stringify(await lockOf(zombie)));
      expect(await readGatewayLock(dir)).toMatchObject({ state: 'stale', lock: { pid: zombie } });
      expect((await acquireGatewayLock(dir, await lockOf(process.pid))).ok).toBe(true);
    } finally {
      parent.kill();
    }
  });

  it('takes over a lock left by a dead process', async () => {
    const dir = await stateDir();
    const dead = deadPid();
    await writeFile(stateFile(dir, 'gatewayLock'), JSON.stringify({ ...(await lockOf(process.pid)), pid: dead, processStart: null }));
    expect(await readGatewayLock(dir)).toMatchObject({ state: 'stale', lock: { pid: dead } });
    const taken = await acquireGatewayLock(dir, await lockOf(process.pid));
    expect(taken.ok).toBe(true);
    expect(JSON.parse(await readFile(stateFile(dir, 'gatewayLock'), 'utf8')).pid).toBe(process.pid);
  });

  it.runIf(process.platform === 'linux')('takes over a lock whose pid now belongs to another process (same pid, other start time)', async () => {
    const dir = await stateDir();
    await writeFile(stateFile(dir, 'gatewayLock'), JSON.stringify({ ...(await lockOf(process.pid)), processStart: '1' }));
    expect((await readGatewayLock(dir)).state).toBe('stale');
    expect((await acquireGatewayLock(dir, await lockOf(process.pid))).ok).toBe(true);
  });

  it('says what became of a stale lock\'s pid: gone, or now another process; and names it whenever the lock does', async () => {
    const dir = await stateDir();
    const file = stateFile(dir, 'gatewayLock');
    const dead = deadPid();
    await writeFile(file, JSON.stringify({ ...(await lockOf(process.pid)), pid: dead, processStart: null }));
    expect(staleWords(await readGatewayLock(dir))).toBe(`a lock left by pid ${dead}, which is gone; the next start takes it over`);
    if (process.platform === 'linux') {
      await writeFile(file, JSON.stringify({ ...(await lockOf(process.pid)), processStart: '1' }));
      expect(staleWords(await readGatewayLock(dir))).toBe(`a lock left by pid ${process.pid}, which is now another process; the next start takes it over`);
    }
    await writeFile(file, JSON.stringify({ pid: dead }));
    expect(staleWords(await readGatewayLock(dir))).toBe(`a lock left by pid ${dead}, which is gone; the next start takes it over`);
    await writeFile(file, JSON.stringify({ pid: process.pid }));
    expect(staleWords(await readGatewayLock(dir))).toBe(`a lock left by pid ${process.pid}, which is now another process; the next start takes it over`);
    await writeFile(file, 'garbage');
    expect(staleWords(await readGatewayLock(dir))).toBe('an unreadable lock naming no process; the next start takes it over');
    expect(staleWords({ state: 'none' })).toBeNull();
  });

  it('takes over a lock it cannot read, and a release never deletes a lock taken over meanwhile', async () => {
    const dir = await stateDir();
    await writeFile(stateFile(dir, 'gatewayLock'), 'garbage');
    const mine = await acquireGatewayLock(dir, await lockOf(process.pid));
    expect(mine.ok).toBe(true);
    const other = JSON.stringify({ ...(await lockOf(process.pid)), startedAt: 'later' });
    await writeFile(stateFile(dir, 'gatewayLock'), other);
    if (mine.ok) await mine.release();
    expect(await readFile(stateFile(dir, 'gatewayLock'), 'utf8')).toBe(other);
  });
});
