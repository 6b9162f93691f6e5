import { describe, expect, it } from 'vitest';
import { findBrowserBinary } from '../../src/gateway/browser';
import { isProcessAlive } from '../../src/config/lock';
import { isCI } from '../../src/wizard/terminal';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { bearer, request, setupProfile, startGateway, stopGateway } from './gateways';

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

describe.skipIf(binary === null)(`Chromium (${binary ?? `SKIPPED: ${missing}`})`, () => {
  it('starts headless on its CDP port, shows in browser status, stops, and dies with the gateway', { timeout: 60_000 }, async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    const control = p.base + 2;
    const cdpPort = p.base + 11;

    const start = await request(control, '/profiles/default/start', { method: 'POST', headers: bearer(p.token) });
    expect(start.status, start.body).toBe(200);
    const started = JSON.parse(start.body);
    expect(started).toMatchObject({ name: 'default', cdpPort, running: true, alreadyRunning: false, webSocketDebuggerUrl: expect.stringContaining(`ws://127.0.0.1:${cdpPort}/devtools/browser/`) });
    expect(JSON.parse((await request(cdpPort, '/json/version')).body).Browser).toMatch(/Chrome/);
    const again = await request(control, '/profiles/default/start', { method: 'POST', headers: bearer(p.token) });
    expect(JSON.parse(again.body)).toMatchObject({ pid: started.pid, alreadyRunning: true });

    const status = await runCli(['--profile', 'main', 'browser', 'status', '--json'], { env });
    expect(JSON.parse(status.stdout).profiles[0]).toMatchObject({ name: 'default', cdpPort, browser: { pid: started.pid }, reachable: true });
    const portMap = JSON.parse((await runCli(['--profile', 'main', 'status', '--json'], { env })).stdout);
    expect(portMap.ports[3]).toMatchObject({ role: 'cdp', own: true, text: `1 of 100 bound by a browser of this gateway (pid ${started.pid})` });
    expect(portMap.healthy).toBe(true);

    const stop = await request(control, '/profiles/default/stop', { method: 'POST', headers: bearer(p.token) });
    expect(JSON.parse(stop.body)).toEqual({ name: 'default', stopped: true, pid: started.pid });
    expect(await waitUntil(() => !isProcessAlive(started.pid), 2000)).toBe(true);
    await expect(request(cdpPort, '/json/version')).rejects.toThrow(/ECONNREFUSED/);

    const second = JSON.parse((await request(control, '/profiles/default/start', { method: 'POST', headers: bearer(p.token) })).body);
    expect(second.running).toBe(true);
    const stopping = Date.now();
    await stopGateway(gateway);
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(await waitUntil(() => !isProcessAlive(second.pid), 2000)).toBe(true);
  });
});
