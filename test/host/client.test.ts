import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { AnswerReader, fetchJson, MAX_BODY_BYTES, MAX_HEAD_BYTES, MAX_INTERIM } from '../../src/host/gateway/client';
import { runs } from '../helpers/runs';

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

/** A server that answers every connection with `reply` (after reading the request's head), written in pieces of `piece` bytes. */
const rawServers: net.Server[] = [];
afterEach(async () => {
  for (const server of rawServers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function raw(reply: (request: string, socket: net.Socket) => void): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = net.createServer((socket) => {
    let head = '';
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      requests.push(head);
      reply(head, socket);
      head = '';
    });
  });
  rawServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health?x=1`, requests };
}

/** Writes `bytes` in pieces of `size`, one per event-loop turn, then ends unless told not to. */
function trickle(socket: net.Socket, bytes: Buffer, size: number, end = true): void {
  let at = 0;
  const next = () => {
    if (socket.destroyed) return;
    if (at >= bytes.length) return void (end && socket.end());
    socket.write(bytes.subarray(at, (at += size)));
    setImmediate(next);
  };
  next();
}

describe('fetchJson speaks HTTP/1.1 itself (node:net only)', () => {
  const body = JSON.stringify({ ok: true, pid: 42, watch: [{ profile: 'main', state: 'up' }], text: 'é ✓' });
  const bytes = Buffer.from(body);

  it('sends one GET with Host, Accept, Connection: close and the token; POST says Content-Length: 0', async () => {
    const { url, requests } = await raw((_request, socket) => socket.end(`HTTP/1.1 200 OK\r\nContent-Length: ${bytes.length}\r\n\r\n${body}`));
    expect(await fetchJson(url, { timeoutMs: 5000, token: 'abc' })).toEqual({ ok: true, status: 200, body: JSON.parse(body) });
    const port = new URL(url).port;
    expect(requests[0]).toBe(`GET /health?x=1 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: application/json\r\nConnection: close\r\nAuthorization: Bearer abc\r\n\r\n`);
    await fetchJson(url, { timeoutMs: 5000, method: 'POST' });
    expect(requests[1]).toBe(`POST /health?x=1 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: application/json\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  it('reads a body framed by Content-Length, chunked, or by the close, whatever the pieces it comes in', async () => {
    const chunked = Buffer.from(`${(5).toString(16)};ext=1\r\n${body.slice(0, 5)}\r\n${Buffer.byteLength(body.slice(5)).toString(16)}\r\n${body.slice(5)}\r\n0\r\nTrailer: x\r\n\r\n`);
    const framings = [
      Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\n\r\n`), bytes]),
      Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'), chunked]),
      Buffer.concat([Buffer.from('HTTP/1.0 200 OK\r\n\r\n'), bytes]),
    ];
    for (const framing of framings) {
      for (const size of [1, 3, 64, framing.length]) {
        const { url } = await raw((_request, socket) => trickle(socket, framing, size));
        expect(await fetchJson(url, { timeoutMs: 5000 }), `${framing.toString('latin1', 0, 40)} in pieces of ${size}`).toEqual({ ok: true, status: 200, body: JSON.parse(body) });
      }
    }
  });

  it('answers a Content-Length or chunked body without waiting for the close', async () => {
    const { url } = await raw((_request, socket) => socket.write(`HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\n\r\n{}`));
    expect(await fetchJson(url, { timeoutMs: 5000 })).toEqual({ ok: true, status: 503, body: {} });
    const chunked = await raw((_request, socket) => socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n'));
    expect(await fetchJson(chunked.url, { timeoutMs: 5000 })).toEqual({ ok: true, status: 200, body: {} });
  });

  it('skips an interim 100 answer; 204 has no body', async () => {
    const { url } = await raw((_request, socket) => socket.end('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]'));
    expect(await fetchJson(url, { timeoutMs: 5000 })).toEqual({ ok: true, status: 200, body: [] });
    const none = await raw((_request, socket) => socket.write('HTTP/1.1 204 No Content\r\n\r\n'));
    expect(await fetchJson(none.url, { timeoutMs: 5000 })).toEqual({ ok: true, status: 204, body: null });
  });

  it('refuses what is not a whole HTTP answer, in words, without throwing', async () => {
    const cases: Array<[string, string]> = [
      ['SSH-2.0-OpenSSH_9.2\r\n\r\n', 'answered with something that is not HTTP'],
      ['HTTP/1.1 2000 OK\r\n\r\n', 'answered with something that is not HTTP'],
      ['HTTP/1.1 200 OK\r\nno colon here\r\n\r\n', 'answered 200 with a malformed header'],
      ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', 'answered 200 with a bad Content-Length'],
      ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 'answered 200 with a bad Content-Length'],
      ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}', 'answered 200, but the connection closed in the middle of the body'],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n', 'answered 200 with a malformed chunked body'],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}xx\r\n0\r\n\r\n', 'answered 200 with a malformed chunked body'],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n', 'answered 200, but the connection closed in the middle of the body'],
      ['HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello', 'answered 200 with something that is not JSON'],
      ['HTTP/1.1 200 OK\r\nContent-Le', 'the connection closed in the middle of the answer'],
      ['', 'the connection closed without an answer'],
    ];
    for (const [reply, error] of cases) {
      const { url } = await raw((_request, socket) => socket.end(reply));
      expect(await fetchJson(url, { timeoutMs: 5000 }), JSON.stringify(reply)).toEqual({ ok: false, error });
    }
  });

  it('stops at headers past 16 KB and at a declared or chunked body past the limit, before reading it', async () => {
    const { url } = await raw((_request, socket) => trickle(socket, Buffer.from(`HTTP/1.1 200 OK\r\n${'X-Pad: y\r\n'.repeat(10_000)}`), 4096, false));
    expect(await fetchJson(url, { timeoutMs: 5000 })).toEqual({ ok: false, error: `answered with headers larger than ${MAX_HEAD_BYTES / 1024} KB` });
    const declared = await raw((_request, socket) => socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n`));
    expect(await fetchJson(declared.url, { timeoutMs: 5000 })).toEqual({ ok: false, error: `answered 200 with a body larger than ${MAX_BODY_BYTES / 1024} KB` });
    const chunk = await raw((_request, socket) => socket.write(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${(MAX_BODY_BYTES + 1).toString(16)}\r\n`));
    expect(await fetchJson(chunk.url, { timeoutMs: 5000 })).toEqual({ ok: false, error: `answered 200 with a body larger than ${MAX_BODY_BYTES / 1024} KB` });
  });

  it('gives up at its deadline on a server that accepts and never answers, or answers a byte at a time forever', async () => {
    const silent = await raw(() => {});
    const started = Date.now();
    expect(await fetchJson(silent.url, { timeoutMs: 300 })).toEqual({ ok: false, error: 'no answer within 300 ms', timedOut: true });
    expect(Date.now() - started).toBeLessThan(3000);
    const slow = await raw((_request, socket) => {
      const drip = setInterval(() => (socket.destroyed ? clearInterval(drip) : socket.write('X')), 20);
      socket.write('HTTP/1.1 200 OK\r\nX-Slow: ');
    });
    expect(await fetchJson(slow.url, { timeoutMs: 300 })).toMatchObject({ ok: false, timedOut: true });
  });

  it('says a refused connection is refused, and refuses a URL it does not speak', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    expect(await fetchJson(`http://127.0.0.1:${port}/health`, { timeoutMs: 5000 })).toEqual({ ok: false, error: 'connection refused' });
    expect(await fetchJson('https://127.0.0.1:1/json/version', { timeoutMs: 5000 })).toEqual({ ok: false, error: 'Protocol "https:" not supported. Expected "http:"' });
    expect(await fetchJson('not a url', { timeoutMs: 5000 })).toEqual({ ok: false, error: '"not a url" is not a URL' });
    expect(await fetchJson(`http://127.0.0.1:${port}/`, { timeoutMs: 5000, token: 'a\r\nX-Evil: 1' })).toEqual({ ok: false, error: 'the token holds a line break' });
  });

  it('is answered by node:http servers whose handler answers later (the request side stays open)', async () => {
    const url = await serve((_req, res) => setTimeout(() => res.end(JSON.stringify({ late: true })), 50));
    expect(await fetchJson(url, { timeoutMs: 5000 })).toEqual({ ok: true, status: 200, body: { late: true } });
  });

  it('reads any JSON value back whatever the framing and the pieces (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('length', 'chunked', 'close'), fc.integer({ min: 1, max: 40 }), async (value, framing, size) => {
        const text = Buffer.from(JSON.stringify(value));
        const head = framing === 'length' ? `HTTP/1.1 200 OK\r\nContent-Length: ${text.length}\r\n\r\n` : framing === 'chunked' ? 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' : 'HTTP/1.1 200 OK\r\n\r\n';
        const reader = new AnswerReader();
        const payload = framing === 'chunked' ? Buffer.from(`${text.length.toString(16)}\r\n${text.toString('latin1')}\r\n0\r\n\r\n`, 'latin1') : text;
        const all = Buffer.concat([Buffer.from(head), payload]);
        let answer = null;
        for (let at = 0; at < all.length && answer === null; at += size) answer = reader.push(all.subarray(at, at + size));
        answer ??= reader.end();
        expect(answer).toEqual({ ok: true, status: 200, body: JSON.parse(JSON.stringify(value)) });
      }),
      { numRuns: runs(200) },
    );
  });
});

describe('interim answers (hostile pass: a 100 Continue flood held the deadline 7x over, quadratic per chunk)', () => {
  it('skips up to MAX_INTERIM interim answers, then refuses in words; 1 MB of them in one buffer is refused at once', () => {
    const interim = 'HTTP/1.1 100 Continue\r\n\r\n';
    const ok = new AnswerReader().push(Buffer.from(`${interim.repeat(MAX_INTERIM)}HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}`));
    expect(ok).toEqual({ ok: true, status: 200, body: {} });
    const started = performance.now();
    const flood = new AnswerReader().push(Buffer.from('HTTP/1.1 100\r\n\r\n'.repeat(65_536)));
    expect(flood).toEqual({ ok: false, error: `answered with more than ${MAX_INTERIM} interim (1xx) answers` });
    expect(performance.now() - started).toBeLessThan(200);
    // Across pieces too: the count is the answer's, not the chunk's.
    const reader = new AnswerReader();
    let answer = null;
    for (let i = 0; i <= MAX_INTERIM && answer === null; i++) answer = reader.push(Buffer.from(interim));
    expect(answer).toEqual({ ok: false, error: `answered with more than ${MAX_INTERIM} interim (1xx) answers` });
  });
});
