import { mkdir, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBrowserBinary } from '../../src/gateway/browser';
import { isProcessAlive } from '../../src/host/store/lock';
import { isCI } from '../../src/core/wizard/terminal';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { bearer, request, setupProfile, startGateway, stopGateway, withFault } from './gateways';

// CI installs Debian's chromium (.ci/run): there a missing browser is a failure. Elsewhere
// the test skips, saying so on the console and in its name.
const binary = findBrowserBinary(process.env);
const underCI = isCI(process.env);
const missing = 'no Chromium on PATH (chromium, chromium-browser, google-chrome, …)';
if (binary === null && !underCI) console.warn(`SKIPPED test/gateway/chromium.test.ts: ${missing}. Under CI=true this fails instead.`);

it.runIf(underCI)('has a Chromium to test with under CI', () => {
  expect(binary, `${missing}; .ci/run installs Debian's chromium`).not.toBeNull();
});

async function waitUntil(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

/** The environment of a running process, from /proc. */
async function environOf(pid: number): Promise<Record<string, string>> {
  const text = await readFile(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(text.split('\0').filter(Boolean).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

/** Files (recursively, names only) under dir; [] when it does not exist. */
async function filesUnder(dir: string): Promise<string[]> {
  return readdir(dir, { recursive: true }).catch(() => []);
}

describe.skipIf(binary === null)(`Chromium (${binary ?? `SKIPPED: ${missing}`})`, () => {
  it('writes only inside the profile\'s state dir: user data, crash dumps, TMPDIR, XDG dirs and HOME', { timeout: 60_000 }, async () => {
    const { env, home } = await tempHome();
    const p = await setupProfile(env, 'main');
    // Where the gateway's environment points: a browser that used any of these would leave files behind.
    const outside = { TMPDIR: 'tmp', XDG_CONFIG_HOME: 'config', XDG_CACHE_HOME: 'cache', XDG_DATA_HOME: 'data', XDG_STATE_HOME: 'state' };
    const shared = Object.fromEntries(Object.entries(outside).map(([key, dir]) => [key, path.join(home, 'shared', dir)]));
    for (const dir of Object.values(shared)) await mkdir(dir, { recursive: true });
    await startGateway(['--profile', 'main', 'gateway'], { ...env, ...shared });
    const stateDir = path.join(home, '.epiloop-main');

    const start = await request(p.base + 2, '/profiles/default/start', { method: 'POST', headers: bearer(p.token), timeoutMs: 20_000 });
    expect(start.status, start.body).toBe(200);
    const { pid } = JSON.parse(start.body);
    const environ = await environOf(pid);
    for (const key of ['HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME']) expect(environ[key], key).toMatch(new RegExp(`^${stateDir}/browser-home/default(/|$)`));
    expect(environ.TMPDIR).toBe(`${stateDir}/tmp/default`);
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    expect(cmdline).toContain(`--user-data-dir=${stateDir}/browser/default`);
    expect(cmdline).toContain(`--crash-dumps-dir=${stateDir}/browser-home/default/crashes`);
    expect((await request(p.base + 2, '/profiles/default/stop', { method: 'POST', headers: bearer(p.token) })).status).toBe(200);
    expect(await waitUntil(() => !isProcessAlive(pid), 2000)).toBe(true);

    for (const dir of Object.values(shared)) expect(await filesUnder(dir), dir).toEqual([]);
    expect((await readdir(home)).sort()).toEqual(['.epiloop', '.epiloop-main', 'shared']);
    expect(await filesUnder(path.join(stateDir, 'tmp'))).toEqual([]);
  });

  it('a state dir too deep for its socket path gets TMPDIR through a private symlink; SIGINT stops browser and gateway and removes it', { timeout: 60_000 }, async () => {
    const { env, home } = await tempHome();
    const name = 'a-profile-name-of-32-characters0';
    const p = await setupProfile(env, name);
    const gateway = await startGateway(['--profile', name, 'gateway'], env);
    const start = await request(p.base + 2, '/profiles/default/start', { method: 'POST', headers: bearer(p.token), timeoutMs: 20_000 });
    expect(start.status, start.body).toBe(200);
    const { pid } = JSON.parse(start.body);
    const tmpdir = (await environOf(pid)).TMPDIR!;
    expect(tmpdir).toMatch(/^\/tmp\/epiloop-\w+\/t$/);
    expect(await realpath(tmpdir)).toBe(path.join(home, `.epiloop-${name}`, 'tmp', 'default'));
    expect((await stat(path.dirname(tmpdir))).mode & 0o777).toBe(0o700);
    gateway.child.kill('SIGINT');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(await waitUntil(() => !isProcessAlive(pid), 2000)).toBe(true);
    expect(await stat(path.dirname(tmpdir)).then(() => 'left', () => 'removed')).toBe('removed');
  });

  it('dies with its gateway on an uncaught exception (exit 70)', { timeout: 60_000 }, async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], withFault(env, 'usr2-throw'));
    const start = await request(p.base + 2, '/profiles/default/start', { method: 'POST', headers: bearer(p.token), timeoutMs: 20_000 });
    expect(start.status, start.body).toBe(200);
    const { pid } = JSON.parse(start.body);
    gateway.child.kill('SIGUSR2');
    expect(await gateway.exited).toEqual({ code: 70, signal: null });
    expect(await waitUntil(() => !isProcessAlive(pid), 2000)).toBe(true);
  });

  it('starts headless on its CDP port, shows in browser status, stops, and dies with the gateway', { timeout: 60_000 }, async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    const control = p.base + 2;
    const cdpPort = p.base + 11;

    const start = await request(control, '/profiles/default/start', { method: 'POST', headers: bearer(p.token), timeoutMs: 20_000 });
    expect(start.status, start.body).toBe(200);
    const started = JSON.parse(start.body);
    expect(started).toMatchObject({ name: 'default', cdpPort, running: true, alreadyRunning: false, webSocketDebuggerUrl: expect.stringContaining(`ws://127.0.0.1:${cdpPort}/devtools/browser/`) });
    expect(JSON.parse((await request(cdpPort, '/json/version')).body).Browser).toMatch(/Chrome/);
    const again = await request(control, '/profiles/default/start', { method: 'POST', headers: bearer(p.token), timeoutMs: 20_000 });
    expect(JSON.parse(again.body)).toMatchObject({ pid: started.pid, alreadyRunning: true });

    const status = await runCli(['--profile', 'main', 'browser', 'status', '--json'], { env });
    expect(JSON.parse(status.stdout).profiles[0]).toMatchObject({ name: 'default', cdpPort, browser: { pid: started.pid }, reachable: true });
    const portMap = JSON.parse((await runCli(['--profile', 'main', 'status', '--json'], { env })).stdout);
    expect(portMap.ports[3]).toMatchObject({ role: 'cdp', own: true, text: `1 of 100 bound by a browser of this gateway (pid ${started.pid})` });
    expect(portMap.healthy).toBe(true);

    const stop = await request(control, '/profiles/default/stop', { method: 'POST', headers: bearer(p.token), timeoutMs: 20_000 });
    expect(JSON.parse(stop.body)).toEqual({ name: 'default', stopped: true, pid: started.pid });
    expect(await waitUntil(() => !isProcessAlive(started.pid), 2000)).toBe(true);
    await expect(request(cdpPort, '/json/version')).rejects.toThrow(/ECONNREFUSED/);

    const second = JSON.parse((await request(control, '/profiles/default/start', { method: 'POST', headers: bearer(p.token), timeoutMs: 20_000 })).body);
    expect(second.running).toBe(true);
    const stopping = Date.now();
    await stopGateway(gateway);
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(await waitUntil(() => !isProcessAlive(second.pid), 2000)).toBe(true);
  });
});
