/** The pure parts of list and top: the gateway's state, the words of a row, the backup's time, the layout. */
import { describe, expect, it } from 'vitest';
import { backupFile, backupTime } from '../../src/core/profile/identity';
import { topLayout } from '../../src/core/top/layout';
import { topKeyOf } from '../../src/core/top/keys';
import { initialTop, topReducer, type View } from '../../src/core/top/state';
import { backupWords, gatewayState, uptimeWords } from '../../src/core/top/row';
import type { GatewayMismatch } from '../../src/core/host/rules';

const live = (over: Partial<Parameters<typeof gatewayState>[0]> = {}) => ({ running: true, pid: 7, uptimeMs: 1000, health: 'answered' as const, detail: null, ...over });
const mismatch: GatewayMismatch = { says: 'the config', base: 18999, serves: 18789, pid: 7, since: '2026-01-01T00:00:00.000Z', text: 'x' };

describe('gatewayState', () => {
  it('is up only when it runs, answers and serves its base; degraded when silent or elsewhere; down when not running', () => {
    expect(gatewayState(live(), null)).toBe('up');
    expect(gatewayState(live({ health: 'no answer' }), null)).toBe('degraded');
    expect(gatewayState(live(), mismatch)).toBe('degraded');
    expect(gatewayState(live({ running: false, pid: null, health: null }), null)).toBe('down');
  });
});

describe('words', () => {
  it('uptime keeps its seconds for the first minute only', () => {
    expect([0, 42_000, 59_999, 60_000, 192_000, 7_500_000].map(uptimeWords)).toEqual(['0s', '42s', '59s', '1m', '3m', '2h 05m']);
  });

  it('a backup\'s time is read back from the name backupFile gave it; other names have none', () => {
    const at = new Date('2026-11-25T07:35:00.123Z');
    expect(backupTime('epiloop.json', backupFile('epiloop.json', at))).toBe(at.toISOString());
    expect(backupTime('epiloop.json', 'epiloop.json.bak')).toBeNull();
    expect(backupTime('epiloop.json', backupFile('other.json', at))).toBeNull();
    expect(backupWords(at.toISOString(), at.getTime() + 3 * 3_600_000 + 5 * 60_000)).toBe('3h ago');
    expect(backupWords(null, 0)).toBe('never');
  });
});

describe('topLayout', () => {
  it('never plans more rows than the terminal has, keeps the selected profile in sight, and gives up the log before the port map', () => {
    for (let rows = 1; rows <= 40; rows++) {
      for (const profiles of [1, 3, 12]) {
        for (const selected of [0, profiles - 1]) {
          const l = topLayout(rows, profiles, selected, 5);
          const used = 3 + (l.strip ? 2 : 0) + l.shown + (l.ports === 0 ? 0 : l.ports + 2) + (l.log === 0 ? 0 : l.log + 2);
          expect(used, `${rows} rows, ${profiles} profiles`).toBeLessThanOrEqual(Math.max(rows, 4));
          expect(selected >= l.first && selected < l.first + l.shown).toBe(true);
          if (l.log > 0) expect(l.ports).toBe(5);
        }
      }
    }
  });
});

describe('top keys', () => {
  it('q quits from every view and from a question, which it leaves unanswered; Esc goes back', () => {
    const profiles = [{ label: 'main', state: 'up' as const }];
    const at = topReducer(initialTop, { type: 'profiles', profiles });
    for (const view of ['main', 'details', 'log', 'doctor', 'help'] as View[]) {
      expect(topReducer({ ...at, view }, { type: 'key', key: 'q' })).toMatchObject({ quit: true });
      expect(topReducer({ ...at, view }, { type: 'key', key: 'esc' })).toMatchObject({ quit: false, view: 'main' });
    }
    expect(topReducer({ ...at, confirm: { action: 'stop', label: 'main' } }, { type: 'key', key: 'q' })).toMatchObject({ quit: true, confirm: null, busy: null });
  });

  it("an action's outcome holds the footer until the next key, which gives the hints back; a key refused while busy says why", () => {
    const profiles = [{ label: 'main', state: 'up' as const }];
    const done = topReducer({ ...topReducer(initialTop, { type: 'profiles', profiles }), busy: { action: 'stop', label: 'main' } }, { type: 'done', ok: true, text: '✔ main: stopped' });
    expect(done.message).toEqual({ text: '✔ main: stopped', ok: true });
    // Any key, one that changes nothing else included, clears it.
    for (const key of ['down', 'up', 'enter', 'l', 'd', '?', 'esc', 'n'] as const) expect(topReducer(done, { type: 'key', key }).message).toBeNull();
    const busy = topReducer({ ...done, busy: { action: 'restart', label: 'main' } }, { type: 'key', key: 's' });
    expect(busy.message).toEqual({ text: 'Wait: restart of main is running.', ok: false });
  });

  it('Esc then q typed fast, which Ink reports as q with meta (Alt-q), is q', () => {
    expect(topKeyOf('q', { meta: true, escape: false })).toBe('q');
    expect(topKeyOf('', { meta: true, escape: true })).toBe('esc');
  });
});
