import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tempHome } from '../helpers/home';
import { bearer, request, setupProfile, startGateway } from './gateways';

const HEALTH_REQUESTS = 200;
const WS_CLIENTS = 50;

describe('bounded load on one gateway', () => {
  it(`answers ${HEALTH_REQUESTS} concurrent /health requests and ${WS_CLIENTS} WebSocket clients without an error`, async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);

    const answers = await Promise.all(Array.from({ length: HEALTH_REQUESTS }, () => request(p.base, '/health')));
    expect(answers.filter((a) => a.status === 200 && JSON.parse(a.body).pid === gateway.pid)).toHaveLength(HEALTH_REQUESTS);

    // All clients connected at once, each asking for status while the others are open.
    const clients = Array.from({ length: WS_CLIENTS }, () => new WebSocket(`ws://127.0.0.1:${p.base}/ws`, { headers: bearer(p.token) }));
    const replies = await Promise.all(
      clients.map(
        (socket, id) =>
          new Promise<Record<string, any>>((resolve, reject) => {
            socket.once('error', reject);
            socket.once('open', () => socket.send(JSON.stringify({ type: 'status', id })));
            socket.once('message', (data) => resolve(JSON.parse(String(data))));
          }),
      ),
    );
    expect(replies.map((r) => [r.type, r.id, r.health?.pid])).toEqual(clients.map((_, id) => ['status', id, gateway.pid]));
    await Promise.all(clients.map((socket) => new Promise((resolve) => (socket.once('close', resolve), socket.close()))));

    expect((await request(p.base, '/health')).status).toBe(200);
    expect(gateway.stderr()).toBe('');
    expect(gateway.stdout()).not.toMatch(/error/i);
  });
});
