import { afterEach, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/home';
import { expectWhole, startWizard, unmountAll, type Wizard } from './harness';
import { setupProfile } from './profiles';

afterEach(() => unmountAll());

const ABOVE = /^↑ (\d+) more lines?$/;
const BELOW = /^↓ (\d+) more lines?$/;

/**
 * The body of a frame and where it starts in the whole body: the lines between the line above
 * it (blank, or "↑ N more lines") and the line under it (blank, or "↓ N more lines").
 */
function bodyOf(frame: string, titleLines: number): { top: number; lines: string[]; below: number } {
  const lines = frame.split('\n').map((l) => l.trimEnd());
  const above = lines[titleLines]!;
  expect(above, frame).toMatch(/^$|^↑ \d+ more lines?$/);
  let under = lines.length - 1;
  while (under > titleLines && lines[under] !== '' && !BELOW.test(lines[under]!)) under--;
  const body = lines.slice(titleLines + 1, under);
  while (body.length > 0 && body[body.length - 1] === '') body.pop();
  return { top: Number(ABOVE.exec(above)?.[1] ?? 0), lines: body, below: Number(BELOW.exec(lines[under]!)?.[1] ?? 0) };
}

/** PgDn to the end of a body with no focus, putting it together from the windows it shows: nothing may be missing. */
async function scrollToEnd(wizard: Wizard, columns: number, rows: number, titleLines: number): Promise<string[]> {
  const whole: string[] = [];
  let frame = wizard.screen();
  for (let i = 0; i < 40; i++) {
    expectWhole(frame, columns, rows);
    const { top, lines, below } = bodyOf(frame, titleLines);
    lines.forEach((line, j) => (whole[top + j] = line));
    if (below === 0) return whole;
    await wizard.press('pageDown');
    frame = await wizard.waitFor((f: string) => bodyOf(f, titleLines).top !== top);
  }
  throw new Error(`never reached the end:\n${frame}`);
}

describe('a body taller than a 40×12 window scrolls: the focus in sight, nothing lost (issue 13)', () => {
  it('the welcome scrolls with PgDn to its last line, each line as a tall window shows it', async () => {
    const { env } = await tempHome();
    await setupProfile('main', env);
    const wizard = await startWizard('rescue', env, { columns: 40, rows: 12 });
    const first = await wizard.waitFor('Enter start');
    // Scrolling is offered because it does something here, and only then.
    expect(first).toContain('↑/↓ PgUp/PgDn scroll');
    expect(first).toMatch(/^↓ \d+ more lines$/m);
    const scrolled = await scrollToEnd(wizard, 40, 12, 2);
    expect(scrolled.slice(-2).join(' ')).toBe('Nothing is written before the summary step.');
    await wizard.resize(40, 40);
    const tall = await wizard.waitFor((f: string) => !f.includes('more line'));
    expect(scrolled).toEqual(bodyOf(tall, 2).lines);
    expect(tall).not.toContain('scroll');
    // Back up to the top with PgUp on a small window again.
    await wizard.resize(40, 12);
    await wizard.press('pageUp', 'pageUp', 'pageUp', 'pageUp', 'pageUp', 'pageUp');
    expect(bodyOf(wizard.screen(), 2).top).toBe(0);
  });

  it.each([
    [40, 12, 2],
    [60, 20, 1],
  ])('at %i×%i the summary scrolls to its end, nothing missing beside a tall window', async (columns, rows, titleLines) => {
    const { env } = await tempHome();
    const wizard = await startWizard('rescue', env, { columns, rows });
    await wizard.press('enter', 'enter', 'enter');
    await wizard.waitFor(/gateway\s+free/);
    await wizard.press('enter');
    await wizard.waitFor('› ● local');
    await wizard.press('enter');
    await wizard.waitFor(/· Service\n[\s\S]*Enter next/);
    await wizard.press('enter');
    await wizard.waitFor('› ● loopback');
    await wizard.press('enter');
    await wizard.waitFor('Enter write it');
    const scrolled = await scrollToEnd(wizard, columns, rows, titleLines);
    await wizard.resize(columns, 80);
    const tall = await wizard.waitFor((f: string) => !f.includes('more line'));
    expect(scrolled).toEqual(bodyOf(tall, titleLines).lines);
  });

  it.each([
    [40, 12],
    [60, 20],
    [80, 24],
  ])('at %i×%i keeps the cursor, the field being typed and its error in sight on every question', async (columns, rows) => {
    const { env } = await tempHome();
    const mainBase = await setupProfile('main', env);
    const wizard = await startWizard('rescue', env, { columns, rows });
    const at = async (match: RegExp | string) => {
      const frame = await wizard.waitFor(match);
      expectWhole(frame, columns, rows);
      return frame;
    };
    await wizard.press('enter');
    await at('› ● rescue');
    await wizard.press('up');
    await at('› ● main');
    await wizard.press('down', 'enter');
    // The paths step: the field and its note, and after a refusal the error under it.
    await at(/workspace\s+›/);
    await wizard.press('ctrlU', 'enter');
    const refused = await at(/✖ /);
    expect(refused).toMatch(/workspace\s+›/);
    if (rows === 12) {
      // What the field scrolled out of sight above it is read with ↑ (it moves nothing in a field)…
      const above = await at(/^↑ \d+ more lines?$/m);
      expect(above).toContain('↑/↓ PgUp/PgDn scroll');
      await wizard.press('pageUp', 'pageUp', 'pageUp');
      expect(await at('Where does this profile keep its files?')).not.toMatch(/^↑ \d+ more/m);
      // …and the next key that edits brings the field back.
      await wizard.press({ text: '~/w' });
      await at(/workspace\s+› ~\/w/);
    }
    await wizard.press('esc');
    await at('› ● rescue');
    await wizard.press('enter');
    await at(/workspace\s+›/);
    await wizard.press('enter');
    const port = await at(/Base port › \d+/);
    await wizard.waitFor(/gateway\s+free/);
    if (rows === 12) {
      // ↑/↓ and PgUp/PgDn move the base: Tab pages through a map taller than the window, to its
      // last row, and the next key that does anything else brings the field back.
      expect(wizard.screen()).toContain('Tab scroll');
      for (let i = 0; i < 10 && !/CDP range/.test(wizard.screen()); i++) await wizard.press({ text: '\t' });
      expect(await at(/CDP range\s+free/)).not.toContain('Base port ›');
      await wizard.press('up');
      await at(/^Base port › \d+/m);
      await wizard.press('down');
    } else expect(port).not.toContain('Tab scroll');
    // A refused base: the error shows with the field, however small the window (at 40×12 it goes
    // under the field: under the map it was 21 lines below it, and the field scrolled away).
    await wizard.press('ctrlU', { text: '80' }, 'enter');
    expect(await at(/✖ base port: 80 is out of range/)).toContain('Base port › 80');
    await wizard.press('ctrlU', ...String(mainBase + 11).split('').map((text) => ({ text })), 'enter');
    const inside = await at(/✖ .*inside main's/);
    expect(inside).toContain(`Base port › ${mainBase + 11}`);
    expect(inside).toMatch(/Pick\s+another\s+base\s+\(the\s+proposal\s+is\s+\d+\)\./);
    await wizard.press({ text: 'p' });
    await at(/Base port › \d+/);
    await wizard.waitFor(/gateway\s+free/);
    await wizard.press('enter');
    await at('› ● local');
    await wizard.press('down');
    await at('› ● remote');
    await wizard.press('enter');
    await at(/CDP URL ›/);
    await wizard.press({ text: 'x' }, 'enter');
    const badUrl = await at(/✖ /);
    expect(badUrl).toMatch(/CDP URL › x/);
    await wizard.press('esc', 'up');
    await at('› ● local');
    await wizard.press('enter');
    await at(/· Service\n[\s\S]*Enter next/);
    await wizard.press('enter');
    await at('› ● loopback');
    await wizard.press('down');
    await at('› ● lan');
  });

  it('keeps the focused line in sight through resizes, and asks for a bigger window below 40×12 with the answers kept', async () => {
    const { env } = await tempHome();
    const wizard = await startWizard('rescue', env, { columns: 80, rows: 24 });
    await wizard.press('enter', 'enter', 'enter');
    await wizard.waitFor(/gateway\s+free/);
    await wizard.press('up', 'enter');
    await wizard.waitFor('› ● local');
    await wizard.press('down');
    await wizard.waitFor('› ● remote');
    for (const [columns, rows] of [
      [40, 12],
      [60, 20],
      [40, 12],
      [80, 24],
    ] as const) {
      await wizard.resize(columns, rows);
      const frame = await wizard.waitFor((f: string) => f.split('\n').every((l) => l.length <= columns) && f.includes('› ● remote'));
      expectWhole(frame, columns, rows);
    }
    await wizard.resize(39, 12);
    expect(await wizard.waitFor('Window too small')).toBe('Window too small: need 40×12');
    await wizard.resize(40, 12);
    await wizard.waitFor('› ● remote');
    await wizard.press('esc');
    // The base taken before the resizes is still the answer.
    const port = await wizard.waitFor(/Base port › \d+/);
    expect(port).toMatch(/\(proposed: \d+\)|Base port › \d+/);
  });

  it('scrolls the repair list with its cursor: the focused finding, its detail and its fix in sight', async () => {
    const { env, home } = await tempHome();
    const mainBase = await setupProfile('main', env);
    await setupProfile('rescue', env);
    const { readFile, writeFile, chmod } = await import('node:fs/promises');
    const file = `${home}/.epiloop-rescue/epiloop.json`;
    const config = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...config, gateway: { ...config.gateway, port: mainBase + 20 } }, null, 2));
    await chmod(file, 0o644);
    const wizard = await startWizard('rescue', env, { columns: 40, rows: 12 });
    let frame = await wizard.waitFor(/› \[x\]/);
    expectWhole(frame, 40, 12);
    // The first finding is taller than the window: PgUp/PgDn read the rest of it, to its fix.
    expect(frame).toContain('PgUp/PgDn scroll');
    for (let i = 0; i < 10 && !/fix: /.test(frame); i++) {
      await wizard.press('pageDown');
      frame = wizard.screen();
      expectWhole(frame, 40, 12);
    }
    expect(frame).toMatch(/fix: /);
    await wizard.press('pageUp', 'pageUp', 'pageUp', 'pageUp');
    expect(wizard.screen()).toMatch(/^› \[x\]/m);
    // ↓ moves the cursor, and the window follows it to the last finding.
    for (let i = 0; i < 6; i++) {
      await wizard.press('down');
      frame = wizard.screen();
      expectWhole(frame, 40, 12);
      expect(frame).toMatch(/^› /m);
    }
  });
});
