import { describe, expect, it } from 'vitest';
import { changed, classify, DEFAULT_RESTART_POLICY, HOUR_MS, isSilent, jittered, nextStatus, restartDecision, silentChecks, startGraceMs, wantsRestart, watchReport, lastRollbackWords, withSilence, type CheckFacts } from '../../src/core/watch/state';

const healthy: CheckFacts = {
  profile: 'main',
  config: { state: 'ok' },
  gatewayAddress: '127.0.0.1:18789',
  health: { answered: true, profile: 'main' },
  foreignHolders: [],
  service: null,
};

describe('classify', () => {
  it('is up when the gateway answers as itself', () => {
    expect(classify(healthy)).toEqual({ state: 'up', finding: 'gateway answers on 127.0.0.1:18789' });
  });

  it('is down when the gateway does not answer, saying where it asked', () => {
    const o = classify({ ...healthy, health: { answered: false, error: 'connection refused' }, service: { installed: true, usable: true, state: 'failed' } });
    expect(o.state).toBe('down');
    expect(o.finding).toBe('gateway did not answer on 127.0.0.1:18789: connection refused; service failed');
  });

  it('names the file and line of a broken config, degraded while the old gateway still runs', () => {
    const broken = { ...healthy, config: { state: 'invalid' as const, message: '~/.epiloop-main/epiloop.json:3:1: not valid JSON5' } };
    expect(classify(broken).state).toBe('degraded');
    expect(classify({ ...broken, health: { answered: false, error: 'refused' } })).toEqual({
      state: 'down',
      finding: 'config is broken: ~/.epiloop-main/epiloop.json:3:1: not valid JSON5',
    });
  });

  it('is degraded when another process holds a port or another profile answers', () => {
    expect(classify({ ...healthy, foreignHolders: ['18791 bound by nginx (pid 4)'] }).finding).toBe('18791 bound by nginx (pid 4)');
    expect(classify({ ...healthy, health: { answered: true, profile: 'rescue' } }).state).toBe('degraded');
  });

  it('is down for a profile with no config, saying where the config should be', () => {
    expect(classify({ ...healthy, config: { state: 'missing', shown: '~/.epiloop-ghost/epiloop.json' }, gatewayAddress: null, health: null })).toEqual({
      state: 'down',
      finding: 'profile "main" is not set up: no config at ~/.epiloop-ghost/epiloop.json',
    });
  });

  it('names a foreign holder of its ports when it is down', () => {
    const o = classify({ ...healthy, health: { answered: false, error: 'GET /health answered 401 without a gateway report' }, foreignHolders: ['21002 (gateway) is bound by node (pid 9) on 127.0.0.1'] });
    expect(o).toEqual({
      state: 'down',
      finding: 'gateway did not answer on 127.0.0.1:18789: GET /health answered 401 without a gateway report; 21002 (gateway) is bound by node (pid 9) on 127.0.0.1',
    });
  });
});

