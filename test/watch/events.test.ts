import { describe, expect, it } from 'vitest';
import { fixFor, restartEvent, stateEvent, testEvent } from '../../src/core/watch/events';
import { changed, classify, nextStatus, silentChecks, wantsRestart, withSilence, type CheckFacts, type WatchedStatus } from '../../src/core/watch/state';
import { healthyMain, mainDown } from './fixtures/samples';

const healthy = healthyMain;
const refused: CheckFacts = { ...healthy, health: { answered: false, error: 'connection refused' }, running: null };
const silent: CheckFacts = { ...healthy, health: { answered: false, error: 'no answer within 500 ms', timedOut: true } };
const source = { from: 'rescue', host: 'box', now: Date.parse('2026-01-02T03:04:05.000Z') };
const main = { label: 'main', invocation: 'epiloop --profile main' };
const status = (facts: CheckFacts, previous?: WatchedStatus, at = 1000): WatchedStatus => nextStatus(previous, 'main', classify(facts), at);

describe('stateEvent', () => {
  const up = status(healthy);
  const down = status(refused, up, 2000);

  it('says nothing on a first check that finds the profile up, nor while a state holds', () => {
    expect(stateEvent(source, main, undefined, up, healthy)).toBeNull();
    expect(stateEvent(source, main, down, status(refused, down, 3000), refused)).toBeNull();
  });

  it('up → down: critical, the finding in words and the command that fixes it', () => {
    expect(stateEvent(source, main, up, down, refused)).toEqual(mainDown);
  });

  it('a first check that finds it down tells at once', () => {
    expect(stateEvent(source, main, undefined, down, refused)).toMatchObject({ level: 'critical', previous: null, title: 'main is down' });
  });

  it('down → up: info, "up again", ending the critical problem', () => {
    expect(stateEvent(source, main, down, status(healthy, down, 3000), healthy)).toMatchObject({ level: 'info', title: 'main is up again', fix: null, resolves: 'critical' });
  });

  it('up → degraded (not answering): warning, and its way out', () => {
    const hung: WatchedStatus = { ...up, state: 'degraded', hung: true, finding: 'pid 4242 holds 127.0.0.1:18789 but /health has not answered for 3 checks in a row' };
    expect(stateEvent(source, main, up, hung, silent)).toMatchObject({ level: 'warning', title: 'main is degraded (not answering)', notAnswering: true, fix: 'epiloop --profile main gateway restart' });
    expect(stateEvent(source, main, hung, status(healthy, hung, 5000), healthy)).toMatchObject({ level: 'info', resolves: 'warning' });
  });
});

describe('fixFor: the command that fixes what a check found', () => {
  const at = (facts: CheckFacts, extra: Partial<WatchedStatus> = {}) => fixFor({ ...status(facts), ...extra }, facts, 'epiloop --profile main');
  it('names setup, doctor --fix, a service restart, or running the gateway, by what was found', () => {
    expect(at(healthy)).toBeNull();
    expect(at({ ...refused, config: { state: 'missing', shown: '~/.epiloop-main/epiloop.json' } })).toBe('epiloop --profile main setup');
    expect(at({ ...refused, config: { state: 'invalid', message: 'x' } })).toBe('epiloop --profile main doctor --fix');
    expect(at({ ...refused, foreignHolders: ['18789 (gateway) is bound by nginx (pid 9)'] })).toBe('epiloop --profile main doctor --fix');
    expect(at(refused)).toBe('epiloop --profile main gateway restart');
    expect(at({ ...refused, service: null })).toBe('epiloop --profile main start');
    expect(at({ ...healthy, service: { installed: true, usable: true, state: 'inactive' } })).toBe('epiloop --profile main doctor');
    expect(at(silent, { state: 'degraded', hung: true })).toBe('epiloop --profile main gateway restart');
    expect(at({ ...silent, service: null }, { state: 'degraded', hung: true })).toBe('epiloop --profile main restart');
  });

  it('the default profile has no --profile flag', () => {
    expect(fixFor(status(refused), refused, 'epiloop')).toBe('epiloop gateway restart');
  });
});

