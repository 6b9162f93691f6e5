import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireGatewayLock, readGatewayLock, type GatewayLock } from '../../src/host/gateway/pidlock';
import { lockWords } from '../../src/core/gateway/lock';
import { freeBase } from '../helpers/ports';
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
const lockOf = async (pid: number, profile = 'main'): Promise<GatewayLock & { profile: string }> => ({ pid, processStart: await processStartOf(pid), startedAt: new Date().toISOString(), host: '127.0.0.1', ports, profile });
const words = async (dir: string) => lockWords(await readGatewayLock(dir, 'main'), { absolute: stateFile(dir, 'gatewayLock'), shown: '~/.epiloop-main/gateway.lock' });

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
    expect(await readGatewayLock(dir, 'main')).toEqual({ state: 'running', lock: expect.objectContaining({ pid: process.pid }) });
    if (first.ok) await first.release();
    expect(await readGatewayLock(dir, 'main')).toEqual({ state: 'none' });
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
      expect(await readGatewayLock(dir, 'main')).toMatchObject({ state: 'stale', lock: { pid: zombie } });
      expect((await acquireGatewayLock(dir, await lockOf(process.pid))).ok).toBe(true);
    } finally {
      parent.kill();
    }
  });

  it('takes over a lock left by a dead process', async () => {
    const dir = await stateDir();
    const dead = deadPid();
    await writeFile(stateFile(dir, 'gatewayLock'), JSON.stringify({ ...(await lockOf(process.pid)), pid: dead, processStart: null }));
    expect(await readGatewayLock(dir, 'main')).toMatchObject({ state: 'stale', lock: { pid: dead } });
    const taken = await acquireGatewayLock(dir, await lockOf(process.pid));
    expect(taken.ok).toBe(true);
    expect(JSON.parse(await readFile(stateFile(dir, 'gatewayLock'), 'utf8')).pid).toBe(process.pid);
  });

  it.runIf(process.platform === 'linux')('takes over a lock whose pid now belongs to another process (same pid, other start time)', async () => {
    const dir = await stateDir();
    await writeFile(stateFile(dir, 'gatewayLock'), JSON.stringify({ ...(await lockOf(process.pid)), processStart: '1' }));
    expect((await readGatewayLock(dir, 'main')).state).toBe('stale');
    expect((await acquireGatewayLock(dir, await lockOf(process.pid))).ok).toBe(true);
  });

  it('says what became of a stale lock\'s pid: gone, or now another process; and names it whenever the lock does', async () => {
    const dir = await stateDir();
    const file = stateFile(dir, 'gatewayLock');
    const dead = deadPid();
    await writeFile(file, JSON.stringify({ ...(await lockOf(process.pid)), pid: dead, processStart: null }));
    expect(await words(dir)).toBe(`a lock left by pid ${dead}, which is gone; the next start takes it over`);
    if (process.platform === 'linux') {
      await writeFile(file, JSON.stringify({ ...(await lockOf(process.pid)), processStart: '1' }));
      expect(await words(dir)).toBe(`a lock left by pid ${process.pid}, which is now another process; the next start takes it over`);
    }
    await writeFile(file, JSON.stringify({ pid: dead }));
    expect(await words(dir)).toBe(`a lock left by pid ${dead}, which is gone; the next start takes it over`);
    await writeFile(file, JSON.stringify({ pid: process.pid }));
    expect(await words(dir)).toBe(`a lock left by pid ${process.pid}, which is now another process; the next start takes it over`);
    await writeFile(file, 'garbage');
    expect(await words(dir)).toBe('a lock that is not valid JSON; the next start takes it over');
    await writeFile(file, JSON.stringify({ started: 'x' }));
    expect(await words(dir)).toBe('a lock naming no process; the next start takes it over');
    await rm(file);
    expect(await words(dir)).toBeNull();
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

  it("reads a copy of another profile's lock as that profile's gateway, never this one's; a start takes it over", async () => {
    const dir = await stateDir();
    await writeFile(stateFile(dir, 'gatewayLock'), JSON.stringify(await lockOf(process.pid, 'p16')));
    expect(await readGatewayLock(dir, 'p16')).toMatchObject({ state: 'running', lock: { pid: process.pid } });
    expect(await readGatewayLock(dir, 'main')).toMatchObject({ state: 'copy', owner: 'p16', lock: { pid: process.pid } });
    expect(await words(dir)).toBe(`its gateway.lock is a copy of p16's (pid ${process.pid}): remove the stray copy (rm ~/.epiloop-main/gateway.lock)`);
    const taken = await acquireGatewayLock(dir, await lockOf(process.pid, 'main'));
    expect(taken.ok).toBe(true);
    expect(JSON.parse(await readFile(stateFile(dir, 'gatewayLock'), 'utf8')).profile).toBe('main');
  });

  it("takes over a lock naming no profile (an older epiloop's) only when its pid's /health answers for another profile", async () => {
    const dir = await stateDir();
    const base = await freeBase();
    let profile = 'p16';
    const server = http.createServer((_req, res) => res.end(JSON.stringify({ profile, pid: process.pid, uptimeMs: 1, ports: { ...ports, gateway: base } })));
    await new Promise<void>((resolve) => server.listen(base, '127.0.0.1', resolve));
    try {
      const { profile: _, ...legacy } = { ...(await lockOf(process.pid)), ports: { ...ports, gateway: base } };
      await writeFile(stateFile(dir, 'gatewayLock'), JSON.stringify(legacy));
      profile = 'main';
      expect(await acquireGatewayLock(dir, await lockOf(process.pid, 'main'))).toMatchObject({ ok: false, holder: { pid: process.pid } });
      profile = 'p16';
      expect((await acquireGatewayLock(dir, await lockOf(process.pid, 'main'))).ok).toBe(true);
    } finally {
      server.close();
    }
  });

  it('refuses a lock that is not a file epiloop reads, naming it and how to remove it (rm -r for a directory)', async () => {
    const dir = await stateDir();
    const file = stateFile(dir, 'gatewayLock');
    await mkdir(file);
    expect(await readGatewayLock(dir, 'main')).toEqual({ state: 'refused', refusal: { kind: 'not-regular', type: 'directory' } });
    expect(await words(dir)).toBe(
      '~/.epiloop-main/gateway.lock is a directory, not a regular file; it was not opened. No gateway of this profile can start while it is there: remove it (rm -r ~/.epiloop-main/gateway.lock)',
    );
    await expect(acquireGatewayLock(dir, await lockOf(process.pid))).rejects.toThrow(`${file} is a directory, not a regular file; it was not opened. No gateway of this profile can start while it is there: remove it (rm -r ${file})`);
    await rm(file, { recursive: true });
    execFileSync('mkfifo', [file]);
    expect(await readGatewayLock(dir, 'main')).toEqual({ state: 'refused', refusal: { kind: 'not-regular', type: 'FIFO (named pipe)' } });
    await rm(file);
    const outside = path.join(await stateDir(), 'elsewhere');
    await writeFile(outside, '{}');
    await symlink(outside, file);
    expect(await readGatewayLock(dir, 'main')).toMatchObject({ state: 'refused', refusal: { kind: 'outside' } });
    expect(await words(dir)).toMatch(/ remove it \(rm ~\/\.epiloop-main\/gateway\.lock\)$/);
    // A state "dir" that is a file holds no lock.
    expect(await readGatewayLock(path.join(file, 'x'), 'main')).toEqual({ state: 'none' });
  });
});
