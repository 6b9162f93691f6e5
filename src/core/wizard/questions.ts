/**
 * The onboarding questions, one row each: the flag that answers it without asking, its
 * choices and their words, its default (a function of the facts), its check, how it goes
 * into the config, and how it reads in the summary. onboard's flags, the Ink steps,
 * `--plain` and `--non-interactive` all read this table — the way create-vite's FRAMEWORKS
 * table drives its prompts, with a flag that skips each one.
 *
 * Adding a question: its key in Answers (facts.ts), its step in QuestionStep, its row in QUESTIONS.
 * A choice question needs nothing else; the port step keeps its own live map (PortStep).
 * Light on purpose: the CLI reads the flags from here on every start.
 */
import { HostError, UsageError } from '../errors';
import { bindAddressFix, bindHost, bindReach, isAddressOfHost, isBindValue, isLoopbackHost, openPortsDemand } from '../gateway/plan';
import { PREFERRED_START } from '../ports/propose';
import { nextCommand, startCommand } from '../profile/identity';
import { currentOf } from '../host/view';
import { gatewayMismatch } from '../host/rules';
import { fromTypedIn, tildify, type TypedIn } from '../profile/paths';
import { workspaceOf } from '../profile/plan';
import { BROWSER_PROFILE, checkCdpUrl, checkWorkspace, defaultRole, gatewayRole, givenPort, parseBase, proposedBase, shapeOf, watchedLabels } from './answers';
import type { Answers, BindChoice, BrowserChoice, Proposals, ServiceSupport, WizardFacts, WizardRole } from './facts';
import { dirLine, fixBindFirst, gatewayCommand, line, portsLine, refusedStart, refusesUntil, serviceName, strandedBindNote, strandedBindReach, type Line } from './words';

/** What the summary and the done screen know beyond the answers: whether a gateway running now needs a restart (restartDue). */
export interface Reported extends Known {
  restartDue: boolean;
}

/** The Ink step that asks each question. */
export type QuestionStep = 'role' | 'paths' | 'port' | 'browser' | 'service' | 'bind';

/** What a default, a choice's words or a summary line may read; the wizard's state is one. */
export interface Known {
  facts: WizardFacts;
  /** While the defaults are drawn up, the answers of the questions before this one. */
  answers: Answers;
  /** The free base of each role, once the probe answered. */
  proposals: Proposals | null;
  /** The service manager's answer, once it came. */
  service: ServiceSupport | null;
}

export type Check<V> = { ok: true; value: V } | { ok: false; reason: string };

/** A flag of `epiloop onboard`, in the shape of the CLI's flag specs. */
export interface QuestionFlag {
  name: string;
  type: 'string' | 'number' | 'boolean';
  placeholder?: string;
  negatable?: boolean;
  help: string;
}

export type FlagValues = Readonly<Record<string, unknown>>;

/** Where a flag's value is read: a relative path from where the command runs, ~ from home, the base from the environment too. */
export interface FlagPlace {
  home: string;
  cwd: TypedIn;
  env: Record<string, string | undefined>;
  /** "epiloop --profile rescue": how a refusal names a command to run instead. */
  invocation: string;
}

/** The config being written, key by key; plan.ts hands in the editor so this table stays light. */
export interface ConfigEditor {
  get(keys: readonly string[]): unknown;
  set(keys: readonly string[], value: unknown): void;
  remove(keys: readonly string[]): void;
}

interface Common<K extends keyof Answers> {
  name: K;
  step: QuestionStep;
  /** The frame's title on its step. */
  title: string;
  /** The question, as the Ink step asks it. */
  ask: string;
  /** The question, as --plain asks it. */
  prompt: string;
  flags: readonly QuestionFlag[];
  /** The answer the flags give, or undefined; a value no answer could be is a UsageError. */
  fromFlags(flags: FlagValues, place: FlagPlace): Answers[K] | undefined;
  /** The default when no flag answered. */
  initial(known: Known): Answers[K];
  /** Why there is no default to take without asking (--non-interactive stops there), or null. */
  noDefault?(known: Known): string | null;
  /** Puts the answer into the config; the base and the workspace go through the foundation's ProfilePlan. */
  write?(config: ConfigEditor, known: Known): void;
  /** Its lines in the summary, in table order after the files. */
  summary(known: Reported): Line[];
  /** Its lines on the done screen, after the ports. */
  done?(known: Reported): Line[];
}

