import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/argv';
import { COMMANDS } from '../../src/commands/registry';
import type { Answers, ServiceSupport, WizardFacts } from '../../src/core/wizard/facts';
import { FLOW, initialState } from '../../src/core/wizard/state';
import { previewConfig } from '../../src/core/wizard/plan';
import { ANSWER_FLAGS, QUESTIONS, answerFlagsGiven, choicesOf, givenAnswers, initialAnswers, questionAt, settleAnswers, type ChoiceQuestion, type ConfigEditor, type Known } from '../../src/core/wizard/questions';
import { HostError, UsageError } from '../../src/core/errors';
import { noTerminalMessage, wantsLineMode } from '../../src/core/wizard/terminal';
import type { ApplyOutcome, ProbeAnswer, WizardState } from '../../src/core/wizard/model';
import { createOutput } from '../../src/ui/output';
import type { WizardIO } from '../../src/ui/wizard/io';
import { plainWizard, type Prompts } from '../../src/ui/wizard/plain';
import type { CommandContext } from '../../src/ui/context';
import { HOME, PROPOSALS, feed, found, hostFacts, probed } from './fixtures';
import { runs } from '../helpers/runs';

const CWD = '/srv/here';
const PLACE = { home: HOME, cwd: CWD, env: {}, invocation: 'epiloop --profile rescue' };
const USABLE: ServiceSupport = { usable: true, kind: 'systemd' };
const proposed = { type: 'proposed', proposals: PROPOSALS } as const;
const serviceEvent = { type: 'service', support: USABLE } as const;
const onboard = COMMANDS.find((c) => c.path.join(' ') === 'onboard')!;

// ── the Ink front-end: the reducer, keys in ──

/** Walks the Ink wizard with Enter from welcome to the summary, noting the question steps it passes. */
function inkSteps(): string[] {
  let state = feed(initialState(hostFacts()), proposed, serviceEvent);
  const steps: string[] = [];
  for (let i = 0; i < 20 && state.step !== 'summary'; i++) {
    if (questionAt(state.step)) steps.push(state.step);
    state = feed(state, 'enter');
    if (state.step === 'port' || state.port.confirming) state = feed(state, probed(state.answers.base));
  }
  return steps;
}

/** The state on a question's step, the answers before it taken as they come. */
function inkAt(step: string, facts: WizardFacts = hostFacts()): WizardState {
  let state = feed(initialState(facts), proposed, serviceEvent, 'enter');
  for (let i = 0; i < 10 && state.step !== step; i++) state = feed(state, probed(state.answers.base), 'enter');
  expect(state.step).toBe(step);
  return state;
}

type Verdict = { ok: true; value: unknown } | { ok: false; reason: string };

function inkField(state: WizardState, text: string, answered: (s: WizardState) => unknown): Verdict {
  const after = feed(state, 'ctrlU', { text }, 'enter');
  if (after.field.error !== null) return { ok: false, reason: after.field.error };
  expect(after.step).not.toBe(state.step);
  return { ok: true, value: answered(after) };
}

// ── the --plain front-end: its prompts, recorded ──

interface Asked {
  type: 'select' | 'input' | 'confirm';
  message: string;
  choices?: string[];
  validate?: (text: string) => true | string | Promise<true | string>;
}

function freePorts(): Promise<ProbeAnswer> {
  return Promise.resolve({ listeners: new Map() });
}

