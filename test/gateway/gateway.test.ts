import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { bindProbe } from '../../src/host/ports/probe';
import { runCli } from '../helpers/cli';
import { freeBase } from '../helpers/ports';
import { tempHome } from '../helpers/home';
import { bearer, request, setupProfile, startGateway, stopGateway } from './gateways';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

function occupy(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => resolve());
    servers.push(server);
  });
}

const lockPath = (home: string, profile: string) => path.join(home, `.epiloop-${profile}`, 'gateway.lock');
const exists = (file: string) => stat(file).then(() => true, () => false);

async function editConfig(configPath: string, edit: (config: Record<string, any>) => void): Promise<void> {
  const config = JSON.parse(await readFile(configPath, 'utf8'));
  edit(config);
  await writeFile(configPath, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
}

/** Opens a WebSocket and resolves with the answer to one status request, or the HTTP status it was refused with. */
function wsStatus(url: string, headers: Record<string, string> = {}): Promise<{ refused: number } | { reply: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'status', id: 1 })));
    socket.once('message', (data) => {
      resolve({ reply: JSON.parse(String(data)) });
      socket.close();
    });
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe('gateways side by side', () => {
  it('main and rescue, made by setup, answer on all six ports, and status reports them running', async () => {
    const { env } = await tempHome();
    const main = await setupProfile(env, 'main');
    const rescue = await setupProfile(env, 'rescue');
    const gateways = await Promise.all([main, rescue].map((p) => startGateway(['--profile', p.name, 'gateway'], env)));

    for (const [i, profile] of [main, rescue].entries()) {
      const health = await request(profile.base, '/health');
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({
        profile: profile.name,
        version: expect.any(String),
        pid: gateways[i]!.pid,
        uptimeMs: expect.any(Number),
        startedAt: expect.any(String),
        ports: { gateway: profile.base, browserControl: profile.base + 2, canvas: profile.base + 4, cdp: { from: profile.base + 11, to: profile.base + 110 } },
        watch: [],
      });
      const control = await request(profile.base + 2, '/', { headers: bearer(profile.token) });
      expect(control.status).toBe(200);
      expect(JSON.parse(control.body)).toMatchObject({ service: 'browser-control', profile: profile.name });
      await writeFile(path.join(profile.workspace, 'canvas', 'index.html'), `<h1>${profile.name}</h1>`);
      const canvas = await request(profile.base + 4, '/');
      expect(canvas).toMatchObject({ status: 200, body: `<h1>${profile.name}</h1>` });
      expect(canvas.headers['content-type']).toBe('text/html; charset=utf-8');
    }

    const status = await runCli(['--profile', 'rescue', 'status', '--json'], { env });
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report.gateway).toMatchObject({ running: true, pid: gateways[1]!.pid, health: 'answered', url: `http://127.0.0.1:${rescue.base}` });
    expect(report.ports.slice(0, 3).map((r: { own?: boolean; text: string }) => [r.own, r.text])).toEqual(
      Array(3).fill([true, `this gateway (pid ${gateways[1]!.pid})`]),
    );
    expect(report.problems).toEqual([]);
    const text = await runCli(['--profile', 'main', 'status'], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`gateway +running, pid ${gateways[0]!.pid}, up \\d+s, health answered`));
    const browser = await runCli(['--profile', 'main', 'browser', 'status', '--json'], { env });
    expect(browser.code).toBe(0);
    expect(JSON.parse(browser.stdout)).toMatchObject({
      controlUrl: `http://127.0.0.1:${main.base + 2}`,
      running: true,
      control: { reachable: true },
      profiles: [{ name: 'default', cdpPort: main.base + 11, source: 'range', browser: null, reachable: false }],
      healthy: true,
    });
    // The host-wide view shows both gateways up, their own ports not counted as taken.
    const ports = await runCli(['ports'], { env });
    expect(ports.code).toBe(0);
    for (const [i, profile] of [main, rescue].entries()) {
      expect(ports.stdout).toMatch(new RegExp(`${profile.name} +${profile.base} .*gateway up, pid ${gateways[i]!.pid}`));
    }
    expect(ports.stdout).not.toContain('held by others');
  });

  it("refuses a third profile whose base lands on main's +2, naming that port, and binds nothing", async () => {
    const { env } = await tempHome();
    const main = await setupProfile(env, 'main');
    const third = await setupProfile(env, 'third');
    await startGateway(['--profile', 'main', 'gateway'], env);
    const onPlus2 = main.base + 2;
    for (const [args, extra, source, fix] of [
      [['--port', String(onPlus2)], {}, '--port', `drop --port to use the config's base ${third.base}, or pick a free base: --port `],
      [[], { EPILOOP_GATEWAY_PORT: String(onPlus2) }, 'EPILOOP_GATEWAY_PORT', `unset EPILOOP_GATEWAY_PORT to use the config's base ${third.base}, or pick a free base: EPILOOP_GATEWAY_PORT=`],
    ] as const) {
      const started = Date.now();
      const result = await runCli(['--profile', 'third', 'gateway', ...args], { env: { ...env, ...extra } });
      // ~120 ms on an idle machine (the bench holds < 1 s); the bound only catches a hang or a long wait.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`cannot use base ${onPlus2} (from ${source})`);
      expect(result.stderr).toContain(`gateway ${onPlus2} is inside main's browser control`);
      expect(result.stderr).toContain(`Nothing was bound. Fix: ${fix}`);
      expect(result.stderr).not.toContain('onboard');
    }
    expect((await bindProbe([main.base + 6])).size).toBe(0);
    expect((await request(main.base, '/health')).status).toBe(200);
  });

  it("refuses a footprint whose CDP range runs into a stopped main's, though its three ports are free, and binds nothing", async () => {
    const { env, home } = await tempHome();
    const main = await setupProfile(env, 'main');
    const r6 = await setupProfile(env, 'r6');
    // QA's case (r6 at 18700 beside main at 18789): the CDP range covers main's three ports and the start of its CDP range.
    const base = main.base - 89;
    await editConfig(r6.configPath, (c) => (c.gateway.port = base));
    const own = [base, base + 2, base + 4];
    const takenBefore = await bindProbe(own);
    const freeBefore = own.filter((p) => !takenBefore.has(p));
    const result = await runCli(['--profile', 'r6', 'gateway'], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain(' ready ');
    expect(result.stderr).toContain(`cannot use base ${base} (from config)`);
    expect(result.stderr).toContain(`CDP range ${main.base} is inside main's gateway`);
    expect(result.stderr).toContain(`CDP range ${main.base + 2} is inside main's browser control`);
    expect(result.stderr).toContain(`CDP range ${main.base + 4} is inside main's canvas host`);
    expect(result.stderr).toContain(`CDP range ${main.base + 11}–${main.base + 21} is inside main's CDP range`);
    expect(result.stderr).toContain('Nothing was bound. Fix: move this profile to a free base with "epiloop --profile r6 onboard" (or "epiloop --profile r6 doctor --fix")');
    expect((await bindProbe(freeBefore)).size).toBe(0);
    expect(await exists(lockPath(home, 'r6'))).toBe(false);
  });

  it('a base from EPILOOP_GATEWAY_PORT inside another profile is fixed in the environment, not by onboard', async () => {
    const { env } = await tempHome();
    const main = await setupProfile(env, 'main');
    const r2 = await setupProfile(env, 'r2');
    const result = await runCli(['--profile', 'main', 'gateway'], { env: { ...env, EPILOOP_GATEWAY_PORT: String(r2.base + 2) } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot use base ${r2.base + 2} (from EPILOOP_GATEWAY_PORT)`);
    const fix = new RegExp(`Nothing was bound\\. Fix: unset EPILOOP_GATEWAY_PORT to use the config's base ${main.base}, or pick a free base: EPILOOP_GATEWAY_PORT=(\\d+)\\.`).exec(result.stderr);
    expect(fix, result.stderr).not.toBeNull();
    expect(result.stderr).not.toContain('onboard');
    // The offered base is clear of r2's whole footprint (main's own is not a claim: it moves with the base).
    const offered = Number(fix![1]);
    expect(offered + 110 < r2.base || offered > r2.base + 110).toBe(true);
  });

  it("names another profile's gateway holding a port as that profile's gateway", async () => {
    const { env } = await tempHome();
    const main = await setupProfile(env, 'main');
    await setupProfile(env, 'rescue');
    // Rescue runs at a base its config does not claim: its lock tells the host view where.
    const elsewhere = await freeBase();
    const rescue = await startGateway(['--profile', 'rescue', 'gateway', '--port', String(elsewhere)], env);
    const result = await runCli(['--profile', 'main', 'gateway', '--port', String(elsewhere)], { env });
    expect(result.code).toBe(1);
    // The host view knows where rescue's gateway runs: main refuses before binding anything.
    expect(result.stderr).toContain(`gateway ${elsewhere} is inside rescue's running gateway`);
    expect(result.stderr).toContain(`CDP range ${elsewhere + 11}–${elsewhere + 110} is inside rescue's running CDP range`);
    expect(result.stderr).toContain(`Nothing was bound. Fix: drop --port to use the config's base ${main.base}, or pick a free base: --port `);
    expect((await bindProbe([main.base, main.base + 2, main.base + 4])).size).toBe(0);
    expect(JSON.parse((await request(elsewhere, '/health')).body).pid).toBe(rescue.pid);
  });

  it('names the process holding a port, exits 1, and leaves nothing bound', async () => {
    const { env, home } = await tempHome();
    const p = await setupProfile(env, 'busy');
    await occupy(p.base + 4);
    const result = await runCli(['--profile', 'busy', 'gateway'], { env });
    expect(result.code).toBe(1);
    const comm = (await readFile('/proc/self/comm', 'utf8').catch(() => '')).trim();
    expect(result.stderr).toContain(`port ${p.base + 4} (canvas host) is already in use: bound by ${comm || 'a process'} (pid ${process.pid}) on 127.0.0.1`);
    expect(result.stderr).toContain('Nothing was bound. Fix: stop that process, or move this profile to a free base with "epiloop --profile busy onboard"');
    expect((await bindProbe([p.base, p.base + 2])).size).toBe(0);
    expect(await exists(lockPath(home, 'busy'))).toBe(false);
  });

  it('refuses a gateway.bind that is not an address of this host once for all its ports, with a fix that names gateway.bind, not a process to stop', async () => {
    const { env, home } = await tempHome();
    const p = await setupProfile(env, 'main');
    // The tests run in a network namespace of their own: only loopback is up, 10.0.0.5 is no address here.
    await editConfig(p.configPath, (config) => (config.gateway.bind = '10.0.0.5'));
    const result = await runCli(['--profile', 'main', 'gateway'], { env });
    expect(result.code).toBe(1);
    // One reason for every port it refused, said once.
    expect(result.stderr).toMatch(new RegExp(`ports ${p.base} \\(gateway\\), ${p.base + 2} \\(browser control\\)[^:]*: 10\\.0\\.0\\.5 is not an address of this host \\(gateway\\.bind\\)`));
    expect(result.stderr.split('is not an address of this host')).toHaveLength(2);
    expect(result.stderr).toMatch(/Nothing was bound\. Fix: set gateway\.bind to an address of this host \("loopback",? (or )?"lan"[^)]*\): epiloop --profile main config set gateway\.bind loopback\./);
    expect(result.stderr).not.toContain('stop that process');
    expect(result.stderr).not.toContain('free base');
    expect(await exists(lockPath(home, 'main'))).toBe(false);
  });

  it('refuses a profile that is not set up (exit 2) or has no token (exit 2), and a broken config (exit 1)', async () => {
    const { env } = await tempHome();
    const missing = await runCli(['--profile', 'ghost', 'gateway'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Run "epiloop --profile ghost setup" or "epiloop --profile ghost onboard" first.');
    const p = await setupProfile(env, 'notoken');
    await writeFile(p.configPath, JSON.stringify({ gateway: { port: p.base } }));
    const noToken = await runCli(['--profile', 'notoken', 'gateway'], { env });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('has no gateway.auth.token');
    await writeFile(p.configPath, '{ gateway: { port: "x" } }');
    const broken = await runCli(['--profile', 'notoken', 'gateway'], { env });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('gateway.port is "x", but must be a whole number');
  });
});

describe('one gateway per profile, and a clean stop', () => {
  it('a second start exits 3 naming the pid; SIGTERM stops the first within 2 s with exit 0 and frees everything', async () => {
    const { env, home } = await tempHome();
    const p = await setupProfile(env, 'main');
    const first = await startGateway(['--profile', 'main', 'gateway'], env);
    const second = await runCli(['--profile', 'main', 'gateway', '--port', String(p.base + 200)], { env });
    expect(second.code).toBe(3);
    expect(second.stderr).toContain(`the gateway of profile "main" is already running: pid ${first.pid}`);
    // The commands to run, not a pid to kill by hand.
    expect(second.stderr).toContain('Nothing to do; to restart it: "epiloop --profile main restart"; to stop it: "epiloop --profile main stop"; to check it: "epiloop --profile main status".');
    expect(second.stderr).not.toContain('stop pid');

    const socket = new WebSocket(`ws://127.0.0.1:${p.base}/ws`, { headers: bearer(p.token) });
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const started = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(2000);
    await closed;
    expect(first.stdout()).toMatch(/SIGTERM received, shutting down\n(.*\n)*.*gateway of profile "main" stopped\n$/);
    expect(await exists(lockPath(home, 'main'))).toBe(false);
    expect((await bindProbe([p.base, p.base + 2, p.base + 4])).size).toBe(0);

    const again = await startGateway(['--profile', 'main', 'gateway'], env);
    again.child.kill('SIGINT');
    expect(await again.exited).toEqual({ code: 0, signal: null });
  });

  it('takes over the lock of a gateway that died', async () => {
    const { env, home } = await tempHome();
    const p = await setupProfile(env, 'main');
    const killed = await startGateway(['--profile', 'main', 'gateway'], env);
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(JSON.parse(await readFile(lockPath(home, 'main'), 'utf8')).pid).toBe(killed.pid);
    const status = await runCli(['--profile', 'main', 'status', '--json'], { env });
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout).gateway).toMatchObject({ running: false, detail: expect.stringContaining(`pid ${killed.pid}, which is gone`) });

    const next = await startGateway(['--profile', 'main', 'gateway'], env);
    expect(JSON.parse(await readFile(lockPath(home, 'main'), 'utf8')).pid).toBe(next.pid);
    expect(JSON.parse((await request(p.base, '/health')).body).pid).toBe(next.pid);
    await stopGateway(next);
  });
});

