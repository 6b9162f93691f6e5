import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { footprint } from '../../src/core/ports/footprint';
import { fingerprint } from '../../src/core/config/secrets';
import { previewConfig } from '../../src/core/wizard/plan';
import { choicesOf, questionAt } from '../../src/core/wizard/questions';
import { checkWorkspace } from '../../src/core/wizard/answers';
import { hostStrip, stripLabels, spacingNote } from '../../src/core/wizard/portview';
import { initialState, reduce } from '../../src/core/wizard/state';
import { applyingLines, doneLines, leftLines, reviewBody, scrolledBody, summaryBody } from '../../src/core/wizard/summary';
import { portsLine, serviceName, type Line } from '../../src/core/wizard/words';
import { canPrompt, noTerminalMessage } from '../../src/core/wizard/terminal';
import { HOME, MAIN, feed, found, hostFacts, loadedFrom } from './fixtures';
import type { Diagnosis } from '../../src/core/doctor/diagnosis';
import type { Finding } from '../../src/core/doctor/findings';
import { type ApplyOutcome, type WizardState } from '../../src/core/wizard/model';

/** The words of the "lan" choice on the bind step. */
function reachDetail(state: WizardState): string {
  const q = questionAt('bind');
  if (q?.kind !== 'choice') throw new Error('no bind question');
  return q.choices.find((c) => c.word === 'lan')!.detail(state);
}

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
    expect(lines).toContain('    epiloop --profile rescue start');
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

describe('the summary never shows the token (new-user pass: a value on the line after its key, a comment repeating it)', () => {
  const TOKEN = 'QMjoQInqIItGp8u5GI4BQ5-kJ7LGaLiY';
  const shown = (config: string) => {
    const state = initialState(hostFacts({ config }));
    return summaryOf({ ...state, answers: { ...state.answers, base: 20100 } }).join('\n');
  };

  it('a value on the next line, after a comment or none', () => {
    for (const config of [
      `{\n  gateway: {\n    port: 20000,\n    auth: { token:\n      "${TOKEN}" },\n  },\n  watch: { profiles: ["main"] },\n}\n`,
      `{\n  gateway: {\n    port: 20000,\n    auth: { token: // c\n      "${TOKEN}" },\n  },\n  watch: { profiles: ["main"] },\n}\n`,
    ]) {
      const text = shown(config);
      expect(text).toContain('+    port: 20100,');
      expect(text).not.toContain(TOKEN);
      expect(text).toContain(`‹32 characters hidden, #${fingerprint(TOKEN)}›`);
    }
  });

  it('a comment beside the change that repeats the token', () => {
    const text = shown(`{\n  gateway: {\n    port: 20000, // same as ${TOKEN}\n    auth: { token: "${TOKEN}" },\n  },\n  watch: { profiles: ["main"] },\n}\n`);
    expect(text).toContain('+    port: 20100, // same as ‹32 characters hidden');
    expect(text).not.toContain(TOKEN);
  });
});

