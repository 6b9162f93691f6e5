import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../src/core/doctor/diagnosis';
import type { Finding } from '../../src/core/doctor/findings';
import { keyHintLines, keyHints } from '../../src/core/wizard/hints';
import { initialState, reduce } from '../../src/core/wizard/state';
import { type ApplyOutcome, type WizardState } from '../../src/core/wizard/model';
import { HOME, PROPOSALS, feed, found, hostFacts, probed } from './fixtures';

const usable = { type: 'service', support: { usable: true, kind: 'systemd' } } as const;
const start = () => feed(initialState(hostFacts()), { type: 'proposed', proposals: PROPOSALS });
const atBrowser = () => feed(start(), 'enter', 'enter', 'enter', probed(19789), 'enter');
const atBind = () => feed(atBrowser(), 'enter', usable, 'enter');
const atSummary = () => feed(atBind(), 'enter');
const outcome: ApplyOutcome = { configPath: `${HOME}/.epiloop-rescue/epiloop.json`, base: 19789, backupPath: null, stateDirCreated: true, written: true, runningPid: null, service: { ok: true, lines: [] } };

const fixable: Finding = { kind: 'footprint-overlap', severity: 'error', summary: 'a', detail: [], fixable: true, fix: 'move the base' };
const notFixable: Finding = { kind: 'service-mismatch', severity: 'warning', summary: 'b', detail: [], fixable: false, fix: null };
const repairing = (findings: Finding[], config = '{ gateway: { port: 18800 } }') => initialState({ ...hostFacts({ config }), diagnosis: { findings } as Diagnosis });
const plan = { raw: {}, before: '', after: '', diff: ['-  "port": 18800,', '+  "port": 19789,'], actions: ['move base'], fixes: [], steps: [], notes: [], impacts: [] };
const reviewing = () => reduce(feed(repairing([fixable]), 'enter'), { type: 'repairPlanned', plan });
const resized = (state: WizardState, rows: number) => reduce(state, { type: 'resize', columns: 80, rows });
/** The body as the frame measured it (the frame reports it; the scroll keys are offered only where it overflows). */
const drawn = (state: WizardState, lines: number, room: number) => reduce(state, { type: 'body', body: { lines, room, anchor: 0 } });

