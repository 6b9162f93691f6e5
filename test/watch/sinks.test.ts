import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertSink } from '../../src/core/config/schema';
import { deliver, startSinks, type SinkRunner } from '../../src/host/watch/sinks';
import { tempHome } from '../helpers/home';
import { mainDown } from './fixtures/samples';
import { startReceiver, until } from './receiver';

const RECORD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'record-event.mjs');
const event = mainDown;
const recorder = (file: string, exit = 0): AlertSink => ({ type: 'command', command: [process.execPath, RECORD, file, String(exit)] });
const lines = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean).map((l) => JSON.parse(l));

const runners: SinkRunner[] = [];
function start(sinks: AlertSink[], home: string, extra: { queueSize?: number } = {}) {
  const log: string[] = [];
  const runner = startSinks({ sinks, env: { PATH: process.env.PATH, EPILOOP_PROFILE: 'rescue', EPILOOP_STATE_DIR: '/nowhere' }, cwd: home, log: (l) => log.push(l), retryBaseMs: 100, ...extra });
  runners.push(runner);
  return { runner, log };
}
afterEach(async () => {
  while (runners.length > 0) await runners.pop()!.stop(0);
});

describe('alert sinks (in process: real commands, a loopback webhook receiver)', () => {
  it('a command gets the event on stdin and as EPILOOP_EVENT_*, without the rescue\'s own EPILOOP_* keys; a webhook gets each preset\'s body; notify returns at once', async () => {
    const { home } = await tempHome();
    const file = path.join(home, 'events.jsonl');
    const receiver = await startReceiver();
    const { runner, log } = start(
      [recorder(file), { type: 'webhook', url: `${receiver.url}/json` }, { type: 'webhook', url: `${receiver.url}/ntfy-topic`, preset: 'ntfy' }, { type: 'webhook', url: `${receiver.url}/slack`, preset: 'slack' }],
      home,
    );
    const started = performance.now();
    expect(runner.notify(event)).toBe(4);
    expect(performance.now() - started).toBeLessThan(20);

    const [recorded] = await until('the command ran', async () => ((await lines(file)).length === 1 ? lines(file) : undefined));
    expect(recorded.event).toEqual(event);
    expect(recorded.env).toMatchObject({ EPILOOP_EVENT_KIND: 'state', EPILOOP_EVENT_PROFILE: 'main', EPILOOP_EVENT_STATE: 'down', EPILOOP_EVENT_PREVIOUS: 'up', EPILOOP_EVENT_LEVEL: 'critical', EPILOOP_EVENT_FINDING: event.finding, EPILOOP_EVENT_FIX: event.fix, EPILOOP_EVENT_TIME: event.time });
    expect(recorded.env.EPILOOP_PROFILE).toBeUndefined();
    expect(recorded.env.EPILOOP_STATE_DIR).toBeUndefined();

    await until('three webhooks', () => (receiver.received.length === 3 ? true : undefined));
    const by = (p: string) => receiver.received.find((r) => r.path === p)!;
    expect(JSON.parse(by('/json').body)).toEqual(event);
    expect(by('/ntfy-topic').headers).toMatchObject({ title: 'epiloop: main is down', priority: '5', tags: 'rotating_light,epiloop' });
    expect(by('/ntfy-topic').body).toBe(`${event.finding}\nFix: ${event.fix}\n(rescue on box, ${event.time})`);
    expect(JSON.parse(by('/slack').body).text).toContain('*main is down*');
    await until('all reported sent', () => (runner.report().every((r) => r.sent === 1 && r.queued === 0) ? true : undefined));
    expect(runner.report()[0]!.last).toMatchObject({ ok: true, title: 'main is down', attempts: 1, error: null });
    expect(log.filter((l) => l.startsWith('alert "main is down" sent to'))).toHaveLength(4);
  });

  it('retries a command that exits 1 and a webhook that answers 500 with doubling waits, logs each failed attempt once, then gives up', async () => {
    const { home } = await tempHome();
    const file = path.join(home, 'events.jsonl');
    const receiver = await startReceiver(500);
    const { runner, log } = start([{ ...recorder(file, 1), retries: 2 }, { type: 'webhook', url: `${receiver.url}/hook`, retries: 2 }], home);
    runner.notify(event);
    await until('both gave up', () => (runner.report().every((r) => r.failed === 1) ? true : undefined));
    // Three attempts each, 100 ms then 200 ms apart (the base the test sets; 1 s in the gateway).
    const attempts = (await lines(file)).map((l) => l.at);
    expect(attempts).toHaveLength(3);
    expect(receiver.received).toHaveLength(3);
    for (const times of [attempts, receiver.received.map((r) => r.at)]) {
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(95);
      expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(195);
    }
    expect(log.filter((l) => l.includes('#1 command'))).toEqual([
      expect.stringMatching(/^alert "main is down" to #1 command \S+ … failed \(attempt 1 of 3\): exited with 1; retrying in 100 ms$/),
      expect.stringMatching(/failed \(attempt 2 of 3\): exited with 1; retrying in 200 ms$/),
      expect.stringMatching(/failed \(attempt 3 of 3\): exited with 1; giving up on it$/),
    ]);
    expect(log.filter((l) => l.includes('#2 webhook'))[0]).toBe(`alert "main is down" to #2 webhook ${receiver.url}/*** failed (attempt 1 of 3): answered 500 Internal Server Error: broken on purpose; retrying in 100 ms`);
    expect(runner.report()[1]).toMatchObject({ sent: 0, failed: 1, last: { ok: false, attempts: 3, error: 'answered 500 Internal Server Error: broken on purpose' } });
  });

  it('a webhook that never answers and a command that never exits time out (its whole process group killed); the other sinks are not held up', async () => {
    const { home } = await tempHome();
    const file = path.join(home, 'events.jsonl');
    const pidFile = path.join(home, 'grandchild.pid');
    const hanging = await startReceiver('never');
    const { runner, log } = start(
      [
        { type: 'webhook', url: `${hanging.url}/hang`, timeoutMs: 300, retries: 0 },
        { type: 'command', command: `sleep 30 & echo $! > ${pidFile}; wait`, timeoutMs: 300, retries: 0 },
        recorder(file),
      ],
      home,
    );
    runner.notify(event);
    await until('the recorder ran', async () => ((await lines(file)).length === 1 ? true : undefined), 2000);
    await until('both timed out', () => (runner.report()[0]!.failed === 1 && runner.report()[1]!.failed === 1 ? true : undefined), 3000);
    expect(log).toContain(`alert "main is down" to #1 webhook ${hanging.url}/*** failed (attempt 1 of 1): no answer within 300 ms; giving up on it`);
    expect(log.some((l) => l.includes('#2 command sleep … failed (attempt 1 of 1): no exit within 300 ms; its process group was killed'))).toBe(true);
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    await until('the command\'s background child is gone', () => {
      try {
        process.kill(grandchild, 0);
        return undefined;
      } catch {
        return true;
      }
    }, 2000);
  });

  it('a sink that is behind drops its oldest queued alert, counted in the log and the report; the rate limit holds back and says so once', async () => {
    const { home } = await tempHome();
    const hanging = await startReceiver('never');
    const slow = start([{ type: 'webhook', url: `${hanging.url}/slow`, timeoutMs: 2000, retries: 0 }], home, { queueSize: 2 });
    slow.runner.notify({ ...event, title: 'one' });
    await until('"one" under way', () => (hanging.received.length === 1 ? true : undefined));
    for (const title of ['two', 'three', 'four']) slow.runner.notify({ ...event, title });
    // "one" is being delivered; "two" and "three" waited; "four" pushed "two" out.
    expect(slow.log).toEqual(['#1 webhook http://127.0.0.1:' + hanging.port + '/*** is behind (2 alerts waiting): dropped the oldest, "two"; 1 dropped so far']);
    expect(slow.runner.report()[0]).toMatchObject({ dropped: 1, queued: 3 });

    const { home: home2 } = await tempHome();
    const limited = start([{ ...recorder(path.join(home2, 'e.jsonl')), maxPerHour: 2 }], home2);
    expect([1, 2, 3, 4].map(() => limited.runner.notify(event))).toEqual([1, 1, 0, 0]);
    expect(limited.log.filter((l) => l.includes('its limit of 2 per hour is reached'))).toHaveLength(1);
    expect(limited.runner.report()[0]!.limited).toBe(2);
  });

  it('stop() abandons what waits and kills a command still running, within its grace', async () => {
    const { home } = await tempHome();
    const { runner, log } = start([{ type: 'command', command: 'sleep 30', timeoutMs: 60_000 }], home);
    runner.notify(event);
    // The first is under way (the worker starts on the next turn), the second waits behind it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    runner.notify({ ...event, title: 'second' });
    const started = Date.now();
    await runner.stop(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(log).toContain('1 alert to #1 command sleep … not sent: the watching gateway stopped');
    expect(runner.notify(event)).toBe(0);
  });

  it('never shows a webhook\'s secrets: not in the log, the report, nor an error', async () => {
    const { home } = await tempHome();
    const receiver = await startReceiver(500);
    const url = `http://alice:pw-S3CRET-1@127.0.0.1:${receiver.port}/topic-S3CRET-2?token=S3CRET-3`;
    const { runner, log } = start([{ type: 'webhook', url, retries: 1 }], home);
    runner.notify(event);
    await until('given up', () => (runner.report()[0]!.failed === 1 ? true : undefined));
    // A dead port: the error message names only host and port.
    const refused = await deliver({ type: 'webhook', url: 'http://u:S3CRET-4@127.0.0.1:9/S3CRET-5' }, event, { env: {}, cwd: home });
    const everything = JSON.stringify({ log, report: runner.report(), refused });
    expect(everything).not.toMatch(/S3CRET|alice/);
    expect(log[0]).toContain(`#1 webhook http://***@127.0.0.1:${receiver.port}/***?token=***`);
    expect(receiver.received[0]!.headers.authorization).toBe(`Basic ${Buffer.from('alice:pw-S3CRET-1').toString('base64')}`);
  });

  it("never quotes a command sink's arguments back from its stderr (hostile pass: exited with 3: token=ARGSECRET)", async () => {
    const { home } = await tempHome();
    const listed = await deliver({ type: 'command', command: ['/bin/sh', '-c', 'echo token=ARGSECRET "$0" >&2; exit 3', 'ARGSECRET2'] }, event, { env: {}, cwd: home });
    expect(listed.ok).toBe(false);
    expect(JSON.stringify(listed)).not.toMatch(/ARGSECRET/);
    expect(listed).toMatchObject({ error: expect.stringMatching(/^exited with 3: /) });
    const line = await deliver({ type: 'command', command: 'sh -c "echo key=LINESECRET >&2; exit 4"' }, event, { env: {}, cwd: home });
    expect(JSON.stringify(line)).not.toMatch(/LINESECRET/);
    expect(line).toMatchObject({ ok: false, error: expect.stringMatching(/^exited with 4: /) });
  });

  it('never quotes a webhook\'s own secrets back from a server that echoes its request (path, query, user, the Authorization value)', async () => {
    const { home } = await tempHome();
    const server = http.createServer((req, res) => {
      res.statusMessage = `Bad ${req.url}`;
      res.writeHead(500);
      res.end(`seen ${req.url} auth=${req.headers.authorization} user=alice-S3CRET-0 ${decodeURIComponent(req.url ?? '')}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const url = `http://alice-S3CRET-0:pw-S3CRET-1@127.0.0.1:${port}/api/topic-S3CRET-2?auth=S3CRET-3%21&S3CRET-4`;
      const result = await deliver({ type: 'webhook', url, retries: 0 }, event, { env: {}, cwd: home });
      expect(result.ok).toBe(false);
      const error = result.ok ? '' : result.error;
      expect(error).toMatch(/^answered 500 Bad \/api\/\*\*\*\?auth=\*\*\*&\*\*\*: seen /);
      expect(error).not.toMatch(/S3CRET/);
      expect(error).not.toContain(Buffer.from('alice-S3CRET-0:pw-S3CRET-1').toString('base64'));
      expect(error).toContain('auth=Basic ***');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
