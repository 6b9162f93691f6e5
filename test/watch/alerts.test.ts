import { describe, expect, it } from 'vitest';
import type { AlertSink } from '../../src/core/config/schema';
import { validateConfig } from '../../src/core/config/schema';
import { eventEnv, eventText, idleSinkReport, rateDecision, retryDelay, sinkLabel, sinkWants, webhookBody, type AlertEvent } from '../../src/core/watch/alerts';
import { mainDown } from './fixtures/samples';

const HOUR = 3_600_000;

const down = mainDown;
const upAgain: AlertEvent = { ...down, level: 'info', state: 'up', previous: 'down', title: 'main is up again', finding: 'gateway answers on 127.0.0.1:18789', fix: null, resolves: 'critical' };
const command = (extra: Partial<AlertSink> = {}): AlertSink => ({ type: 'command', command: 'notify.sh', ...extra }) as AlertSink;

describe('sinkWants: levels', () => {
  it('gives a sink every event at or above its minLevel (default info)', () => {
    expect(sinkWants(command(), { ...down, level: 'info' })).toBe(true);
    expect(sinkWants(command({ minLevel: 'warning' }), { ...down, level: 'info', resolves: null })).toBe(false);
    expect(sinkWants(command({ minLevel: 'warning' }), { ...down, level: 'warning' })).toBe(true);
    expect(sinkWants(command({ minLevel: 'critical' }), { ...down, level: 'warning' })).toBe(false);
    expect(sinkWants(command({ minLevel: 'critical' }), down)).toBe(true);
  });

  it('gives a recovery to every sink that heard the problem it ends, whatever its own level', () => {
    expect(sinkWants(command({ minLevel: 'critical' }), upAgain)).toBe(true);
    expect(sinkWants(command({ minLevel: 'critical' }), { ...upAgain, resolves: 'warning' })).toBe(false);
  });

  it('gives a test to every sink', () => {
    expect(sinkWants(command({ minLevel: 'critical' }), { ...down, kind: 'test', level: 'info' })).toBe(true);
  });
});

describe('rateDecision', () => {
  it('sends while fewer than maxPerHour went out in the last hour, then holds back until the oldest is an hour old', () => {
    expect(rateDecision([], 0, 1)).toEqual({ send: true });
    expect(rateDecision([1000, 2000], 3000, 3)).toEqual({ send: true });
    expect(rateDecision([2000, 1000, 3000], 4000, 3)).toEqual({ send: false, retryAt: 1000 + HOUR });
    // Sends older than an hour no longer count.
    expect(rateDecision([0, 1000, 2000], HOUR + 500, 3)).toEqual({ send: true });
  });
});

it('retryDelay doubles from its base and stops at a minute', () => {
  expect([1, 2, 3, 4].map((n) => retryDelay(n))).toEqual([1000, 2000, 4000, 8000]);
  expect(retryDelay(3, 50)).toBe(200);
  expect(retryDelay(20)).toBe(60_000);
});

describe('webhookBody', () => {
  it('json: the event itself', () => {
    const body = webhookBody(down);
    expect(body.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(body.body)).toEqual(down);
  });

  it('ntfy: the finding and the fix as plain text, with Title, Priority and Tags headers', () => {
    expect(webhookBody(down, 'ntfy')).toEqual({
      headers: { 'Content-Type': 'text/plain; charset=utf-8', Title: 'epiloop: main is down', Priority: '5', Tags: 'rotating_light,epiloop' },
      body: 'gateway did not answer on 127.0.0.1:18789: connection refused; service active\nFix: epiloop --profile main gateway restart\n(rescue on box, 2026-01-02T03:04:05.000Z)',
    });
    expect(webhookBody(upAgain, 'ntfy').headers).toMatchObject({ Priority: '3', Tags: 'white_check_mark,epiloop' });
    expect(webhookBody({ ...down, level: 'warning' }, 'ntfy').headers.Priority).toBe('4');
    // node:http refuses headers outside Latin-1: they are replaced, never sent broken.
    expect(webhookBody({ ...down, title: 'main — down' }, 'ntfy').headers.Title).toBe('epiloop: main ? down');
  });

  it('slack: {"text"} in mrkdwn, with &, < and > escaped', () => {
    const { body } = webhookBody({ ...down, finding: 'a <b> & c' }, 'slack');
    expect(JSON.parse(body)).toEqual({ text: '*main is down*\na &lt;b&gt; &amp; c\nFix: `epiloop --profile main gateway restart`\n_rescue on box, 2026-01-02T03:04:05.000Z_' });
  });
});

