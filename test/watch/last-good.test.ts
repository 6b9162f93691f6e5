import { describe, expect, it } from 'vitest';
import { rollbackEvent, stateEvent } from '../../src/core/watch/events';
import {
  badConfigKey,
  configChanged,
  isLiveConfig,
  parseLastGood,
  renderLastGood,
  rollbackCommand,
  wantsRollback,
  withLastGood,
  type LastGood,
} from '../../src/core/watch/last-good';
import { changed, classify, nextStatus, type CheckFacts, type WatchedStatus } from '../../src/core/watch/state';
import { healthyMain } from './fixtures/samples';

const GOOD = 'a'.repeat(64);
const BAD = 'b'.repeat(64);
const record: LastGood = { version: 1, sha256: GOOD, recordedAt: '2026-01-02T03:00:00.000Z', by: 'rescue', text: '{ "gateway": { "port": 18789 } }\n' };
const FIX = rollbackCommand('epiloop --profile rescue', 'main');
const lastGood = { sha256: GOOD, recordedAt: record.recordedAt };
const up: CheckFacts = { ...healthyMain, configSha256: GOOD, lastGood };
const downOnBad: CheckFacts = { ...healthyMain, health: { answered: false, error: 'connection refused' }, running: null, configSha256: BAD, lastGood };
const observe = (facts: CheckFacts) => withLastGood(classify(facts), facts, FIX);
const status = (facts: CheckFacts, previous?: WatchedStatus, at = 1000): WatchedStatus => nextStatus(previous, 'main', observe(facts), at);
const source = { from: 'rescue', host: 'box', now: Date.parse('2026-01-02T03:04:05.000Z') };
const main = { label: 'main', invocation: 'epiloop --profile main' };

describe('the last-known-good record', () => {
  it('reads back what it writes, and nothing that is not a whole record', () => {
    expect(parseLastGood(renderLastGood(record))).toEqual(record);
    expect(parseLastGood('{"version":1')).toBeNull();
    expect(parseLastGood(JSON.stringify({ ...record, version: 2 }))).toBeNull();
    expect(parseLastGood(JSON.stringify({ ...record, sha256: 'abc' }))).toBeNull();
    expect(parseLastGood(JSON.stringify({ ...record, recordedAt: 'yesterday' }))).toBeNull();
    expect(parseLastGood(JSON.stringify({ ...record, text: 42 }))).toBeNull();
    expect(parseLastGood('null')).toBeNull();
  });

  it('counts a config as live only when it was written no later than the gateway started', () => {
    const started = '2026-01-02T03:00:00.000Z';
    expect(isLiveConfig(Date.parse(started) - 1, started)).toBe(true);
    expect(isLiveConfig(Date.parse(started), started)).toBe(true);
    expect(isLiveConfig(Date.parse(started) + 1, started)).toBe(false);
    expect(isLiveConfig(0, 'not a time')).toBe(false);
  });

  it('names the rollback from the rescue, or on the profile itself', () => {
    expect(FIX).toBe('epiloop --profile rescue doctor --target main --rollback');
    expect(rollbackCommand('epiloop --profile main', null)).toBe('epiloop --profile main doctor --rollback');
    expect(rollbackCommand('epiloop --profile rescue', 'default')).toBe('epiloop --profile rescue doctor --target default --rollback');
  });
});

describe('withLastGood: a rollback offered', () => {
  it('when the profile is down on a config that differs from the last-known-good one', () => {
    expect(observe(downOnBad)).toEqual({
      state: 'down',
      finding: `gateway did not answer on 127.0.0.1:18789: connection refused; service active; its config changed since it was last healthy (${record.recordedAt})`,
      lastGood: { recordedAt: record.recordedAt, changed: true },
      rollback: FIX,
    });
  });

  it('when the config is broken, even while the old gateway still answers; and when the config is gone', () => {
    expect(observe({ ...up, configSha256: BAD, config: { state: 'invalid', message: 'bad' } })).toMatchObject({ state: 'degraded', rollback: FIX });
    expect(observe({ ...downOnBad, configSha256: null })).toMatchObject({ rollback: FIX });
    expect(badConfigKey({ configSha256: null })).toBe('missing');
  });

  it('never while it is up, down on the last-known-good config itself, not answering, with nothing recorded, or with a config not read', () => {
    expect(observe({ ...up, configSha256: BAD })).toEqual({ state: 'up', finding: 'gateway answers on 127.0.0.1:18789', lastGood: { recordedAt: record.recordedAt, changed: true } });
    expect(observe({ ...downOnBad, configSha256: GOOD }).rollback).toBeUndefined();
    expect(withLastGood({ state: 'degraded', hung: true, finding: 'silent' }, downOnBad, FIX).rollback).toBeUndefined();
    expect(observe({ ...downOnBad, lastGood: null })).toEqual(classify(downOnBad));
    const notRead = { ...downOnBad };
    delete notRead.configSha256;
    expect(configChanged(notRead)).toBe(false);
  });
});

