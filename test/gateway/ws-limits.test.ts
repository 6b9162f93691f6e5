import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tempHome } from '../helpers/home';
import { bearer, request, setupProfile, startGateway, type GatewayProcess, type Profile } from './gateways';

type Event = { reply: Record<string, any> } | { closed: number };

/** Sends each message on one authenticated connection and collects, in order, the replies and the close code (bounded: 5 s). */
function converse(p: Profile, messages: (string | Buffer)[], options: { binary?: boolean } = {}): Promise<Event[]> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${p.base}/ws`, { headers: bearer(p.token) });
    const events: Event[] = [];
    const timer = setTimeout(() => (socket.terminate(), resolve(events)), 5000);
    socket.once('open', () => {
      for (const message of messages) socket.send(message, { binary: options.binary ?? false });
    });
    socket.on('message', (data) => {
      events.push({ reply: JSON.parse(String(data)) });
      if (events.length === messages.length) socket.close();
    });
    socket.once('close', (code) => {
      clearTimeout(timer);
      events.push({ closed: code });
      resolve(events);
    });
    socket.once('error', reject);
  });
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

async function stillServing(gateway: GatewayProcess, p: Profile): Promise<void> {
  expect(gateway.child.exitCode, gateway.stdout() + gateway.stderr()).toBeNull();
  const health = await request(p.base, '/health');
  expect(health.status).toBe(200);
  expect(JSON.parse(health.body).pid).toBe(gateway.pid);
  const [answer] = await converse(p, [JSON.stringify({ type: 'status', id: 'honest' })]);
  expect(answer).toEqual({ reply: expect.objectContaining({ type: 'status', id: 'honest' }) });
}

describe('the WebSocket survives hostile messages', () => {
  it('an id nested 5000 deep gets an error answer, and the gateway keeps serving', async () => {
    const { env, home } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);

    const events = await converse(p, [`{"type":"status","id":${nested(5000)}}`]);
    expect(events[0]).toEqual({ reply: { type: 'error', error: expect.stringMatching(/nest/) } });
    await stillServing(gateway, p);
    expect(await stat(path.join(home, '.epiloop-main', 'gateway.lock')).then(() => true)).toBe(true);
  });

  it('ids must be a short string or a number; deep JSON anywhere is refused before parsing', async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);

    const events = await converse(p, [
      JSON.stringify({ type: 'status', id: { a: 1 } }),
      JSON.stringify({ type: 'status', id: 'x'.repeat(1000) }),
      JSON.stringify({ type: 'status', id: [1] }),
      JSON.stringify({ type: 'status', extra: JSON.parse(nested(40)) }),
      JSON.stringify({ type: 'status', id: 7 }),
      JSON.stringify({ type: 'status', id: 'seven' }),
    ]);
    const replies = events.flatMap((e) => ('reply' in e ? [e.reply] : []));
    expect(replies.slice(0, 3).map((r) => [r.type, r.id, r.error])).toEqual(Array(3).fill(['error', undefined, expect.stringMatching(/id must be a string of at most 128 characters or a number/)]));
    expect(replies[3]).toEqual({ type: 'error', error: expect.stringMatching(/nested deeper than 32/) });
    expect(replies.slice(4).map((r) => [r.type, r.id])).toEqual([['status', 7], ['status', 'seven']]);
    await stillServing(gateway, p);
  });

  it('a binary frame gets an error answer; an oversized message or invalid UTF-8 closes that connection only', async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);

    expect(await converse(p, [Buffer.from('{"type":"status"}')], { binary: true })).toEqual([
      { reply: { type: 'error', error: expect.stringMatching(/text/) } },
      { closed: 1005 },
    ]);
    expect((await converse(p, ['"' + 'x'.repeat(70 * 1024) + '"'])).at(-1)).toEqual({ closed: 1009 });
    expect((await converse(p, [Buffer.from([0x22, 0xff, 0xfe, 0x22])])).at(-1)).toEqual({ closed: 1007 });
    await stillServing(gateway, p);
  });

  it('a burst beyond the per-connection rate closes that connection with 1008; others are served', async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);

    const burst = Array.from({ length: 200 }, (_, id) => JSON.stringify({ type: 'status', id }));
    const events = await converse(p, burst);
    expect(events.at(-1)).toEqual({ closed: 1008 });
    expect(events.length).toBeLessThan(burst.length);
    await stillServing(gateway, p);
    expect(gateway.stdout()).toMatch(/too many messages/);
  });
});