it('eventEnv: every field as EPILOOP_EVENT_*, "" for none, plus the text', () => {
  expect(eventEnv(upAgain)).toEqual({
    EPILOOP_EVENT_KIND: 'state',
    EPILOOP_EVENT_LEVEL: 'info',
    EPILOOP_EVENT_FROM: 'rescue',
    EPILOOP_EVENT_HOST: 'box',
    EPILOOP_EVENT_PROFILE: 'main',
    EPILOOP_EVENT_STATE: 'up',
    EPILOOP_EVENT_PREVIOUS: 'down',
    EPILOOP_EVENT_NOT_ANSWERING: 'false',
    EPILOOP_EVENT_OUTCOME: '',
    EPILOOP_EVENT_TITLE: 'main is up again',
    EPILOOP_EVENT_FINDING: 'gateway answers on 127.0.0.1:18789',
    EPILOOP_EVENT_FIX: '',
    EPILOOP_EVENT_RESOLVES: 'critical',
    EPILOOP_EVENT_TIME: '2026-01-02T03:04:05.000Z',
    EPILOOP_EVENT_TEXT: eventText(upAgain),
  });
  expect(eventText(down)).toBe('main is down\ngateway did not answer on 127.0.0.1:18789: connection refused; service active\nFix: epiloop --profile main gateway restart\n(rescue on box, 2026-01-02T03:04:05.000Z)');
});

describe('sinkLabel', () => {
  it('names a webhook by its masked URL and preset, a command by its program only (its arguments may hold secrets)', () => {
    expect(sinkLabel({ type: 'webhook', url: 'https://ntfy.sh/s3cret', preset: 'ntfy' }, 0)).toBe('#1 webhook https://ntfy.sh/*** (ntfy)');
    expect(sinkLabel({ type: 'webhook', url: 'https://example.com/hook?key=abc' }, 1)).toBe('#2 webhook https://example.com/***?key=***');
    expect(sinkLabel({ type: 'command', command: 'curl -H "Authorization: Bearer xyz" https://x' }, 2)).toBe('#3 command curl …');
    expect(sinkLabel({ type: 'command', command: ['/usr/local/bin/page-me'] }, 3)).toBe('#4 command /usr/local/bin/page-me');
  });

  it('idleSinkReport: the defaults, nothing sent', () => {
    expect(idleSinkReport({ type: 'command', command: 'x' }, 0)).toEqual({
      sink: '#1 command x', type: 'command', minLevel: 'info', maxPerHour: 20, sent: 0, failed: 0, dropped: 0, limited: 0, queued: 0, last: null,
    });
  });
});

describe('watch.alerts in the config schema', () => {
  const withAlerts = (alerts: unknown, extra: Record<string, unknown> = {}) => validateConfig({ watch: { profiles: ['main'], alerts, ...extra } });

  it('takes command and webhook sinks with their options, and keeps keys it does not know', () => {
    const result = withAlerts([
      { type: 'command', command: ['notify.sh', '--loud'], minLevel: 'warning', maxPerHour: 5, timeoutMs: 2000, retries: 0, note: 'mine' },
      { type: 'webhook', url: 'https://ntfy.sh/topic', preset: 'ntfy' },
    ], { hungAfterChecks: 2 });
    expect(result.ok).toBe(true);
    expect(result.ok && result.config.watch?.alerts?.[0]).toMatchObject({ note: 'mine' });
  });

  it('refuses an unknown type, a non-HTTP URL, a bad level or limit, each said in words', () => {
    const problems = (alerts: unknown) => {
      const r = withAlerts(alerts);
      return r.ok ? [] : r.problems;
    };
    expect(problems([{ type: 'email', to: 'me' }])).toEqual([{ path: 'watch.alerts[0].type', value: '"email"', allowed: '"command" or "webhook"' }]);
    expect(problems([{ type: 'webhook', url: 'ftp://files.example.com/x' }])).toEqual([
      { path: 'watch.alerts[0].url', value: '"ftp://files.example.com/***"', allowed: 'an http:// or https:// URL, such as "https://ntfy.sh/<topic>"' },
    ]);
    expect(problems([{ type: 'command', command: 'x', minLevel: 'loud' }])[0]).toMatchObject({ path: 'watch.alerts[0].minLevel', allowed: '"info", "warning" or "critical"' });
    expect(problems([{ type: 'command', command: 'x', maxPerHour: 0 }])[0]).toMatchObject({ path: 'watch.alerts[0].maxPerHour', allowed: 'a whole number from 1 to 3600' });
    expect(problems([{ type: 'command', command: [] }])[0]).toMatchObject({ path: 'watch.alerts[0].command' });
    expect(validateConfig({ watch: { hungAfterChecks: 0 } })).toMatchObject({ ok: false, problems: [{ path: 'watch.hungAfterChecks', allowed: 'a whole number of checks from 1 to 100' }] });
  });

  it('never echoes a webhook secret in a schema error', () => {
    const r = withAlerts([{ type: 'webhook', url: 'ntfy.sh/s3cret-topic' }, { type: 'webhook', url: 'https://u:pw9@x.example/s3cret?k=tok9', preset: 'teams' }]);
    expect(r.ok).toBe(false);
    const text = JSON.stringify(r);
    for (const secret of ['s3cret', 'pw9', 'tok9']) expect(text).not.toContain(secret);
    expect(!r.ok && r.problems.map((p) => p.value)).toEqual(['"‹20 characters hidden›"', '"teams"']);
  });
});
