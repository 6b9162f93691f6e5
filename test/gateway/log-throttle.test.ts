import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createThrottledLog } from '../../src/gateway/log-throttle';
import { tempHome } from '../helpers/home';
import { bearer, setupProfile, startGateway, stopGateway } from './gateways';

describe('createThrottledLog', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes the first line of a reason per window and then how many it left out', () => {
    const lines: string[] = [];
    const log = createThrottledLog((line) => lines.push(line), 10_000);
    for (let i = 0; i < 500; i++) log.line('ws refused (wrong token)', `ws refused from 127.0.0.1: attempt ${i}`);
    log.line('wrong Host', 'refused Host "evil.test:1"');
    expect(lines).toEqual(['ws refused from 127.0.0.1: attempt 0', 'refused Host "evil.test:1"']);
    vi.advanceTimersByTime(10_000);
    expect(lines.slice(2)).toEqual(['ws refused (wrong token): 499 more in the last 10 s, not logged one by one']);
    log.line('ws refused (wrong token)', 'ws refused from 127.0.0.1: attempt 500');
    expect(lines.at(-1)).toBe('ws refused from 127.0.0.1: attempt 500');
  });

  it('flush writes the pending counts at once, and nothing for a reason that had one line', () => {
    const lines: string[] = [];
    const log = createThrottledLog((line) => lines.push(line), 10_000);
    log.line('a', 'a 1');
    log.line('b', 'b 1');
    log.line('b', 'b 2');
    log.flush();
    expect(lines).toEqual(['a 1', 'b 1', 'b: 1 more in the last 10 s, not logged one by one']);
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(3);
  });
});

/** One upgrade attempt with a wrong token; resolves with the HTTP status it was refused with. */
function refusedUpgrade(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: bearer('wrong-token-wrong-token') });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => reject(new Error('a wrong token was let in')));
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe('refusals do not flood the log', () => {
  it('300 refused upgrades write one line and one count', async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    for (let batch = 0; batch < 6; batch++) {
      const statuses = await Promise.all(Array.from({ length: 50 }, () => refusedUpgrade(p.base)));
      expect(new Set(statuses)).toEqual(new Set([401]));
    }
    await stopGateway(gateway);
    const log = gateway.stdout();
    expect(log.match(/ws refused from 127\.0\.0\.1: missing or wrong token/g)).toHaveLength(1);
    expect(log).toContain('ws refused (missing or wrong token): 299 more in the last 10 s, not logged one by one');
    expect(log.split('\n').length).toBeLessThan(10);
  });
});