/** Runs --plain with prompts that take every default, except the choices given by message; returns what was asked and written. */
async function plainRun(
  facts: WizardFacts,
  pick: Record<string, string | string[]> = {},
  probe: WizardIO['probe'] = freePorts,
): Promise<{ asked: Asked[]; written: Answers | null; printed: string[] }> {
  const asked: Asked[] = [];
  const printed: string[] = [];
  // A list answers the same question again and again, in order (a "back" first, then an answer).
  const answer = (message: string, fallback: string | undefined) => {
    const p = pick[message];
    return Array.isArray(p) ? (p.length > 1 ? p.shift()! : p[0]) : (p ?? fallback);
  };
  let written: Answers | null = null;
  const prompts = {
    select: async (config: { message: string; default?: string; choices: { value: string }[] }) => {
      asked.push({ type: 'select', message: config.message, choices: config.choices.map((c) => c.value) });
      return answer(config.message, config.default);
    },
    input: async (config: { message: string; default?: string; validate?: Asked['validate'] }) => {
      asked.push({ type: 'input', message: config.message, validate: config.validate });
      // As @inquirer/prompts does: the answer is taken only once validate says true.
      const text = answer(config.message, config.default) ?? '';
      const verdict = config.validate ? await config.validate(text) : true;
      if (verdict !== true) {
        printed.push(`> ${verdict}`);
        return answer(config.message, config.default) ?? '';
      }
      printed.push(`✔ ${config.message} ${text}`);
      return text;
    },
    confirm: async (config: { message: string }) => {
      asked.push({ type: 'confirm', message: config.message });
      return true;
    },
  } as unknown as Prompts;
  const io: WizardIO = {
    propose: async () => PROPOSALS,
    probe,
    resolve: async (p) => p,
    detectService: async () => USABLE,
    apply: async (answers) => {
      written = answers;
      return { configPath: facts.paths.configPath, backupPath: null, stateDirCreated: true, written: true, runningPid: null, service: { ok: true, lines: [] }, base: answers.base } satisfies ApplyOutcome;
    },
    planRepair: () => Promise.reject(new Error('no repair here')),
    applyRepair: () => Promise.reject(new Error('no repair here')),
  };
  const sink = { write: (text: string) => printed.push(text.trimEnd()) > 0, isTTY: false, columns: 80 } as unknown as NodeJS.WriteStream;
  const ctx: CommandContext = {
    flags: {},
    positionals: [],
    paths: facts.paths,
    env: {},
    home: HOME,
    cwd: CWD,
    out: createOutput({ stdout: sink, stderr: sink, env: { NO_COLOR: '1' } }),
    invocation: facts.invocation,
  };
  expect(await plainWizard(ctx, prompts, facts, io)).toBe(0);
  return { asked, written, printed };
}

async function plainValidator(message: string, pick: Record<string, string> = {}, facts = hostFacts()): Promise<(text: string) => Promise<Verdict>> {
  const { asked } = await plainRun(facts, pick);
  const validate = asked.find((a) => a.type === 'input' && a.message === message)!.validate!;
  return async (text) => {
    const verdict = await validate(text);
    return verdict === true ? { ok: true, value: text } : { ok: false, reason: verdict };
  };
}

