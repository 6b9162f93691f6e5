import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canvasHandler, prepareCanvasRoot } from '../../src/gateway/canvas';
import { createGuardedServer } from '../../src/gateway/http';
import { bearer, request } from './gateways';
import { allowedHosts } from '../../src/gateway/hosts';
import { createThrottledLog } from '../../src/gateway/log-throttle';

const TOKEN = 't'.repeat(32);
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

/** The canvas host on a loopback port of its own, with or without the token requirement the runtime passes in. */
async function canvasServer(token: string | null): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'epiloop-canvas-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const root = await prepareCanvasRoot(path.join(dir, 'canvas'));
  await writeFile(path.join(root, 'index.html'), '<h1>canvas</h1>');
  // The Host names are known once the port is: the guard reads its list on every request.
  const hosts: string[] = [];
  const server: http.Server = createGuardedServer(canvasHandler(root, { token }), { hosts, onError: () => undefined, log: createThrottledLog(() => undefined, 10_000) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hosts.push(...allowedHosts((server.address() as AddressInfo).port, '127.0.0.1'));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

describe('the canvas host\'s token (what gateway.bind "lan" turns on)', () => {
  it('serves without a token when none is required (a loopback gateway)', async () => {
    const port = await canvasServer(null);
    expect(await request(port, '/')).toMatchObject({ status: 200, body: '<h1>canvas</h1>' });
  });

  it('demands the token exactly as the WebSocket does: Bearer header or ?token=, else 401 before anything is read', async () => {
    const port = await canvasServer(TOKEN);
    for (const refused of [
      await request(port, '/'),
      await request(port, '/index.html', { method: 'HEAD' }),
      await request(port, '/', { headers: bearer('wrong') }),
      await request(port, '/', { headers: { Authorization: `Basic ${TOKEN}` } }),
      await request(port, `/?token=${TOKEN}x`),
      await request(port, '/../etc/passwd'),
      await request(port, '/missing.html'),
    ]) {
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toBe('Bearer');
      expect(refused.body).not.toContain('canvas</h1>');
    }
    expect(JSON.parse((await request(port, '/')).body).error).toMatch(/Authorization: Bearer <gateway\.auth\.token>.*\?token=/);
    expect(await request(port, '/', { headers: bearer(TOKEN) })).toMatchObject({ status: 200, body: '<h1>canvas</h1>' });
    expect(await request(port, `/?token=${TOKEN}`)).toMatchObject({ status: 200, body: '<h1>canvas</h1>' });
    expect((await request(port, '/missing.html', { headers: bearer(TOKEN) })).status).toBe(404);
  });
});
