/**
 * `epiloop top` fits its terminal in every view: at most rows−1 lines (each frame is drawn one
 * row shorter than the terminal), none wider than the columns, the title and the key line kept,
 * and a view's body cut with a word saying how much more there is.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { simpleWidth } from '../../components/text-width';
import type { LifecycleOutcome } from '../../src/core/lifecycle/plan';
import type { TopIO } from '../../src/ui/top/io';
import { profileOf } from '../helpers/view';
import { runs } from '../helpers/runs';
import { KEYS } from './keys';
import { draw, fakeHost, logEvents, NO_SERVICE, unmountTops, words } from './top-harness';

afterEach(unmountTops);

/** The string-width Ink measures with, for what simpleWidth leaves to it (an emoji such as '✔'). */
const inkStringWidth = createRequire(path.join(__dirname, '../../node_modules/ink/package.json')).resolve('string-width');
const { default: stringWidth } = (await import(pathToFileURL(inkStringWidth).href)) as { default: (text: string) => number };
const widthOf = (line: string) => simpleWidth(line) ?? stringWidth(line);

const HINTS = '↑↓ Enter s r l d  ? help  q quit';
const HINTS_WHOLE = '↑↓ select  Enter info  s start/stop  r restart  l log  d doctor  ? help  q quit';
const EVENTS = logEvents(Array.from({ length: 60 }, (_, i) => [`2026-01-01T00:01:${String(i).padStart(2, '0')}.000Z`, 'info', `event number ${i + 1} of the log`] as const));

/** A host of `count` profiles (the first running), whose doctor finds much and whose log is long. */
function manyHost(count: number) {
  const profiles = Array.from({ length: count }, (_, i) => profileOf({ name: `p${i + 1}`, config: 18789 + 1000 * i, ...(i === 0 ? { gateway: { pid: 4242 } } : {}) }));
  const { io } = fakeHost(NO_SERVICE, profiles);
  const findings = Array.from({ length: 8 }, (_, i) => ({ severity: 'warning' as const, summary: `finding number ${i + 1} says what is wrong in a sentence of some length`, fix: `run "epiloop --profile p1 doctor --fix"` }));
  return { ...io, log: async () => EVENTS, doctor: async () => findings } satisfies TopIO;
}

/** The frame fits: rows−1 lines at most, none wider than the terminal. */
function expectFitted(frame: string, columns: number, rows: number, what: string) {
  const lines = frame.split('\n');
  expect(lines.length, `${what} at ${columns}×${rows}: ${lines.length} lines\n${frame}`).toBeLessThanOrEqual(rows - 1);
  for (const line of lines) expect(widthOf(line), `${what} at ${columns}×${rows}: ${line}\n${frame}`).toBeLessThanOrEqual(columns);
}

/** Each view, the key that opens it, its title for the selected profile and a word its body shows once read. */
const VIEWS = [
  { name: 'help', keys: ['?'], title: () => 'Keys · Esc back', read: 'select a profile' },
  { name: 'details', keys: [KEYS.enter], title: (label: string) => `${label} in detail · Esc back`, read: 'state dir' },
  { name: 'doctor', keys: ['d'], title: (label: string) => `doctor of ${label} (read-only) · Esc back`, read: 'finding number 1 ' },
  { name: 'log', keys: ['l'], title: (label: string) => `log of ${label} · ↑/↓ scroll · Esc back`, read: 'event number' },
] as const;