describe('wantsRollback: automatic, once per bad config', () => {
  it('after two down checks in a row, not on the first (a start may be under way)', () => {
    const first = status(downOnBad);
    expect(wantsRollback(first, downOnBad, new Set())).toBe(false);
    const second = status(downOnBad, first, 2000);
    expect(wantsRollback(second, downOnBad, new Set())).toBe(true);
    expect(wantsRollback(second, downOnBad, new Set([BAD]))).toBe(false);
  });

  it('not when no rollback is offered, nor while degraded', () => {
    const down = status({ ...downOnBad, configSha256: GOOD }, status({ ...downOnBad, configSha256: GOOD }), 2000);
    expect(wantsRollback(down, downOnBad, new Set())).toBe(false);
    const broken = { ...up, configSha256: BAD, config: { state: 'invalid' as const, message: 'bad' } };
    expect(wantsRollback(status(broken, status(broken), 2000), broken, new Set())).toBe(false);
  });
});

describe('the alerts of a rollback', () => {
  it('a rollback newly offered while down is a change, told with the rollback as the fix', () => {
    const plainDown = status({ ...downOnBad, lastGood: null });
    const offered = status(downOnBad, plainDown, 2000);
    expect(changed(plainDown, offered)).toBe(true);
    expect(changed(offered, status(downOnBad, offered, 3000))).toBe(false);
    expect(stateEvent(source, main, plainDown, offered, downOnBad)).toMatchObject({ kind: 'state', level: 'critical', title: 'main is down after a config change', fix: FIX });
    expect(stateEvent(source, main, offered, status(downOnBad, offered, 3000), downOnBad)).toBeNull();
  });

  it('up → down on a changed config: one alert that names the rollback', () => {
    const healthy = status(up);
    expect(stateEvent(source, main, healthy, status(downOnBad, healthy, 2000), downOnBad)).toMatchObject({ state: 'down', previous: 'up', fix: FIX });
  });

  it('done, failed, refused: each with its level, words and fix', () => {
    const down = status(downOnBad, status(downOnBad), 2000);
    expect(rollbackEvent(source, main, 'succeeded', { status: down, detail: `the last-known-good config of ${record.recordedAt}`, restarted: 'epiloop-gateway-main.service', backup: '~/.epiloop-main/epiloop.json.20260102T030405000Z.bak' })).toMatchObject({
      kind: 'rollback',
      level: 'warning',
      outcome: 'succeeded',
      title: "rolled back main's config",
      finding: expect.stringMatching(/; restored the last-known-good config of 2026-01-02T03:00:00\.000Z and restarted epiloop-gateway-main\.service, the bad config kept as ~\/\.epiloop-main\/epiloop\.json\.20260102T030405000Z\.bak$/),
      fix: null,
    });
    // A rollback that changes who can reach the gateway ends on it (reachChange's words).
    const reach = "other machines can reach main's gateway with gateway.bind \"lan\": every port but /health demands the token";
    expect(rollbackEvent(source, main, 'succeeded', { status: down, detail: 'the last-known-good config of x', restarted: 'epiloop-gateway-main.service', backup: '~/x.bak', reach }).finding).toMatch(/; restored the last-known-good config of x and restarted epiloop-gateway-main\.service, the bad config kept as ~\/x\.bak; other machines can reach main's gateway with gateway\.bind "lan": every port but \/health demands the token$/);
    // No service to restart it: the config is rolled back, the gateway still down; the alert says so and what starts it.
    expect(rollbackEvent(source, main, 'succeeded', { status: down, detail: 'the last-known-good config of x', restarted: null, backup: '~/x.bak' })).toMatchObject({
      level: 'warning',
      outcome: 'succeeded',
      title: "rolled back main's config; main stays down until it is started",
      finding: expect.stringMatching(/; restored the last-known-good config of x, the bad config kept as ~\/x\.bak; no service of main is installed, so nothing starts its gateway on the restored config$/),
      fix: 'epiloop --profile main start',
    });
    expect(rollbackEvent(source, main, 'failed', { status: down, detail: 'disk full' })).toMatchObject({ level: 'critical', title: 'rollback of main failed', fix: FIX });
    expect(rollbackEvent(source, main, 'refused', { status: down, detail: 'the rescue does not roll back again' })).toMatchObject({
      level: 'critical',
      title: 'main stays down: no further rollback',
      fix: 'epiloop --profile main doctor',
    });
  });
});
