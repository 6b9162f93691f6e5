import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** How the receiver answers: 200, another status, or never (the request hangs until the test ends). */
export type Answer = number | 'never';

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  answer: Answer;
}

const servers: http.Server[] = [];

/** A loopback webhook receiver that records every request; closed after each test. */
export async function startReceiver(answer: Answer = 200): Promise<Receiver> {
  const receiver: Receiver = { url: '', port: 0, received: [], answer };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      receiver.received.push({ path: req.url ?? '', headers: req.headers, body, at: Date.now() });
      if (receiver.answer === 'never') return;
      res.writeHead(receiver.answer, { 'Content-Type': 'text/plain' });
      res.end(receiver.answer === 200 ? 'ok' : 'broken on purpose');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}`;
  return receiver;
}

afterEach(async () => {
  while (servers.length > 0) {
    const server = servers.pop()!;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Polls until `get` returns something, bounded in time. */
export async function until<T>(what: string, get: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
