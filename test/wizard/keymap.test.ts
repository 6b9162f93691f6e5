import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/doctor/findings';
import { keyHintLines, keyHintParts } from '../../src/core/wizard/hints';
import { activeBindings, bindingFor, hintOf, KEYMAP, modeOf, type Binding, type Mode } from '../../src/core/wizard/keymap';
import { initialState, reduce } from '../../src/core/wizard/state';
import { HINT_LINES } from '../../src/core/wizard/view';
import { PROPOSALS, feed, hostFacts, probed } from './fixtures';
import { type Diagnosis } from '../../src/core/doctor/diagnosis';
import { type KeyFlags } from '../../src/core/wizard/keys';
import { type WizardState } from '../../src/core/wizard/model';

const proposed = { type: 'proposed', proposals: PROPOSALS } as const;
const unusable = { type: 'service', support: { usable: false, kind: 'systemd', reason: 'systemd is not running on this host.' } } as const;
const usable = { type: 'service', support: { usable: true, kind: 'systemd' } } as const;
const outcome = { configPath: '/home/ada/.epiloop-rescue/epiloop.json', backupPath: null, stateDirCreated: true, written: true, runningPid: null, service: { ok: true, lines: [] }, base: 19789 };

interface Press {
  name: string;
  input: string;
  key: KeyFlags;
  /** The words of a key line that name this key: "Enter", "m"; typing is named by "type" (a field) or "digits" (the base). */
  namedBy: string[];
}

/** Every key a terminal can send the wizard, as Ink hands it over: named keys, control keys, letters, digits, a paste. */
function universe(): Press[] {
  const editing = ['type', 'digits'];
  const keys: Press[] = [
    { name: 'Enter', input: '\r', key: { return: true }, namedBy: ['Enter'] },
    { name: 'Esc', input: '', key: { escape: true }, namedBy: ['Esc'] },
    { name: '↑', input: '', key: { upArrow: true }, namedBy: ['↑'] },
    { name: '↓', input: '', key: { downArrow: true }, namedBy: ['↓'] },
    { name: '←', input: '', key: { leftArrow: true }, namedBy: [] },
    { name: '→', input: '', key: { rightArrow: true }, namedBy: [] },
    { name: 'PgUp', input: '', key: { pageUp: true }, namedBy: ['PgUp'] },
    { name: 'PgDn', input: '', key: { pageDown: true }, namedBy: ['PgDn'] },
    { name: 'Tab', input: '\t', key: { tab: true }, namedBy: ['Tab'] },
    { name: 'Backspace', input: '', key: { backspace: true }, namedBy: editing },
    { name: 'Delete', input: '', key: { delete: true }, namedBy: editing },
    { name: 'Space', input: ' ', key: {}, namedBy: ['Space', 'type'] },
  ];
  for (const letter of 'abcdefghijklmnopqrstuvwxyz') {
    keys.push({ name: letter, input: letter, key: {}, namedBy: [letter, 'type'] });
    keys.push({ name: letter.toUpperCase(), input: letter.toUpperCase(), key: {}, namedBy: [letter, 'type'] });
    keys.push({ name: `Ctrl-${letter.toUpperCase()}`, input: letter, key: { ctrl: true }, namedBy: [`Ctrl-${letter.toUpperCase()}`] });
    keys.push({ name: `Alt-${letter}`, input: letter, key: { meta: true }, namedBy: [] });
  }
  // Text with a digit in it types into the base too (its digits only).
  for (const text of ['0', '5', '9', '19789', 'x5', '~', '/', '.', '-', 'é', '~/bots/rescue', 'http://127.0.0.1:9333']) {
    keys.push({ name: JSON.stringify(text), input: text, key: {}, namedBy: /\d/.test(text) ? editing : ['type'] });
  }
  return keys;
}

/** The keys a hint names: "↑/↓ or m/r choose" → ↑, ↓, m, r. */
function keysNamed(binding: Binding, state: WizardState): string[] {
  const shown = typeof binding.shown === 'string' ? binding.shown : binding.shown(state);
  return shown.split(/[\s/]+/).filter((word) => word !== 'or');
}

