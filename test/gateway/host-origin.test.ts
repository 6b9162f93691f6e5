import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { allowedHosts, isAllowedHost, isAllowedOrigin } from '../../src/gateway/hosts';
import { tempHome } from '../helpers/home';
import { bearer, request, setupProfile, startGateway } from './gateways';

describe('allowedHosts', () => {
  it('names the loopback addresses at the port, for a loopback bind', () => {
    expect(allowedHosts(18789, '127.0.0.1')).toEqual(['127.0.0.1:18789', 'localhost:18789', '[::1]:18789']);
    expect(allowedHosts(18789, '::1')).toEqual(['127.0.0.1:18789', 'localhost:18789', '[::1]:18789']);
  });

  it('adds the bind address, or for a wildcard bind the addresses and name of this host', () => {
    expect(allowedHosts(18789, '192.168.1.20')).toEqual(['127.0.0.1:18789', 'localhost:18789', '[::1]:18789', '192.168.1.20:18789']);
    expect(allowedHosts(18789, '0.0.0.0', { addresses: ['127.0.0.1', '192.168.1.20', 'fe80::1', '2001:db8::5'], hostname: 'Box' })).toEqual([
      '127.0.0.1:18789',
      'localhost:18789',
      '[::1]:18789',
      '192.168.1.20:18789',
      '[2001:db8::5]:18789',
      'box:18789',
    ]);
  });

  it('matches Host and Origin exactly, case aside; no Origin is a client that is not a browser', () => {
    const allowed = allowedHosts(18789, '127.0.0.1');
    for (const host of ['127.0.0.1:18789', 'LOCALHOST:18789', '[::1]:18789']) expect(isAllowedHost(host, allowed), host).toBe(true);
    for (const host of [undefined, '', 'evil.test:18789', '127.0.0.1', '127.0.0.1:18790', 'localhost.:18789', '127.0.0.1:18789.evil.test', 'localhost:18789 ']) {
      expect(isAllowedHost(host, allowed), String(host)).toBe(false);
    }
    expect(isAllowedOrigin(undefined, allowed)).toBe(true);
    expect(isAllowedOrigin('http://localhost:18789', allowed)).toBe(true);
    for (const origin of ['null', '', 'http://evil.test', 'https://localhost:18789', 'http://localhost:18793', 'http://localhost:18789/']) {
      expect(isAllowedOrigin(origin, allowed), origin).toBe(false);
    }
  });
});

/** The HTTP status of a WebSocket upgrade with these headers: 101 when it opened. */
function upgrade(port: number, headers: Record<string, string>, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers, ...(origin === undefined ? {} : { origin }) });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      resolve(101);
      socket.close();
    });
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe('DNS rebinding: only the names this gateway serves are answered', () => {
  it('/health, browser control and canvas files answer 421 to any other Host, saying what is allowed', async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    await startGateway(['--profile', 'main', 'gateway'], env);
    await writeFile(path.join(p.workspace, 'canvas', 'index.html'), 'canvas');

    for (const [port, route, headers] of [
      [p.base, '/health', {}],
      [p.base + 2, '/profiles', bearer(p.token)],
      [p.base + 4, '/', {}],
    ] as const) {
      for (const name of ['127.0.0.1', 'localhost', '[::1]']) {
        expect((await request(port, route, { headers: { ...headers, Host: `${name}:${port}` } })).status, `${name} on ${port}`).toBe(200);
      }
      for (const host of ['evil.test', `evil.test:${port}`, '127.0.0.1', `127.0.0.1:${port + 1}`, `localhost:${port}.evil.test`]) {
        const answer = await request(port, route, { headers: { ...headers, Host: host } });
        expect(answer.status, `${host} on ${port}`).toBe(421);
        expect(JSON.parse(answer.body)).toEqual({
          error: expect.stringContaining(`answers only to Host 127.0.0.1:${port}, localhost:${port} or [::1]:${port}`),
          allowed: [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`],
        });
        expect(answer.body).not.toContain('canvas"');
      }
    }
  });

  it('a WebSocket upgrade from a page of another origin is refused with 403; without an Origin it is fine', async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    const auth = bearer(p.token);

    expect(await upgrade(p.base, auth)).toBe(101);
    for (const origin of [`http://127.0.0.1:${p.base}`, `http://localhost:${p.base}`, `http://[::1]:${p.base}`]) {
      expect(await upgrade(p.base, auth, origin), origin).toBe(101);
    }
    for (const origin of ['http://evil.test', `http://evil.test:${p.base}`, 'null', `https://localhost:${p.base}`, `http://127.0.0.1:${p.base + 4}`]) {
      expect(await upgrade(p.base, auth, origin), origin).toBe(403);
    }
    expect(await upgrade(p.base, { ...auth, Host: `evil.test:${p.base}` })).toBe(421);
    expect(await upgrade(p.base, { Host: `evil.test:${p.base}` })).toBe(421);
    expect(gateway.stdout()).toContain(`ws refused from 127.0.0.1: Origin "http://evil.test" is not this gateway`);
  });
});
