import { readFile } from 'node:fs/promises';
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tempHome } from '../helpers/home';
import { bearer, request, setupProfile, startGateway, stopGateway, type GatewayProcess, type Profile } from './gateways';

/**
 * Hostile clients against ONE real gateway, started once for the suite. Seeded and bounded:
 * each property stops at RUNS batches or TIME_MS, whichever comes first, and after every
 * batch the gateway must still answer an honest client. What a batch gets back does not
 * matter (an error, a 4xx, a closed connection); that the gateway lives on does.
 */
const SEED = 20_251_130;
const RUNS = 60;
const TIME_MS = 5_000;
/** How long one fuzz client waits for an answer before it hangs up. */
const CLIENT_WAIT_MS = 400;

let gateway: GatewayProcess;
let p: Profile;
const ran: Record<string, number> = {};

beforeAll(async () => {
  const { env } = await tempHome();
  p = await setupProfile(env, 'fuzz');
  gateway = await startGateway(['--profile', 'fuzz', 'gateway'], env, { suite: true });
});

afterAll(async () => {
  if (gateway === undefined) return;
  await stopGateway(gateway);
  console.log(`fuzz batches run: ${JSON.stringify(ran)}`);
});

/** The honest client after each batch: /health over HTTP and a status over the WebSocket. */
async function honestClientServed(): Promise<boolean> {
  if (gateway.child.exitCode !== null) return false;
  const health = await request(p.base, '/health');
  if (health.status !== 200 || JSON.parse(health.body).pid !== gateway.pid) return false;
  const reply = await new Promise<Record<string, unknown> | null>((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${p.base}/ws`, { headers: bearer(p.token) });
    const timer = setTimeout(() => (socket.terminate(), resolve(null)), 3000);
    socket.once('open', () => socket.send('{"type":"status","id":"honest"}'));
    socket.once('message', (data) => {
      clearTimeout(timer);
      resolve(JSON.parse(String(data)));
      socket.close();
    });
    socket.once('error', () => (clearTimeout(timer), resolve(null)));
  });
  return reply?.type === 'status' && reply.id === 'honest';
}

/** Arrays or objects nested 20 to 50 000 deep, balanced or not, alone or as a message's id or type. */
const nested = fc
  .tuple(fc.integer({ min: 20, max: 50_000 }), fc.constantFrom('[', '{"a":'), fc.boolean(), fc.constantFrom('alone', 'id', 'type'))
  .map(([depth, open, balanced, where]) => {
    const value = open.repeat(depth) + (open === '[' ? '' : '1') + (balanced ? (open === '[' ? ']' : '}').repeat(depth) : '');
    return where === 'alone' ? value : where === 'id' ? `{"type":"status","id":${value}}` : `{"type":${value}}`;
  });

/** One WebSocket message: text (valid JSON, any JSON, deep, huge, random) or bytes (a binary frame, or invalid UTF-8 sent as text). */
const wsMessage = fc.oneof(
  fc.jsonValue({ maxDepth: 40 }).map((value) => ({ data: JSON.stringify(value) ?? 'null', binary: false })),
  fc.record({ type: fc.constantFrom('status', 'STATUS', '', 'x'.repeat(100)), id: fc.jsonValue({ maxDepth: 6 }) }).map((m) => ({ data: JSON.stringify(m), binary: false })),
  nested.map((data) => ({ data, binary: false })),
  fc.integer({ min: 1, max: 200_000 }).map((n) => ({ data: `{"type":"status","id":"${'x'.repeat(n)}"}`, binary: false })),
  fc.string({ unit: 'binary', maxLength: 300 }).map((data) => ({ data, binary: false })),
  fc.uint8Array({ maxLength: 4096 }).map((bytes) => ({ data: Buffer.from(bytes), binary: true })),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ data: Buffer.concat([Buffer.from([0xc3, 0x28]), bytes]), binary: false })),
);

/** Sends the batch on one authenticated connection as fast as it goes; settles when it closes, answers everything, or goes quiet. */
function sendBatch(messages: { data: string | Buffer; binary: boolean }[]): Promise<void> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${p.base}/ws`, { headers: bearer(p.token) });
    let replies = 0;
    let quiet = setTimeout(done, 3000);
    function done() {
      clearTimeout(quiet);
      socket.terminate();
      resolve();
    }
    socket.once('open', () => {
      for (const message of messages) socket.send(message.data, { binary: message.binary });
    });
    socket.on('message', () => {
      clearTimeout(quiet);
      quiet = setTimeout(done, CLIENT_WAIT_MS);
      if (++replies === messages.length) done();
    });
    socket.once('close', done);
    socket.once('error', done);
  });
}

/** Raw bytes to a port: whatever comes back within CLIENT_WAIT_MS, then the client hangs up. */
function sendRaw(port: number, chunks: (string | Buffer)[]): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let answer = '';
    const timer = setTimeout(() => socket.destroy(), CLIENT_WAIT_MS);
    socket.on('data', (data) => (answer += data.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => (clearTimeout(timer), resolve(answer)));
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
  });
}

const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20}$/);
/** Header values: mostly printable, sometimes obs-text or a control, rarely a CR LF to split the request. */
const headerValue = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }).map((s) => Buffer.from(s, 'latin1').toString('latin1')),
  fc.constantFrom('', ' ', '\r\nX-Injected: 1', 'x'.repeat(20_000)),
);
const hostValue = () =>
  fc.oneof(
    fc.constantFrom(`127.0.0.1:${p.base}`, `localhost:${p.base}`, `[::1]:${p.base}`, 'evil.test', '', '127.0.0.1', '[::1', ':::', '\u009b'),
    fc.string({ maxLength: 40 }),
  );