const findings: Finding[] = [
  { kind: 'footprint-overlap', severity: 'error', summary: 'footprint overlaps profile main', detail: [], fixable: true, fix: 'move the base' },
  { kind: 'service-mismatch', severity: 'warning', summary: 'the service runs another port', detail: [], fixable: false, fix: null },
];
/** Apply refused the base (19791 held) and offered 20009. */
const offered = { base: 19789, host: { listeners: new Map([[19791, [{ address: '127.0.0.1', pid: 4242, command: 'nginx' }]]]) }, suggestion: 20009 };
const plan = { raw: {}, before: '', after: '', diff: Array.from({ length: 40 }, (_, i) => `+  "k${i}": ${i},`), actions: ['move base 18800 → 19789'], fixes: [], steps: [], notes: [], impacts: [] };

/** The frame measured the body: this many lines in this room. */
const measured = (state: WizardState, lines: number, room: number) => reduce(state, { type: 'body', body: { lines, room, anchor: 0 } });

/** One state of every screen and every mode of a screen the wizard can show. */
function everyScreen(): [string, WizardState][] {
  const start = feed(initialState(hostFacts()), proposed);
  const port = feed(start, 'enter', 'enter', 'enter');
  const browser = feed(port, probed(19789), 'enter');
  const pending = feed(browser, 'enter');
  const bind = feed(pending, unusable, 'enter');
  const summary = feed(bind, 'enter');
  const writing = feed(summary, 'enter');
  const repair = (list: Finding[], config = '{ gateway: { port: 18800 } }') => initialState({ ...hostFacts({ config }), diagnosis: { findings: list } as Diagnosis });
  const planning = feed(repair(findings), 'enter');
  const review = reduce(planning, { type: 'repairPlanned', plan });
  const applying = feed(review, 'enter');
  return [
    ['welcome', start],
    ['welcome, taller than its room', measured(start, 14, 4)],
    ['role', feed(start, 'enter')],
    ['paths', feed(start, 'enter', 'enter')],
    ['paths, taller than its room', measured(feed(start, 'enter', 'enter'), 12, 4)],
    ['port', port],
    ['port, taller than its room', measured(port, 14, 4)],
    ['browser', browser],
    ['browser, the CDP URL field open', feed(browser, 'down', 'enter')],
    ['browser, the CDP URL field open, taller than its room', measured(feed(browser, 'down', 'enter'), 12, 4)],
    ['service, manager not answered yet', pending],
    ['service, none usable', feed(pending, unusable)],
    ['service, none usable, taller than its room', measured(feed(pending, unusable), 9, 4)],
    ['service, usable', feed(pending, usable)],
    ['bind', bind],
    ['summary, scrolled', measured(summary, 40, 12)],
    ['summary, all of it on a tall terminal', measured(reduce(summary, { type: 'resize', columns: 80, rows: 80 }), 40, 70)],
    ['writing', writing],
    ['writing, Ctrl-C pressed', feed(writing, 'ctrlC')],
    ['apply refused', reduce(writing, { type: 'applyFailed', message: 'refused', backTo: 'port' })],
    ['apply refused, taller than its room', measured(reduce(writing, { type: 'applyFailed', message: 'refused', backTo: 'port' }), 12, 4)],
    ['apply refused with a base offered', reduce(writing, { type: 'applyFailed', message: 'refused', backTo: 'port', refusal: offered })],
    ['port, back from Apply with a base offered', feed(reduce(writing, { type: 'applyFailed', message: 'refused', backTo: 'port', refusal: offered }), 'esc')],
    ['done', reduce(writing, { type: 'applied', outcome })],
    ['cancelled', feed(start, 'ctrlC')],
    ['repair list', repair(findings)],
    ['repair list, one finding', repair(findings.slice(0, 1))],
    ['repair list, nothing fixable', repair(findings.slice(1))],
    ['repair list, nothing selected', feed(repair(findings), 'space')],
    ['repair list, config unreadable', repair(findings, '{ gateway: ')],
    ['repair planning', planning],
    ['repair review', measured(review, 44, 12)],
    ['repair review, all of it on a tall terminal', measured(reduce(review, { type: 'resize', columns: 80, rows: 80 }), 44, 70)],
    ['repair applying', applying],
    ['repair applying, Ctrl-C pressed', feed(applying, 'ctrlC')],
    ['repair failed', reduce(planning, { type: 'repairFailed', message: 'boom' })],
    ['repair done', reduce(applying, { type: 'repaired', result: { backupPath: null, applied: [] } })],
  ];
}