describe('classify, finding by finding', () => {
  it('says a running gateway still answers when its config is broken, and not when none answers', () => {
    const broken = { ...healthy, config: { state: 'invalid' as const, message: 'bad' } };
    expect(classify(broken)).toEqual({ state: 'degraded', finding: 'config is broken: bad (the running gateway still answers)' });
    expect(classify({ ...broken, health: null })).toEqual({ state: 'down', finding: 'config is broken: bad' });
  });

  it('is down with no gateway address when no base is known', () => {
    expect(classify({ ...healthy, gatewayAddress: null, health: null })).toEqual({ state: 'down', finding: 'gateway did not answer on ?: no gateway address' });
  });

  it('names a config its gateway refuses as why it does not answer, in place of the probe\'s socket error; an answering gateway stays up', () => {
    const refused = 'gateway.bind is "10.9.9.9", not an address of this host. Fix: set gateway.bind to an address of this host ("loopback" or "lan"): epiloop config set gateway.bind loopback';
    const o = classify({ ...healthy, gatewayAddress: '10.9.9.9:18789', health: { answered: false, error: 'connect ENETUNREACH 10.9.9.9:18789 - Local (0.0.0.0:0)' }, refused });
    expect(o).toEqual({ state: 'down', finding: `gateway did not answer on 10.9.9.9:18789: ${refused}` });
    expect(classify({ ...healthy, refused }).state).toBe('up');
  });

  it('leaves out a service that is not installed', () => {
    const o = classify({ ...healthy, health: { answered: false, error: 'refused' }, service: { installed: false, usable: true, state: 'inactive' } });
    expect(o.finding).toBe('gateway did not answer on 127.0.0.1:18789: refused');
  });

  it('names the profile that answers instead, or "?" when it gives none', () => {
    expect(classify({ ...healthy, health: { answered: true, profile: 'rescue' } })).toEqual({
      state: 'degraded',
      finding: '127.0.0.1:18789 answers as profile "rescue", not "main"',
    });
    expect(classify({ ...healthy, health: { answered: true, profile: null } }).finding).toBe('127.0.0.1:18789 answers as profile "?", not "main"');
  });

  it('is degraded when a foreign process holds a port, and when its installed service is not active', () => {
    expect(classify({ ...healthy, foreignHolders: ['18791 bound by nginx (pid 4)'] })).toEqual({ state: 'degraded', finding: '18791 bound by nginx (pid 4)' });
    expect(classify({ ...healthy, service: { installed: true, usable: true, state: 'failed' } })).toEqual({
      state: 'degraded',
      finding: 'gateway answers, but its service is failed',
    });
    expect(classify({ ...healthy, service: { installed: true, usable: true, state: 'active' } }).state).toBe('up');
    expect(classify({ ...healthy, service: { installed: false, usable: true, state: 'inactive' } }).state).toBe('up');
  });

  it('says what is left of its lock when no gateway of it runs, and nothing of a lock otherwise', () => {
    const lock = 'gateway.lock is a copy of profile main\'s';
    expect(classify({ ...healthy, health: { answered: false, error: 'refused' }, lock })).toEqual({
      state: 'down',
      finding: `gateway did not answer on 127.0.0.1:18789: refused; not running; ${lock}`,
    });
    expect(classify({ ...healthy, health: { answered: true, profile: 'rescue' }, lock }).finding).toBe(`127.0.0.1:18789 answers as profile "rescue", not "main"; not running; ${lock}`);
    expect(classify({ ...healthy, health: { answered: false, error: 'refused' } }).finding).toBe('gateway did not answer on 127.0.0.1:18789: refused');
  });

  it('is not degraded by a unit file no usable manager runs (systemd did not boot the host): status and doctor call it no problem either', () => {
    expect(classify({ ...healthy, service: { installed: true, usable: false, state: 'unknown' } })).toEqual({ state: 'up', finding: 'gateway answers on 127.0.0.1:18789' });
  });
});

describe('changed', () => {
  it('is a change on the first check and when the state differs, not when only the finding does', () => {
    const up = nextStatus(undefined, 'main', { state: 'up', finding: 'x' }, 1000);
    expect(changed(undefined, up)).toBe(true);
    expect(changed(up, nextStatus(up, 'main', { state: 'up', finding: 'y' }, 2000))).toBe(false);
    expect(changed(up, nextStatus(up, 'main', { state: 'down', finding: 'x' }, 2000))).toBe(true);
  });
});

describe('nextStatus', () => {
  it('keeps since while the state holds and resets it on a change', () => {
    const a = nextStatus(undefined, 'main', { state: 'up', finding: 'x' }, 1000);
    const b = nextStatus(a, 'main', { state: 'up', finding: 'y' }, 2000);
    const c = nextStatus(b, 'main', { state: 'down', finding: 'z' }, 3000);
    expect([a.since, b.since, c.since]).toEqual([1000, 1000, 3000]);
    expect(c.checkedAt).toBe(3000);
  });
});