describe('the summary, line by line with its tones', () => {
  const plain = (text: string): Line => ({ text, tone: 'plain' });
  const heading = (text: string): Line => ({ text, tone: 'heading' });

  it('for a new profile whose state dir exists: the dir kept, every question\'s lines, then the config as written, dim', () => {
    const state = initialState(found(hostFacts(), 'state dir'));
    const body = summaryBody({ ...state, answers: { ...state.answers, base: 19789, browser: { kind: 'remote', cdpUrl: 'http://10.0.0.2:9222' } } });
    expect(body.slice(0, 14)).toEqual([
      heading('Files'),
      plain('  ~/.epiloop-rescue/  directory 0700  exists, kept'),
      plain('  ~/.epiloop-rescue/epiloop.json  file 0600  create'),
      plain('  ~/.epiloop/workspace-rescue/  directory 0700  create if missing'),
      heading('Ports (profile rescue, role rescue)'),
      plain('  19789 gateway · 19791 browser control · 19793 canvas · 19800–19899 CDP'),
      heading('Browser'),
      plain('  remote Chrome at http://10.0.0.2:9222'),
      heading('Service'),
      plain('  none installed; start the gateway (a detached process) with'),
      { text: '    epiloop --profile rescue start', tone: 'accent' },
      heading('Network'),
      plain('  this machine only: every port listens on 127.0.0.1'),
      heading('Config ~/.epiloop-rescue/epiloop.json as it will be written (token hidden)'),
    ]);
    const config = body.slice(14);
    expect(config.every((l) => l.tone === 'dim' && l.text.startsWith('  '))).toBe(true);
    expect(JSON5.parse(config.map((l) => l.text.slice(2)).join('\n')).browser).toEqual({ profiles: { default: { cdpUrl: 'http://10.0.0.2:9222' } } });
  });

  it('says "exists, kept" of a workspace found on disk, as of the state dir; one not found, or another typed in, "create if missing" (new-user pass)', () => {
    const config = '{ gateway: { port: 20000 }, agents: { defaults: { workspace: "~/.epiloop/workspace-rescue" } } }';
    const rows = (state: WizardState) => summaryOf(state).filter((l) => l.includes('directory 0700'));
    const both = initialState(found(hostFacts({ config }), 'state dir', 'workspace'));
    expect(rows(both)).toEqual(['  ~/.epiloop-rescue/  directory 0700  exists, kept', '  ~/.epiloop/workspace-rescue/  directory 0700  exists, kept']);
    const stateOnly = initialState(found(hostFacts({ config }), 'state dir'));
    expect(rows(stateOnly)).toEqual(['  ~/.epiloop-rescue/  directory 0700  exists, kept', '  ~/.epiloop/workspace-rescue/  directory 0700  create if missing']);
    const elsewhere = { ...both, answers: { ...both.answers, workspace: `${HOME}/bots/rescue` } };
    expect(rows(elsewhere)).toEqual(['  ~/.epiloop-rescue/  directory 0700  exists, kept', '  ~/bots/rescue/  directory 0700  create if missing']);
  });

  it('an unchanged config is one heading; a changed one is its diff, added and removed lines in their tones', () => {
    const facts = hostFacts({ config: '{\n  gateway: { port: 20000, auth: { token: "abcdefghijklmnopqrstuvwxyz" } },\n  agents: { defaults: { workspace: "~/.epiloop/workspace-rescue" } },\n  watch: { profiles: ["main"] },\n}\n' });
    const state = initialState(facts);
    expect(summaryBody(state).at(-1)).toEqual(heading('Config ~/.epiloop-rescue/epiloop.json stays as it is'));
    const changed = summaryBody({ ...state, answers: { ...state.answers, base: 20100 } });
    const hidden = `‹26 characters hidden, #${fingerprint('abcdefghijklmnopqrstuvwxyz')}›`;
    const start = changed.findIndex((l) => l.text === 'Changes to ~/.epiloop-rescue/epiloop.json (token hidden)');
    expect(changed[start]!.tone).toBe('heading');
    expect(changed.slice(start + 1)).toEqual([
      { text: '   {', tone: 'dim' },
      { text: `  -  gateway: { port: 20000, auth: { token: "${hidden}" } },`, tone: 'removed' },
      { text: `  +  gateway: { port: 20100, auth: { token: "${hidden}" } },`, tone: 'added' },
      { text: '     agents: { defaults: { workspace: "~/.epiloop/workspace-rescue" } },', tone: 'dim' },
      { text: '     watch: { profiles: ["main"] },', tone: 'dim' },
      { text: '   }', tone: 'dim' },
    ]);
  });

  it('names the service only when one will be installed: usable and chosen', () => {
    const state = initialState(hostFacts());
    const service = (usable: boolean, installService: boolean) =>
      summaryOf({ ...state, service: usable ? { usable: true, kind: 'systemd' } : { usable: false, kind: 'systemd', reason: 'no' }, answers: { ...state.answers, installService } });
    expect(service(true, false)).toContain('  none installed; start the gateway (a detached process) with');
    expect(service(false, true)).toContain('  none installed; start the gateway (a detached process) with');
    expect(service(true, false).join('\n')).not.toContain('epiloop --profile rescue gateway');
    expect(service(true, true)).toContain('  install and start epiloop-gateway-rescue.service (systemd user unit), which runs');
    const body = summaryBody({ ...state, service: { usable: true, kind: 'systemd' }, answers: { ...state.answers, installService: true } });
    expect(body.find((l) => l.text.startsWith('    epiloop --profile rescue gateway'))).toEqual({ text: `    epiloop --profile rescue gateway --port ${state.answers.base}`, tone: 'accent' });
  });

  it('without a service, names restart where a gateway of the profile runs: it runs the old config until then', () => {
    const state = initialState(hostFacts({ config: '{ gateway: { port: 19789 } }', gateway: { pid: 812 } }));
    const body = summaryBody({ ...state, service: { usable: true, kind: 'systemd' }, answers: { ...state.answers, installService: false } });
    const at = body.findIndex((l) => l.text === 'Service');
    expect(body.slice(at + 1, at + 3)).toEqual([
      plain('  none installed; the gateway (pid 812) runs the old config until restarted with'),
      { text: '    epiloop --profile rescue restart', tone: 'accent' },
    ]);
  });

  describe('a running gateway and the config on disk (restart advised only where they differ)', () => {
    const token = 'abcdefghijklmnopqrstuvwxyz';
    const config = (bind?: string) =>
      `{\n  gateway: { port: 20000, ${bind === undefined ? '' : `bind: "${bind}", `}auth: { token: "${token}" } },\n  agents: { defaults: { workspace: "~/.epiloop/workspace-rescue" } },\n  watch: { profiles: ["main"] },\n}\n`;
    const unserved = (state: WizardState) => summaryBody({ ...state, service: { usable: false, kind: 'systemd', reason: 'no' } }).map((l) => l.text);
    const done = (state: WizardState) =>
      doneLines({ ...state, outcome: { configPath: state.facts.paths.configPath, base: 20000, backupPath: null, stateDirCreated: false, written: false, runningPid: 812, service: { ok: true, lines: [] } } }).map((l) => l.text);

    it('nothing changed in this run nor since the gateway started: "unchanged", and no restart', () => {
      const state = initialState(found(hostFacts({ config: config(), gateway: { pid: 812 } }), 'state dir'));
      const summary = unserved(state);
      expect(summary).toContain('  ~/.epiloop-rescue/epiloop.json  file 0600  unchanged');
      expect(summary).toContain('  none installed; the gateway (pid 812) runs this config');
      expect(summary.join('\n')).not.toMatch(/restart/);
      expect(done(state).join('\n')).not.toMatch(/restart/);
    });

    it('the config changed since the gateway started (it listens on loopback, the config says 192.0.2.2): restart, and the reach only once restarted', () => {
      const facts = hostFacts({ config: config('192.0.2.2'), gateway: { pid: 812, host: '127.0.0.1' }, addresses: ['127.0.0.1', '::1', '192.0.2.2'] });
      const state = initialState(found(facts, 'state dir'));
      const summary = unserved(state);
      expect(summary).toContain('  ~/.epiloop-rescue/epiloop.json  file 0600  unchanged');
      expect(summary).toContain('  none installed; the gateway (pid 812) runs the old config until restarted with');
      const last = done(state);
      expect(last).toContain('  epiloop --profile rescue restart  restart the gateway to apply the change');
      expect(last).toContain('  network  once restarted, other machines can reach it at 192.0.2.2: every port but /health demands the token');
    });

    it('a gateway serving another base than the config says: restart', () => {
      const state = initialState(found(hostFacts({ config: config(), gateway: { pid: 812, base: 20200 } }), 'state dir'));
      expect(unserved(state)).toContain('  none installed; the gateway (pid 812) runs the old config until restarted with');
      expect(done(state)).toContain('  epiloop --profile rescue restart  restart the gateway to apply the change');
    });
  });

  it('names a launchd agent by its label', () => {
    expect(serviceName(hostFacts(), 'launchd')).toBe('ai.epiloop.gateway.rescue (launchd agent)');
    expect(serviceName(hostFacts(), 'systemd')).toBe('epiloop-gateway-rescue.service (systemd user unit)');
  });

  it('puts the ports on one line, the canvas left out when it is off', () => {
    expect(portsLine(19789, hostFacts())).toBe('19789 gateway · 19791 browser control · 19793 canvas · 19800–19899 CDP');
    const noCanvas = { ...hostFacts(), loaded: loadedFrom('{ canvasHost: { enabled: false } }') };
    expect(portsLine(19789, noCanvas)).toBe('19789 gateway · 19791 browser control · 19800–19899 CDP');
  });
});