/** A field the answer is typed into: a remote Chrome's URL. */
export interface ChoiceField<V> {
  label: string;
  note: string;
  /** The flag that gives the text in --non-interactive, named in its refusal. */
  flag: string;
  text(answers: Answers): string;
  /** `answers` so far: a field may depend on an earlier step (the remote browser on the chosen base). */
  check(text: string, facts: WizardFacts, answers: Answers): Check<V>;
}

export type ChoiceOption<V> = {
  word: string;
  detail(known: Known): string;
  /** Whether the step lists it here (choicesOf); always when absent. */
  offered?(known: Known): boolean;
} & ({ value: V } | { field: ChoiceField<V> });

/** Whether there is anything to choose: yes, not known yet, or no (with the answer it has to be and why). */
export type Offer<V> =
  | { state: 'open' }
  | { state: 'pending'; say: Line[] }
  | { state: 'closed'; answer: V; say: Line[]; refusal: string };

export interface ChoiceQuestionOf<K extends keyof Answers> extends Common<K> {
  kind: 'choice';
  choices: readonly ChoiceOption<Answers[K]>[];
  /** The word of the current answer: it places the cursor. */
  wordOf(answers: Answers): string;
  offer?(known: Known): Offer<Answers[K]>;
  /** Lines between the question and its choices: what the choices act on that the user should know first. */
  note?(known: Known): Line[];
}

export interface TextQuestionOf<K extends keyof Answers> extends Common<K> {
  kind: 'text';
  /** The field's label and the line under it. */
  label: string;
  note: string;
  /** The answer as the field shows it. */
  text(known: Known): string;
  check(text: string, facts: WizardFacts): Check<Answers[K]>;
  /**
   * The check again once the host has resolved the answer's symlinks (`real`): a path that
   * reads fine may lead into another profile's workspace or a system directory. Every
   * front-end runs it after `check` passes, before the answer is taken.
   */
  resolvedCheck?(text: string, facts: WizardFacts, real: string): Check<Answers[K]>;
}

/** The base port: typed or moved with the keys over a live port map (PortStep), checked against the host on Enter. */
export interface PortQuestionOf<K extends keyof Answers> extends Common<K> {
  kind: 'port';
  check(text: string): Check<number>;
}

export type Question = { [K in keyof Answers]: ChoiceQuestionOf<K> | TextQuestionOf<K> | PortQuestionOf<K> }[keyof Answers];
export type ChoiceQuestion = Extract<Question, { kind: 'choice' }>;
export type TextQuestion = Extract<Question, { kind: 'text' }>;
export type PortQuestion = Extract<Question, { kind: 'port' }>;

/** "<main|rescue>" */
function wordsOf(choices: readonly { word: string }[]): string {
  return `<${choices.map((c) => c.word).join('|')}>`;
}

/** A choice given as a flag's word: one of the choices, or a UsageError naming them (and `elsewhere`, what the flag cannot say). */
function wordFlag<V>(flag: string, choices: readonly ChoiceOption<V>[], raw: unknown, elsewhere?: string): ChoiceOption<V> | undefined {
  if (raw === undefined) return undefined;
  const found = choices.find((c) => c.word === raw);
  if (found === undefined) throw new UsageError(`--${flag} is "${String(raw)}"; use ${choices.map((c) => `--${flag} ${c.word}`).join(' or ')}.${elsewhere === undefined ? '' : ` ${elsewhere}`}`);
  return found;
}

function valueOf<V>(option: ChoiceOption<V> | undefined): V | undefined {
  return option !== undefined && 'value' in option ? option.value : undefined;
}