describe('restartDecision', () => {
  const hour = 3_600_000;
  it('restarts the first time', () => {
    expect(restartDecision([], 0, DEFAULT_RESTART_POLICY)).toEqual({ restart: true });
  });

  it('backs off exponentially between attempts', () => {
    const policy = { maxPerHour: 10, baseBackoffMs: 1000, maxBackoffMs: 60_000 };
    expect(restartDecision([0], 500, policy).restart).toBe(false);
    expect(restartDecision([0], 1000, policy).restart).toBe(true);
    expect(restartDecision([0, 1000], 2500, policy).restart).toBe(false); // waits 2 s now
    expect(restartDecision([0, 1000], 3000, policy).restart).toBe(true);
  });

  it('says why it waits, and until when', () => {
    const policy = { maxPerHour: 10, baseBackoffMs: 30_000, maxBackoffMs: 15 * 60_000 };
    expect(restartDecision([0, 40_000], 50_000, policy)).toEqual({ restart: false, limit: 'backoff', reason: 'backing off 60 s after the last restart', retryAt: 100_000 });
    // The wait doubles per restart in the last hour, up to the cap.
    const many = [0, 1, 2, 3, 4, 5, 6];
    expect(restartDecision(many, 100_000, policy)).toEqual({ restart: false, limit: 'backoff', reason: 'backing off 900 s after the last restart', retryAt: 6 + 900_000 });
  });

  it('counts only the restarts of the last hour, and words one and several', () => {
    const policy = { maxPerHour: 1, baseBackoffMs: 1, maxBackoffMs: 1 };
    expect(restartDecision([1000], 1000 + HOUR_MS - 1, policy)).toEqual({ restart: false, limit: 'hourly', reason: '1 restart in the last hour (limit 1)', retryAt: 1000 + HOUR_MS });
    expect(restartDecision([1000], 1000 + HOUR_MS, policy)).toEqual({ restart: true });
    expect(restartDecision([0, 10], 20, { ...policy, maxPerHour: 2 })).toMatchObject({ reason: '2 restarts in the last hour (limit 2)' });
  });

  it('stops at the hourly limit and says when it may try again', () => {
    const d = restartDecision([0, hour / 3, hour / 2], hour - 1, { ...DEFAULT_RESTART_POLICY, maxPerHour: 3 });
    expect(d).toMatchObject({ restart: false, retryAt: hour });
    expect(restartDecision([0, hour / 3, hour / 2], hour + 1, { maxPerHour: 3, baseBackoffMs: 1, maxBackoffMs: 1 }).restart).toBe(true);
  });
});

describe('watchReport', () => {
  it('lists every watched profile in order, pending until its first check, with ISO times', () => {
    const main = nextStatus(undefined, 'main', { state: 'up', finding: 'ok' }, Date.parse('2026-01-02T03:04:05.000Z'));
    expect(watchReport(['main', 'default'], new Map([['main', main]]))).toEqual([
      { profile: 'main', state: 'up', since: '2026-01-02T03:04:05.000Z', checkedAt: '2026-01-02T03:04:05.000Z', finding: 'ok', notAnswering: false, lastAlert: null, lastRestart: null, lastGood: null, rollback: null, lastRollback: null },
      { profile: 'default', state: 'pending', since: null, checkedAt: null, finding: 'the first check is running', notAnswering: false, lastAlert: null, lastRestart: null, lastGood: null, rollback: null, lastRollback: null },
    ]);
  });

  it("words the last rollback as status prints it: one that left the gateway down for want of a service says so and how to start it, not that it succeeded", () => {
    const time = '2026-01-02T03:04:05.000Z';
    const report = (state: 'up' | 'down', fix: string | null, outcome: 'succeeded' | 'failed' = 'succeeded') =>
      watchReport(['main'], new Map([['main', nextStatus(undefined, 'main', { state, finding: 'x' }, 1)]]), new Map([['main', { lastAlert: null, lastRestart: null, lastRollback: { time, outcome, detail: 'x', fix } }]]))[0]!;
    expect(lastRollbackWords(report('down', null))).toBe(`last rollback of main: succeeded at ${time}`);
    expect(lastRollbackWords(report('down', 'epiloop --profile main start'))).toBe(`last rollback of main: config restored at ${time}, but no service starts main on it; start it: epiloop --profile main start`);
    // Started since: the command is no longer to do.
    expect(lastRollbackWords(report('up', 'epiloop --profile main start'))).toBe(`last rollback of main: config restored at ${time}, but no service starts main on it`);
    expect(lastRollbackWords(report('down', 'epiloop --profile rescue doctor --target main --rollback', 'failed'))).toBe(`last rollback of main: failed at ${time}`);
    expect(lastRollbackWords(watchReport(['main'], new Map())[0]!)).toBeNull();
  });
});