describe('the repair review', () => {
  const repairing = () => initialState({ ...hostFacts({ config: '{ gateway: { port: 18800 } }' }), diagnosis: { findings: [] } as never });
  const plan = { raw: {}, before: '', after: '', diff: ['   {', '-  "port": 18800,', '+  "port": 19789,'], actions: ['move base 18800 → 19789'], fixes: [], steps: [], notes: ['restart it'], impacts: [] as string[] };

  it('is empty without a plan, else the diff (token hidden by the plan), then the steps and notes', () => {
    expect(reviewBody(repairing())).toEqual([]);
    const review = reduce(repairing(), { type: 'repairPlanned', plan });
    expect(reviewBody(review)).toEqual([
      { text: 'Changes to ~/.epiloop-rescue/epiloop.json (the old file is kept as a backup)', tone: 'heading' },
      { text: '     {', tone: 'dim' },
      { text: '  -  "port": 18800,', tone: 'removed' },
      { text: '  +  "port": 19789,', tone: 'added' },
      { text: 'Steps', tone: 'heading' },
      { text: '  • move base 18800 → 19789', tone: 'plain' },
      { text: '  note: restart it', tone: 'warn' },
    ]);
    const noDiff = reduce(repairing(), { type: 'repairPlanned', plan: { ...plan, diff: [], notes: [] } });
    expect(reviewBody(noDiff)).toEqual([
      { text: 'Steps', tone: 'heading' },
      { text: '  • move base 18800 → 19789', tone: 'plain' },
    ]);
  });

  it('is the body the step scrolls: the review on the repair step, the summary on the summary step', () => {
    const review = reduce(repairing(), { type: 'repairPlanned', plan });
    expect(scrolledBody(review)).toEqual(reviewBody(review));
    const summary = { ...review, step: 'summary' as const };
    expect(scrolledBody(summary)).toEqual(summaryBody(summary));
    expect(scrolledBody(summary)[0]).toEqual({ text: 'Files', tone: 'heading' });
  });

  it('warns what changes for clients before the steps', () => {
    const review = reduce(repairing(), { type: 'repairPlanned', plan: { ...plan, diff: [], notes: [], impacts: ['clients of 18800 must use 19789'] } });
    expect(reviewBody(review)).toEqual([
      { text: 'What changes for clients', tone: 'heading' },
      { text: '  ! clients of 18800 must use 19789', tone: 'warn' },
      { text: 'Steps', tone: 'heading' },
      { text: '  • move base 18800 → 19789', tone: 'plain' },
    ]);
  });
});