/** A choice answered by one flag naming it: --role rescue; `elsewhere` says where what the flag cannot say is set. */
function wordFlagOf<V>(
  name: string,
  choices: readonly ChoiceOption<V>[],
  help: string,
  elsewhere?: (place: FlagPlace) => string,
): Pick<Common<never>, 'flags'> & { fromFlags: (flags: FlagValues, place: FlagPlace) => V | undefined } {
  return {
    flags: [{ name, type: 'string', placeholder: wordsOf(choices), help }],
    fromFlags: (flags, place) => valueOf(wordFlag(name, choices, flags[name], elsewhere?.(place))),
  };
}

function configOf(facts: WizardFacts) {
  return facts.loaded.state === 'ok' ? facts.loaded.config : undefined;
}

const ROLES: readonly ChoiceOption<WizardRole>[] = [
  { word: 'main', value: 'main', detail: ({ facts }) => `the everyday gateway; base proposed from ${PREFERRED_START[gatewayRole(facts, 'main')]}` },
  {
    word: 'rescue',
    value: 'rescue',
    detail: ({ facts }) => {
      const watched = watchedLabels(facts, 'rescue');
      return `a second gateway that ${watched.length > 0 ? `watches ${watched.join(', ')}` : 'would watch main, once there is one'}; base from ${PREFERRED_START[gatewayRole(facts, 'rescue')]}`;
    },
  },
];

const role: ChoiceQuestionOf<'role'> = {
  kind: 'choice',
  name: 'role',
  step: 'role',
  title: 'Role',
  ask: 'Which role does this gateway play?',
  prompt: 'Role of this gateway',
  ...wordFlagOf('role', ROLES, 'main, or rescue (watches the other profiles); default: rescue for profile "rescue", else main'),
  // A config that watches other profiles is a rescue's.
  initial: ({ facts }) => (Array.isArray(configOf(facts)?.watch?.profiles) ? 'rescue' : defaultRole(facts.paths.profile)),
  choices: ROLES,
  wordOf: (answers) => answers.role,
  write: (config, { facts, answers }) => {
    const watched = watchedLabels(facts, answers.role);
    if (watched.length > 0) config.set(['watch', 'profiles'], watched);
  },
  // The ports heading names the role; the config shows whom it watches.
  summary: () => [],
};

const workspace: TextQuestionOf<'workspace'> = {
  kind: 'text',
  name: 'workspace',
  step: 'paths',
  title: 'Paths',
  ask: 'Where does this profile keep its files?',
  prompt: 'Workspace',
  label: 'workspace',
  note: 'Each gateway needs a workspace of its own.',
  flags: [{ name: 'workspace', type: 'string', placeholder: '<dir>', help: 'workspace directory (default: ~/.epiloop/workspace[-PROFILE])' }],
  fromFlags: (flags, place) => {
    if (flags.workspace === undefined) return undefined;
    const text = String(flags.workspace).trim();
    if (text === '') throw new UsageError('--workspace needs a directory path.');
    // As setup reads it: relative to where the command runs. Not normalized here (no path.join, which
    // would turn "~/ /." into "~/ "): settleAnswers checks the very text, as the field would.
    const expanded = text === '~' || text.startsWith('~/') ? place.home + text.slice(1) : text;
    return fromTypedIn(expanded, place.cwd, '--workspace');
  },
  initial: ({ facts }) => workspaceOf(facts.loaded, facts.paths),
  text: ({ facts, answers }) => tildify(answers.workspace, facts.home),
  check: (text, facts) => {
    const checked = checkWorkspace(text, facts);
    return checked.ok ? { ok: true, value: checked.path } : checked;
  },
  resolvedCheck: (text, facts, real) => {
    const checked = checkWorkspace(text, facts, real);
    return checked.ok ? { ok: true, value: checked.path } : checked;
  },
  summary: ({ facts, answers }) => [dirLine(facts, answers.workspace, 'create if missing')],
};

