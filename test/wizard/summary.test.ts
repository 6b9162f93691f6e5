import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { footprint } from '../../src/core/ports/footprint';
import { fingerprint } from '../../src/core/config/secrets';
import { previewConfig } from '../../src/core/wizard/plan';
import { checkWorkspace } from '../../src/core/wizard/answers';
import { hostStrip, spacingNote } from '../../src/core/wizard/portview';
import { initialState } from '../../src/core/wizard/state';
import { doneLines, summaryBody } from '../../src/core/wizard/summary';
import { canPrompt, noTerminalMessage } from '../../src/core/wizard/terminal';
import { MAIN, hostFacts } from './fixtures';
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

  it('shows an existing config as the diff of its real bytes: comments around the change included, token hidden', () => {
    const facts = hostFacts({ config: '// mine\n{\n  gateway: {\n    port: 20000, // the base\n    auth: { token: "abcdefghijklmnopqrstuvwxyz" },\n  },\n  agents: { defaults: { workspace: "~/.epiloop/workspace-rescue" } },\n  watch: { profiles: ["main"] },\n}\n' });
    const state = initialState(facts);
    const lines = summaryOf({ ...state, answers: { ...state.answers, base: 20100 } });
    expect(lines).toContain('  ~/.epiloop-rescue/epiloop.json  file 0600  edit (comments and layout kept; the old file is kept as a backup)');
    const diff = lines.slice(lines.indexOf('Changes to ~/.epiloop-rescue/epiloop.json (token hidden)') + 1);
    expect(diff).toEqual([
      '   // mine',
      '   {',
      '     gateway: {',
      '  -    port: 20000, // the base',
      '  +    port: 20100, // the base',
      `       auth: { token: "‹26 characters hidden, #${fingerprint('abcdefghijklmnopqrstuvwxyz')}›" },`,
      '     },',
      '     agents: { defaults: { workspace: "~/.epiloop/workspace-rescue" } },',
      '   ⋯ 2 unchanged lines',
    ]);
    expect(summaryOf(state).at(-1)).toBe('Config ~/.epiloop-rescue/epiloop.json stays as it is');
    // A file that does not change is said to be unchanged, not edited with a backup (issue 13).
    expect(summaryOf(state)).toContain('  ~/.epiloop-rescue/epiloop.json  file 0600  unchanged');
  });

  it('names the profile and the role of the ports, and suggests the profile\'s own workspace (issue 13)', () => {
    const main = initialState(hostFacts({ profile: 'main', others: [] }));
    const asRescue = { ...main, answers: { ...main.answers, role: 'rescue' as const } };
    expect(summaryOf(asRescue)).toContain('Ports (profile main, role rescue)');
    expect(checkWorkspace('', main.facts)).toEqual({ ok: false, reason: 'type a directory for the workspace, e.g. ~/.epiloop/workspace-main' });
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
    const written = JSON5.parse(previewConfig(answers, facts));
    expect(written).toMatchObject({ theme: 'dark', gateway: { port: 20100, auth: { token: 'abcdefghijklmnopqrstuvwxyz' } } });
    expect(written.browser.profiles.default.cdpUrl).toBe('http://10.0.0.2:9222');
    const local = JSON5.parse(previewConfig({ ...answers, browser: { kind: 'local' } }, facts));
    expect(local.browser.profiles.default).toEqual({});
  });

  it('lets a rescue watch the other profiles; a main watches nothing', () => {
    const facts = hostFacts();
    const answers = initialState(facts).answers;
    expect(JSON5.parse(previewConfig(answers, facts)).watch).toEqual({ profiles: ['main'] });
    expect(JSON5.parse(previewConfig({ ...answers, role: 'main' }, facts)).watch).toBeUndefined();
    expect(JSON5.parse(previewConfig(answers, hostFacts({ others: [] }))).watch).toBeUndefined();
    const seedHost = hostFacts({ others: [{ name: null, config: 18789 }, { name: 'work', config: 20789 }] });
    expect(JSON5.parse(previewConfig(answers, seedHost)).watch).toEqual({ profiles: ['default'] });
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

describe('the host strip (issue 13)', () => {
  it('marks shared ports only where ports are really shared: a block 9 ports past main\'s shares a column, not a port', () => {
    for (const width of [9, 20, 60]) {
      const past = hostStrip('rescue', footprint(undefined, 18899 + 9), [MAIN], width);
      expect(past.cells, `${width} columns`).not.toContain('overlap');
    }
    expect(hostStrip('rescue', footprint(undefined, 18850), [MAIN], 40).cells).toContain('overlap');
  });

  it('has a legend naming every profile, so no label vanishes when labels crowd', () => {
    const crowd = [MAIN, { label: 'lab', base: 18789 + 115, footprint: footprint(undefined, 18789 + 115) }];
    const strip = hostStrip('rescue', footprint(undefined, 19789), crowd, 30);
    expect(strip.legend).toBe('█ rescue (this one)  ▒ main, lab  ▓ shared ports  · free');
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

  it('names --non-interactive with a line that can be pasted, and says why it cannot ask', () => {
    expect(noTerminalMessage('epiloop --profile rescue', 'rescue', {}).split('\n')).toEqual([
      '"epiloop --profile rescue onboard" asks its questions in a terminal, and stdin or stdout is not a terminal. Run it non-interactively instead, e.g.:',
      '  epiloop --profile rescue onboard --non-interactive --role rescue --yes',
      'Every answer has a flag: --role <main|rescue>, --workspace <dir>, --port <port>, --browser <local|remote>, --cdp-url <url>, --install-service / --no-install-service, --bind <loopback|lan>.',
      'Without --yes it prints what it would write and writes nothing.',
    ]);
    const underCI = noTerminalMessage('epiloop', 'main', { CI: 'true' }).split('\n');
    expect(underCI[0]).toBe('"epiloop onboard" asks its questions in a terminal, and CI is set. Run it non-interactively instead, e.g.:');
    expect(underCI[1]).toBe('  epiloop onboard --non-interactive --role main --yes');
  });
});

describe('gateway.bind, asked as "Who may reach this gateway?"', () => {
  const outcome = { configPath: '/home/ada/.epiloop-rescue/epiloop.json', backupPath: null, stateDirCreated: true, written: true, service: { ok: true, lines: [] }, base: 19789 };

  it('says in the summary and on the done screen that a LAN gateway is reachable from the LAN and needs the token', () => {
    const state = initialState(hostFacts());
    const lan = { ...state, answers: { ...state.answers, bind: 'lan' as const } };
    const lines = summaryOf(lan);
    expect(lines).toContain('  reachable from the LAN: every port listens on 0.0.0.0 and demands the token');
    expect(lines).toContain('    (gateway.auth.token in ~/.epiloop-rescue/epiloop.json)');
    const done = doneLines({ ...lan, outcome }).map((l) => l.text);
    expect(done).toContain('  network  reachable from the LAN (0.0.0.0): every port demands the token');
    expect(done).toContain('           (gateway.auth.token in ~/.epiloop-rescue/epiloop.json)');
    for (const text of [...lines, ...done].filter((t) => /LAN|token/.test(t))) expect(text.length, text).toBeLessThanOrEqual(80);

    expect(summaryOf(state)).toContain('  this machine only: every port listens on 127.0.0.1');
    expect(summaryOf(state).join('\n')).not.toMatch(/LAN|demands the token/);
    expect(doneLines({ ...state, outcome }).map((l) => l.text)).toContain('  network  this machine only (127.0.0.1)');
  });

  it('writes "lan", keeps the user\'s own spelling of the same reach, and drops the key for loopback (the default)', () => {
    const written = (config: string | null, bind: 'loopback' | 'lan') => {
      const facts = hostFacts({ config });
      return JSON5.parse(previewConfig({ ...initialState(facts).answers, bind }, facts)).gateway.bind;
    };
    expect(written(null, 'lan')).toBe('lan');
    expect(written(null, 'loopback')).toBeUndefined();
    expect(written('{ gateway: { port: 20000, bind: "lan" } }', 'loopback')).toBeUndefined();
    expect(written('{ gateway: { port: 20000, bind: "all" } }', 'lan')).toBe('all');
    expect(written('{ gateway: { port: 20000, bind: "192.168.1.5" } }', 'lan')).toBe('192.168.1.5');
    expect(written('{ gateway: { port: 20000, bind: "127.0.0.1" } }', 'loopback')).toBe('127.0.0.1');
    expect(written('{ gateway: { port: 20000, bind: "everywhere" } }', 'loopback')).toBeUndefined();
    expect(written('{ gateway: { port: 20000, bind: "everywhere" } }', 'lan')).toBe('lan');
  });

  it('starts from what the config means: "all" or a LAN address is lan, any loopback address loopback', () => {
    const bindOf = (bind: string) => initialState(hostFacts({ config: `{ gateway: { port: 20000, bind: ${JSON.stringify(bind)} } }` })).answers.bind;
    expect(bindOf('all')).toBe('lan');
    expect(bindOf('0.0.0.0')).toBe('lan');
    expect(bindOf('192.168.1.5')).toBe('lan');
    expect(bindOf('127.0.0.2')).toBe('loopback');
    expect(bindOf('localhost')).toBe('loopback');
    expect(bindOf('everywhere')).toBe('loopback');
    expect(initialState(hostFacts({ given: { bind: 'lan' } })).answers.bind).toBe('lan');
  });
});
