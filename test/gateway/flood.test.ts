import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { tempHome } from '../helpers/home';
import { openWebSocket, request, setupProfile, startGateway, stopGateway } from './gateways';

const IDLE_SOCKETS = 600;
/**
 * /health must answer beside a flood of idle sockets well within the README's "headers within
 * 10 s" (`status` itself asks with 500 ms), with headroom for a loaded 2-core CI. Measured
 * inside `unshare --net` at load ~17: 54–798 ms in 12 runs, median 245 ms. Before idle sockets
 * were closed to make room, Node's 512-connection cap dropped it until its 30 s timeout sweep
 * cut them: 30 s.
 */
const HEALTH_BOUND_MS = 5_000;
/** Half the flood sends nothing, half the start of a request line that never ends. */
const PARTIAL_REQUEST = 'GET / HTTP/1.1\r\n';

/** Opens `count` TCP connections that never finish a request; resolves when each has connected or been closed, at most 10 s. */
async function openIdle(port: number, count: number, into: net.Socket[]): Promise<void> {
  const settled = Array.from({ length: count }, (_, i) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    into.push(socket);
    socket.on('error', () => undefined);
    return new Promise<void>((resolve) => {
      socket.once('connect', () => {
        if (i % 2 === 1) socket.write(PARTIAL_REQUEST);
        resolve();
      });
      socket.once('close', resolve);
    });
  });
  await Promise.race([Promise.all(settled), new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

describe('an idle-connection flood', () => {
  it(`leaves /health answering within ${HEALTH_BOUND_MS / 1000} s beside ${IDLE_SOCKETS} idle sockets`, async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    const idle: net.Socket[] = [];
    try {
      await openIdle(p.base, IDLE_SOCKETS, idle);
      const answer = await request(p.base, '/health', { timeoutMs: HEALTH_BOUND_MS });
      expect(answer.status).toBe(200);
    } finally {
      for (const socket of idle) socket.destroy();
    }
    await stopGateway(gateway);
    // What happened, in one line and one count: never a line per socket.
    const log = gateway.stdout();
    const closed = log.match(/closed an idle connection from 127\.0\.0\.1/g) ?? [];
    expect(closed.length).toBeGreaterThanOrEqual(1);
    expect(closed.length).toBeLessThanOrEqual(2);
    expect(log).toMatch(/connections closed \([a-z ]+\): \d+ more in the last 10 s, not logged one by one/);
    expect(log.split('\n').length).toBeLessThan(12);
  });
});

describe('WebSocket clients past the cap', () => {
  it('are refused 503, and the log says so in one line and one count', async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    const open: WebSocket[] = [];
    try {
      for (let batch = 0; batch < 4; batch++) {
        for (const client of await Promise.all(Array.from({ length: 32 }, () => openWebSocket(p.base, p.token)))) if ('socket' in client) open.push(client.socket);
      }
      expect(open).toHaveLength(128);
      const past = await Promise.all(Array.from({ length: 5 }, () => openWebSocket(p.base, p.token)));
      expect(past).toEqual(Array(5).fill({ refused: 503 }));
      expect((await request(p.base, '/health')).status).toBe(200);
    } finally {
      for (const socket of open) socket.terminate();
    }
    await stopGateway(gateway);
    const log = gateway.stdout();
    expect(log.match(/ws refused from 127\.0\.0\.1: 128 WebSocket clients are open/g)).toHaveLength(1);
    expect(log).toContain('ws refused (too many clients): 4 more in the last 10 s, not logged one by one');
  });
});

const PIPELINING_SOCKETS = 60; // The README's figures are of 150, which would load the tests running beside it in CI.
const PIPELINED = 3_000;
/**
 * /health beside connections that pipeline requests and never read the answers. Inside
 * `unshare --net` at load ~15 on 2 cores, 3 runs each: 5.2–11.3 s while Node parsed each
 * connection's whole 64 KiB read (some 1,400 requests) and built an Error for each unanswered
 * one at its close; 0.40–0.50 s once a connection is closed at its 9th unanswered request and
 * the rest of that read is never parsed (GuardedRequest); 0.20–0.23 s once the 8 before it are
 * not answered either.
 */
const PIPELINE_HEALTH_BOUND_MS = 3_000;

/** Opens `count` connections that each write `requests` pipelined `GET /health` in one write and never read; resolves once each has written or closed, at most 10 s. */
async function openPipelining(port: number, count: number, requests: number, into: net.Socket[]): Promise<void> {
  const burst = `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`.repeat(requests);
  const settled = Array.from({ length: count }, () => {
    const socket = net.connect({ host: '127.0.0.1', port });
    into.push(socket);
    socket.on('error', () => undefined);
    socket.pause();
    return new Promise<void>((resolve) => {
      socket.once('connect', () => socket.write(burst, () => resolve()));
      socket.once('close', resolve);
    });
  });
  await Promise.race([Promise.all(settled), new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

describe('a pipelining flood', () => {
  it(`leaves /health answering within ${PIPELINE_HEALTH_BOUND_MS / 1000} s beside ${PIPELINING_SOCKETS} connections pipelining ${PIPELINED} requests each, and says why it closed them`, async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    const flood: net.Socket[] = [];
    try {
      await openPipelining(p.base, PIPELINING_SOCKETS, PIPELINED, flood);
      const answer = await request(p.base, '/health', { timeoutMs: PIPELINE_HEALTH_BOUND_MS });
      expect(answer.status).toBe(200);
    } finally {
      for (const socket of flood) socket.destroy();
    }
    await stopGateway(gateway);
    const log = gateway.stdout();
    const closed = log.match(/closed a connection from 127\.0\.0\.1: it sent more than \d+ requests without waiting for their answers/g) ?? [];
    expect(closed.length).toBeGreaterThanOrEqual(1);
    expect(closed.length).toBeLessThanOrEqual(2);
    expect(log).toMatch(/connections closed \(pipelined too many\): \d+ more in the last 10 s, not logged one by one/);
  });
});
