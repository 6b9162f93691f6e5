import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchJson, MAX_BODY_BYTES } from '../../src/host/gateway/client';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
}

describe('fetchJson (the one client of every /health ask)', () => {
  it('stops reading a body past MAX_BODY_BYTES: a process on a gateway port streaming without end costs no memory', async () => {
    let sent = 0;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      // Up to 100 MB, as fast as the client reads; bounded so a broken client cannot run the test forever.
      const pump = () => {
        while (sent < 100 * 1024 * 1024 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const heap = process.memoryUsage().heapUsed;
    const answer = await fetchJson(url, { timeoutMs: 5000 });
    expect(answer).toEqual({ ok: false, error: `answered 200 with a body larger than ${MAX_BODY_BYTES / 1024} KB` });
    expect(sent).toBeLessThan(20 * 1024 * 1024);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(16 * 1024 * 1024);
  });

  it('reads a body up to the limit whole', async () => {
    const body = JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES - 20) });
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_BYTES);
    const url = await serve((_req, res) => res.end(body));
    expect(await fetchJson(url, { timeoutMs: 5000 })).toMatchObject({ ok: true, status: 200 });
  });
});