describe('the line mode (--plain) reads like the wizard (issue 13)', () => {
  it('is what TERM=dumb gets without asking for it', () => {
    expect(wantsLineMode(undefined, { TERM: 'dumb' })).toBe(true);
    expect(wantsLineMode(true, { TERM: 'xterm-256color' })).toBe(true);
    expect(wantsLineMode(undefined, { TERM: 'xterm-256color' })).toBe(false);
  });

  it('says what the Network step says of a bind this host lacks: loopback by default, the address kept only when chosen, and asks to finish where nothing is written', async () => {
    const config = '{\n  gateway: { port: 20000, bind: "10.9.9.9", auth: { token: "abcdefghijklmnopqrstuvwxyz" } },\n  agents: { defaults: { workspace: "~/.epiloop/workspace-rescue" } },\n  watch: { profiles: ["main"] },\n}\n';
    const facts = found(hostFacts({ config }), 'state dir');
    const fixed = await plainRun(facts, { 'Install the gateway as a service now?': 'no' });
    expect(fixed.printed).toContain('! The config has gateway.bind 10.9.9.9, not an address of this host: the gateway refuses to start with it.');
    expect(fixed.asked.find((a) => a.message === 'Who may reach this gateway?')!.choices).toEqual(['loopback', 'lan', 'keep', 'back']);
    expect(fixed.written!.bind).toBe('loopback');
    expect(fixed.asked.at(-1)).toEqual({ type: 'confirm', message: 'Write it?' });
    const { asked, printed, written } = await plainRun(facts, { 'Install the gateway as a service now?': 'no', 'Who may reach this gateway?': 'keep' });
    expect(written!.bind).toBe('keep');
    expect(printed).toContain('  ! gateway.bind 10.9.9.9 is not an address of this host: the gateway refuses to start until gateway.bind is changed or this host has 10.9.9.9.');
    expect(asked.at(-1)).toEqual({ type: 'confirm', message: 'Nothing to write. Finish?' });
    const fresh = await plainRun(hostFacts());
    expect(fresh.printed.join('\n')).not.toContain('not an address of this host');
    expect(fresh.asked.at(-1)).toEqual({ type: 'confirm', message: 'Write it?' });
  });

  it('opens with the profile header and the step of each question', async () => {
    const { printed } = await plainRun(hostFacts());
    expect(printed[0]).toBe('epiloop onboard · profile rescue');
    expect(printed).toContain(`Step 1/${QUESTIONS.length} · ${QUESTIONS[0]!.title}`);
  });

  it('goes back a question on a "back" answer, keeping the answer given there', async () => {
    const { asked, written } = await plainRun(hostFacts(), { Workspace: ['back', '/srv/ws'], [QUESTIONS[0]!.prompt]: 'main' });
    const messages = asked.map((a) => a.message);
    const role = QUESTIONS[0]!.prompt;
    expect(messages.filter((m) => m === role)).toHaveLength(2);
    expect(messages.indexOf('Workspace')).toBeLessThan(messages.lastIndexOf(role));
    expect(written).toMatchObject({ role: 'main', workspace: '/srv/ws' });
  });

  it('refuses a taken base in the field, before anything says it was taken', async () => {
    const taken = 19789;
    const probe: WizardIO['probe'] = async (fp) => ({ listeners: new Map(fp.gateway === taken ? [[taken, [{ address: '127.0.0.1', pid: 812, command: 'nginx' }]]] : []) });
    const { printed, written } = await plainRun(hostFacts(), { 'Base port': [String(taken), '21000'] }, probe);
    const refusal = printed.findIndex((l) => l.startsWith('> ') && l.includes('nginx'));
    expect(refusal).toBeGreaterThan(-1);
    expect(printed.some((l) => l.startsWith(`✔ Base port ${taken}`))).toBe(false);
    expect(written!.base).toBe(21000);
  });
});

// ── the --non-interactive front-end: argv through onboard's flag specs, then settleAnswers ──