describe('keyHints: the key line names what the reducer accepts on each step', () => {
  it.each<[string, () => WizardState, string]>([
    ['welcome', start, 'Enter start · Ctrl-C quit'],
    ['role', () => feed(start(), 'enter'), '↑/↓ or m/r choose · Enter next · Esc back · Ctrl-C quit'],
    ['paths', () => feed(start(), 'enter', 'enter'), 'type to edit · Ctrl-U clear · Enter next · Esc back · Ctrl-C quit'],
    ['port', () => feed(start(), 'enter', 'enter', 'enter'), '↑/↓ ±1 · PgUp/PgDn ±100 · digits type · Ctrl-U clear · p proposal · Enter next · Esc back · Ctrl-C quit'],
    ['browser', atBrowser, '↑/↓ or l/r choose · Enter next · Esc back · Ctrl-C quit'],
    ['browser, typing a URL', () => feed(atBrowser(), 'down', 'enter'), 'type the CDP URL · Ctrl-U clear · Enter next · Esc cancel · Ctrl-C quit'],
    ['service, no manager (yet)', () => feed(atBrowser(), 'enter'), 'Esc back · Ctrl-C quit'],
    ['service, a usable manager', () => feed(atBrowser(), 'enter', usable), '↑/↓ or y/n choose · Enter next · Esc back · Ctrl-C quit'],
    ['bind', atBind, '↑/↓ choose · Enter next · Esc back · Ctrl-C quit'],
    ['summary, before the frame measured it', atSummary, 'Enter write it · Esc back · Ctrl-C quit (nothing written)'],
    ['summary, longer than its room', () => drawn(atSummary(), 31, 18), 'Enter write it · ↑/↓ PgUp/PgDn scroll · Esc back · Ctrl-C quit (nothing written)'],
    ['summary, scrolled', () => feed(drawn(atSummary(), 31, 18), 'down', 'down'), 'Enter write it · ↑/↓ PgUp/PgDn scroll · Esc back · Ctrl-C quit (nothing written)'],
    ['summary, fitting its room', () => drawn(atSummary(), 31, 31), 'Enter write it · Esc back · Ctrl-C quit (nothing written)'],
    ['summary, one line short of fitting', () => drawn(atSummary(), 31, 30), 'Enter write it · ↑/↓ PgUp/PgDn scroll · Esc back · Ctrl-C quit (nothing written)'],
    ['apply, writing', () => feed(atSummary(), 'enter'), 'writing… · Ctrl-C stop after this write'],
    ['apply, Ctrl-C while writing', () => feed(atSummary(), 'enter', 'ctrlC'), 'stopping after this write…'],
    ['apply, refused', () => reduce(feed(atSummary(), 'enter'), { type: 'applyFailed', message: 'x', backTo: 'port' }), 'Enter try again · Esc back to the port step · Ctrl-C quit'],
    ['done', () => reduce(feed(atSummary(), 'enter'), { type: 'applied', outcome }), ''],
    ['cancelled', () => feed(start(), 'ctrlC'), ''],
    ['repair, fixes to choose', () => repairing([fixable, notFixable]), '↑/↓/Tab move · Space toggle · Enter review fixes · m change settings · q leave as is · Ctrl-C quit'],
    ['repair, one finding', () => repairing([fixable]), 'Space toggle · Enter review fixes · m change settings · q leave as is · Ctrl-C quit'],
    // Nothing to tick and nothing to review: the finding is fixed by hand (new-user pass).
    ['repair, nothing fixable', () => repairing([notFixable]), 'm change settings · q leave as is · Ctrl-C quit'],
    ['repair, nothing to repair', () => repairing([]), 'Enter leave as is · m change settings · q leave · Ctrl-C quit'],
    ['repair, no diagnosis to show', () => initialState(hostFacts({ config: '{ gateway: { port: 18800 } }' })), 'Enter leave as is · m change settings · q leave · Ctrl-C quit'],
    ['repair, a config that does not parse', () => repairing([fixable, notFixable], '{ gateway: '), '↑/↓/Tab move · Space toggle · Enter review fixes · q leave as is · Ctrl-C quit'],
    ['repair, planning', () => feed(repairing([fixable]), 'enter'), 'working… · Ctrl-C quit'],
    ['repair, review', reviewing, 'Enter apply · Esc back · Ctrl-C quit (nothing written)'],
    ['repair, review on a tiny screen', () => drawn(resized(reviewing(), 7), 5, 3), 'Enter apply · ↑/↓ PgUp/PgDn scroll · Esc back · Ctrl-C quit (nothing written)'],
    ['repair, applying', () => feed(reviewing(), 'enter'), 'working… · Ctrl-C stop after this step'],
    ['repair, Ctrl-C while applying', () => feed(reviewing(), 'enter', 'ctrlC'), 'stopping after this step…'],
    ['repair, failed', () => reduce(feed(reviewing(), 'enter'), { type: 'repairFailed', message: 'no' }), 'Esc back · Ctrl-C quit'],
    ['repair, done', () => reduce(feed(reviewing(), 'enter'), { type: 'repaired', result: { backupPath: null, applied: [] } }), ''],
  ])('%s', (_, state, hints) => {
    expect(keyHints(state())).toBe(hints);
  });

  it('offers to finish, not to write, on a summary where nothing would change; Enter then goes on as it says', () => {
    const config = '{\n  gateway: { port: 20000, auth: { token: "abcdefghijklmnopqrstuvwxyz" } },\n  agents: { defaults: { workspace: "~/.epiloop/workspace-rescue" } },\n  watch: { profiles: ["main"] },\n}\n';
    const summary = (facts: ReturnType<typeof hostFacts>, service: WizardState['service'] = null) => ({ ...initialState(facts), step: 'summary' as const, service });
    const kept = summary(found(hostFacts({ config }), 'state dir'));
    expect(keyHints(kept)).toBe('Enter finish (nothing to write) · Esc back · Ctrl-C quit');
    // Enter finishes through apply, which writes nothing here: its key line says so too, and so does the done screen.
    expect(feed(kept, 'enter').step).toBe('apply');
    expect(keyHints(feed(kept, 'enter'))).toBe('finishing… · Ctrl-C quit');
    expect(keyHints(feed(kept, 'enter', 'ctrlC'))).toBe('stopping…');
    // Something to write: the state dir, a changed config, a service to install.
    expect(keyHints(summary(hostFacts({ config })))).toBe('Enter write it · Esc back · Ctrl-C quit (nothing written)');
    expect(keyHints({ ...kept, answers: { ...kept.answers, base: 20100 } })).toBe('Enter write it · Esc back · Ctrl-C quit (nothing written)');
    const installing = summary(found(hostFacts({ config }), 'state dir'), { usable: true, kind: 'systemd' });
    expect(keyHints({ ...installing, answers: { ...installing.answers, installService: true } })).toBe('Enter write it · Esc back · Ctrl-C quit (nothing written)');
  });

  it('a step with nothing to press has an empty key line, wrapped to no line at all', () => {
    expect(keyHintLines(feed(start(), 'ctrlC'), 80)).toEqual([]);
  });

  it('joins hints on one line while they fit the width, and starts a new line for the first that does not', () => {
    const role = feed(start(), 'enter');
    // "↑/↓ or m/r choose · Enter next · Esc back · Ctrl-C quit" is 55 characters.
    expect(keyHintLines(role, 55)).toEqual(['↑/↓ or m/r choose · Enter next · Esc back · Ctrl-C quit']);
    expect(keyHintLines(role, 54)).toEqual(['↑/↓ or m/r choose · Enter next · Esc back', 'Ctrl-C quit']);
    expect(keyHintLines(role, 1)).toEqual(['↑/↓ or m/r choose', 'Enter next', 'Esc back', 'Ctrl-C quit']);
  });
});