describe('the apply step while it runs', () => {
  const kept = '{\n  gateway: { port: 20000, auth: { token: "abcdefghijklmnopqrstuvwxyz" } },\n  agents: { defaults: { workspace: "~/.epiloop/workspace-rescue" } },\n  watch: { profiles: ["main"] },\n}\n';

  it('says it writes the config, then the service; or, where nothing is written, that it only checks', () => {
    const fresh = initialState(hostFacts());
    expect(applyingLines(fresh).map((l) => l.text)).toEqual(['Writing ~/.epiloop-rescue/epiloop.json (checking the ports once more first)…']);
    expect(applyingLines({ ...fresh, answers: { ...fresh.answers, installService: true } }).map((l) => l.text)).toEqual([
      'Writing ~/.epiloop-rescue/epiloop.json (checking the ports once more first)…',
      'Then installing and starting the service…',
    ]);
    const unchanged = initialState(found(hostFacts({ config: kept }), 'state dir'));
    expect(applyingLines(unchanged).map((l) => l.text)).toEqual(['Checking the ports once more; nothing to write…']);
  });
});

describe('the last frame', () => {
  const base = (installService: boolean) => {
    const state = initialState(hostFacts());
    return { ...state, answers: { ...state.answers, base: 19789, installService } };
  };
  const outcome = (o: Partial<ApplyOutcome> = {}): ApplyOutcome => ({
    configPath: '/home/ada/.epiloop-rescue/epiloop.json',
    base: 19789,
    backupPath: null,
    stateDirCreated: false,
    written: true,
    runningPid: null,
    service: { ok: true, lines: [] },
    ...o,
  });

  it('is empty before apply answered', () => {
    expect(doneLines(base(false))).toEqual([]);
  });

  it('says what was written where, and what to run next: start (a detached gateway) when no service runs it', () => {
    const lines = doneLines({ ...base(false), outcome: outcome({ stateDirCreated: true, backupPath: '/home/ada/.epiloop-rescue/epiloop.json.b.bak', service: { ok: true, lines: ['not installed; run it by hand'] } }) });
    expect(lines).toEqual([
      { text: '✔ Profile rescue is written.', tone: 'good' },
      { text: '  config   ~/.epiloop-rescue/epiloop.json (0600), backup ~/.epiloop-rescue/epiloop.json.b.bak', tone: 'plain' },
      { text: '  state    ~/.epiloop-rescue (0700, created)', tone: 'plain' },
      { text: '  ports    19789 gateway · 19791 browser control · 19793 canvas · 19800–19899 CDP', tone: 'plain' },
      { text: '  network  this machine only (127.0.0.1)', tone: 'plain' },
      { text: '  service  not installed; run it by hand', tone: 'plain' },
      { text: '', tone: 'plain' },
      { text: 'Next steps', tone: 'heading' },
      { text: '  epiloop --profile rescue start   start the gateway (a detached process)', tone: 'plain' },
      { text: '  epiloop --profile rescue status  check it', tone: 'plain' },
      { text: '  epiloop ports                    every gateway on this host', tone: 'plain' },
    ]);
  });

  it('leaves the gateway out of the next steps once a service runs it, and says when nothing changed', () => {
    const lines = doneLines({ ...base(true), outcome: outcome({ written: false, service: { ok: true, lines: ['installed and started'] } }) }).map((l) => l.text);
    expect(lines.slice(lines.indexOf('Next steps'))).toEqual(['Next steps', '  epiloop --profile rescue status  check it', '  epiloop ports                    every gateway on this host']);
    expect(lines.slice(0, 3)).toEqual(['✔ Profile rescue is unchanged (it already held exactly this).', '  config   ~/.epiloop-rescue/epiloop.json (0600)', '  state    ~/.epiloop-rescue (0700)']);
    expect(lines.slice(-2)).toEqual(['  epiloop --profile rescue status  check it', '  epiloop ports                    every gateway on this host']);
    expect(lines.join('\n')).not.toContain('start the gateway');
  });

  it('never advises the foreground gateway, which exits 3 beside a running one', () => {
    for (const state of [base(false), base(true)]) {
      const texts = doneLines({ ...state, outcome: outcome({ service: { ok: !state.answers.installService, lines: [] } }) }).map((l) => l.text);
      expect(texts.join('\n')).not.toContain('epiloop --profile rescue gateway');
    }
  });

  it('advises restart once the config of a running gateway changed, and no gateway step when nothing changed', () => {
    const restart = doneLines({ ...base(false), outcome: outcome({ runningPid: 812 }) }).map((l) => l.text);
    expect(restart.slice(restart.indexOf('Next steps') + 1, -2)).toEqual(['  epiloop --profile rescue restart  restart the gateway to apply the change']);
    const unchanged = doneLines({ ...base(false), outcome: outcome({ runningPid: 812, written: false }) }).map((l) => l.text);
    expect(unchanged.slice(unchanged.indexOf('Next steps') + 1)).toEqual(['  epiloop --profile rescue status  check it', '  epiloop ports                    every gateway on this host']);
  });

  it('warns when the service could not be installed, and offers start instead', () => {
    const lines = doneLines({ ...base(true), outcome: outcome({ service: { ok: false, lines: ['not installed: no user bus'] } }) });
    expect(lines[0]).toEqual({ text: '! Profile rescue is written, but its service is not installed.', tone: 'warn' });
    expect(lines.find((l) => l.text.startsWith('  service'))).toEqual({ text: '  service  not installed: no user bus', tone: 'warn' });
    expect(lines.map((l) => l.text)).toContain('  epiloop --profile rescue start   start the gateway (a detached process)');
  });

  it('says so when the base written is not the one answered (taken meanwhile), with the ports of the one written', () => {
    const lines = doneLines({ ...base(false), outcome: outcome({ base: 19900 }) });
    expect(lines[3]).toEqual({ text: '  ports    19900 gateway · 19902 browser control · 19904 canvas · 19911–20010 CDP', tone: 'plain' });
    expect(lines[4]).toEqual({ text: '  note     19789 was taken meanwhile: the first free base, 19900, was written instead', tone: 'warn' });
    expect(doneLines({ ...base(false), outcome: outcome() }).map((l) => l.text).join('\n')).not.toContain('taken meanwhile');
  });
});