const base: PortQuestionOf<'base'> = {
  kind: 'port',
  name: 'base',
  step: 'port',
  title: 'Base port',
  ask: 'Base port',
  prompt: 'Base port',
  flags: [{ name: 'port', type: 'number', placeholder: '<port>', help: 'base port (default: the first free block for the role)' }],
  fromFlags: (flags, place) => givenPort(flags.port as number | undefined, place.env),
  // A new profile's base is the proposal; until the probe answers, the role's start.
  initial: ({ facts, answers, proposals }) => configOf(facts)?.gateway?.port ?? proposedBase(facts, proposals, answers.role),
  noDefault: ({ facts, answers, proposals }) =>
    configOf(facts)?.gateway?.port === undefined && proposals !== null && proposals[answers.role] === null
      ? 'no free base port was found on this host for a whole footprint (111 ports); free some ports or pass --port.'
      : null,
  check: (text) => {
    const parsed = parseBase(text);
    return parsed.ok ? { ok: true, value: parsed.base } : parsed;
  },
  summary: ({ facts, answers }) => [line(`Ports (profile ${facts.paths.label}, role ${answers.role})`, 'heading'), line(`  ${portsLine(answers.base, facts)}`)],
};

const REMOTE_CDP_KEYS = ['browser', 'profiles', BROWSER_PROFILE, 'cdpUrl'];

const BROWSERS: readonly ChoiceOption<BrowserChoice>[] = [
  {
    word: 'local',
    value: { kind: 'local' },
    detail: ({ facts, answers }) => {
      const { cdp } = shapeOf(facts, answers.base);
      return `browser profile "${BROWSER_PROFILE}" on CDP port ${cdp.from} (from ${cdp.from}–${cdp.to})`;
    },
  },
  {
    word: 'remote',
    detail: () => 'a Chrome you run yourself, reached at a CDP URL',
    field: {
      label: 'CDP URL',
      note: 'e.g. http://127.0.0.1:9222; no other profile may use the same one',
      flag: 'cdp-url',
      text: (answers) => (answers.browser.kind === 'remote' ? answers.browser.cdpUrl : ''),
      check: (text, facts, answers) => {
        const checked = checkCdpUrl(text, facts, answers.base);
        return checked.ok ? { ok: true, value: { kind: 'remote', cdpUrl: checked.url } } : checked;
      },
    },
  },
];

const browser: ChoiceQuestionOf<'browser'> = {
  kind: 'choice',
  name: 'browser',
  step: 'browser',
  title: 'Browser',
  ask: 'Which Chrome does this gateway drive?',
  prompt: 'Chrome for this gateway',
  flags: [
    { name: 'browser', type: 'string', placeholder: wordsOf(BROWSERS), help: 'local: a Chrome started on this profile\'s CDP ports (default); remote: one you run, at --cdp-url' },
    { name: 'cdp-url', type: 'string', placeholder: '<url>', help: 'the CDP URL of a Chrome you run yourself (implies --browser remote)' },
  ],
  fromFlags: (flags) => {
    const chosen = wordFlag('browser', BROWSERS, flags.browser);
    if (flags['cdp-url'] !== undefined) {
      if (chosen?.word === 'local') throw new UsageError('--cdp-url names a remote Chrome; drop it, or use --browser remote.');
      return { kind: 'remote', cdpUrl: String(flags['cdp-url']) };
    }
    if (chosen?.word === 'remote') throw new UsageError('--browser remote needs the Chrome\'s address: add --cdp-url <url>, e.g. --cdp-url http://127.0.0.1:9222.');
    return valueOf(chosen);
  },
  initial: ({ facts }) => {
    const remote = configOf(facts)?.browser?.profiles?.[BROWSER_PROFILE]?.cdpUrl;
    return remote === undefined ? { kind: 'local' } : { kind: 'remote', cdpUrl: remote };
  },
  choices: BROWSERS,
  wordOf: (answers) => answers.browser.kind,
  write: (config, { answers }) => {
    if (answers.browser.kind === 'remote') config.set(REMOTE_CDP_KEYS, answers.browser.cdpUrl);
    else config.remove(REMOTE_CDP_KEYS);
  },
  summary: ({ answers }) => (answers.browser.kind === 'remote' ? [line('Browser', 'heading'), line(`  remote Chrome at ${answers.browser.cdpUrl}`)] : []),
};