describe('the keys table and the hints line', () => {
  const screens = everyScreen();
  const keys = universe();

  it('covers every mode of the table', () => {
    const seen = new Set(screens.map(([, state]) => modeOf(state)));
    expect([...seen].sort()).toEqual((Object.keys(KEYMAP) as Mode[]).sort());
  });

  it.each(screens)('%s: a key works only if the hints line shows it, and every key shown works', (_name, state) => {
    const lines = keyHintLines(state, 80);
    expect(lines.length).toBeLessThanOrEqual(HINT_LINES);
    for (const text of lines) expect(text.length, text).toBeLessThanOrEqual(80);
    const shown = keyHintParts(state);
    // Every hint is whole on one line of the 80-column key line.
    for (const part of shown) expect(lines.some((text) => text.split(' · ').includes(part)), part).toBe(true);

    for (const { name, input, key, namedBy } of keys) {
      const binding = bindingFor(state, input, key);
      const after = reduce(state, { type: 'key', input, key });
      if (binding === undefined) {
        expect(after, `${name} is not on the key line (${shown.join(' · ')}) but changed the state`).toBe(state);
      } else {
        expect(shown, `${name} works here`).toContain(hintOf(binding, state));
        expect(keysNamed(binding, state).some((word) => namedBy.includes(word)), `${name} works as "${hintOf(binding, state)}", which does not name it`).toBe(true);
      }
    }
    for (const binding of activeBindings(state)) {
      for (const word of keysNamed(binding, state)) {
        const press = keys.find((k) => k.namedBy[0] === word || (word === 'type' && k.name === 'x') || (word === 'digits' && k.name === '"5"'));
        expect(press, `a key named "${word}"`).toBeDefined();
        expect(bindingFor(state, press!.input, press!.key), `"${hintOf(binding, state)}" names ${word}, which does something else or nothing`).toBe(binding);
      }
    }
  });

  it('shows Ctrl-C on every screen that takes a key, in its meaning there', () => {
    for (const [name, state] of screens) {
      const quit = bindingFor(state, 'c', { ctrl: true });
      if (state.exit !== null || state.cancelRequested) expect(quit, name).toBeUndefined();
      else expect(keyHintParts(state).some((p) => p.startsWith('Ctrl-C ')), name).toBe(true);
    }
  });

  it('wraps a long key line between hints, never inside one', () => {
    const port = screens.find(([name]) => name === 'port')![1];
    expect(keyHintLines(port, 80)).toEqual(['↑/↓ ±1 · PgUp/PgDn ±100 · digits type · Ctrl-U clear · p proposal · Enter next', 'Esc back · Ctrl-C quit']);
    expect(keyHintLines(port, 200)).toHaveLength(1);
  });
});

describe("the key for the base Apply offered (what mutation testing found unchecked)", () => {
  const screens = new Map(everyScreen());
  const hints = (name: string) => keyHintParts(screens.get(name)!);

  it('the port step offers p as "use" the offered base once Apply offered one, else as "proposal"', () => {
    expect(hints('port')).toContain('p proposal');
    expect(hints('port, back from Apply with a base offered')).toContain('p use 20009');
    expect(hints('port, back from Apply with a base offered')).not.toContain('p proposal');
  });

  it('a later Apply that fails for another reason, back to the summary, does not offer the earlier base', () => {
    const back = screens.get('port, back from Apply with a base offered')!;
    const summary = feed(back, { text: 'p' }, probed(20009), 'enter', 'enter', 'enter', 'enter');
    expect(summary.step).toBe('summary');
    const failed = reduce(feed(summary, 'enter'), { type: 'applyFailed', message: 'cannot write the config', backTo: 'summary' });
    // The base offered before is still kept for the port step …
    expect(failed.port.suggestion).toBe(20009);
    // … but this failure is not about the base: Enter tries again, Esc goes back to the summary, p does nothing.
    expect(keyHintParts(failed)).toEqual(['Enter try again', 'Esc back to the summary step', 'Ctrl-C quit']);
    expect(bindingFor(failed, 'p', {})).toBeUndefined();
    expect(reduce(failed, { type: 'key', input: 'p', key: {} })).toBe(failed);
  });
});