describe('wantsRestart', () => {
  const down = { ...healthy, health: { answered: false as const, error: 'refused' }, service: { installed: true, usable: true, state: 'failed' } };
  const first = nextStatus(undefined, 'main', classify(down), 1000);
  const second = nextStatus(first, 'main', classify(down), 2000);
  it('waits for a second down check in a row', () => {
    expect(wantsRestart(first, down)).toBe(false);
    expect(wantsRestart(second, down)).toBe(true);
  });
  it('never restarts without an installed, usable service, or with a config the gateway cannot start with', () => {
    expect(wantsRestart(second, { ...down, service: null })).toBe(false);
    expect(wantsRestart(second, { ...down, service: { installed: false, usable: true, state: 'not-installed' } })).toBe(false);
    expect(wantsRestart(second, { ...down, service: { installed: true, usable: false, state: 'unknown' } })).toBe(false);
    expect(wantsRestart(second, { ...down, config: { state: 'invalid', message: 'x' } })).toBe(false);
  });
  it('never restarts a profile that is not down', () => {
    const degraded = nextStatus(nextStatus(undefined, 'main', { state: 'degraded', finding: 'x' }, 1000), 'main', { state: 'degraded', finding: 'x' }, 2000);
    expect(wantsRestart(degraded, down)).toBe(false);
  });
});

it('jitters within ±10 %', () => {
  expect(jittered(10_000, () => 0)).toBe(9000);
  expect(jittered(10_000, () => 1)).toBe(11_000);
});