describe('epiloop top fits a small terminal in every view', () => {
  it('at 40×12 with 10 profiles: the main view and ?, Enter, d, l keep the title, the key line and what fits of their body, saying how much more there is', async () => {
    const io = manyHost(10);
    const top = draw(io, 40, 12);
    const main = await top.waitFor('› p1');
    expectFitted(main, 40, 12, 'main');
    expect(main.split('\n')[0]).toBe('epiloop top · 10 profiles');
    expect(main.split('\n').at(-1)).toBe(HINTS);
    for (const view of VIEWS) {
      await top.press(...view.keys);
      await top.waitFor(view.read);
      const frame = await top.waitFor(view.title('p1'));
      expectFitted(frame, 40, 12, view.name);
      const lines = frame.split('\n');
      expect(lines[0], frame).toBe('epiloop top · 10 profiles');
      expect(lines.at(-1), frame).toBe(HINTS);
      // The selected profile stays in sight, and the view's body has lines of its own under its title.
      expect(frame).toMatch(/^› p1 /m);
      const body = lines.slice(lines.indexOf(view.title('p1')) + 1, -1).filter((l) => l.trim() !== '');
      expect(body.length, frame).toBeGreaterThanOrEqual(3);
      // More than fits, said in a word: below for the views read from the top, above for the log (which opens at its end).
      expect(frame, frame).toMatch(view.name === 'log' ? /^↑ \d+ more lines$/m : /^↓ \d+ more lines$/m);
      await top.press(KEYS.esc);
    }
  });

  it('at 40×12 ↓ scrolls help, details and doctor to their last line, no further (one ↑ shows it again below); in a view the key line says ↑↓ scroll', async () => {
    const top = draw(manyHost(10), 40, 12);
    await top.waitFor('› p1');
    const lastWords = { help: 'Esc is no)', details: 'none yet', doctor: 'finding number 8 ' } as Record<string, string>;
    for (const view of VIEWS.filter((v) => v.name !== 'log')) {
      await top.press(...view.keys);
      await top.waitFor(view.read);
      const opened = await top.waitFor(/^↓ \d+ more lines$/m);
      expect(opened, opened).not.toContain(lastWords[view.name]!);
      const below = Number(/^↓ (\d+) more lines$/m.exec(opened)![1]);
      // More presses than it takes: the view stops at its last line.
      await top.press(...Array.from({ length: below + 3 }, () => KEYS.down));
      const end = await top.waitFor(lastWords[view.name]!);
      expectFitted(end, 40, 12, `${view.name} scrolled to its end`);
      expect(end, end).not.toMatch(/^↓ \d+ more line/m);
      expect(end, end).toMatch(/^↑ \d+ more lines$/m);
      expect(end.split('\n')[0]).toBe('epiloop top · 10 profiles');
      await top.press(KEYS.up);
      await top.waitFor(/^↓ 1 more line$/m);
      await top.press(KEYS.esc);
    }
    top.size(80, 24);
    await top.waitFor(HINTS_WHOLE);
    for (const view of VIEWS) {
      await top.press(...view.keys);
      const frame = await top.waitFor(view.title('p1'));
      expect(frame.split('\n').at(-1), frame).toBe(HINTS_WHOLE.replace('select', 'scroll'));
      await top.press(KEYS.esc);
    }
  });

  it('l opens on the newest line, saying first under its title how many lines are above; ↑ scrolls one line at a time, and the last line says how many are below', async () => {
    for (const [columns, rows] of [[80, 24], [60, 20], [40, 12]] as const) {
      const top = draw({ ...manyHost(2), log: async () => EVENTS.slice(0, 40) }, columns, rows);
      await top.waitFor('› p1');
      await top.press('l');
      const log = await top.waitFor('log of p1 ·');
      expectFitted(log, columns, rows, 'log');
      const lines = log.split('\n');
      const under = lines[lines.findIndex((l) => l.startsWith('log of p1 ·')) + 1]!;
      // Wider than 40 columns an event is one line: the count is of events.
      const shown = lines.filter((l) => l.includes('event number')).length;
      expect(under, `${columns}×${rows}:\n${log}`).toMatch(columns === 40 ? /^↑ \d+ more lines$/ : new RegExp(`^↑ ${40 - shown} more lines$`));
      expect(words(lines.slice(-3, -1).join(' ')), log).toContain('event number 40 of the log');
      await top.press(KEYS.up);
      await vi.waitFor(() => expect(top.screen()).toContain('↓ 1 more line'), { timeout: 3000, interval: 10 });
      const up = top.screen();
      expectFitted(up, columns, rows, 'log scrolled');
      expect(up.split('\n').at(-2)).toBe('↓ 1 more line');
      // At 40 columns the line scrolled out is the second half of the newest event (timed by the clock alone, as logs does below 80 columns).
      expect(up.split('\n').at(-3)).toContain(columns === 40 ? '00:01:39.000 info  event number 40 of' : 'event number 39 of the log');
      top.size(columns, rows);
    }
  });

  it("an action's outcome in the footer wraps between words at 80 and 60 columns: the pid stays on screen", async () => {
    const detail = 'epiloop-gateway-p1.service is stopped, and a gateway of this profile it did not run: pid 4242 exited';
    for (const [columns, rows] of [[80, 24], [60, 20], [40, 12]] as const) {
      const io: TopIO = { ...manyHost(10), act: async (): Promise<LifecycleOutcome> => ({ ok: true, state: 'stopped', detail, pid: 4242, ms: 80 }) };
      const top = draw(io, columns, rows);
      await top.waitFor('› p1');
      await top.press('s', 'y');
      const done = await top.waitFor(/✔ p1: stopped in 80 ms/);
      expectFitted(done, columns, rows, 'outcome');
      expect(done.replace(/\s+/g, ' '), done).toContain(`✔ p1: stopped in 80 ms: ${detail}`);
      expect(done.split('\n').at(-1)).toMatch(/exited$/);
      expect(done.split('\n')[0]).toMatch(/^epiloop top · 10 profiles/);
      // Wrapped, never cut: no line of it ends in "…".
      expect(done.split('\n').filter((l) => l.endsWith('…'))).toEqual([]);
    }
  });

  it('every view at every size from 40×12 up to 200×60 draws at most rows−1 lines, none wider than the terminal (property)', async () => {
    const io = manyHost(30);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 8, max: 60 }),
        fc.integer({ min: 30, max: 200 }),
        fc.integer({ min: 0, max: 30 }),
        fc.nat({ max: 29 }),
        fc.constantFrom('main', ...VIEWS.map((v) => v.name)),
        async (rows, columns, count, pick, view) => {
          const host = { ...manyHost(count), doctor: io.doctor };
          const facts = await host.read();
          const top = draw(host, columns, rows, () => undefined, { facts, log: EVENTS });
          const selected = count === 0 ? 0 : pick % count;
          await top.settle();
          await top.press(...Array.from({ length: selected }, () => KEYS.down), ...(VIEWS.find((v) => v.name === view)?.keys ?? []));
          const label = `p${selected + 1}`;
          // A view's title is cut at the edge of a narrow terminal: its first 20 columns name it.
          await top.waitFor(count === 0 ? 'no profiles' : view === 'main' ? `› ${label}` : VIEWS.find((v) => v.name === view)!.title(label).slice(0, 20));
          await top.settle();
          const frame = top.screen();
          expectFitted(frame, columns, rows, `${view}, ${count} profiles, p${selected + 1} selected`);
          if (count > 0) {
            const lines = frame.split('\n');
            expect(lines[0]).toMatch(/^epiloop top · \d+ profile/);
            expect(lines.at(-1)).toMatch(/^↑↓ /);
            // The table's columns stay two spaces apart (list's rule): cells never run together.
            const heading = lines.find((l) => l.startsWith('  PROFILE'))!;
            const starts = [...heading.matchAll(/\S+/g)].map((m) => m.index).slice(1);
            for (const row of lines.filter((l) => /^(›| ) p\d+ /.test(l))) for (const at of starts) if (!row.endsWith('…')) expect(row.slice(at - 2, at), frame).toBe('  ');
          }
          if (count > 0 && view === 'main') {
            // The map's rows (gateway, browser control, canvas host, CDP range), however they wrap, are drawn
            // or counted as cut; and the frame's room is used: no gap of blank lines over the key line.
            const shownPorts = frame.split('\n').filter((l) => /^ *\d{5}(–\d{5})? /.test(l)).length;
            const hidden = Number(/^ *… (\d+) more rows?$/m.exec(frame)?.[1] ?? 0);
            if (frame.includes('PORT')) expect(shownPorts + hidden, frame).toBe(4);
            expect(frame, frame).not.toMatch(/\n{5}/);
          }
          unmountTops();
        },
      ),
      // 40×20 with the gateway's row wrapped: the map once stopped at 2 of its rows with 6 blank lines below.
      { numRuns: runs(40), examples: [[20, 40, 2, 0, 'main']] },
    );
  }, 120_000);
});
