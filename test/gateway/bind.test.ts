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

describe('gateway.bind as an IPv4-mapped IPv6 address (::ffff:127.0.0.1)', () => {
  it('is refused alike by config set, doctor and the gateway, each saying to write the IPv4 address', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    const onboard = await runCli(['--profile', 'mapped', 'onboard', '--yes', '--port', String(base), '--no-install-service'], { env });
    expect(onboard.code, onboard.stderr).toBe(0);
    const file = path.join(home, '.epiloop-mapped', 'epiloop.json');
    const hint = 'an IPv4 one as IPv4: 127.0.0.1, not ::ffff:127.0.0.1';
    for (const bind of ['::ffff:127.0.0.1', '::FFFF:7f00:1', '0:0:0:0:0:ffff:7f00:1']) {
      const set = await runCli(['--profile', 'mapped', 'config', 'set', 'gateway.bind', bind], { env });
      expect(set.code, set.stderr).toBe(2);
      expect(set.stderr).toContain(hint);
      expect(set.stdout + set.stderr).not.toMatch(/other machines|not an address of this host/);
    }
    const config = JSON.parse(await readFile(file, 'utf8'));
    config.gateway.bind = '::ffff:127.0.0.1';
    await writeFile(file, JSON.stringify(config), { mode: 0o600 });
    const doctor = await runCli(['--profile', 'mapped', 'doctor'], { env });
    expect(doctor.stdout + doctor.stderr).toContain(hint);
    expect(doctor.stdout + doctor.stderr).not.toMatch(/other machines|not an address of this host/);
    const gateway = await runCli(['--profile', 'mapped', 'gateway'], { env, timeoutMs: 10_000 });
    expect(gateway.code).not.toBe(0);
    expect(gateway.stdout).not.toContain('ready');
    expect(gateway.stderr).toContain(hint);
  });
});
