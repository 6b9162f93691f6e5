/** The pure parts of list and top: the gateway's state, the words of a row, the backup's time, the layout. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupFile, backupTime } from '../../src/core/profile/identity';
import { footerRoom, scrolledLog, scrolledView, scrollLimit, topLayout } from '../../src/core/top/layout';
import { hintLine, topKeyOf, type TopKey } from '../../src/core/top/keys';
import { initialTop, topReducer, type View } from '../../src/core/top/state';
import { doctorLines } from '../../src/core/top/doctor';
import { seenStates, sinceWords, type SeenStates } from '../../src/core/top/since';
import { backupWords, gatewayState, ROW_FIT, ROW_HEADINGS, rowCells, topTable, uptimeWords, type ProfileRow, type WatchFacts } from '../../src/core/top/row';
import { fitTable, tableLines } from '../../src/core/text/table';
import type { WatchReport } from '../../src/core/watch/state';
import type { ServiceStatus } from '../../src/core/service/spec';
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

describe('the rows fitted to a live terminal', () => {
  const service: ServiceStatus = { kind: 'systemd', usable: true, name: 'x', installed: false, file: null, state: 'not-installed', enabled: null, pid: null, mismatches: [] };
  const row = (label: string, uptimeMs: number | null, watched: WatchReport['state'] | null = null): ProfileRow => ({
    profile: label,
    label,
    role: label === 'main' ? 'main' : label === 'rescue' ? 'rescue' : 'other',
    config: 'ok',
    base: 18789,
    state: uptimeMs === null ? 'down' : 'up',
    gateway: uptimeMs === null ? live({ running: false, pid: null, uptimeMs: null, health: null }) : live({ pid: 4242, uptimeMs }),
    serves: 18789,
    mismatch: null,
    service,
    watch: watched === null ? null : ({ active: true, note: null, profiles: [{ profile: 'main', state: watched, notAnswering: false }] } as unknown as WatchFacts),
    lastBackup: null,
    refusal: null,
  });
  const fit = (rows: ProfileRow[], width: number, before?: { dropped: number }) => fitTable([ROW_HEADINGS.map(String), ...rows.map((r) => rowCells(r, 0))], width, ROW_FIT, before);

  it('marks a broken config in the PROFILE cell, which no width drops, and words it in the BASE cell where that shows', () => {
    const broken: ProfileRow = { ...row('main', 11_000), config: 'invalid' };
    expect(rowCells(broken, 0).slice(0, 3)).toEqual(['main !', 'main', '18789 (config broken)']);
    expect(rowCells(row('main', 11_000), 0)[0]).toBe('main');
    for (let width = 30; width <= 120; width++) expect(fit([broken, row('lab', null)], width).lines.find((l) => l.row === 1)!.cells[0], `${width} columns`).toMatch(/^main ! *$/);
  });

  it('drawn again at the same width keeps its columns while "up · pid 4242 · 59s" becomes "… 1m", or a watched main goes down and comes back up', () => {
    expect(rowCells(row('main', 59_000), 0)[3]).toBe('up · pid 4242 · 59s');
    expect(rowCells(row('main', 60_000), 0)[3]).toBe('up · pid 4242 · 1m');
    for (let width = 30; width <= 120; width++) {
      const first = fit([row('main', 59_000), row('lab', null)], width);
      expect(fit([row('main', 60_000), row('lab', null)], width, first).kept, `${width} columns`).toEqual(first.kept);
      const up = fit([row('main', 60_000), row('rescue', 60_000, 'up')], width);
      const down = fit([row('main', null), row('rescue', 60_000, 'down')], width, up);
      expect(fit([row('main', 60_000), row('rescue', 60_000, 'up')], width, down).kept, `${width} columns`).toEqual(down.kept);
    }
  });

  it('drops a column at once when it no longer fits, and takes it back only with ROW_FIT.settle columns to spare', () => {
    const rows = [row('main', 60_000), row('rescue', 60_000, 'up')];
    const whole = Array.from({ length: 91 }, (_, i) => 30 + i).find((w) => fit(rows, w).dropped === 0)!;
    expect(fit(rows, whole - 1).dropped).toBe(1);
    // One dropped at this width before: it stays out until settle more columns are there.
    for (let spare = 0; spare < ROW_FIT.settle!; spare++) expect(fit(rows, whole + spare, { dropped: 1 }).dropped).toBe(1);
    expect(fit(rows, whole + ROW_FIT.settle!, { dropped: 1 }).dropped).toBe(0);
    // Never more than fits: a table that had none dropped drops what it must.
    expect(fit(rows, whole - 1, { dropped: 0 }).dropped).toBe(1);
    for (let width = 30; width <= 120; width++) for (const line of tableLines([ROW_HEADINGS.map(String), ...rows.map((r) => rowCells(r, 0))], width, ROW_FIT)) expect(line.length).toBeLessThanOrEqual(width);
  });
});

describe("top's table, one line per profile", () => {
  const service: ServiceStatus = { kind: 'systemd', usable: true, name: 'x', installed: false, file: null, state: 'not-installed', enabled: null, pid: null, mismatches: [] };
  const down = { running: false, pid: null, uptimeMs: null, health: null, detail: null, lock: null };
  const broken: ProfileRow = { profile: null, label: 'default', role: 'main', config: 'invalid', base: null, state: 'down', gateway: down, serves: null, mismatch: null, service, watch: null, lastBackup: '2026-01-01T00:04:54.000Z', refusal: { blocker: 'the config is repaired', fix: 'Repair it with "epiloop doctor --fix"' } };
  const rescue: ProfileRow = { ...broken, profile: 'rescue', label: 'rescue', role: 'rescue', config: 'ok', refusal: null, base: 19789, state: 'up', gateway: live({ pid: 123456, uptimeMs: 300_000 }), serves: 19789, lastBackup: '2026-01-01T00:02:00.000Z' };
  const now = Date.parse('2026-01-01T00:05:00.000Z');

  it('never wraps BACKUP (top draws a row\'s first line only): where it would, the GATEWAY cells leave their pids out', () => {
    for (let width = 30; width <= 120; width++) {
      const { table, fit } = topTable([broken, rescue], now, width);
      expect(table.lines, `${width} columns`).toHaveLength(3);
      expect(table.lines[0]!.cells.at(-1), `${width} columns`).toBe('BACKUP');
      expect(fit.pids, `${width} columns`).toBe(table.lines[2]!.cells.includes('up · pid 123456 · 5m'));
    }
    expect(topTable([broken, rescue], now, 38).table.lines[2]!.cells).toEqual(['rescue   ', 'up · 5m', '3m ago']);
    expect(topTable([broken, rescue], now, 78).fit.pids).toBe(true);
    // list keeps them: it wraps BACKUP instead.
    expect(rowCells(rescue, now)[3]).toBe('up · pid 123456 · 5m');
  });

  it('gives columns way in the order the README states, and what it says stays longest is what top drops last', () => {
    const gone: string[] = [];
    for (let width = 120; width >= 30; width--) {
      const kept = topTable([broken, { ...rescue, watch: { active: true, note: null, profiles: [] } }], now, width).table.kept.map((c) => ROW_HEADINGS[c]);
      for (const heading of ROW_HEADINGS) if (!kept.includes(heading) && !gone.includes(heading)) gone.push(heading);
    }
    const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ');
    const stated = /whole columns give way in this order: ([A-Z, ]+?) \(/.exec(readme)?.[1]?.split(', ');
    expect(stated).toEqual(gone);
    expect(/\((`top` drops them in the same order[^)]*)\)/.exec(readme)?.[1]).toMatch(new RegExp(`${gone.at(-1)} stays longest`));
  });

  it('drawn again at the same width, takes the pids back only with ROW_FIT.settle columns to spare', () => {
    const least = Array.from({ length: 91 }, (_, i) => 30 + i).find((w) => topTable([broken, rescue], now, w).fit.pids)!;
    const without = topTable([broken, rescue], now, least - 1).fit;
    expect(without.pids).toBe(false);
    for (let spare = 0; spare < ROW_FIT.settle!; spare++) expect(topTable([broken, rescue], now, least + spare, { ...without, width: least + spare }).fit.pids).toBe(false);
    expect(topTable([broken, rescue], now, least + ROW_FIT.settle!, { ...without, width: least + ROW_FIT.settle! }).fit.pids).toBe(true);
    // Another width is a resize: afresh.
    expect(topTable([broken, rescue], now, least, without).fit.pids).toBe(true);
  });
});

describe('topLayout', () => {
  it('never plans more rows than the terminal has, keeps the selected profile in sight, and gives up the log before the port map', () => {
    for (let rows = 1; rows <= 40; rows++) {
      for (const profiles of [1, 3, 12]) {
        for (const selected of [0, profiles - 1]) {
          const l = topLayout(rows, profiles, selected, 5);
          const used = 3 + (l.strip ? 2 : 0) + l.shown + (l.ports === 0 ? 0 : l.portLines + 2) + (l.log === 0 ? 0 : l.log + 2);
          expect(used, `${rows} rows, ${profiles} profiles`).toBeLessThanOrEqual(Math.max(rows, 4));
          expect(selected >= l.first && selected < l.first + l.shown).toBe(true);
          if (l.log > 0) expect(l.ports).toBe(5);
        }
      }
    }
  });
});

describe('topLayout of a port map whose rows wrap', () => {
  // At 40 columns the gateway's row ("this gateway (pid 4242)") and the CDP range's ("free (100 ports)") take two lines each.
  const wrapping = { portLines: (count: number) => [0, 2, 3, 4, 6][count]! };
  const usedOf = (l: ReturnType<typeof topLayout>) => 3 + (l.strip ? 2 : 0) + l.shown + (l.ports === 0 ? 0 : l.portLines + 2) + (l.log === 0 ? 0 : l.log + 2);

  it('counts the lines its rows take, not the rows: at 40×20 with 2 profiles the whole map and the log fill the frame', () => {
    const l = topLayout(19, 2, 0, 4, wrapping);
    expect(l).toMatchObject({ ports: 4, portLines: 6, log: 2, strip: true });
    expect(usedOf(l)).toBe(19);
  });

  it('cut, keeps a line saying how many rows are out of sight, and still fills the frame', () => {
    // 40×14: the gateway's row (2 lines), the browser's, and "… 2 more rows".
    expect(topLayout(13, 2, 0, 4, wrapping)).toMatchObject({ ports: 2, portLines: 4, log: 0 });
    expect(usedOf(topLayout(13, 2, 0, 4, wrapping))).toBe(13);
    for (let rows = 1; rows <= 40; rows++) {
      const l = topLayout(rows, 2, 0, 4, wrapping);
      expect(usedOf(l), `${rows} rows`).toBeLessThanOrEqual(Math.max(rows, 4));
      if (l.ports > 0) expect(l.portLines, `${rows} rows`).toBe(wrapping.portLines(l.ports) + (l.ports < 4 ? 1 : 0));
      // What the map leaves unused is less than its next row and the log's least: the frame has no gap of blank lines.
      if (l.ports > 0 && l.ports < 4) expect(rows - usedOf(l), `${rows} rows`).toBeLessThan(wrapping.portLines(l.ports + 1) - wrapping.portLines(l.ports));
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
        const used = 2 + (l.strip ? 2 : 0) + l.shown + (l.ports === 0 ? 0 : l.portLines + 2) + (l.log === 0 ? 0 : l.log + 2) + footer;
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

describe('scrolledView (help, details and doctor under their title)', () => {
  const lines = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`);
  it('opens at its top, the last line saying how many are below; scrolled down, the first says how many above; each step shows one more line', () => {
    expect(scrolledView(lines, 12, 0)).toEqual(lines);
    expect(scrolledView(lines, 4, 0)).toEqual(['line 1', 'line 2', 'line 3', '↓ 7 more lines']);
    expect(scrolledView(lines, 4, 1)).toEqual(['↑ 2 more lines', 'line 3', 'line 4', '↓ 6 more lines']);
    expect(scrollLimit(lines.length, 4)).toBe(7);
    expect(scrolledView(lines, 4, 7)).toEqual(['↑ 7 more lines', 'line 8', 'line 9', 'line 10']);
    expect(scrolledView(lines, 4, 99)).toEqual(scrolledView(lines, 4, 7));
    expect(scrolledView(lines, 1, 0)).toEqual(['↓ 10 more lines']);
    expect(scrollLimit(3, 4)).toBe(0);
    // Every step up to the limit shows a line the step before did not.
    for (let room = 2; room <= 11; room++) {
      for (let down = 1; down <= scrollLimit(lines.length, room); down++) {
        const seen = new Set(scrolledView(lines, room, down - 1));
        expect(scrolledView(lines, room, down).some((l) => l.startsWith('line ') && !seen.has(l)), `room ${room}, down ${down}`).toBe(true);
      }
    }
  });
});

describe('since when a gateway is up or down', () => {
  it('a running one since its start; a stopped one since the refresh that saw it stop, or not known when it was down at the first read', () => {
    const now = Date.parse('2026-01-01T00:05:00.000Z');
    expect(sinceWords({ running: true, startedAt: '2026-01-01T00:04:18.000Z', uptimeMs: 42_000 }, null, now)).toBe('started 42s ago · 2026-01-01T00:04:18.000Z');
    expect(sinceWords({ running: true, startedAt: '2026-01-01T00:00:00.000Z', uptimeMs: 300_000 }, null, now)).toBe('started 5m ago · 2026-01-01T00:00:00.000Z');
    expect(sinceWords({ running: false, startedAt: null, uptimeMs: null }, now - 7_500_000, now)).toBe('stopped 2h 05m ago · 2025-12-31T22:00:00.000Z');
    expect(sinceWords({ running: false, startedAt: null, uptimeMs: null }, null, now)).toBe('not known: it was down when top first read it');
  });

  it('the refreshes keep when each gateway was seen to stop, until it runs again', () => {
    const read = (before: SeenStates, at: number, ...states: ('up' | 'down' | 'degraded')[]) => seenStates(before, states.map((s, i) => ({ label: ['main', 'lab'][i]!, state: s })), at);
    const stops = (seen: SeenStates) => [...seen.values()].map((s) => s.stoppedAt);
    const first = read(new Map(), 1000, 'up', 'down');
    expect([...first]).toEqual([['main', { state: 'up', stoppedAt: null }], ['lab', { state: 'down', stoppedAt: null }]]);
    const stopped = read(first, 2000, 'down', 'down');
    expect(stops(stopped)).toEqual([2000, null]);
    expect(stops(read(stopped, 3000, 'down', 'up'))).toEqual([2000, null]);
    expect(stops(read(read(stopped, 3000, 'degraded', 'down'), 4000, 'down', 'down'))).toEqual([4000, null]);
    // A profile that appears while the screen is open, down: not seen stopping either.
    expect(stops(seenStates(first, [{ label: 'new', state: 'down' }], 5000))).toEqual([null]);
  });
});

describe('top keys', () => {
  it('↑/↓ scroll a view within its limit (the log up from its end, the others down from their top); another view opens at its start', () => {
    const profiles = [{ label: 'main', state: 'up' as const }, { label: 'lab', state: 'down' as const }];
    const at = topReducer(initialTop, { type: 'profiles', profiles });
    const keys = (state: typeof at, ...pressed: TopKey[]) => pressed.reduce((s, key) => topReducer(s, { type: 'key', key, limit: 2 }), state);
    for (const view of ['details', 'help', 'doctor'] as View[]) {
      expect(keys({ ...at, view }, 'down'), view).toMatchObject({ scroll: 1, selected: 'main' });
      expect(keys({ ...at, view }, 'down', 'down', 'down', 'down').scroll, view).toBe(2);
      expect(keys({ ...at, view }, 'down', 'down', 'down', 'up').scroll, view).toBe(1);
      expect(keys({ ...at, view }, 'up').scroll, view).toBe(0);
    }
    expect(keys({ ...at, view: 'log' }, 'up', 'up', 'up').scroll).toBe(2);
    expect(keys({ ...at, view: 'log' }, 'up', 'up', 'up', 'down').scroll).toBe(1);
    for (const key of ['?', 'enter', 'd', 'l', 'esc'] as TopKey[]) expect(keys({ ...at, view: 'help', scroll: 2 }, key).scroll, key).toBe(0);
    // The main view's ↑/↓ still select.
    expect(keys(at, 'down')).toMatchObject({ selected: 'lab', scroll: 0 });
  });


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

  it('s (or r) on a stopped gateway whose config it refuses says so and asks nothing; on a running one it still asks to stop it', () => {
    const refusal = '✘ lab: not started: it can start once the config is repaired. Repair it with "epiloop --profile lab doctor --fix".';
    const at = topReducer(initialTop, { type: 'profiles', profiles: [{ label: 'lab', state: 'down', startRefused: refusal }] });
    expect(topReducer(at, { type: 'key', key: 's' })).toMatchObject({ confirm: null, busy: null, message: { text: refusal, ok: false } });
    // r on a stopped gateway starts it too: refused the same way.
    expect(topReducer(at, { type: 'key', key: 'r' })).toMatchObject({ confirm: null, busy: null, message: { text: refusal, ok: false } });
    const restartRefused = '✘ lab: not restarted: it can restart once the config is repaired; its gateway keeps running. Repair it with "epiloop --profile lab doctor --fix".';
    const running = topReducer(initialTop, { type: 'profiles', profiles: [{ label: 'lab', state: 'up', startRefused: refusal, restartRefused }] });
    expect(topReducer(running, { type: 'key', key: 's' })).toMatchObject({ confirm: { action: 'stop', label: 'lab' }, message: null });
    // r on a running one would stop it for a start the config refuses: refused at once, nothing asked, as s on a stopped one.
    for (const state of ['up', 'degraded'] as const) {
      const at = topReducer(initialTop, { type: 'profiles', profiles: [{ label: 'lab', state, startRefused: refusal, restartRefused }] });
      expect(topReducer(at, { type: 'key', key: 'r' }), state).toMatchObject({ confirm: null, busy: null, message: { text: restartRefused, ok: false } });
    }
  });

  it('the hint line fits every width from 20 columns: the keys with their words, the keys with help and quit named, then the keys alone', () => {
    expect(hintLine(80)).toBe('↑↓ select  Enter info  s start/stop  r restart  l log  d doctor  ? help  q quit');
    // In a view ↑/↓ scroll, and the line says so.
    expect(hintLine(80, true)).toBe('↑↓ scroll  Enter info  s start/stop  r restart  l log  d doctor  ? help  q quit');
    expect(hintLine(40)).toBe('↑↓ Enter s r l d  ? help  q quit');
    expect(hintLine(31)).toBe('↑↓ Enter s r l d ? q');
    for (let width = 20; width <= 100; width++) expect(hintLine(width).length, `${width} columns`).toBeLessThanOrEqual(width);
  });

  it('Esc then q typed fast, which Ink reports as q with meta (Alt-q), is q', () => {
    expect(topKeyOf('q', { meta: true, escape: false })).toBe('q');
    expect(topKeyOf('', { meta: true, escape: true })).toBe('esc');
  });
});

describe("doctor's view (d)", () => {
  const token = { severity: 'error' as const, summary: 'the config has no token', fix: 'run "epiloop --profile lab doctor --fix"' };
  const modes = { severity: 'warning' as const, summary: 'the state dir is 0755', fix: 'run "epiloop --profile lab doctor --fix"' };

  it('says nothing is wrong only of a running gateway doctor finds nothing in', () => {
    expect(doctorLines({ state: 'up', invocation: 'epiloop --profile lab' }, [])).toEqual(['✔ nothing wrong']);
    expect(doctorLines({ state: 'up', invocation: 'epiloop --profile lab' }, [token])).toEqual(['✖ the config has no token', '  fix: run "epiloop --profile lab doctor --fix"']);
  });

  it('says a stopped gateway is stopped and how to start it (s, or the command), with the findings still listed', () => {
    const down = { state: 'down' as const, invocation: 'epiloop --profile lab' };
    expect(doctorLines(down, [])).toEqual(['⚠ the gateway is stopped', '  start it: press s, or run "epiloop --profile lab start"', '✔ nothing else wrong']);
    expect(doctorLines(down, [modes])).toEqual([
      '⚠ the gateway is stopped',
      '  start it: press s, or run "epiloop --profile lab start"',
      '⚠ the state dir is 0755',
      '  fix: run "epiloop --profile lab doctor --fix"',
    ]);
    // An error would stop it starting: no way to start it before the fix, as status says of a broken config.
    expect(doctorLines(down, [token]).slice(0, 2)).toEqual(['⚠ the gateway is stopped', '  it can start once the errors below are fixed']);
  });
});
