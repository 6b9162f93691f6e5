import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { bearer, request, startGateway } from './gateways';

/**
 * "lan" binds 0.0.0.0. Tests bind only this machine: in the namespace the suite runs in
 * (unshare --net) loopback is the only interface, so 0.0.0.0 reaches no network. Anywhere
 * else this test is skipped; canvas-auth.test.ts checks the token requirement it turns on.
 */
const onlyLoopback = Object.values(os.networkInterfaces()).every((addresses) => (addresses ?? []).every((a) => a.internal));

function wsRefusal(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => reject(new Error('the WebSocket opened without a token')));
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe('a gateway onboarded with --bind lan', () => {
  it.skipIf(!onlyLoopback)('listens on 0.0.0.0 and every server it opens demands the token: the canvas host too', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    const onboard = await runCli(['--profile', 'lan', 'onboard', '--yes', '--port', String(base), '--bind', 'lan', '--no-install-service'], { env });
    expect(onboard.code, onboard.stderr).toBe(0);
    const config = JSON.parse(await readFile(path.join(home, '.epiloop-lan', 'epiloop.json'), 'utf8'));
    expect(config.gateway.bind).toBe('lan');
    const token: string = config.gateway.auth.token;
    await mkdir(path.join(config.agents.defaults.workspace, 'canvas'), { recursive: true });
    await writeFile(path.join(config.agents.defaults.workspace, 'canvas', 'index.html'), '<h1>lan</h1>');

    const gateway = await startGateway(['--profile', 'lan', 'gateway'], env);
    expect(gateway.stdout()).toContain(`canvas host http://0.0.0.0:${base + 4}`);

    const canvas = await request(base + 4, '/');
    expect(canvas.status).toBe(401);
    expect(canvas.body).not.toContain('<h1>lan</h1>');
    expect(await request(base + 4, '/', { headers: bearer(token) })).toMatchObject({ status: 200, body: '<h1>lan</h1>' });
    expect(await request(base + 4, `/?token=${token}`)).toMatchObject({ status: 200, body: '<h1>lan</h1>' });
    expect((await request(base + 2, '/')).status).toBe(401);
    expect(await wsRefusal(`ws://127.0.0.1:${base}/ws`)).toBe(401);
  });
});