describe('tokens', () => {
  it('the WebSocket refuses a client without the right token and answers one with it', async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    const url = `ws://127.0.0.1:${p.base}/ws`;
    expect(await wsStatus(url)).toEqual({ refused: 401 });
    expect(await wsStatus(url, bearer('x'.repeat(32)))).toEqual({ refused: 401 });
    expect(await wsStatus(`${url}?token=${p.token.slice(0, -1)}`)).toEqual({ refused: 401 });
    expect(await wsStatus(`ws://127.0.0.1:${p.base}/other`, bearer(p.token))).toEqual({ refused: 404 });
    for (const answer of [await wsStatus(url, bearer(p.token)), await wsStatus(`${url}?token=${encodeURIComponent(p.token)}`)]) {
      expect(answer).toEqual({ reply: { type: 'status', id: 1, health: expect.objectContaining({ profile: 'main', pid: gateway.pid }) } });
    }
    expect(gateway.stdout()).toContain('ws refused from 127.0.0.1: missing or wrong token');
  });

  it('browser control refuses a request without the right token', async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    // No browser on PATH: start must say so (501), whatever is installed on this host.
    await startGateway(['--profile', 'main', 'gateway'], { ...env, PATH: path.join(env.HOME!, 'empty') });
    const control = p.base + 2;
    for (const headers of [{}, bearer('wrong-token-wrong-token'), { Authorization: `Basic ${p.token}` }]) {
      for (const [method, route] of [['GET', '/'], ['GET', '/profiles'], ['POST', '/profiles/default/start']]) {
        const answer = await request(control, route!, { method, headers });
        expect(answer.status).toBe(401);
        expect(answer.headers['www-authenticate']).toBe('Bearer');
      }
    }
    const profiles = await request(control, `/profiles?token=${encodeURIComponent(p.token)}`);
    expect(JSON.parse(profiles.body)).toEqual({ profiles: [{ name: 'default', cdpPort: p.base + 11, cdpUrl: null, source: 'range', running: false, pid: null }] });
    const start = await request(control, '/profiles/default/start', { method: 'POST', headers: bearer(p.token) });
    expect(start.status).toBe(501);
    expect(JSON.parse(start.body).error).toMatch(/no Chromium or Chrome found on PATH/);
    expect((await request(control, '/profiles/nope/start', { method: 'POST', headers: bearer(p.token) })).status).toBe(404);
    expect((await request(control, '/profiles/default/start', { headers: bearer(p.token) })).status).toBe(405);
  });
});