const SERVICE: readonly ChoiceOption<boolean>[] = [
  { word: 'yes', value: true, detail: ({ facts, service }) => `${serviceName(facts, service?.kind ?? null)}, started now and at login` },
  { word: 'no', value: false, detail: (known) => `start it yourself${refusedBind(known) === null ? '' : ' once gateway.bind is fixed'}: ${startCommand(known.facts.invocation)}` },
];

/** Without a service: start the gateway, or restart the one running (it read the old config); neither while the bind refuses a start. */
function unservedNext(known: Reported): Line[] {
  const { facts } = known;
  const refused = refusedBind(known);
  if (refused !== null) return [line(`  none installed; ${refusedStart(refused)} (see Network)`, 'warn')];
  const pid = currentOf(facts.view).gateway?.pid ?? null;
  const next = nextCommand(facts.invocation, pid, known.restartDue);
  if (next === null) return [line(`  none installed; the gateway (pid ${pid}) runs this config`)];
  const says = next.kind === 'start' ? '  none installed; start the gateway (a detached process) with' : `  none installed; the gateway (pid ${pid}) runs the old config until restarted with`;
  return [line(says), line(`    ${next.command}`, 'accent')];
}

/** Beside a service to install: the gateway it runs refuses to start while the bind names no address of this host. */
function refusedService(known: Known): Line[] {
  const refused = refusedBind(known);
  return refused === null ? [] : [line(`  ! ${refusedStart(refused)} (see Network): the service fails until then`, 'warn')];
}

const installService: ChoiceQuestionOf<'installService'> = {
  kind: 'choice',
  name: 'installService',
  step: 'service',
  title: 'Service',
  ask: 'Install the gateway as a service now?',
  prompt: 'Install the gateway as a service now?',
  flags: [{ name: 'install-service', type: 'boolean', negatable: true, help: 'install the gateway service (default: where systemd/launchd is usable)' }],
  fromFlags: (flags) => (flags['install-service'] === undefined ? undefined : flags['install-service'] === true),
  // Until the service manager answers, only a flag decides.
  initial: ({ service }) => service?.usable === true,
  choices: SERVICE,
  wordOf: (answers) => (answers.installService ? 'yes' : 'no'),
  offer: (known) => {
    const { facts, service } = known;
    if (service === null) return { state: 'pending', say: [line('Checking for a service manager (systemd or launchd)…')] };
    if (service.usable) return { state: 'open' };
    const refused = refusedBind(known);
    const start = refused === null ? [line('Start the gateway (a detached process) when you need it:')] : [...fixBindFirst(refused, facts.invocation), line('Then start the gateway (a detached process) with:')];
    return {
      state: 'closed',
      answer: false,
      say: [line(`No service will be installed: ${service.reason}`), line(''), ...start, line(`    ${startCommand(facts.invocation)}`, 'accent')],
      refusal: `--install-service: ${service.reason} Nothing was written. Use --no-install-service and start it with "${startCommand(facts.invocation)}".`,
    };
  },
  // The bind comes after this step: where the one it would write keeps the gateway from starting, that is fixed first.
  note: (known) => {
    const refused = refusedBind(known);
    return refused === null ? [] : fixBindFirst(refused, known.facts.invocation);
  },
  summary: (known) => {
    const { facts, answers, service } = known;
    return [
      line('Service', 'heading'),
      ...(service?.usable && answers.installService
        ? [line(`  install and start ${serviceName(facts, service.kind)}, which runs`), line(`    ${gatewayCommand(facts, answers.base)}`, 'accent'), ...refusedService(known)]
        : unservedNext(known)),
    ];
  },
};

