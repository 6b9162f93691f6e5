import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { standIn } from '../service/standin';
import { request, startGateway, stopGateway, type GatewayProcess } from '../gateway/gateways';
import { startReceiver, until } from './receiver';
import { INTERVAL, pair, waitForWatch } from './support';
import { recorded, recorder, untilTitle } from './recorder';

/** How long a check may take against a gateway that accepts but never answers: the /health timeout (500 ms) and the rest. */
const SILENT_CHECK_MS = 700;

const titles = async (file: string) => (await recorded(file)).map((r) => r.event.title);

/**
 * main with its service installed (stand-in systemctl, which records the call and starts
 * nothing) and rescue watching it with the sinks `watch` gives; events.jsonl is the command sink's file.
 */
async function watchedPair(watch: (file: string) => Record<string, unknown>) {
  const { home, env: baseEnv } = await tempHome();
  const { env, calls } = await standIn(home, baseEnv);
  const file = path.join(home, 'events.jsonl');
  const { main, rescue } = await pair(env, ['main'], watch(file));
  const installed = await runCli(['--profile', 'main', 'gateway', 'install'], { env });
  expect(installed.code, installed.stderr).toBe(0);
  const restarts = async () => (await calls()).filter((c) => c === 'systemctl --user restart epiloop-gateway-main.service');
  return { home, env, main, rescue, restarts, file };
}

/** main's gateway, then rescue's, once rescue sees main up. */
async function bothUp(env: Record<string, string>, rescueBase: number): Promise<{ mainGateway: GatewayProcess; rescueGateway: GatewayProcess }> {
  const mainGateway = await startGateway(['--profile', 'main', 'gateway'], env);
  const rescueGateway = await startGateway(['--profile', 'rescue', 'gateway'], env);
  await waitForWatch(rescueBase, 'main', (e) => e.state === 'up');
  return { mainGateway, rescueGateway };
}

/** SIGKILL, as a crash: no clean shutdown. Resolves with the time it was gone. */
async function crash(gateway: GatewayProcess): Promise<number> {
  gateway.child.kill('SIGKILL');
  await gateway.exited;
  return Date.now();
}

/** What systemd does on `restart` and the stand-in does not: stop the old gateway, start a new one. */
async function playTheManager(old: GatewayProcess, env: Record<string, string>): Promise<GatewayProcess> {
  await crash(old);
  return startGateway(['--profile', 'main', 'gateway'], env);
}