describe('a gateway that runs but is not answering', () => {
  const mismatch = '127.0.0.1:18789 serves 18800, not the 18789 of its config: run epiloop --profile main restart';
  const silent: CheckFacts = { ...healthy, health: { answered: false, error: 'timed out after 2 s', timedOut: true }, running: { pid: 4242, holdsPort: true } };
  const down = classify(silent);

  it('classifies a gateway serving other ports than its config by whether it answers there', () => {
    expect(classify({ ...healthy, mismatch })).toEqual({ state: 'degraded', finding: mismatch });
    expect(classify({ ...healthy, mismatch, health: { answered: false, error: 'refused' } })).toEqual({ state: 'down', finding: mismatch });
    expect(classify({ ...healthy, mismatch, health: null })).toEqual({ state: 'down', finding: mismatch });
  });

  it('is silent only when its own live gateway holds the port of a readable config and /health timed out', () => {
    expect(isSilent(silent)).toBe(true);
    expect(isSilent({ ...silent, config: { state: 'invalid', message: 'x' } })).toBe(false);
    expect(isSilent({ ...silent, running: { pid: 4242, holdsPort: false } })).toBe(false);
    expect(isSilent({ ...silent, running: null })).toBe(false);
    expect(isSilent({ ...silent, health: { answered: false, error: 'refused' } })).toBe(false);
    expect(isSilent({ ...silent, health: { answered: true, profile: 'main' } })).toBe(false);
    expect(isSilent({ ...silent, health: null })).toBe(false);
  });

  it('counts silent checks in a row; any other check starts again from 0', () => {
    expect(silentChecks(0, silent)).toBe(1);
    expect(silentChecks(2, silent)).toBe(3);
    expect(silentChecks(2, healthy)).toBe(0);
  });

  it('keeps the check as classified when it was not silent, or nothing runs, or the gateway answered', () => {
    expect(withSilence(down, silent, 0, 3, undefined)).toBe(down);
    expect(withSilence(down, { ...silent, running: null }, 2, 3, undefined)).toBe(down);
    const up = classify(healthy);
    expect(withSilence(up, { ...healthy, running: { pid: 4242, holdsPort: true } }, 2, 3, undefined)).toBe(up);
    expect(withSilence(down, { ...silent, health: null }, 2, 3, undefined)).toBe(down);
  });

  it('keeps the previous state before the count is reached, degraded on a first check', () => {
    const before = nextStatus(undefined, 'main', { state: 'up', finding: 'ok' }, 1000);
    expect(withSilence(down, silent, 1, 3, before)).toEqual({
      state: 'up',
      finding: 'pid 4242 holds 127.0.0.1:18789 but /health did not answer (timed out after 2 s); not answering after 3 checks in a row, this was 1',
    });
    expect(withSilence(down, silent, 1, 3, undefined).state).toBe('degraded');
  });

  it('is degraded (not answering) once silent for the count, in words for one check and several', () => {
    expect(withSilence(down, silent, 1, 1, undefined)).toEqual({
      state: 'degraded',
      hung: true,
      finding: 'pid 4242 holds 127.0.0.1:18789 but /health has not answered for 1 check in a row (timed out after 2 s)',
    });
    expect(withSilence(down, { ...silent, gatewayAddress: null }, 3, 3, undefined)).toEqual({
      state: 'degraded',
      hung: true,
      finding: 'pid 4242 holds its port but /health has not answered for 3 checks in a row (timed out after 2 s)',
    });
  });

  it('is a change when it stops or starts answering, and when a rollback is newly offered', () => {
    const degraded = nextStatus(undefined, 'main', { state: 'degraded', finding: 'x' }, 1000);
    const hung = nextStatus(degraded, 'main', { state: 'degraded', finding: 'x', hung: true }, 2000);
    expect(changed(degraded, hung)).toBe(true);
    expect(changed(hung, degraded)).toBe(true);
    expect(changed(hung, nextStatus(hung, 'main', { state: 'degraded', finding: 'y', hung: true }, 3000))).toBe(false);
    const down1 = nextStatus(undefined, 'main', { state: 'down', finding: 'x' }, 1000);
    const offered = nextStatus(down1, 'main', { state: 'down', finding: 'x', rollback: 'epiloop --profile main rollback' }, 2000);
    expect(changed(down1, offered)).toBe(true);
    expect(changed(offered, nextStatus(offered, 'main', { state: 'down', finding: 'x', rollback: 'epiloop --profile main rollback' }, 3000))).toBe(false);
    expect(changed(offered, nextStatus(offered, 'main', { state: 'down', finding: 'x' }, 3000))).toBe(false);
  });

  it('is reported as not answering', () => {
    const hung = nextStatus(undefined, 'main', { state: 'degraded', finding: 'x', hung: true }, 1000);
    expect(watchReport(['main'], new Map([['main', hung]]))[0]!.notAnswering).toBe(true);
  });
});

it('startGraceMs: two intervals, never under 3 s (a gateway starting) nor over 30 s (a main that is really down waits no longer)', () => {
  expect([200, 1000, 1500, 1501, 2000, 10_000, 15_000, 15_001, 3_600_000].map(startGraceMs)).toEqual([3000, 3000, 3000, 3002, 4000, 20_000, 30_000, 30_000, 30_000]);
});