describe('the words when a profile is left as it is', () => {
  const finding = (kind: string): Finding => ({ kind, severity: 'warning', summary: kind, detail: [], fixable: true, fix: 'fix it' }) as Finding;
  const left = (findings: Finding[] | null) =>
    feed(initialState({ ...hostFacts({ config: '{ gateway: { port: 18800 } }' }), diagnosis: findings === null ? null : ({ findings } as Diagnosis) }), { text: 'q' });

  it('counts the problems left, one in the singular', () => {
    expect(leftLines(left([finding('permissions')]))).toEqual([
      { text: 'Left profile rescue as it is: nothing was written; 1 problem remains.', tone: 'warn' },
      { text: 'See them again with: epiloop --profile rescue doctor', tone: 'plain' },
    ]);
    expect(leftLines(left([finding('permissions'), finding('footprint-overlap')]))[0]!.text).toBe('Left profile rescue as it is: nothing was written; 2 problems remain.');
  });

  it('says there was nothing to repair when no problem was found, or none was looked for', () => {
    const nothing = [{ text: 'Nothing to repair: profile rescue is left as it is.', tone: 'good' }];
    expect(leftLines(left([]))).toEqual(nothing);
    expect(leftLines(left(null))).toEqual(nothing);
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

  it('names the profiles whose ports are not known (a broken config), this one or another, marked as the table marks them, after the labels in words where they fit', () => {
    const broken = { label: 'lab', base: null, footprint: null };
    const known = hostStrip('rescue', footprint(undefined, 19789), [MAIN, broken], 40);
    expect(known.unknown).toBe('lab !');
    expect(stripLabels(known, 70)).toMatch(/^main +rescue {2}lab ! ports not known$/);
    expect(stripLabels(known, 50)).toMatch(/^main +rescue {2}lab !$/);
    const unknown = hostStrip('lab', null, [MAIN], 30);
    expect([unknown.low, unknown.high]).toEqual([18789, 18899]);
    expect(unknown.cells.every((c) => c === 'other')).toBe(true);
    expect(unknown.unknown).toBe('lab !');
    expect(stripLabels(unknown, 40)).toBe('main  lab ! ports not known');
    expect(hostStrip('rescue', footprint(undefined, 19789), [MAIN], 40).unknown).toBeNull();
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
  const outcome = { configPath: '/home/ada/.epiloop-rescue/epiloop.json', backupPath: null, stateDirCreated: true, written: true, runningPid: null, service: { ok: true, lines: [] }, base: 19789 };

  it('says in the summary and on the done screen that a LAN gateway is reachable from the LAN and needs the token', () => {
    const state = initialState(hostFacts());
    const lan = { ...state, answers: { ...state.answers, bind: 'lan' as const } };
    const lines = summaryOf(lan);
    expect(lines).toContain('  from the LAN at 0.0.0.0: every port but /health demands the token');
    expect(lines).toContain('    (gateway.auth.token in ~/.epiloop-rescue/epiloop.json)');
    const done = doneLines({ ...lan, outcome }).map((l) => l.text);
    expect(done).toContain('  network  from the LAN at 0.0.0.0: every port but /health demands the token');
    expect(done).toContain('           (gateway.auth.token in ~/.epiloop-rescue/epiloop.json)');
    for (const text of [...lines, ...done].filter((t) => /LAN|token/.test(t))) expect(text.length, text).toBeLessThanOrEqual(80);

    expect(summaryOf(state)).toContain('  this machine only: every port listens on 127.0.0.1');
    expect(summaryOf(state).join('\n')).not.toMatch(/LAN|demands the token/);
    expect(doneLines({ ...state, outcome }).map((l) => l.text)).toContain('  network  this machine only (127.0.0.1)');
  });

  it('writes "lan", keeps the user\'s own spelling of the same reach, and drops the key for loopback (the default)', () => {
    // A host with 192.168.1.5: an address of its own is kept under "lan"; one it lacks is replaced (see below).
    const written = (config: string | null, bind: 'loopback' | 'lan') => {
      const facts = hostFacts({ config, addresses: ['127.0.0.1', '::1', '192.168.1.5'] });
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
    expect(written('{ gateway: { port: 20000, bind: "10.0.0.5" } }', 'lan')).toBe('lan');
  });

  it('shows and keeps the address the config binds to, not 0.0.0.0; where this host has no such address and it is kept, claims no reach and offers no start (new-user pass)', () => {
    for (const bind of ['10.9.9.9', '10.1.2.3']) {
      const facts = hostFacts({ config: `{ gateway: { port: 20000, bind: ${JSON.stringify(bind)} } }` });
      const initial = initialState(facts);
      const state = { ...initial, answers: { ...initial.answers, bind: 'keep' as const } };
      expect(JSON5.parse(previewConfig(state.answers, facts)).gateway.bind).toBe(bind);
      const lines = summaryOf(state);
      expect(lines.join('\n')).not.toContain('0.0.0.0');
      expect(lines.join('\n')).not.toMatch(/can reach|reachable/);
      expect(lines.join(' ')).toContain(`gateway.bind ${bind} is not an address of this host: the gateway refuses to start until gateway.bind is changed or this host has ${bind}`);
      const done = doneLines({ ...state, outcome: { ...outcome, written: false } }).map((l) => l.text);
      expect(done.join('\n')).not.toContain('0.0.0.0');
      expect(done.join('\n')).not.toMatch(/can reach|reachable/);
      expect(done).toContain(`  network  gateway.bind ${bind} is not an address of this host: the gateway refuses to start until gateway.bind is changed or this host has ${bind}`);
      const next = done.slice(done.indexOf('Next steps') + 1);
      expect(next.join('\n')).not.toMatch(/rescue (start|restart)/);
      expect(next.slice(0, 2)).toEqual(['  epiloop --profile rescue config set gateway.bind loopback', expect.stringMatching(/^ {6}set an address of this host: the gateway refuses to start on /)]);
    }
    const onHost = hostFacts({ config: '{ gateway: { port: 20000, bind: "10.9.9.9" } }', addresses: ['127.0.0.1', '::1', '192.0.2.2', 'fd00::2', '10.9.9.9'] });
    const state = initialState(onHost);
    expect(summaryOf(state).join('\n')).not.toContain('not an address of this host');
    expect(summaryOf(state)).toContain('  other machines can reach it at 10.9.9.9: every port but /health demands the token');
    const done = doneLines({ ...state, outcome }).map((l) => l.text);
    expect(done).toContain('  network  other machines can reach it at 10.9.9.9: every port but /health demands the token');
    expect(done).toContain('  epiloop --profile rescue start   start the gateway (a detached process)');
  });

  it('preselects loopback on the Network step where the config binds an address this host lacks (the fix the repair list names); keeping the address is a choice of its own, not "lan" (new-user pass)', () => {
    const bindStep = questionAt('bind');
    if (bindStep?.kind !== 'choice') throw new Error('no bind question');
    const config = '{ gateway: { port: 20000, bind: "10.0.0.5" } }';
    const facts = hostFacts({ config });
    const off = initialState(facts);
    expect(off.answers.bind).toBe('loopback');
    expect(bindStep.note!(off)).toEqual([{ text: '! The config has gateway.bind 10.0.0.5, not an address of this host: the gateway refuses to start with it.', tone: 'warn' }]);
    expect(choicesOf(bindStep, off).map((c) => [c.word, c.detail(off)])).toEqual([
      ['loopback', 'this machine only: every port listens on 127.0.0.1, in place of 10.0.0.5'],
      ['lan', 'other machines too, on 0.0.0.0 in place of 10.0.0.5: every port but /health demands the token'],
      ['keep', '10.0.0.5 (not on this host): the gateway refuses to start until gateway.bind is changed or this host has 10.0.0.5'],
    ]);
    // Each choice as written: loopback drops the address, lan listens on every interface, keep leaves the file as it is.
    const written = (bind: WizardState['answers']['bind']) => JSON5.parse(previewConfig({ ...off.answers, bind }, facts)).gateway.bind;
    expect(written('loopback')).toBeUndefined();
    expect(written('lan')).toBe('lan');
    expect(written('keep')).toBe('10.0.0.5');
    // On a host that has the address, nothing is stranded: lan keeps it and reaches other machines, and there is no third choice.
    const on = initialState(hostFacts({ config, addresses: ['127.0.0.1', '::1', '192.0.2.2', 'fd00::2', '10.0.0.5'] }));
    expect(on.answers.bind).toBe('lan');
    expect(bindStep.note!(on)).toEqual([]);
    expect(choicesOf(bindStep, on).map((c) => c.word)).toEqual(['loopback', 'lan']);
    expect(reachDetail(on)).toBe('other machines too: gateway.bind 10.0.0.5 kept, every port but /health demands the token');
    expect(bindStep.note!(initialState(hostFacts()))).toEqual([]);
    expect(choicesOf(bindStep, initialState(hostFacts())).map((c) => c.word)).toEqual(['loopback', 'lan']);
  });

  it('on the Network step over a bind this host lacks, Enter takes loopback and ↓↓ Enter keeps the address (new-user pass)', () => {
    const config = '{ gateway: { port: 20000, bind: "10.0.0.5" } }';
    const atBind = { ...initialState(hostFacts({ config })), step: 'service' as const, service: { usable: false, kind: 'systemd', reason: 'systemd is not running on this host.' } as const };
    const onBind = feed(atBind, 'enter');
    expect(onBind.step).toBe('bind');
    expect(feed(onBind, 'enter').answers.bind).toBe('loopback');
    expect(feed(onBind, 'down', 'enter').answers.bind).toBe('lan');
    expect(feed(onBind, 'down', 'down', 'enter').answers.bind).toBe('keep');
    // The cursor stops at the last choice offered.
    expect(feed(onBind, 'down', 'down', 'down', 'enter').answers.bind).toBe('keep');
  });

  it('points the Service step at the bind first where the gateway would refuse to start (the address kept on Network, then back): no bare start command (new-user pass)', () => {
    const service = questionAt('service');
    if (service?.kind !== 'choice') throw new Error('no service question');
    const config = '{ gateway: { port: 20000, bind: "10.9.9.9" } }';
    const fixFirst = [
      { text: '! gateway.bind 10.9.9.9 is not an address of this host: the gateway refuses to start until gateway.bind is changed or this host has 10.9.9.9.', tone: 'warn' },
      { text: 'Choose loopback on the Network step next; to do it later instead, run:', tone: 'plain' },
      { text: '    epiloop --profile rescue config set gateway.bind loopback', tone: 'accent' },
    ];
    const initial = initialState(hostFacts({ config }));
    // By default the Network step fixes it: nothing to fix first.
    expect(service.note!({ ...initial, service: { usable: true, kind: 'systemd' } })).toEqual([]);
    const off = { ...initial, answers: { ...initial.answers, bind: 'keep' as const } };
    const unusable = { ...off, service: { usable: false, kind: 'systemd', reason: 'systemd is not running on this host.' } as const };
    const closed = service.offer!(unusable);
    expect(closed.state === 'closed' && closed.say).toEqual([
      { text: 'No service will be installed: systemd is not running on this host.', tone: 'plain' },
      { text: '', tone: 'plain' },
      ...fixFirst,
      { text: 'Then start the gateway (a detached process) with:', tone: 'plain' },
      { text: '    epiloop --profile rescue start', tone: 'accent' },
    ]);
    const usable = { ...off, service: { usable: true, kind: 'systemd' } as const };
    expect(service.note!(usable)).toEqual(fixFirst);
    expect(service.choices[1]!.detail(usable)).toBe('start it yourself once gateway.bind is fixed: epiloop --profile rescue start');
    // Loopback chosen on the Network step, then back: the start is the advice again.
    const loopback = { ...usable, answers: { ...usable.answers, bind: 'loopback' as const } };
    expect(service.note!(loopback)).toEqual([]);
    expect(service.choices[1]!.detail(loopback)).toBe('start it yourself: epiloop --profile rescue start');
    // A host that has the address: nothing to fix first.
    const on = initialState(hostFacts({ config, addresses: ['127.0.0.1', '::1', '192.0.2.2', 'fd00::2', '10.9.9.9'] }));
    expect(service.note!({ ...on, service: usable.service })).toEqual([]);
    const onClosed = service.offer!({ ...on, service: unusable.service });
    expect(onClosed.state === 'closed' && onClosed.say.map((l) => l.text)).toEqual(['No service will be installed: systemd is not running on this host.', '', 'Start the gateway (a detached process) when you need it:', '    epiloop --profile rescue start']);
  });

  it('warns beside the service it installs that the gateway it runs refuses to start on a bind this host lacks', () => {
    const config = '{ gateway: { port: 20000, bind: "10.9.9.9" } }';
    const installing = (facts: ReturnType<typeof hostFacts>, bind: 'keep' | 'lan') => {
      const state = initialState(facts);
      return summaryBody({ ...state, service: { usable: true, kind: 'systemd' }, answers: { ...state.answers, installService: true, bind } });
    };
    const off = installing(hostFacts({ config }), 'keep');
    const at = off.findIndex((l) => l.text === 'Service');
    expect(off.slice(at + 1, at + 4)).toEqual([
      { text: '  install and start epiloop-gateway-rescue.service (systemd user unit), which runs', tone: 'plain' },
      { text: '    epiloop --profile rescue gateway --port 20000', tone: 'accent' },
      { text: '  ! the gateway refuses to start on 10.9.9.9 (see Network): the service fails until then', tone: 'warn' },
    ]);
    const on = installing(hostFacts({ config, addresses: ['127.0.0.1', '::1', '192.0.2.2', 'fd00::2', '10.9.9.9'] }), 'lan');
    expect(on.map((l) => l.text).join('\n')).not.toContain('refuses to start');
  });

  it('starts from what the config means: "all" or a LAN address of this host is lan, any loopback address loopback, an address this host lacks loopback', () => {
    const bindOf = (bind: string) => initialState(hostFacts({ config: `{ gateway: { port: 20000, bind: ${JSON.stringify(bind)} } }`, addresses: ['127.0.0.1', '::1', '192.168.1.5'] })).answers.bind;
    expect(bindOf('all')).toBe('lan');
    expect(bindOf('0.0.0.0')).toBe('lan');
    expect(bindOf('192.168.1.5')).toBe('lan');
    expect(bindOf('127.0.0.2')).toBe('loopback');
    expect(bindOf('localhost')).toBe('loopback');
    expect(bindOf('everywhere')).toBe('loopback');
    expect(bindOf('10.0.0.5')).toBe('loopback');
    expect(initialState(hostFacts({ given: { bind: 'lan' } })).answers.bind).toBe('lan');
  });
});