function nonInteractive(argv: string[], facts: Partial<Parameters<typeof hostFacts>[0]> = {}): { ok: true; answers: Answers } | { ok: false; message: string } {
  try {
    const { flags } = parseFlags(argv, { commandName: 'epiloop onboard', flags: onboard.flags });
    const given = givenAnswers(flags, PLACE);
    return { ok: true, answers: settleAnswers(hostFacts({ ...facts, given }), { proposals: PROPOSALS, service: USABLE }) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** Text a terminal can type into a field: printable, no control characters. */
const printable = fc.string({ unit: fc.constantFrom(...'abz AZ09./~-_é:?#%@'.split('')), maxLength: 24 });

describe('the questions table drives every front-end', () => {
  it('asks the same questions in the same order: Ink steps, --plain prompts, onboard flags, --non-interactive answers', async () => {
    const steps = QUESTIONS.map((q) => q.step);
    expect(FLOW).toEqual(['welcome', ...steps, 'summary', 'apply']);
    expect(inkSteps()).toEqual(steps);

    const { asked, written } = await plainRun(hostFacts());
    const prompts = QUESTIONS.map((q) => q.prompt);
    expect(asked.map((a) => a.message).filter((m) => prompts.includes(m))).toEqual(prompts);
    for (const q of QUESTIONS.filter((x): x is ChoiceQuestion => x.kind === 'choice')) {
      const words = choicesOf(q, inkAt(q.step)).map((c) => c.word);
      // Every list but the first also offers "back".
      expect(asked.find((a) => a.message === q.prompt)!.choices).toEqual(q === QUESTIONS[0] ? words : [...words, 'back']);
    }

    const flagNames = onboard.flags.map((f) => f.name);
    for (const flag of ANSWER_FLAGS) expect(flagNames).toContain(flag.name);
    for (const flag of ANSWER_FLAGS) expect(noTerminalMessage('epiloop', 'main', {})).toContain(`--${flag.name}`);

    const settled = nonInteractive([]);
    expect(settled.ok && Object.keys(settled.answers).sort()).toEqual(QUESTIONS.map((q) => q.name).sort());
    // With every default taken, the three agree on every answer too.
    const ink = feed(inkAt('bind'), 'enter');
    expect(ink.step).toBe('summary');
    expect(settled.ok && settled.answers).toEqual(ink.answers);
    expect(written).toEqual(ink.answers);
  });

  it('gives every question a flag that answers it, read through onboard\'s flag specs', () => {
    const argv = ['--role', 'main', '--workspace', '~/bots/main', '--port', '21000', '--browser', 'local', '--no-install-service', '--bind', 'lan'];
    const settled = nonInteractive(argv);
    expect(settled).toEqual({
      ok: true,
      answers: { role: 'main', workspace: `${HOME}/bots/main`, base: 21000, browser: { kind: 'local' }, installService: false, bind: 'lan' },
    });
    const { flags } = parseFlags(argv, { commandName: 'epiloop onboard', flags: onboard.flags });
    expect(Object.keys(givenAnswers(flags, PLACE)).sort()).toEqual(QUESTIONS.map((q) => q.name).sort());
  });

  it('takes a choice flag\'s word exactly when the wizard offers that choice (on a host with no bind to keep)', () => {
    for (const q of QUESTIONS.filter((x): x is ChoiceQuestion => x.kind === 'choice' && x.flags[0]!.type === 'string')) {
      const flag = q.flags[0]!.name;
      const words = choicesOf(q, inkAt(q.step)).map((c) => c.word);
      fc.assert(
        fc.property(fc.oneof(fc.constantFrom(...words), printable), (word) => {
          const result = nonInteractive([`--${flag}=${word}`, ...(q.name === 'browser' && word === 'remote' ? ['--cdp-url', 'http://127.0.0.1:9333'] : [])]);
          expect(result.ok, `--${flag} ${word}`).toBe(words.includes(word));
          // What the flag cannot say may follow, in a sentence of its own (--bind: an address).
          if (!result.ok) expect(result.message.startsWith(`--${flag} is "${word}"; use ${words.map((w) => `--${flag} ${w}`).join(' or ')}.`), result.message).toBe(true);
        }),
        { numRuns: runs(60) },
      );
      // The wizard's list: ↓ stops at the last choice, each choice in the table's order.
      const at = inkAt(q.step);
      const picked = words.map((_, i) => feed(at, ...Array.from({ length: words.length }, () => 'up' as const), ...Array.from({ length: i }, () => 'down' as const)).cursor);
      expect(picked).toEqual(words.map((_, i) => i));
    }
  });

  it('checks a workspace alike everywhere: the same verdict and the same words for the same text', async () => {
    const paths = inkAt('paths');
    const plain = await plainValidator('Workspace');
    const texts = fc.oneof(
      printable,
      printable.map((t) => `/${t}`),
      printable.map((t) => `~/${t}`),
      fc.constantFrom('', '  ', '~', '~/.epiloop/workspace-main', `${HOME}/.epiloop/workspace-main`, `${HOME}/.epiloop-rescue`, ' /srv/ws ', '~/ /', '~/ /.', 'work', './w'),
    );
    await fc.assert(
      fc.asyncProperty(texts, async (text) => {
        const ink = inkField(paths, text, (s) => s.answers.workspace);
        expect(await plain(text), text).toEqual(ink.ok ? { ok: true, value: text } : ink);
        const flag = nonInteractive([`--workspace=${text}`]);
        const trimmed = text.trim();
        if (trimmed === '') {
          expect(flag).toEqual({ ok: false, message: '--workspace needs a directory path.' });
        } else if (trimmed === '~' || trimmed.startsWith('/') || trimmed.startsWith('~/')) {
          if (ink.ok) expect(flag, text).toEqual({ ok: true, answers: expect.objectContaining({ workspace: ink.value }) });
          else expect(flag.ok === false && flag.message, text).toMatch(new RegExp(`^--workspace .*: ${ink.reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.$`));
        } else {
          // A relative path: the field has no directory to take it from and refuses it; a flag takes it from where the command runs.
          expect(ink.ok).toBe(false);
          expect(flag).toEqual(nonInteractive([`--workspace=${path.join(CWD, trimmed)}`]));
        }
      }),
      { numRuns: runs(300) },
    );
  });

  it('checks a remote Chrome\'s URL alike everywhere', async () => {
    const field = feed(inkAt('browser'), 'down', 'enter');
    expect(field.editing).toBe(true);
    const plain = await plainValidator('CDP URL', { 'Chrome for this gateway': 'remote', 'CDP URL': 'http://127.0.0.1:9333' });
    const urls = fc.oneof(fc.webUrl(), printable, fc.constantFrom('', 'http://127.0.0.1:9222', ' http://127.0.0.1:9333 ', 'ftp://host/', 'ws://h:1', 'wss://h/x'));
    await fc.assert(
      fc.asyncProperty(urls, async (url) => {
        const ink = inkField(field, url, (s) => s.answers.browser);
        expect(await plain(url), url).toEqual(ink.ok ? { ok: true, value: url } : ink);
        const flag = nonInteractive([`--cdp-url=${url}`]);
        if (ink.ok) expect(flag, url).toEqual({ ok: true, answers: expect.objectContaining({ browser: ink.value }) });
        else expect(flag, url).toEqual({ ok: false, message: `--cdp-url ${url}: ${ink.reason}.` });
      }),
      { numRuns: runs(300) },
    );
  });

  it('checks a base port alike everywhere (the flag names itself --port where the field says "base port")', async () => {
    const facts = hostFacts({ others: [] });
    const port = inkAt('port', facts);
    const plain = await plainValidator('Base port', {}, facts);
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^\d{1,5}$/), async (digits) => {
        const ink = feed(port, ...digits.split('').map((text) => ({ text })), 'enter');
        const verdict: Verdict = ink.port.error === null ? { ok: true, value: digits } : { ok: false, reason: ink.port.error };
        expect(await plain(digits), digits).toEqual(verdict);
        const flag = nonInteractive([`--port=${digits}`], { others: [] });
        if (verdict.ok) expect(flag, digits).toEqual({ ok: true, answers: expect.objectContaining({ base: Number(digits) }) });
        else expect(flag, digits).toEqual({ ok: false, message: verdict.reason.replace(/^base port/, '--port') });
      }),
      { numRuns: runs(200) },
    );
  });
});