const method = fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'PRI', 'get'), token);
const pathValue = fc.oneof(
  fc.constantFrom('/', '/health', '/ws', '/profiles', '/profiles/default/start', '/profiles/default/stop', '/index.html', '/../../etc/passwd', '/%2e%2e/', '/%', '*', 'http://evil.test/health'),
  fc.webPath(),
  fc.string({ maxLength: 80 }).map((s) => `/${encodeURIComponent(s)}`),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `/${s}`),
);

/** One HTTP request as raw bytes: method, path, version, headers (Host among them, or not), a body that may lie about its length. */
const httpRequest = () =>
  fc
    .record({
      port: fc.constantFrom(p.base, p.base + 2, p.base + 4),
      method,
      path: pathValue,
      version: fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9', ''),
      host: fc.option(hostValue(), { nil: undefined }),
      headers: fc.array(fc.tuple(token, headerValue), { maxLength: 6 }),
      auth: fc.constantFrom('none', 'token', 'wrong'),
      upgrade: fc.boolean(),
      body: fc.option(fc.uint8Array({ maxLength: 2048 }), { nil: undefined }),
      length: fc.constantFrom('exact', 'none', 'short', 'long', 'chunked', 'garbage'),
    })
    .map((r) => {
      const lines = [`${r.method} ${r.path} ${r.version}`.trimEnd()];
      if (r.host !== undefined) lines.push(`Host: ${r.host}`);
      if (r.auth === 'token') lines.push(`Authorization: Bearer ${p.token}`);
      if (r.auth === 'wrong') lines.push('Authorization: Bearer wrong');
      if (r.upgrade) lines.push('Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==');
      for (const [name, value] of r.headers) lines.push(`${name}: ${value}`);
      const body = Buffer.from(r.body ?? []);
      const length = { exact: body.length, none: null, short: Math.max(0, body.length - 1), long: body.length + 100, chunked: null, garbage: null }[r.length];
      if (length !== null) lines.push(`Content-Length: ${length}`);
      if (r.length === 'chunked') lines.push('Transfer-Encoding: chunked');
      if (r.length === 'garbage') lines.push('Content-Length: 12, 13');
      return { port: r.port, bytes: Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body]) };
    });

/** Runs the property with this suite's seed and bounds, counting the batches it ran. */
async function fuzz<T>(name: string, arbitrary: fc.Arbitrary<T>, batch: (value: T) => Promise<void>): Promise<void> {
  ran[name] = 0;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      ran[name]!++;
      await batch(value);
      return honestClientServed();
    }),
    {
      seed: SEED,
      numRuns: RUNS,
      interruptAfterTimeLimit: TIME_MS,
      markInterruptAsFailure: false,
      endOnFailure: true,
      // A counterexample can be a 200 kB message: the report shows its start, and how to replay it.
      reporter: (run) => {
        if (!run.failed) return;
        const shown = JSON.stringify(run.counterexample, (_key, value: unknown) => (typeof value === 'string' && value.length > 200 ? `${value.slice(0, 200)}… (${value.length} chars)` : value));
        throw new Error(`fuzz "${name}": the gateway stopped serving after batch ${run.numRuns} (seed ${run.seed}, path "${run.counterexamplePath}"): ${shown?.slice(0, 2000)}\n${String(run.errorInstance ?? '')}`);
      },
    },
  );
}

describe('fuzz: one gateway, hostile clients, the next honest client still served', () => {
  it('random WebSocket messages: JSON, deep nesting, huge strings, binary frames, invalid UTF-8, bursts', { timeout: 30_000 }, async () => {
    await fuzz('websocket', fc.array(wsMessage, { minLength: 1, maxLength: 60 }), sendBatch);
  });

  it('random HTTP requests to all three ports: methods, paths, headers, Host values, bodies, upgrades', { timeout: 30_000 }, async () => {
    await fuzz('http', fc.array(httpRequest(), { minLength: 1, maxLength: 8 }), async (requests) => {
      await Promise.all(requests.map((r) => sendRaw(r.port, [r.bytes])));
    });
  });

  it('random bytes after an accepted WebSocket handshake, and before any', { timeout: 30_000 }, async () => {
    const handshake = `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${p.base}\r\nAuthorization: Bearer ${p.token}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
    await fuzz('raw', fc.array(fc.tuple(fc.boolean(), fc.uint8Array({ minLength: 1, maxLength: 4096 })), { minLength: 1, maxLength: 6 }), async (clients) => {
      await Promise.all(clients.map(([upgrade, bytes]) => sendRaw(p.base, upgrade ? [handshake, Buffer.from(bytes)] : [Buffer.from(bytes)])));
    });
  });

  it('after all of it: no handler failed, the log stayed short, and memory is bounded', async () => {
    expect(await honestClientServed()).toBe(true);
    const log = gateway.stdout();
    expect(log).not.toMatch(/internal error|error serving a client/);
    expect(gateway.stderr()).toBe('');
    // The log is throttled per reason; fuzzing for ~15 s must not write hundreds of lines.
    expect(log.split('\n').length).toBeLessThan(60);
    const rss = Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${gateway.pid}/status`, 'utf8').catch(() => ''))?.[1] ?? 0) / 1024;
    expect(rss).toBeLessThan(150);
  });
});