/** The config's gateway.bind when it is one address of other machines' reach (not a wildcard, not loopback): "lan" keeps it. */
function keptAddress(facts: WizardFacts): string | null {
  const current = configOf(facts)?.gateway?.bind;
  if (typeof current !== 'string' || bindReach(current) !== 'lan') return null;
  const host = bindHost(current);
  return host === '0.0.0.0' || host === '::' ? null : current;
}

/** A gateway.bind that names no address of this host (the gateway refuses to start with it), else null; of any type, as a config may hold it. */
function strandedBind(bind: unknown, addresses: readonly string[]): string | null {
  return typeof bind === 'string' && isBindValue(bind) && !isAddressOfHost(bindHost(bind), addresses) ? bind : null;
}

/** The config's gateway.bind when it names no address of this host, else null. */
function strandedAddress(facts: WizardFacts): string | null {
  return strandedBind(configOf(facts)?.gateway?.bind, facts.addresses);
}

const REACH: readonly ChoiceOption<BindChoice>[] = [
  {
    word: 'loopback',
    value: 'loopback',
    detail: ({ facts }) => {
      const stranded = strandedAddress(facts);
      return `this machine only: every port listens on 127.0.0.1${stranded === null ? '' : `, in place of ${stranded}`}`;
    },
  },
  {
    word: 'lan',
    value: 'lan',
    detail: ({ facts }) => {
      // An address this host lacks reaches nobody: "lan" replaces it with every interface; keeping it is "keep".
      const stranded = strandedAddress(facts);
      if (stranded !== null) return `other machines too, on 0.0.0.0 in place of ${stranded}: ${openPortsDemand()}`;
      const kept = keptAddress(facts);
      return kept === null ? `other machines too, on 0.0.0.0: ${openPortsDemand()}` : `other machines too: gateway.bind ${kept} kept, ${openPortsDemand()}`;
    },
  },
];

/** Only where the config binds an address this host lacks: leaving it there is a choice of its own, never the default. */
const KEEP: ChoiceOption<BindChoice> = {
  word: 'keep',
  value: 'keep',
  offered: ({ facts }) => strandedAddress(facts) !== null,
  detail: ({ facts }) => {
    const stranded = strandedAddress(facts) ?? 'gateway.bind';
    return `${stranded} (not on this host): ${refusesUntil(stranded)}`;
  },
};

const BIND_KEY = ['gateway', 'bind'];

/** Where the token is, for the words that say it is needed. */
function tokenPlace(facts: WizardFacts): string {
  return `gateway.auth.token in ${tildify(facts.paths.configPath, facts.home)}`;
}

/** gateway.bind as the config will hold it (write below): the user's own spelling when it means the answer; undefined for loopback's default. */
function boundAs({ facts, answers }: Pick<Known, 'facts' | 'answers'>): string | undefined {
  const current = configOf(facts)?.gateway?.bind;
  if (answers.bind === 'keep') return current;
  if (typeof current === 'string' && bindReach(current) === answers.bind && strandedAddress(facts) === null) return current;
  return answers.bind === 'lan' ? 'lan' : undefined;
}

/** The gateway.bind the config will hold when this host has no such address (the gateway refuses to start with it), else null. */
export function refusedBind(known: Pick<Known, 'facts' | 'answers'>): string | null {
  const bound = boundAs(known);
  return bound === undefined || isAddressOfHost(bindHost(bound), known.facts.addresses) ? null : bound;
}

/**
 * Whether the gateway running now (if one does) runs another config than the one on disk after this run: this run
 * changes it (`changes`), or it changed since the gateway started, which then serves other ports than the config
 * says (status's gatewayMismatch) or listens on another address than its gateway.bind.
 */
export function restartDue(known: Pick<Known, 'facts' | 'answers'>, base: number, changes: boolean): boolean {
  const self = currentOf(known.facts.view);
  if (changes || self.gateway === null) return changes;
  return gatewayMismatch(self, shapeOf(known.facts, base), 'config') !== null || self.gateway.host !== bindHost(boundAs(known));
}

