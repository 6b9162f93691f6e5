import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { standIn } from '../service/standin';
import WebSocket from 'ws';
import { bearer, request, setupProfile, spawnGateway, startGateway, stopGateway } from '../gateway/gateways';
import { editConfig, INTERVAL, pair, waitForWatch, watchOf } from './support';

const ISO_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /;

/** One {"type":"status"} over the gateway's WebSocket; bounded by the socket's own timeouts. */
function wsStatus(url: string, token: string): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: bearer(token), handshakeTimeout: 5000 });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'status' })));
    socket.once('message', (data) => {
      resolve(JSON.parse(String(data)));
      socket.close();
    });
    socket.once('error', reject);
  });
}

describe('rescue watches main (gateways side by side, the built CLI)', () => {
  it('answers /health only once it serves what it claims: its very first answer already names the profile it watches', async () => {
    const { env } = await tempHome();
    const { rescue } = await pair(env);
    const gateway = spawnGateway(['--profile', 'rescue', 'gateway'], env);
    // Asked as soon as the port takes connections: the watcher starts after the ports are bound.
    const deadline = Date.now() + 10_000;
    let first: Awaited<ReturnType<typeof request>> | null = null;
    while (first === null) {
      if (Date.now() > deadline || gateway.child.exitCode !== null) throw new Error(`no /health answer:\n${gateway.stderr()}`);
      first = await request(rescue.base, '/health').catch(() => null);
      if (first === null) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body).watch).toEqual([expect.objectContaining({ profile: 'main' })]);
    await stopGateway(gateway);
  });

  it('reports main up, down within two intervals of its stop, and up again; each change logged with a timestamp', async () => {
    const { home, env } = await tempHome();
    const { main, rescue } = await pair(env);
    let mainGateway = await startGateway(['--profile', 'main', 'gateway'], env);
    const rescueGateway = await startGateway(['--profile', 'rescue', 'gateway'], env);

    const up = await waitForWatch(rescue.base, 'main', (e) => e.state === 'up');
    expect(up.finding).toBe(`gateway answers on 127.0.0.1:${main.base}`);
    const status = await runCli(['--profile', 'rescue', 'status', '--json'], { env });
    expect(JSON.parse(status.stdout).watch).toEqual({ active: true, note: null, profiles: [expect.objectContaining({ profile: 'main', state: 'up' })], sinks: [] });
    const ws = await wsStatus(`ws://127.0.0.1:${rescue.base}/ws`, rescue.token);
    expect(ws.health.watch).toEqual([expect.objectContaining({ profile: 'main', state: 'up', finding: up.finding })]);
    const text = await runCli(['--profile', 'rescue', 'status'], { env });
    expect(text.stdout).toMatch(/Watching \(by this gateway\):\n\s+PROFILE\s+STATE\s+SINCE\s+FINDING\n\s+main\s+up\s+for \d+s\s+gateway answers on 127\.0\.0\.1:\d+/);

    await stopGateway(mainGateway);
    const stoppedAt = Date.now();
    const down = await waitForWatch(rescue.base, 'main', (e) => e.state === 'down');
    // Two jittered intervals (≤ 1.1 × 300 ms each) and the checks themselves, which answer at once on loopback.
    expect(Date.now() - stoppedAt).toBeLessThan(2 * INTERVAL * 1.1 + 400);
    // A check can catch main mid-shutdown (ECONNRESET): down all the same; the next one settles on "refused".
    expect(down.finding).toMatch(new RegExp(`^gateway did not answer on 127\\.0\\.0\\.1:${main.base}: `));
    const settled = await waitForWatch(rescue.base, 'main', (e) => e.state === 'down' && e.finding.endsWith('connection refused'));
    expect(settled.finding).toBe(`gateway did not answer on 127.0.0.1:${main.base}: connection refused`);

    mainGateway = await startGateway(['--profile', 'main', 'gateway'], env);
    await waitForWatch(rescue.base, 'main', (e) => e.state === 'up');

    const readChanges = () => rescueGateway.stdout().split('\n').filter((l) => / watch: main is /.test(l));
    for (let i = 0; i < 40 && readChanges().length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const changes = readChanges();
    expect(changes.map((l) => l.replace(ISO_LINE, '').replace(/ \(was (\w+) for .*?\)/, ' (was $1)').split(':')[1])).toEqual([
      ' main is up',
      ' main is down (was up)',
      ' main is up (was down)',
    ]);
    expect(changes.every((l) => ISO_LINE.test(l))).toBe(true);
    // The file append can land a moment after /health shows the change: wait for it (bounded).
    const readLogged = async () => (await readFile(path.join(home, '.epiloop-rescue', 'watch.log'), 'utf8')).split('\n').filter((l) => / main is /.test(l));
    let logged = await readLogged();
    for (let i = 0; i < 40 && logged.length < changes.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      logged = await readLogged();
    }
    expect(logged.map((l) => l.replace(ISO_LINE, ''))).toEqual(changes.map((l) => l.replace(ISO_LINE, '').replace(/^watch: /, '')));
  });

  it('names main\'s file and line when its config is broken, and a watched profile that does not exist, without failing', async () => {
    const { env } = await tempHome();
    const { main, rescue } = await pair(env, ['ghost', 'main']);
    await startGateway(['--profile', 'main', 'gateway'], env);
    await startGateway(['--profile', 'rescue', 'gateway'], env);
    await waitForWatch(rescue.base, 'main', (e) => e.state === 'up');
    expect((await watchOf(rescue.base)).find((e) => e.profile === 'ghost')).toMatchObject({
      state: 'down',
      finding: 'profile "ghost" is not set up: no config at ~/.epiloop-ghost/epiloop.json',
    });

    await writeFile(main.configPath, `{\n  "gateway": {\n    "port": ${main.base},,\n  }\n}\n`);
    const broken = await waitForWatch(rescue.base, 'main', (e) => e.state !== 'up');
    // main's gateway still runs on the config it read at start.
    expect(broken).toMatchObject({ state: 'degraded', finding: expect.stringContaining('config is broken: ~/.epiloop-main/epiloop.json:3:') });
    const status = await runCli(['--profile', 'rescue', 'status'], { env });
    expect(status.stdout).toMatch(/main\s+degraded\s+for \d+s\s+config is broken: ~\/\.epiloop-main\/epiloop\.json:3:\d+: not valid JSON5/);
    expect(status.stdout).toMatch(/ghost\s+down/);
  });

  it('main moved onto rescue\'s base + 2: rescue names the holder; doctor --target main --fix moves main, with a backup and the diff', async () => {
    const { home, env } = await tempHome();
    const { main, rescue } = await pair(env);
    await startGateway(['--profile', 'rescue', 'gateway'], env);
    await editConfig(main, (c) => (c.gateway.port = rescue.base + 2));
    const old = await readFile(main.configPath, 'utf8');
    const rescueConfig = await readFile(rescue.configPath, 'utf8');

    const refused = spawnGateway(['--profile', 'main', 'gateway'], env);
    expect((await refused.exited).code).toBe(1);
    // The finding moves with main's config: the next check asks the new port.
    const down = await waitForWatch(rescue.base, 'main', (e) => e.state === 'down' && e.finding.includes(`:${rescue.base + 2}:`));
    expect(down.finding).toMatch(new RegExp(`^gateway did not answer on 127\\.0\\.0\\.1:${rescue.base + 2}: .*; ${rescue.base + 2} \\(gateway\\) is bound by .+ \\(pid \\d+\\) on 127\\.0\\.0\\.1$`));

    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--target', 'main', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('from rescue → target main');
    expect(fixed.stdout).toContain(`-    "port": ${rescue.base + 2},`);
    const moved = new RegExp(`move base ${rescue.base + 2} → (\\d+) \\(the first free block for profile main\\)`).exec(fixed.stdout);
    expect(moved).not.toBeNull();
    expect(fixed.stdout).toContain(`+    "port": ${moved![1]},`);
    const backups = (await readdir(path.dirname(main.configPath))).filter((n) => n.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(await readFile(path.join(path.dirname(main.configPath), backups[0]!), 'utf8')).toBe(old);
    expect(await readFile(rescue.configPath, 'utf8')).toBe(rescueConfig);
    expect((await readdir(path.join(home, '.epiloop-rescue'))).filter((n) => n.endsWith('.bak'))).toEqual([]);

    await startGateway(['--profile', 'main', 'gateway'], env);
    expect(await waitForWatch(rescue.base, 'main', (e) => e.state === 'up')).toMatchObject({ finding: `gateway answers on 127.0.0.1:${moved![1]}` });
  });

  it('with the rescue gateway down, status says watching is off and still shows main\'s state from one check', async () => {
    const { env } = await tempHome();
    const { main } = await pair(env);
    await startGateway(['--profile', 'main', 'gateway'], env);
    const status = await runCli(['--profile', 'rescue', 'status', '--json'], { env });
    expect(status.code).toBe(1);
    const { watch } = JSON.parse(status.stdout);
    expect(watch).toEqual({
      active: false,
      note: 'watching is off because the gateway of profile "rescue" is not running; the states below are one check made now',
      profiles: [
        { profile: 'main', state: 'up', since: null, checkedAt: expect.any(String), finding: `gateway answers on 127.0.0.1:${main.base}`, notAnswering: false, lastAlert: null, lastRestart: null, lastGood: null, rollback: null, lastRollback: null },
      ],
      sinks: [],
    });
    const text = await runCli(['--profile', 'rescue', 'status'], { env });
    expect(text.stdout).toContain('Watching: watching is off because the gateway of profile "rescue" is not running; the states below are one check made now.');
    // No sink: said, with where the changes go instead and the command that shows how to add one.
    expect(text.stdout).toContain('Alerts: none; a change of state is only written to watch.log ("epiloop --profile rescue watch test" shows how to add a sink)');
    // With a sink and the rescue down: no tally that reads as "nothing sent" (new-user pass).
    expect((await runCli(['--profile', 'rescue', 'config', 'set', 'watch.alerts', '[{"type":"command","command":"true"}]'], { env })).code).toBe(0);
    const sinks = await runCli(['--profile', 'rescue', 'status'], { env });
    expect(sinks.stdout).toMatch(/Alerts \(sent and counted by the running gateway only; it is not running\):\n {2}#1 command true · info and up\n/);
    expect(sinks.stdout).not.toContain('nothing sent yet');
  });

  it('refuses to start a gateway that watches itself (exit 2), binding nothing', async () => {
    const { env } = await tempHome();
    const rescue = await setupProfile(env, 'rescue');
    await editConfig(rescue, (c) => (c.watch = { profiles: ['main', 'rescue'] }));
    const gateway = spawnGateway(['--profile', 'rescue', 'gateway'], env);
    expect((await gateway.exited).code).toBe(2);
    expect(gateway.stderr()).toContain('watch.profiles: profile "rescue" cannot watch itself; list the other profiles (e.g. "main").');
    await expect(request(rescue.base, '/health')).rejects.toThrow(/ECONNREFUSED/);
    const status = await runCli(['--profile', 'rescue', 'status'], { env });
    expect(status.stdout).toContain('cannot watch itself');
  });
});

describe('automatic restart and repair of main\'s service (stand-in systemctl)', () => {
  it('restarts a down main\'s installed service once, then keeps to the hourly cap, logging each decision', async () => {
    const { home, env: baseEnv } = await tempHome();
    const { env, calls } = await standIn(home, baseEnv);
    await pair(env, ['main'], { restart: true, maxRestartsPerHour: 1 });
    expect((await runCli(['--profile', 'main', 'gateway', 'install'], { env })).code).toBe(0);
    // The stand-in starts nothing: main stays down whatever systemctl is told.
    const rescueGateway = await startGateway(['--profile', 'rescue', 'gateway'], env);
    const restarts = async () => (await calls()).filter((c) => c === 'systemctl --user restart epiloop-gateway-main.service');

    const deadline = Date.now() + 5000;
    while ((await restarts()).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await restarts()).toHaveLength(1);
    // Six more intervals of main down: the cap of 1 per hour holds.
    await new Promise((resolve) => setTimeout(resolve, 6 * INTERVAL * 1.1));
    expect(await restarts()).toHaveLength(1);
    const log = await readFile(path.join(home, '.epiloop-rescue', 'watch.log'), 'utf8');
    expect(log).toMatch(/Z restarting the service of main \(attempt 1 of 1 this hour\)\n/);
    expect(log).toMatch(/Z restarted the service of main\n/);
    expect(log.match(/not restarting main: 1 restart in the last hour \(limit 1\); next try from \S+Z/g)).toHaveLength(1);
    expect(rescueGateway.stdout()).toContain('watch: restarting the service of main');
  });

  it('doctor --target main --fix restarts main\'s running service after changing its config', async () => {
    const { home, env: baseEnv } = await tempHome();
    const { env, calls } = await standIn(home, baseEnv);
    const { main } = await pair(env);
    expect((await runCli(['--profile', 'main', 'gateway', 'install'], { env })).code).toBe(0);
    // A fixable mistake that leaves the port (and so the unit) as it is.
    await editConfig(main, (c) => (c.canvasHost = { enabled: 'yes' }));
    const before = (await calls()).length;

    const fixed = await runCli(['--profile', 'rescue', 'doctor', '--target', 'main', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('restart the service epiloop-gateway-main.service, so its gateway runs the new config');
    expect((await calls()).slice(before)).toContain('systemctl --user restart epiloop-gateway-main.service');
    expect((await calls()).some((c) => c.includes('rescue'))).toBe(false);
  });
});