describe('restartEvent and testEvent', () => {
  const down = status(refused, status(healthy), 2000);
  const context = { status: down, service: 'epiloop-gateway-main.service', detail: 'attempt 1 of 3 this hour' };
  it('each step of a restart: begun (warning), done (info, ending it), failed and refused (critical, with a fix)', () => {
    expect(restartEvent(source, main, 'started', context)).toMatchObject({
      kind: 'restart',
      outcome: 'started',
      level: 'warning',
      title: 'restarting main',
      finding: 'main is down (gateway did not answer on 127.0.0.1:18789: connection refused; service active); restarting epiloop-gateway-main.service, attempt 1 of 3 this hour',
      fix: null,
    });
    expect(restartEvent(source, main, 'succeeded', context)).toMatchObject({ level: 'info', resolves: 'warning', title: "restarted main's service" });
    expect(restartEvent(source, main, 'failed', { ...context, detail: 'Access denied' })).toMatchObject({
      level: 'critical',
      title: 'restart of main failed',
      finding: 'epiloop-gateway-main.service could not be restarted: Access denied',
      fix: 'epiloop --profile main gateway status',
    });
    expect(restartEvent(source, main, 'refused', { ...context, detail: '3 restarts in the last hour (limit 3)' })).toMatchObject({
      level: 'critical',
      title: 'main stays down: automatic restarts paused',
      fix: 'epiloop --profile main doctor',
    });
  });

  it('a test names the command that sent it', () => {
    expect(testEvent(source, 'epiloop --profile rescue')).toMatchObject({ kind: 'test', level: 'info', profile: 'rescue', title: 'test alert from rescue', finding: 'a test sent by "epiloop --profile rescue watch test": this sink works' });
  });
});

describe('a gateway that lives but does not answer', () => {
  it('counts silent checks in a row: its own live pid holds its port and /health timed out; anything else resets', () => {
    expect(silentChecks(0, silent)).toBe(1);
    expect(silentChecks(2, silent)).toBe(3);
    expect(silentChecks(2, healthy)).toBe(0);
    expect(silentChecks(2, refused)).toBe(0);
    expect(silentChecks(2, { ...silent, running: { pid: 4242, holdsPort: false } })).toBe(0);
    expect(silentChecks(2, { ...silent, health: { answered: false, error: 'GET /health answered 500' } })).toBe(0);
  });

  it('keeps its previous state until hungAfter checks, then is degraded (not answering); a first check counts it degraded', () => {
    const up = status(healthy);
    expect(withSilence(classify(silent), silent, 1, 3, up)).toEqual({
      state: 'up',
      finding: 'pid 4242 holds 127.0.0.1:18789 but /health did not answer (no answer within 500 ms); not answering after 3 checks in a row, this was 1',
    });
    expect(withSilence(classify(silent), silent, 1, 3, undefined).state).toBe('degraded');
    expect(withSilence(classify(silent), silent, 3, 3, up)).toEqual({
      state: 'degraded',
      hung: true,
      finding: 'pid 4242 holds 127.0.0.1:18789 but /health has not answered for 3 checks in a row (no answer within 500 ms)',
    });
    expect(withSilence(classify(refused), refused, 0, 3, up)).toEqual(classify(refused));
  });

  it('is restarted like a down one, at once, only through an installed, usable service', () => {
    const hung = nextStatus(status(healthy), 'main', withSilence(classify(silent), silent, 3, 3, status(healthy)), 2000);
    expect(changed(status(healthy), hung)).toBe(true);
    expect(wantsRestart(hung, silent)).toBe(true);
    expect(wantsRestart(hung, { ...silent, service: { installed: false, usable: true, state: 'not-installed' } })).toBe(false);
    expect(wantsRestart(hung, { ...silent, service: null })).toBe(false);
    // Silent but not yet hung: not restarted.
    expect(wantsRestart(nextStatus(status(healthy), 'main', withSilence(classify(silent), silent, 1, 3, status(healthy)), 2000), silent)).toBe(false);
  });
});