/** Who can reach the gateway with the bind written, in the words of the summary (`done`: the done screen's, "once restarted" while a restart is due). */
function reachLines(known: Pick<Known, 'facts' | 'answers'>, done: false | { restartDue: boolean }): Line[] {
  const { facts } = known;
  const refused = refusedBind(known);
  if (refused !== null) {
    const reach = strandedBindReach(refused);
    return done ? [line(`  network  ${reach}`, 'warn')] : [line(`  ! ${reach}.`, 'warn'), line(`    Fix: ${bindAddressFix(facts.invocation, facts.addresses)}`, 'warn')];
  }
  const bound = boundAs(known);
  const host = bindHost(bound);
  // Until the restart, the gateway running listens where it did: the done screen claims the new reach only from then.
  const once = done && done.restartDue ? 'once restarted, ' : '';
  if (isLoopbackHost(host)) return [line(done ? `  network  ${once}this machine only (${host})` : `  this machine only: every port listens on ${host}`)];
  const wildcard = host === '0.0.0.0' || host === '::';
  const words = done
    ? wildcard
      ? `  network  ${once}from the LAN at ${host}: ${openPortsDemand()}`
      : `  network  ${once}other machines can reach it at ${bound}: ${openPortsDemand()}`
    : wildcard
      ? `  from the LAN at ${host}: ${openPortsDemand()}`
      : `  other machines can reach it at ${bound}: ${openPortsDemand()}`;
  return [line(words, 'warn'), line(`${done ? '           ' : '    '}(${tokenPlace(facts)})`, 'warn')];
}

const bind: ChoiceQuestionOf<'bind'> = {
  kind: 'choice',
  name: 'bind',
  step: 'bind',
  title: 'Network',
  ask: 'Who may reach this gateway?',
  prompt: 'Who may reach this gateway?',
  // "keep" is no flag's word: the flags answer who may reach the gateway; an address is set with config set.
  ...wordFlagOf(
    'bind',
    REACH,
    `loopback: this machine only (default); lan: other machines too, and ${openPortsDemand()}`,
    ({ invocation }) => `A specific address is set with "${invocation} config set gateway.bind <address>".`,
  ),
  // gateway.bind "all" or a LAN address reaches as far as "lan"; one the gateway would refuse counts as the default, and so
  // does an address this host lacks: loopback is the fix the repair list names for it.
  initial: ({ facts }) => (strandedAddress(facts) === null ? (bindReach(configOf(facts)?.gateway?.bind) ?? 'loopback') : 'loopback'),
  choices: [...REACH, KEEP],
  wordOf: (answers) => answers.bind,
  note: ({ facts }) => {
    const stranded = strandedAddress(facts);
    return stranded === null ? [] : [strandedBindNote(stranded)];
  },
  // The user's own spelling stays when it means the answer ("all", "127.0.0.1", "10.9.9.9"); loopback is the default, so it needs no key.
  // A value that is no text (an invalid config, modified from the repair list) means no reach: the answer replaces it; so does
  // an address this host lacks, which reaches nobody, unless kept.
  write: (config, { facts, answers }) => {
    if (answers.bind === 'keep') return;
    const current = config.get(BIND_KEY);
    const reach = current === undefined || typeof current === 'string' ? bindReach(current) : null;
    if (reach === answers.bind && strandedBind(current, facts.addresses) === null) return;
    if (answers.bind === 'lan') config.set(BIND_KEY, 'lan');
    else config.remove(BIND_KEY);
  },
  summary: (known) => [line('Network', 'heading'), ...reachLines(known, false)],
  done: (known) => reachLines(known, { restartDue: known.restartDue }),
};

/** In the order the wizard asks them. */
export const QUESTIONS: readonly Question[] = [role, workspace, base, browser, installService, bind];

export function questionAt(step: string): Question | undefined {
  return QUESTIONS.find((q) => q.step === step);
}

/** onboard's flags for the answers, in the table's order. */
export const ANSWER_FLAGS: readonly QuestionFlag[] = QUESTIONS.flatMap((q) => q.flags);

// ── the few places where a question and its answer's type travel apart ──

export function withAnswer(answers: Answers, q: Question, value: unknown): Answers {
  return { ...answers, [q.name]: value };
}

