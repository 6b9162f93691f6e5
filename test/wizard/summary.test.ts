import { describe, expect, it } from 'vitest';
import { footprint } from '../../src/core/ports/footprint';
import { previewConfig } from '../../src/core/wizard/answers';
import { hostStrip, spacingNote } from '../../src/core/wizard/portview';
import { initialState } from '../../src/core/wizard/state';
import { summaryBody } from '../../src/core/wizard/summary';
import { canPrompt, noTerminalMessage } from '../../src/core/wizard/terminal';
import { HOME, MAIN, hostFacts } from './fixtures';
import { type WizardState } from '../../src/core/wizard/model';

function summaryOf(state: WizardState): string[] {
  return summaryBody(state).map((l) => l.text);
}

describe('the summary', () => {
  it('says what is written where, with modes, and the config as written, token hidden', () => {
    const state = initialState(hostFacts());
    const lines = summaryOf({ ...state, answers: { ...state.answers, base: 19789 } });
    expect(lines).toContain('  ~/.epiloop-rescue/  directory 0700  create');
    expect(lines).toContain('  ~/.epiloop-rescue/epiloop.json  file 0600  create');
    expect(lines).toContain('  19789 gateway · 19791 browser control · 19793 canvas · 19800–19899 CDP');
    expect(lines).toContain('    epiloop --profile rescue gateway');
    const json = lines.slice(lines.findIndex((l) => l.startsWith('Config'))).join('\n');
    expect(json).toContain('"port": 19789');
    expect(json).toMatch(/"token": "‹a new random token›"/);
    expect(json).toMatch(/"profiles": \[\s*"main"\s*\]/);
  });

  it('names the service and the command it runs when one is installed', () => {
    const state = initialState(hostFacts());
    const lines = summaryOf({ ...state, service: { usable: true, kind: 'systemd' }, answers: { ...state.answers, base: 19789, installService: true } });
    expect(lines).toContain('  install and start epiloop-gateway-rescue.service (systemd user unit), which runs');
    expect(lines).toContain('    epiloop --profile rescue gateway --port 19789');
  });
});

describe('previewConfig', () => {
  it('keeps every key the user had, unknown ones too, and the current token', () => {
    const facts = hostFacts({ config: '{ gateway: { port: 20000, auth: { token: "abcdefghijklmnopqrstuvwxyz" } }, theme: "dark", browser: { profiles: { default: { cdpUrl: "http://10.0.0.2:9222" } } } }' });
    const answers = { ...initialState(facts).answers, base: 20100 };
    const written = JSON.parse(previewConfig(answers, facts));
    expect(written).toMatchObject({ theme: 'dark', gateway: { port: 20100, auth: { token: 'abcdefghijklmnopqrstuvwxyz' } } });
    expect(written.browser.profiles.default.cdpUrl).toBe('http://10.0.0.2:9222');
    const local = JSON.parse(previewConfig({ ...answers, browser: { kind: 'local' } }, facts));
    expect(local.browser.profiles.default).toEqual({});
  });

  it('lets a rescue watch the other profiles; a main watches nothing', () => {
    const facts = hostFacts();
    const answers = initialState(facts).answers;
    expect(JSON.parse(previewConfig(answers, facts)).watch).toEqual({ profiles: ['main'] });
    expect(JSON.parse(previewConfig({ ...answers, role: 'main' }, facts)).watch).toBeUndefined();
    expect(JSON.parse(previewConfig(answers, hostFacts({ others: [] }))).watch).toBeUndefined();
    const seedHost = hostFacts({ others: [{ name: null, config: 18789 }, { name: 'work', config: 20789 }] });
    expect(JSON.parse(previewConfig(answers, seedHost)).watch).toEqual({ profiles: ['default'] });
  });
});

describe('the port step\'s pictures', () => {
  it('explains in one line why 20 ports apart is not enough', () => {
    const note = spacingNote(18809, [MAIN])!;
    expect(note).toBe('Only 20 from main (18789): CDP ranges end at base+110, so "20 apart" overlaps.');
    expect(note.length).toBeLessThanOrEqual(80);
    expect(spacingNote(18789 + 111, [MAIN])).toBeNull();
    expect(spacingNote(18789 - 110, [MAIN])).not.toBeNull();
  });

  it('draws every footprint on one strip, this one apart, shared ports marked', () => {
    const apart = hostStrip('rescue', footprint(undefined, 19789), [MAIN], 40);
    expect(apart.cells).toHaveLength(40);
    expect(apart.cells[0]).toBe('other');
    expect(apart.cells[39]).toBe('this');
    expect(apart.cells).not.toContain('overlap');
    expect(apart.labels.trimStart().startsWith('main')).toBe(true);
    expect(apart.labels.trimEnd().endsWith('rescue')).toBe(true);
    expect([apart.low, apart.high]).toEqual([18789, 19899]);
    const shared = hostStrip('rescue', footprint(undefined, 18850), [MAIN], 40);
    expect(shared.cells).toContain('overlap');
  });
});

describe('the terminal check', () => {
  it('draws only with a TTY on both ends and no CI', () => {
    expect(canPrompt({ isTTY: true }, { isTTY: true }, {})).toBe(true);
    expect(canPrompt({ isTTY: true }, { isTTY: true }, { CI: 'true' })).toBe(false);
    expect(canPrompt({ isTTY: true }, { isTTY: true }, { CI: 'false' })).toBe(true);
    expect(canPrompt({ isTTY: false }, { isTTY: true }, {})).toBe(false);
    expect(canPrompt({ isTTY: true }, {}, {})).toBe(false);
  });

  it('names --non-interactive with a line that can be pasted', () => {
    const message = noTerminalMessage('epiloop --profile rescue', 'rescue', {});
    expect(message).toContain('epiloop --profile rescue onboard --non-interactive --role rescue --yes');
    expect(HOME).toBe('/home/ada');
  });
});
