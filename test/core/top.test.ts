/** The pure parts of list and top: the gateway's state, the words of a row, the backup's time, the layout. */
import { describe, expect, it } from 'vitest';
import { backupFile, backupTime } from '../../src/core/profile/identity';
import { footerRoom, scrolledLog, topLayout } from '../../src/core/top/layout';
import { hintLine, topKeyOf } from '../../src/core/top/keys';
import { initialTop, topReducer, type View } from '../../src/core/top/state';
import { backupWords, gatewayState, uptimeWords } from '../../src/core/top/row';
import type { GatewayMismatch } from '../../src/core/host/rules';

const live = (over: Partial<Parameters<typeof gatewayState>[0]> = {}) => ({ running: true, pid: 7, uptimeMs: 1000, health: 'answered' as const, detail: null, lock: null, ...over });
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

describe('topLayout of a view and of a footer of more lines', () => {
  it('a view (details, help, doctor, log) keeps its margin, title and body within the rows: at least half of them, giving up profile rows down to the selected one', () => {
    for (let rows = 7; rows <= 60; rows++) {
      for (const profiles of [1, 3, 10, 30]) {
        for (const footer of [1, 2, footerRoom(rows, true)]) {
          for (const selected of [0, profiles - 1]) {
            const l = topLayout(rows, profiles, selected, 5, { view: true, footer });
            const used = 2 + l.shown + 2 + l.body + footer;
            expect(used, `${rows} rows, ${profiles} profiles, footer ${footer}`).toBeLessThanOrEqual(rows);
            expect(selected >= l.first && selected < l.first + l.shown).toBe(true);
            expect(l.shown).toBeGreaterThanOrEqual(1);
            if (l.shown > 1) expect(l.body).toBeGreaterThanOrEqual(l.shown);
            // Every row goes to the view's body once the profiles are all shown.
            if (l.shown === profiles) expect(used).toBe(rows);
          }
        }
      }
    }
    // 40×12, 10 profiles: the selected one and five lines of the view.
    expect(topLayout(11, 10, 0, 5, { view: true })).toMatchObject({ shown: 1, body: 5 });
    // 80×24, 2 profiles: as much body as before; 10 profiles: half the rows for the view's body.
    expect(topLayout(23, 2, 0, 5, { view: true })).toMatchObject({ shown: 2, body: 16 });
    expect(topLayout(23, 10, 0, 5, { view: true })).toMatchObject({ shown: 9, body: 9 });
    expect(topLayout(19, 10, 9, 5, { view: true })).toMatchObject({ first: 3, shown: 7, body: 7 });
  });

  it('the main view gives the rows of a footer of more lines back from the table and the parts below it', () => {
    for (let rows = 7; rows <= 60; rows++) {
      for (const footer of [1, 2, 3, footerRoom(rows, false)]) {
        const l = topLayout(rows, 10, 9, 5, { footer });
        const used = 2 + (l.strip ? 2 : 0) + l.shown + (l.ports === 0 ? 0 : l.ports + 2) + (l.log === 0 ? 0 : l.log + 2) + footer;
        expect(used, `${rows} rows, footer ${footer}`).toBeLessThanOrEqual(rows);
      }
    }
  });
});

describe('scrolledLog (the full log under its title)', () => {
  const lines = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`);
  it('opens at its end, the first line saying how many are above; scrolled, the last says how many below', () => {
    expect(scrolledLog(lines, 12, 0)).toEqual(lines);
    expect(scrolledLog(lines, 4, 0)).toEqual(['↑ 7 more lines', 'line 8', 'line 9', 'line 10']);
    expect(scrolledLog(lines, 4, 1)).toEqual(['↑ 7 more lines', 'line 8', 'line 9', '↓ 1 more line']);
    expect(scrolledLog(lines, 4, 2)).toEqual(['↑ 6 more lines', 'line 7', 'line 8', '↓ 2 more lines']);
    // Scrolled to its top (and past it): the first lines, then how many below.
    expect(scrolledLog(lines, 4, 7)).toEqual(['line 1', 'line 2', 'line 3', '↓ 7 more lines']);
    expect(scrolledLog(lines, 4, 99)).toEqual(['line 1', 'line 2', 'line 3', '↓ 7 more lines']);
    expect(scrolledLog(lines, 2, 0)).toEqual(['↑ 9 more lines', 'line 10']);
    expect(scrolledLog(lines, 2, 99)).toEqual(['line 1', '↓ 9 more lines']);
  });

  it('never takes more than its room, and shows a line of the log whenever it has two', () => {
    for (let room = 0; room <= 12; room++) {
      for (let scroll = 0; scroll <= 12; scroll++) {
        const shown = scrolledLog(lines, room, scroll);
        expect(shown.length, `room ${room}, scroll ${scroll}`).toBeLessThanOrEqual(room);
        if (room >= 2) expect(shown.some((l) => l.startsWith('line ')), `room ${room}, scroll ${scroll}`).toBe(true);
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

  it('the hint line fits every width from 20 columns: the keys with their words, the keys with help and quit named, then the keys alone', () => {
    expect(hintLine(80)).toBe('↑↓ select  Enter info  s start/stop  r restart  l log  d doctor  ? help  q quit');
    expect(hintLine(40)).toBe('↑↓ Enter s r l d  ? help  q quit');
    expect(hintLine(31)).toBe('↑↓ Enter s r l d ? q');
    for (let width = 20; width <= 100; width++) expect(hintLine(width).length, `${width} columns`).toBeLessThanOrEqual(width);
  });

  it('Esc then q typed fast, which Ink reports as q with meta (Alt-q), is q', () => {
    expect(topKeyOf('q', { meta: true, escape: false })).toBe('q');
    expect(topKeyOf('', { meta: true, escape: true })).toBe('esc');
  });
});
