import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CONNECTION_LIMITS } from '../../src/gateway/connections';
import { createGuardedServer } from '../../src/gateway/http';

const servers: http.Server[] = [];
const sockets: net.Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve)))));
});

/**
 * A guarded server on loopback whose handler never answers, and the throttled log's lines.
 * `requests`: those its handler was given; `parsed`: every request Node parsed, its handler's or not.
 */
async function holdingServer(): Promise<{ port: number; lines: string[]; requests: () => number; parsed: () => number; connections: () => Promise<number> }> {
  const lines: string[] = [];
  let requests = 0;
  let parsed = 0;
  const log = { line: (_reason: string, text: string) => void lines.push(text), flush: () => undefined };
  const server = createGuardedServer(() => void requests++, { hosts: ['127.0.0.1:0'], onError: () => undefined, log });
  server.on('request', () => void parsed++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    lines,
    requests: () => requests,
    parsed: () => parsed,
    connections: () => new Promise<number>((resolve) => server.getConnections((_e, n) => resolve(n))),
  };
}

/** A whole request (Host 127.0.0.1:0, which the guard lets through), the start of one that never ends, or nothing. */
const SAYS = { request: 'GET /busy HTTP/1.1\r\nHost: 127.0.0.1:0\r\n\r\n', partial: 'GET /busy HTTP/1.1\r\n', nothing: '' } as const;

/** A connection that says `says`, and when it closes. */
function connect(port: number, says: keyof typeof SAYS): { socket: net.Socket; closed: Promise<void> } {
  const socket = net.connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  socket.on('error', () => undefined);
  if (SAYS[says] !== '') socket.write(SAYS[says]);
  return { socket, closed: new Promise((resolve) => socket.once('close', () => resolve())) };
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('capConnections', () => {
  it('at the cap with every connection answering a request, drops the newcomer and says so', async () => {
    const server = await holdingServer();
    for (let i = 0; i < CONNECTION_LIMITS.maxConnections; i++) connect(server.port, 'request');
    await until(() => server.requests() === CONNECTION_LIMITS.maxConnections, 10_000);
    expect(server.requests()).toBe(CONNECTION_LIMITS.maxConnections);
    await connect(server.port, 'nothing').closed;
    expect(server.lines).toEqual([`dropped a connection from 127.0.0.1: all ${CONNECTION_LIMITS.maxConnections} open ones are answering requests`]);
  });

  it('at the cap, closes the longest idle connection for a newcomer, never one answering a request', async () => {
    const server = await holdingServer();
    const first = connect(server.port, 'nothing');
    for (let i = 1; i < CONNECTION_LIMITS.maxConnections; i++) connect(server.port, 'request');
    await until(() => server.requests() === CONNECTION_LIMITS.maxConnections - 1, 10_000);
    const newcomer = connect(server.port, 'request');
    await first.closed;
    await until(() => server.requests() === CONNECTION_LIMITS.maxConnections, 5_000);
    expect(server.requests()).toBe(CONNECTION_LIMITS.maxConnections);
    expect(newcomer.socket.destroyed).toBe(false);
    expect(server.lines).toEqual([`closed an idle connection from 127.0.0.1 to make room: ${CONNECTION_LIMITS.maxConnections} were open`]);
  });

  it(`closes the longest idle connection of an address that keeps ${CONNECTION_LIMITS.maxIdlePerAddress} idle past ${CONNECTION_LIMITS.idleGraceMs} ms, for its new one`, async () => {
    const server = await holdingServer();
    const idle = Array.from({ length: CONNECTION_LIMITS.maxIdlePerAddress }, () => connect(server.port, 'partial'));
    // Idle from when the server took them, not from when they were opened.
    for (let tries = 0; tries < 100 && (await server.connections()) < CONNECTION_LIMITS.maxIdlePerAddress; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, CONNECTION_LIMITS.idleGraceMs + 200));
    const newcomer = connect(server.port, 'request');
    await Promise.race([...idle.map((c) => c.closed), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await until(() => server.requests() === 1, 5_000);
    expect(server.requests()).toBe(1);
    expect(idle.filter((c) => c.socket.destroyed)).toHaveLength(1);
    expect(newcomer.socket.destroyed).toBe(false);
    expect(server.lines).toEqual([`closed an idle connection from 127.0.0.1 for its new one: one address may keep ${CONNECTION_LIMITS.maxIdlePerAddress} idle`]);
  });

  it(`closes a connection that sent nothing in ${CONNECTION_LIMITS.silentMs / 1000} s`, async () => {
    const server = await holdingServer();
    const started = Date.now();
    await connect(server.port, 'nothing').closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(CONNECTION_LIMITS.silentMs - 50);
    expect(server.lines).toEqual([`closed a connection from 127.0.0.1: it sent nothing in ${CONNECTION_LIMITS.silentMs / 1000} s`]);
  });

  it(`closes a connection with more than ${CONNECTION_LIMITS.maxPipelined} requests unanswered, and says so`, async () => {
    const server = await holdingServer();
    const pipelining = connect(server.port, 'nothing');
    pipelining.socket.write(SAYS.request.repeat(CONNECTION_LIMITS.maxPipelined + 1));
    await pipelining.closed;
    // One write, one read: the connection was closed before any of them reached the handler.
    expect(server.requests()).toBe(0);
    expect(server.lines).toEqual([`closed a connection from 127.0.0.1: it sent more than ${CONNECTION_LIMITS.maxPipelined} requests without waiting for their answers`]);
  });

  it('answers every request of a browser: 6 keep-alive connections, each one request at a time', async () => {
    const lines: string[] = [];
    const log = { line: (_reason: string, text: string) => void lines.push(text), flush: () => undefined };
    const server = createGuardedServer((_req, res) => void res.end('ok'), { hosts: ['127.0.0.1:0'], onError: () => undefined, log });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
    const get = () =>
      new Promise<number>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: '/', headers: { Host: '127.0.0.1:0' }, agent }, (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0))).on('error', reject);
      });
    // More than maxRequestsPerConnection on each connection: the 100th answer closes it and the agent opens another.
    const statuses = await Promise.all(Array.from({ length: 6 * (CONNECTION_LIMITS.maxRequestsPerConnection + 20) }, get));
    agent.destroy();
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('parses nothing a connection pipelined past the request that closed it, in the read that brought them', async () => {
    const server = await holdingServer();
    const pipelining = connect(server.port, 'nothing');
    // ~120 KB in one write: Node reads up to 64 KiB at once, some 1,500 of these requests.
    pipelining.socket.write(SAYS.request.repeat(3_000));
    await pipelining.closed;
    expect(server.parsed()).toBe(CONNECTION_LIMITS.maxPipelined + 1);
  });
});
