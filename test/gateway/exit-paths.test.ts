import { watch } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindProbe } from '../../src/host/ports/probe';
import { tempHome } from '../helpers/home';
import { request, setupProfile, spawnGateway, startGateway, withFault, type GatewayProcess } from './gateways';

const exists = (file: string) => stat(file).then(() => true, () => false);

/** Resolves when `file` appears (inotify, so within a millisecond or two), bounded by ms. */
async function appears(file: string, ms: number): Promise<boolean> {
  await mkdir(path.dirname(file), { recursive: true });
  return new Promise((resolve) => {
    const watcher = watch(path.dirname(file), (_event, name) => {
      if (name === path.basename(file)) done(true);
    });
    const timer = setTimeout(() => done(false), ms);
    const done = (seen: boolean) => {
      clearTimeout(timer);
      watcher.close();
      resolve(seen);
    };
  });
}

async function exitWithin(gateway: GatewayProcess, ms: number) {
  const timer = setTimeout(() => gateway.child.kill('SIGKILL'), ms);
  const exit = await gateway.exited;
  clearTimeout(timer);
  return exit;
}

describe('every exit path lets go of the lock and the ports', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} during start-up aborts it: never ready, exit 0, nothing bound, no lock`, async () => {
      const { env, home } = await tempHome();
      const p = await setupProfile(env, 'main');
      const lock = path.join(home, '.epiloop-main', 'gateway.lock');
      const seen = appears(lock, 10_000);
      const gateway = spawnGateway(['--profile', 'main', 'gateway'], withFault(env, 'slow-listen'));
      expect(await seen).toBe(true);
      gateway.child.kill(signal);
      const started = Date.now();
      expect(await exitWithin(gateway, 5000), gateway.stdout() + gateway.stderr()).toEqual({ code: 0, signal: null });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(gateway.stdout()).not.toMatch(/ ready \(pid/);
      expect(gateway.stdout()).toContain(`${signal} received during start-up`);
      expect(await exists(lock)).toBe(false);
      expect((await bindProbe([p.base, p.base + 2, p.base + 4])).size).toBe(0);
    });
  }

  it('a signal at any moment of start-up ends the process within 2 s and leaves nothing behind', async () => {
    const { env, home } = await tempHome();
    const p = await setupProfile(env, 'main');
    const lock = path.join(home, '.epiloop-main', 'gateway.lock');
    for (const delayMs of [0, 50, 100, 150, 200, 300, 400, 500]) {
      const gateway = spawnGateway(['--profile', 'main', 'gateway'], env);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      gateway.child.kill('SIGTERM');
      const exit = await exitWithin(gateway, 5000);
      // Before the CLI has installed its handlers, the signal's default action ends it: nothing was taken yet.
      expect([{ code: 0, signal: null }, { code: null, signal: 'SIGTERM' }], `${delayMs} ms: ${gateway.stdout()}${gateway.stderr()}`).toContainEqual(exit);
      expect(await exists(lock), `lock after a signal at ${delayMs} ms`).toBe(false);
      expect((await bindProbe([p.base, p.base + 2, p.base + 4])).size, `ports after a signal at ${delayMs} ms`).toBe(0);
    }
  });

  for (const [fault, what] of [['usr2-throw', 'uncaught exception'], ['usr2-reject', 'unhandled rejection']] as const) {
    it(`an ${what} while serving exits 70, logged once, and releases the lock and the ports`, async () => {
      const { env, home } = await tempHome();
      const p = await setupProfile(env, 'main');
      const gateway = await startGateway(['--profile', 'main', 'gateway'], withFault(env, fault));
      expect((await request(p.base, '/health')).status).toBe(200);
      gateway.child.kill('SIGUSR2');
      expect(await exitWithin(gateway, 5000)).toEqual({ code: 70, signal: null });
      const output = gateway.stdout() + gateway.stderr();
      expect(output.match(/internal error/g), output).toHaveLength(1);
      expect(output).toContain(fault === 'usr2-throw' ? 'injected fault \\e[31mwhile serving' : 'injected rejection');
      expect(output).not.toContain('\u001b');
      expect(await exists(path.join(home, '.epiloop-main', 'gateway.lock'))).toBe(false);
      expect((await bindProbe([p.base, p.base + 2, p.base + 4])).size).toBe(0);
    });
  }

  it('an uncaught exception during start-up exits 70 and releases the lock and the ports', async () => {
    const { env, home } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = spawnGateway(['--profile', 'main', 'gateway'], withFault(env, 'throw-in-listen'));
    expect(await exitWithin(gateway, 5000), gateway.stdout() + gateway.stderr()).toEqual({ code: 70, signal: null });
    expect(gateway.stdout() + gateway.stderr()).toContain('injected fault during start-up');
    expect(await exists(path.join(home, '.epiloop-main', 'gateway.lock'))).toBe(false);
    expect((await bindProbe([p.base, p.base + 2, p.base + 4])).size).toBe(0);
  });
});