describe('canvas host', () => {
  it('serves the canvas folder and nothing outside it: no traversal, no symlink out, no listing', async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const canvas = path.join(p.workspace, 'canvas');
    await startGateway(['--profile', 'main', 'gateway'], env);
    const secret = 'TOP-SECRET-' + p.token;
    await writeFile(path.join(p.workspace, 'secret.txt'), secret);
    await mkdir(path.join(canvas, 'app'), { recursive: true });
    await mkdir(path.join(canvas, 'empty'), { recursive: true });
    await writeFile(path.join(canvas, 'app', 'index.html'), 'app');
    await writeFile(path.join(canvas, 'app', 'main.js'), 'js');
    await writeFile(path.join(canvas, '.env'), secret);
    await symlink(path.join(p.workspace, 'secret.txt'), path.join(canvas, 'link.txt'));
    await symlink(p.workspace, path.join(canvas, 'out'));
    await symlink(path.join(canvas, 'app', 'main.js'), path.join(canvas, 'inside.js'));
    const port = p.base + 4;

    expect(await request(port, '/app/')).toMatchObject({ status: 200, body: 'app' });
    expect(await request(port, '/app')).toMatchObject({ status: 200, body: 'app' });
    expect(await request(port, '/app/main.js')).toMatchObject({ status: 200, body: 'js' });
    expect(await request(port, '/inside.js')).toMatchObject({ status: 200, body: 'js' });
    expect((await request(port, '/app/main.js', { method: 'HEAD' })).headers['content-length']).toBe('2');
    expect((await request(port, '/empty/')).status).toBe(404);
    expect((await request(port, '/')).status).toBe(404);
    expect((await request(port, '/app/main.js', { method: 'PUT' })).status).toBe(405);

    const refused = [
      '/../secret.txt',
      '/app/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/app%2f..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/%252e%252e/secret.txt',
      '/.env',
      '/link.txt',
      '/out/secret.txt',
      '/out/',
      '/%',
    ];
    for (const route of refused) {
      const answer = await request(port, route);
      expect([400, 403, 404], route).toContain(answer.status);
      expect(answer.body, route).not.toContain('TOP-SECRET');
    }
    expect((await request(port, '/link.txt')).status).toBe(403);
    expect((await request(port, '/../secret.txt')).status).toBe(400);
  });
});