// Real gateways, services and sinks on a machine other suites load too: each test is bounded by a minute.
describe('the rescue alerts (real gateways, a command sink and a loopback webhook)', { timeout: 60_000 }, () => {
  it('main up → killed → "down" at both sinks within two intervals → restart through the service → "up again"; logged in both profiles, shown in status', async () => {
    const receiver = await startReceiver();
    const { home, env, main, rescue, restarts, file } = await watchedPair((file) => ({
      restart: true,
      alerts: [recorder(file), { type: 'webhook', url: `${receiver.url}/epiloop-main` }],
    }));
    let { mainGateway, rescueGateway } = await bothUp(env, rescue.base);

    const killedAt = await crash(mainGateway);
    const down = await untilTitle(file, 'main is down');
    // Decided within two jittered intervals and the check itself; at the sink once a node process has started (seconds on a loaded machine).
    expect(Date.parse(down.event.time) - killedAt).toBeLessThan(2 * INTERVAL * 1.1 + 400);
    expect(down.at - killedAt).toBeLessThan(2 * INTERVAL * 1.1 + 5000);
    expect(down.event).toMatchObject({ kind: 'state', level: 'critical', state: 'down', fix: 'epiloop --profile main gateway restart' });
    expect(down.event.finding).toMatch(new RegExp(`^gateway did not answer on 127\\.0\\.0\\.1:${main.base}: `));
    expect(down.env).toMatchObject({ EPILOOP_EVENT_KIND: 'state', EPILOOP_EVENT_PROFILE: 'main', EPILOOP_EVENT_STATE: 'down', EPILOOP_EVENT_PREVIOUS: 'up', EPILOOP_EVENT_FIX: 'epiloop --profile main gateway restart' });

    await until('the restart through the service manager', async () => ((await restarts()).length === 1 ? true : undefined));
    mainGateway = await playTheManager(mainGateway, env);
    const upAgain = await untilTitle(file, 'main is up again');
    expect(upAgain.event).toMatchObject({ level: 'info', state: 'up', resolves: 'critical', fix: null });
    expect(await titles(file)).toEqual(['main is down', 'restarting main', "restarted main's service", 'main is up again']);
    await until('the webhook heard the same', () => (receiver.received.length === 4 ? true : undefined));
    expect(receiver.received.map((r) => JSON.parse(r.body).title)).toEqual(await titles(file));

    // Both profiles' logs: the rescue's watch.log and output, and rescue-actions.log in main's state dir.
    const actions = await readFile(path.join(home, '.epiloop-main', 'rescue-actions.log'), 'utf8');
    expect(actions).toMatch(/Z rescue restarts epiloop-gateway-main\.service \(attempt 1 of 3 this hour\); main was down: gateway did not answer/);
    expect(actions).toMatch(/Z rescue restarted epiloop-gateway-main\.service\n/);
    const watchLog = await readFile(path.join(home, '.epiloop-rescue', 'watch.log'), 'utf8');
    expect(watchLog).toMatch(/Z alert "main is down" sent to #1 command \S+ …\n/);
    expect(watchLog).toMatch(new RegExp(`Z alert "main is up again" sent to #2 webhook http://127\\.0\\.0\\.1:${receiver.port}/\\*\\*\\*\\n`));
    expect(rescueGateway.stdout()).toContain('watch: alert "restarting main" sent to #1 command');

    const status = JSON.parse((await runCli(['--profile', 'rescue', 'status', '--json'], { env })).stdout).watch;
    expect(status.profiles[0]).toMatchObject({ profile: 'main', state: 'up', lastAlert: { kind: 'state', level: 'info', title: 'main is up again', sinks: 2 }, lastRestart: { outcome: 'succeeded' } });
    expect(status.sinks).toEqual([
      expect.objectContaining({ sink: expect.stringMatching(/^#1 command /), sent: 4, failed: 0, queued: 0, last: expect.objectContaining({ ok: true, title: 'main is up again' }) }),
      expect.objectContaining({ sink: `#2 webhook http://127.0.0.1:${receiver.port}/***`, sent: 4, failed: 0 }),
    ]);
    const text = (await runCli(['--profile', 'rescue', 'status'], { env })).stdout;
    expect(text).toMatch(/last restart of main: succeeded at \S+Z/);
    expect(text).toMatch(/Alerts:\n {2}#1 command \S+ … · info and up · 4 sent, 0 failed · last: sent at \S+Z \("main is up again"\)\n/);
  });

  it('a gateway frozen with SIGSTOP is "degraded (not answering)" within the configured checks and restarted through its service, never signalled by the rescue', async () => {
    const { env, rescue, restarts, file } = await watchedPair((file) => ({ restart: true, hungAfterChecks: 2, alerts: [recorder(file)] }));
    let { mainGateway } = await bothUp(env, rescue.base);
    const frozen = mainGateway.pid;
    process.kill(frozen, 'SIGSTOP');
    try {
      const stoppedAt = Date.now();
      const hung = await waitForWatch(rescue.base, 'main', (e) => e.notAnswering, 10_000);
      // Two silent checks, each up to the /health timeout, and the interval before each (jittered).
      expect(Date.now() - stoppedAt).toBeLessThan(3 * (INTERVAL * 1.1 + SILENT_CHECK_MS) + 1000);
      expect(hung).toMatchObject({ state: 'degraded', finding: expect.stringMatching(new RegExp(`^pid ${frozen} holds 127\\.0\\.0\\.1:\\d+ but /health has not answered for 2 checks in a row \\(no answer within 500 ms\\)$`)) });
      const alert = await untilTitle(file, 'main is degraded (not answering)');
      expect(alert.event).toMatchObject({ level: 'warning', notAnswering: true, fix: 'epiloop --profile main gateway restart' });
      expect(alert.env.EPILOOP_EVENT_NOT_ANSWERING).toBe('true');

      await until('the restart through the service manager', async () => ((await restarts()).length === 1 ? true : undefined));
      // The rescue asked the manager and did nothing to the pid itself: still stopped, no signal pending.
      const status = await readFile(`/proc/${frozen}/status`, 'utf8');
      expect(status).toMatch(/^State:\s+T \(stopped\)$/m);
      expect(status).toMatch(/^SigPnd:\s+0+$/m);
      expect(status).toMatch(/^ShdPnd:\s+0+$/m);

      mainGateway = await playTheManager(mainGateway, env);
      await waitForWatch(rescue.base, 'main', (e) => e.state === 'up');
      await untilTitle(file, 'main is up again');
      // A check may fall between the old gateway's end and the new one's start: "down" is then told too.
      expect((await titles(file)).filter((t) => t !== 'main is down')).toEqual(['main is degraded (not answering)', 'restarting main', "restarted main's service", 'main is up again']);
    } finally {
      try {
        process.kill(frozen, 'SIGCONT');
      } catch {
        // Already gone.
      }
    }
  });

  it('sinks that fail (a command exiting 1, a webhook answering 500, one never answering) neither block nor stop the watcher, are retried with backoff, and never show their secrets', async () => {
    const failing = await startReceiver(500);
    const silent = await startReceiver('never');
    const secretUrl = (port: number, n: number) => `http://ops:pw-S3CRET-${n}@127.0.0.1:${port}/topic-S3CRET-${n}?token=S3CRET-${n}`;
    const { env, home, rescue, file } = await watchedPair((file) => ({
      alerts: [
        { type: 'command', command: 'exit 1', retries: 2 },
        { type: 'webhook', url: secretUrl(failing.port, 1), retries: 2 },
        { type: 'webhook', url: secretUrl(silent.port, 2), timeoutMs: 1000, retries: 1 },
        recorder(file),
      ],
    }));
    let { mainGateway, rescueGateway } = await bothUp(env, rescue.base);

    const killedAt = await crash(mainGateway);
    // The watcher is not held up: down within two intervals, and its /health answers at once, while three sinks fail.
    await waitForWatch(rescue.base, 'main', (e) => e.state === 'down');
    expect(Date.now() - killedAt).toBeLessThan(2 * INTERVAL * 1.1 + 1000);
    const asked = Date.now();
    await request(rescue.base, '/health');
    expect(Date.now() - asked).toBeLessThan(500);
    await untilTitle(file, 'main is down');

    mainGateway = await startGateway(['--profile', 'main', 'gateway'], env);
    await waitForWatch(rescue.base, 'main', (e) => e.state === 'up');
    await untilTitle(file, 'main is up again');
    // Retried with backoff (1 s, then 2 s), then given up: about 3 s for the first two, one retry after 1 s for the silent one.
    const watchLog = path.join(home, '.epiloop-rescue', 'watch.log');
    const log = await until('every failing sink gave up on "main is down"', async () => {
      const text = await readFile(watchLog, 'utf8');
      return (text.match(/alert "main is down" to #\d .*? failed \(attempt \d of \d\): .*; giving up on it/g) ?? []).length === 3 ? text : undefined;
    }, 15_000);
    expect(log).toMatch(/alert "main is down" to #1 command exit … failed \(attempt 1 of 3\): exited with 1; retrying in 1 s\n/);
    expect(log).toMatch(/alert "main is down" to #1 command exit … failed \(attempt 2 of 3\): exited with 1; retrying in 2 s\n/);
    expect(log).toMatch(new RegExp(`alert "main is down" to #2 webhook http://\\*\\*\\*@127\\.0\\.0\\.1:${failing.port}/\\*\\*\\*\\?token=\\*\\*\\* failed \\(attempt 1 of 3\\): answered 500 Internal Server Error: broken on purpose; retrying in 1 s`));
    expect(log).toMatch(/#3 webhook \S+ failed \(attempt 1 of 2\): no answer within 1000 ms; retrying in 1 s\n/);
    expect(failing.received.length).toBeGreaterThanOrEqual(3);
    expect(rescueGateway.child.exitCode).toBeNull();

    const status = await runCli(['--profile', 'rescue', 'status', '--json'], { env });
    const test = await runCli(['--profile', 'rescue', 'watch', 'test'], { env });
    expect(test.code).toBe(1);
    expect(test.stdout).toContain(`✖ #2 webhook http://***@127.0.0.1:${failing.port}/***?token=***: answered 500 Internal Server Error: broken on purpose`);
    expect(test.stdout).toMatch(/✔ #4 command \S+ …: delivered in \d+ ms/);
    const everything = [log, rescueGateway.stdout(), rescueGateway.stderr(), status.stdout, status.stderr, test.stdout, test.stderr].join('\n');
    expect(everything).not.toMatch(/S3CRET|pw-/);
    expect(JSON.parse(status.stdout).watch.sinks[1]).toMatchObject({ failed: expect.any(Number), last: { ok: false, error: 'answered 500 Internal Server Error: broken on purpose' } });
  });
});

describe('a rescue that starts before the main it watches', { timeout: 60_000 }, () => {
  /** startGraceMs(INTERVAL): the 3 s floor. */
  const GRACE = 3000;

  it('start --all (rescue first) tells nothing while main starts, and a later crash is told as before', async () => {
    const { home, env } = await tempHome();
    const file = path.join(home, 'events.jsonl');
    const { rescue } = await pair(env, ['main'], { alerts: [recorder(file)] });
    try {
      const started = await runCli(['start', '--all', '--wait', '10'], { env, timeoutMs: 30_000 });
      expect(started.code, started.stdout + started.stderr).toBe(0);
      expect(started.stdout.indexOf('→ rescue')).toBeLessThan(started.stdout.indexOf('→ main'));
      await waitForWatch(rescue.base, 'main', (e) => e.state === 'up');
      // Past the grace: nothing was told about a main that was only starting.
      await new Promise((resolve) => setTimeout(resolve, GRACE + 2 * INTERVAL));
      expect(await titles(file)).toEqual([]);
      const stopped = await runCli(['--profile', 'main', 'stop'], { env });
      expect(stopped.code, stopped.stdout).toBe(0);
      await untilTitle(file, 'main is down');
      expect(await titles(file)).toEqual(['main is down']);
    } finally {
      await runCli(['stop', '--all'], { env });
    }
  });

  it('beside a main that stays down: shown down at once, told "down" only when the grace ends, restarted only then', async () => {
    const { env, rescue, restarts, file } = await watchedPair((file) => ({ restart: true, alerts: [recorder(file)] }));
    const rescueGateway = await startGateway(['--profile', 'rescue', 'gateway'], env);
    const startedAt = Date.now();
    try {
      const entry = await waitForWatch(rescue.base, 'main', (e) => e.state === 'down');
      expect(entry.finding).toMatch(/^gateway did not answer/);
      await new Promise((resolve) => setTimeout(resolve, GRACE - 1000 - (Date.now() - startedAt)));
      expect([await titles(file), await restarts()]).toEqual([[], []]);
      const told = await untilTitle(file, 'main is down', GRACE + 5000);
      expect(told.at - startedAt).toBeGreaterThanOrEqual(GRACE - 500);
      expect(told.event).toMatchObject({ state: 'down', previous: null, level: 'critical' });
      await until('a restart through the service', async () => ((await restarts()).length > 0 ? true : undefined), 5000);
    } finally {
      await stopGateway(rescueGateway);
    }
  });
});

describe('epiloop watch test', () => {
  it('exit 0 when every sink took the test, 2 without sinks (saying how to add one); --json lists each result', async () => {
    const { home, env } = await tempHome();
    const { rescue } = await pair(env);
    const none = await runCli(['--profile', 'rescue', 'watch', 'test'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('profile "rescue" has no alert sinks. Add one to "watch.alerts" in ~/.epiloop-rescue/epiloop.json, for example:');

    const receiver = await startReceiver();
    const file = path.join(home, 'events.jsonl');
    const { editConfig } = await import('./support');
    await editConfig(rescue, (c) => (c.watch.alerts = [recorder(file), { type: 'webhook', url: `${receiver.url}/t0pic`, preset: 'ntfy' }]));
    const ok = await runCli(['--profile', 'rescue', 'watch', 'test', '--json'], { env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      profile: 'rescue',
      ok: true,
      event: { kind: 'test', title: 'test alert from rescue' },
      results: [
        { sink: expect.stringMatching(/^#1 command /), type: 'command', ok: true, error: null },
        { sink: `#2 webhook ${receiver.url}/*** (ntfy)`, type: 'webhook', ok: true, error: null },
      ],
    });
    expect((await recorded(file))[0]!.env).toMatchObject({ EPILOOP_EVENT_KIND: 'test', EPILOOP_EVENT_PROFILE: 'rescue' });
    expect(receiver.received[0]!.headers.title).toBe('epiloop: test alert from rescue');
  });
});