/** The answer the flags gave this question, if they did. */
export function givenTo(facts: WizardFacts, q: Question): unknown {
  return facts.given[q.name];
}

/** The choices the step lists on this host, in the table's order: an option may be offered only where it means something (KEEP). */
export function choicesOf(q: ChoiceQuestion, known: Known): readonly ChoiceOption<unknown>[] {
  return (q.choices as readonly ChoiceOption<unknown>[]).filter((c) => c.offered?.(known) ?? true);
}

export function offerOf(q: Question, known: Known): Offer<unknown> {
  return q.kind === 'choice' && q.offer ? q.offer(known) : { state: 'open' };
}

/** The answers the flags give; a flag's value that cannot be an answer is a UsageError. */
export function givenAnswers(flags: FlagValues, place: FlagPlace): Partial<Answers> {
  let given: Partial<Answers> = {};
  for (const q of QUESTIONS) {
    const value = q.fromFlags(flags, place);
    if (value !== undefined) given = { ...given, [q.name]: value };
  }
  return given;
}

/** Every answer prefilled, in order: its flag, else its default (which may follow an earlier answer). */
export function initialAnswers(facts: WizardFacts, host: Pick<Known, 'proposals' | 'service'> = { proposals: null, service: null }): Answers {
  return QUESTIONS.reduce((answers, q) => withAnswer(answers, q, givenTo(facts, q) ?? q.initial({ facts, answers, ...host })), {} as Answers);
}

/**
 * --non-interactive: every answer from its flag or its default, checked as the wizard checks
 * it when it is asked; what the wizard would refuse stops it here (UsageError, HostError).
 */
export function settleAnswers(facts: WizardFacts, host: Pick<Known, 'proposals' | 'service'>): Answers {
  let answers = initialAnswers(facts, host);
  for (const q of QUESTIONS) {
    const known = { facts, answers, ...host };
    const missing = givenTo(facts, q) === undefined ? (q.noDefault?.(known) ?? null) : null;
    if (missing !== null) throw new HostError(missing);
    if (q.kind === 'text') {
      const text = q.text(known);
      const checked = q.check(text, facts);
      if (!checked.ok) throw new UsageError(`--${q.flags[0]!.name} ${text}: ${checked.reason}.`);
      answers = withAnswer(answers, q, checked.value);
    }
    if (q.kind !== 'choice') continue;
    const offer = offerOf(q, known);
    if (offer.state === 'closed') {
      const differs = q.wordOf(answers) !== q.wordOf(withAnswer(answers, q, offer.answer));
      if (differs && givenTo(facts, q) !== undefined) throw new HostError(offer.refusal);
      answers = withAnswer(answers, q, offer.answer);
      continue;
    }
    const chosen = choicesOf(q, known).find((c) => c.word === q.wordOf(answers));
    if (chosen !== undefined && 'field' in chosen) {
      const text = chosen.field.text(answers);
      const checked = chosen.field.check(text, facts, answers);
      if (!checked.ok) throw new UsageError(`--${chosen.field.flag} ${text}: ${checked.reason}.`);
      answers = withAnswer(answers, q, checked.value);
    }
  }
  return answers;
}

/** "--role <main|rescue>, --port <port>, …, --install-service / --no-install-service": every answer's flag, for a hint. */
export function answerFlagsText(): string {
  return ANSWER_FLAGS.map((f) => (f.negatable ? `--${f.name} / --no-${f.name}` : `--${f.name}${f.placeholder ? ` ${f.placeholder}` : ''}`)).join(', ');
}

/** The answer flags of this run as typed, to repeat in a hint ("--port 19789 --no-install-service"). */
export function answerFlagsGiven(flags: FlagValues): string[] {
  return ANSWER_FLAGS.flatMap((f) => {
    const value = flags[f.name];
    if (value === undefined) return [];
    if (f.type === 'boolean') return [value === true ? `--${f.name}` : `--no-${f.name}`];
    return [`--${f.name} ${String(value)}`];
  });
}