describe('the questions table in its own words (what mutation testing found unchecked)', () => {
  const UNUSABLE: ServiceSupport = { usable: false, kind: 'systemd', reason: 'systemd is not running on this host.' };
  const choice = (name: string) => QUESTIONS.find((q) => q.name === name) as ChoiceQuestion;
  const known = (facts: WizardFacts, service: ServiceSupport | null = USABLE): Known => ({ facts, answers: initialAnswers(facts), proposals: PROPOSALS, service });
  /** What the bind question's write does to a config whose gateway.bind is `current`: the editor calls it makes. */
  function writeBind(current: unknown, bind: 'loopback' | 'lan'): string[] {
    const k = known(hostFacts());
    const calls: string[] = [];
    const editor: ConfigEditor = { get: () => current, set: (keys, value) => void calls.push(`set ${keys.join('.')} ${String(value)}`), remove: (keys) => void calls.push(`remove ${keys.join('.')}`) };
    choice('bind').write!(editor, { ...k, answers: { ...k.answers, bind } });
    return calls;
  }
  const details = (name: string, k: Known) => choicesOf(choice(name), k).map((c) => c.detail(k));
  const texts = (lines: { text: string }[]) => lines.map((l) => l.text);
  /** --non-interactive with these flags on this host. */
  const settle = (flags: Record<string, unknown>, facts: Parameters<typeof hostFacts>[0] = {}, host: Pick<Known, 'proposals' | 'service'> = { proposals: PROPOSALS, service: USABLE }) =>
    settleAnswers(hostFacts({ ...facts, given: givenAnswers(flags, PLACE) }), host);
  const NO_FREE_BASE = { ...PROPOSALS, rescue: null };

  it("words each choice as the wizard lists it: the role's start and whom a rescue watches", () => {
    expect(details('role', known(hostFacts()))).toEqual(['the everyday gateway; base proposed from 19789', 'a second gateway that watches main; base from 19789']);
    expect(details('role', known(hostFacts({ profile: null, others: [] })))).toEqual(['the everyday gateway; base proposed from 18789', 'a second gateway that would watch main, once there is one; base from 19789']);
    expect(details('browser', known(hostFacts()))).toEqual(['browser profile "default" on CDP port 19800 (from 19800–19899)', 'a Chrome you run yourself, reached at a CDP URL']);
    expect(details('installService', known(hostFacts()))).toEqual(['epiloop-gateway-rescue.service (systemd user unit), started now and at login', 'start it yourself: epiloop --profile rescue start']);
    expect(details('installService', known(hostFacts(), { usable: true, kind: 'launchd' }))[0]).toBe('ai.epiloop.gateway.rescue (launchd agent), started now and at login');
    expect(details('bind', known(hostFacts()))).toEqual(['this machine only: every port listens on 127.0.0.1', 'other machines too, on 0.0.0.0: every port but /health demands the token']);
  });

  it('says why there is nothing to choose on the service step, and what to run instead', () => {
    const service = choice('installService');
    expect(service.offer!(known(hostFacts(), null))).toEqual({ state: 'pending', say: [{ text: 'Checking for a service manager (systemd or launchd)…', tone: 'plain' }] });
    expect(service.offer!(known(hostFacts()))).toEqual({ state: 'open' });
    const closed = service.offer!(known(hostFacts(), UNUSABLE));
    expect(closed.state === 'closed' && { answer: closed.answer, say: texts(closed.say), refusal: closed.refusal }).toEqual({
      answer: false,
      say: ['No service will be installed: systemd is not running on this host.', '', 'Start the gateway (a detached process) when you need it:', '    epiloop --profile rescue start'],
      refusal: '--install-service: systemd is not running on this host. Nothing was written. Use --no-install-service and start it with "epiloop --profile rescue start".',
    });
    // The command to run instead stands out as every command the wizard shows does.
    expect(closed.state === 'closed' && closed.say.at(-1)).toEqual({ text: '    epiloop --profile rescue start', tone: 'accent' });
  });

  it('sums up the browser and the network in the words of the summary and the done screen', () => {
    const k = { ...known(hostFacts()), restartDue: false };
    const browser = choice('browser');
    expect(browser.summary(k)).toEqual([]);
    expect(texts(browser.summary({ ...k, answers: { ...k.answers, browser: { kind: 'remote', cdpUrl: 'http://127.0.0.1:9333' } } }))).toEqual(['Browser', '  remote Chrome at http://127.0.0.1:9333']);
    const bind = choice('bind');
    const lan = { ...k, answers: { ...k.answers, bind: 'lan' as const } };
    expect(bind.summary(k)).toEqual([{ text: 'Network', tone: 'heading' }, { text: '  this machine only: every port listens on 127.0.0.1', tone: 'plain' }]);
    expect(bind.summary(lan)).toEqual([
      { text: 'Network', tone: 'heading' },
      { text: '  from the LAN at 0.0.0.0: every port but /health demands the token', tone: 'warn' },
      { text: '    (gateway.auth.token in ~/.epiloop-rescue/epiloop.json)', tone: 'warn' },
    ]);
    expect(bind.done!(k)).toEqual([{ text: '  network  this machine only (127.0.0.1)', tone: 'plain' }]);
    expect(bind.done!(lan)).toEqual([
      { text: '  network  from the LAN at 0.0.0.0: every port but /health demands the token', tone: 'warn' },
      { text: '           (gateway.auth.token in ~/.epiloop-rescue/epiloop.json)', tone: 'warn' },
    ]);
    // A gateway still running the old config reaches as far as before until it restarts.
    expect(bind.done!({ ...lan, restartDue: true })[0]).toEqual({ text: '  network  once restarted, from the LAN at 0.0.0.0: every port but /health demands the token', tone: 'warn' });
  });

  it('writes gateway.bind only where the reach changes, keeping a spelling that already means the answer', () => {
    const write = writeBind;
    expect(write(undefined, 'lan')).toEqual(['set gateway.bind lan']);
    expect(write('all', 'lan')).toEqual([]);
    expect(write('lan', 'loopback')).toEqual(['remove gateway.bind']);
    expect(write('127.0.0.1', 'loopback')).toEqual([]);
  });

  it('replaces a gateway.bind the gateway would refuse with the answer, whatever its type (onboard over an invalid config)', () => {
    const write = writeBind;
    for (const current of ['nowhere', 5, true, null, ['lan'], {}]) {
      expect(write(current, 'loopback'), JSON.stringify(current)).toEqual(['remove gateway.bind']);
      expect(write(current, 'lan'), JSON.stringify(current)).toEqual(['set gateway.bind lan']);
    }
    // Modify from the repair list on `bind: 5`: the summary says "this machine only", and so does the file written.
    const facts = hostFacts({ config: '{ gateway: { port: 19789, bind: 5 } }' });
    const answers = initialAnswers(facts);
    expect(answers.bind).toBe('loopback');
    expect(previewConfig(answers, facts)).not.toContain('bind');
  });

  it('reads its defaults from a config that leaves the keys out, and from none', () => {
    for (const config of [null, '{}', '{ gateway: {} }', '{ browser: {} }', '{ browser: { profiles: {} } }', '{ browser: { profiles: { other: { cdpUrl: "http://127.0.0.1:9333" } } } }', '{ gateway: { bind: "::1" } }']) {
      expect(initialAnswers(hostFacts({ config })), config ?? 'no config').toMatchObject({ base: 19789, browser: { kind: 'local' }, bind: 'loopback', installService: false });
    }
    expect(initialAnswers(hostFacts({ config: '{ gateway: { port: 21000, bind: "lan" }, browser: { profiles: { default: { cdpUrl: "http://127.0.0.1:9333" } } } }' }))).toMatchObject({
      base: 21000,
      browser: { kind: 'remote', cdpUrl: 'http://127.0.0.1:9333' },
      bind: 'lan',
    });
    // The service is answered yes by default only where a service manager is usable.
    expect(initialAnswers(hostFacts(), { proposals: PROPOSALS, service: USABLE }).installService).toBe(true);
    expect(initialAnswers(hostFacts(), { proposals: PROPOSALS, service: UNUSABLE }).installService).toBe(false);
  });

  it('takes the flags as onboard gives them: ~ alone, --[no-]install-service, and the browser flags that contradict', () => {
    expect(givenAnswers({ workspace: '~' }, PLACE)).toEqual({ workspace: HOME });
    expect(givenAnswers({ workspace: 'work' }, PLACE)).toEqual({ workspace: path.join(CWD, 'work') });
    // Typed in a directory removed under the shell: the flag is named in the refusal.
    expect(() => givenAnswers({ workspace: 'work' }, { ...PLACE, cwd: null })).toThrow(
      new UsageError('--workspace: the current directory no longer exists; give --workspace as an absolute path (or one starting with ~/).'),
    );
    // An address is no answer to --bind, but a config value: the refusal names the command that sets it.
    expect(() => givenAnswers({ bind: '127.0.0.1' }, PLACE)).toThrow(
      new UsageError('--bind is "127.0.0.1"; use --bind loopback or --bind lan. A specific address is set with "epiloop --profile rescue config set gateway.bind <address>".'),
    );
    expect(givenAnswers({ 'install-service': true }, PLACE)).toEqual({ installService: true });
    expect(givenAnswers({ 'install-service': false }, PLACE)).toEqual({ installService: false });
    expect(() => givenAnswers({ browser: 'local', 'cdp-url': 'http://127.0.0.1:9333' }, PLACE)).toThrow(new UsageError('--cdp-url names a remote Chrome; drop it, or use --browser remote.'));
    expect(() => givenAnswers({ browser: 'remote' }, PLACE)).toThrow(new UsageError('--browser remote needs the Chrome\'s address: add --cdp-url <url>, e.g. --cdp-url http://127.0.0.1:9222.'));
    expect(givenAnswers({ browser: 'remote', 'cdp-url': 'http://127.0.0.1:9333' }, PLACE)).toEqual({ browser: { kind: 'remote', cdpUrl: 'http://127.0.0.1:9333' } });
  });

  it('--non-interactive without a free base stops unless a base is given or configured', () => {
    const refusal = new HostError('no free base port was found on this host for a whole footprint (111 ports); free some ports or pass --port.');
    expect(() => settle({}, {}, { proposals: NO_FREE_BASE, service: USABLE })).toThrow(refusal);
    for (const config of ['{}', '{ gateway: {} }']) expect(() => settle({}, { config }, { proposals: NO_FREE_BASE, service: USABLE })).toThrow(refusal);
    expect(settle({ port: 21000 }, {}, { proposals: NO_FREE_BASE, service: USABLE }).base).toBe(21000);
    expect(settle({}, { config: '{ gateway: { port: 21000 } }' }, { proposals: NO_FREE_BASE, service: USABLE }).base).toBe(21000);
    // No probe answer at all: the role's start, as the wizard shows it before the probe answers.
    expect(settle({}, {}, { proposals: null, service: USABLE }).base).toBe(19789);
  });

  it('--non-interactive where no service manager is usable: no service, and --install-service refused in its words', () => {
    const host = { proposals: PROPOSALS, service: UNUSABLE };
    expect(settle({}, {}, host).installService).toBe(false);
    expect(settle({ 'install-service': false }, {}, host).installService).toBe(false);
    expect(() => settle({ 'install-service': true }, {}, host)).toThrow(
      new HostError('--install-service: systemd is not running on this host. Nothing was written. Use --no-install-service and start it with "epiloop --profile rescue start".'),
    );
  });

  it('repeats the answer flags of a run as typed, in the table\'s order, and nothing else', () => {
    expect(answerFlagsGiven({ bind: 'lan', 'install-service': false, port: 19789, role: 'rescue', verbose: true })).toEqual(['--role rescue', '--port 19789', '--no-install-service', '--bind lan']);
    expect(answerFlagsGiven({ 'install-service': true, 'cdp-url': 'http://127.0.0.1:9333' })).toEqual(['--cdp-url http://127.0.0.1:9333', '--install-service']);
    expect(answerFlagsGiven({})).toEqual([]);
  });
});
