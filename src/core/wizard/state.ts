/**
 * The wizard as a state machine: (state, event) → state. Raw key events go in, so the
 * one input handler in the UI only forwards them and can never act on a stale step.
 * Pure: the UI runs the I/O (probe, write, service) that a state asks for and sends
 * the answers back as events.
 */
import type { Finding, FindingKind } from '../doctor/findings';
import { portsText, type PortMapRow } from '../ports/portmap';
import { MAX_BASE, checkCdpUrl, checkWorkspace, initialAnswers, parseBase, proposedBase, shapeOf } from './answers';
import { conflictRows, currentOf, portMap, type HostView } from '../host/view';
import { WIZARD_ROLES, type WizardFacts } from './facts';
import { MIN_PORT } from '../ports/footprint';
import { tildify } from '../profile/paths';
import { splitKeys } from './keys';
import { reviewBody, summaryBody } from './summary';
import { type KeyFlags } from './keys';
import { type ProbeAnswer, type Step, type WizardState, type WizardEvent } from './model';

/** The steps a new profile walks through, in order (what "step 3 of 8" counts). */
export const FLOW: readonly Step[] = ['welcome', 'role', 'paths', 'port', 'browser', 'service', 'summary', 'apply'];

/** The subset of Ink's Key the wizard reads; tests build it by hand. */
export const DEFAULT_VIEW = { columns: 80, rows: 24 };
/** Lines around a scrolled body: title, blank, blank, key hints, and one spare so a frame never fills the terminal (Ink clears the screen then). */
export const CHROME_LINES = 5;

export function initialState(facts: WizardFacts, view = DEFAULT_VIEW): WizardState {
  const answers = initialAnswers(facts);
  const findings = facts.diagnosis?.findings ?? [];
  return {
    step: firstStep(facts),
    facts,
    service: null,
    proposals: null,
    answers,
    view,
    cursor: 0,
    scroll: 0,
    field: { text: '', error: null },
    port: { text: String(answers.base), fresh: true, touched: facts.given.port !== undefined, probe: null, confirming: false, error: null, refused: null, suggestion: null },
    browserEditing: false,
    apply: { running: false, error: null, backTo: 'summary' },
    cancelRequested: false,
    outcome: null,
    repair: { phase: 'list', selected: findings.map((f) => f.fixable), plan: null, result: null, error: null },
    exit: null,
  };
}

// ── derived views (pure; the components draw these) ──

/** A profile with a config opens on repair; Esc from the role step goes back there too. */
export function firstStep(facts: WizardFacts): 'welcome' | 'repair' {
  return facts.loaded.state === 'missing' ? 'welcome' : 'repair';
}

/** A new profile's base is the proposal until the user picks one or gave --port. */
export function followsProposal(state: WizardState): boolean {
  return !state.port.touched && state.facts.loaded.state === 'missing';
}

/** The base the port field holds, or null while it holds no valid base. */
export function typedBase(state: WizardState): number | null {
  const parsed = parseBase(state.port.text);
  return parsed.ok ? parsed.base : null;
}

/** The host as the probe of this base read it, or null while it is pending. */
export function probeFor(state: WizardState, base: number): HostView | null {
  return state.port.probe?.base === base ? state.port.probe.view : null;
}

/** The facts' host view with what a probe read: its listeners, and the running gateways as they are now. */
export function probedView(facts: WizardFacts, host: ProbeAnswer): HostView {
  return { ...facts.view, profiles: host.profiles ?? facts.view.profiles, listeners: host.listeners };
}

/** The port map of a base: other profiles' claims at once (pure), the host's listeners once the probe for this very base answered. */
export function portRows(state: WizardState, base: number): PortMapRow[] {
  const view = probeFor(state, base) ?? state.facts.view;
  return portMap(view, currentOf(view), shapeOf(state.facts, base));
}

export function bodyHeight(view: WizardState['view']): number {
  return Math.max(3, view.rows - CHROME_LINES);
}

export function stepNumber(step: Step): number {
  return FLOW.indexOf(step) + 1;
}

// ── the reducer ──

export function reduce(state: WizardState, event: WizardEvent): WizardState {
  if (state.exit !== null) return state;
  switch (event.type) {
    case 'resize':
      return { ...state, view: { columns: event.columns, rows: event.rows } };
    case 'service': {
      // The default follows what is possible, until the user has answered the question.
      const answered = stepNumber(state.step) > stepNumber('service');
      const installService = answered ? state.answers.installService : (state.facts.given.installService ?? event.support.usable);
      return {
        ...state,
        service: event.support,
        answers: { ...state.answers, installService },
        cursor: state.step === 'service' ? (installService ? 0 : 1) : state.cursor,
      };
    }
    case 'proposed': {
      const next = { ...state, proposals: event.proposals };
      return followsProposal(state) ? setBase(next, proposedBase(state.facts, event.proposals, state.answers.role), false) : next;
    }
    case 'probed': {
      if (typedBase(state) !== event.base) return state;
      const next = { ...state, port: { ...state.port, probe: { base: event.base, view: probedView(state.facts, event.host), stale: false } } };
      return next.port.confirming && state.step === 'port' ? confirmPort(next, true) : next;
    }
    case 'applied':
      return {
        ...state,
        step: 'done',
        outcome: event.outcome,
        apply: { ...state.apply, running: false },
        exit: { code: state.cancelRequested ? 130 : event.outcome.service.ok ? 0 : 1 },
      };
    case 'applyFailed':
      // Nothing was written: a Ctrl-C that waited for the write is a plain cancel now.
      if (state.cancelRequested) return { ...state, step: 'cancelled', apply: { ...state.apply, running: false }, exit: { code: 130 } };
      {
        const failed = { ...state, apply: { ...state.apply, running: false, error: event.message, backTo: event.backTo } };
        const r = event.refusal;
        if (r === undefined) return failed;
        // What Apply saw is what the port step shows now, and the base it offered is one key away.
        const probe = { base: r.base, view: probedView(state.facts, r.host), stale: false };
        return { ...failed, port: { ...failed.port, probe, refused: event.message.split('\n')[0]!, suggestion: r.suggestion } };
      }
    case 'repairPlanned':
      return { ...state, scroll: 0, repair: { ...state.repair, phase: 'review', plan: event.plan } };
    case 'repaired':
      return { ...state, repair: { ...state.repair, phase: 'done', result: event.result }, exit: { code: state.cancelRequested ? 130 : 0 } };
    case 'repairFailed':
      if (state.cancelRequested) return { ...state, step: 'cancelled', exit: { code: 130 } };
      return { ...state, repair: { ...state.repair, phase: 'failed', error: event.message } };
    case 'key':
      return splitKeys(event.input, event.key).reduce((s, k) => (s.exit === null ? onKey(s, k.input, k.key) : s), state);
  }
}

function isCtrlC(input: string, key: KeyFlags): boolean {
  return key.ctrl === true && input === 'c';
}

/** A write in flight is atomic and short: Ctrl-C then stops the wizard right after it, with 130. */
function writing(state: WizardState): boolean {
  return state.apply.running || state.repair.phase === 'applying';
}

function onKey(state: WizardState, input: string, key: KeyFlags): WizardState {
  if (isCtrlC(input, key)) {
    if (writing(state)) return { ...state, cancelRequested: true };
    return { ...state, step: 'cancelled', exit: { code: 130 } };
  }
  switch (state.step) {
    case 'welcome':
      return key.return ? go(state, 'role') : state;
    case 'role':
      return roleKey(state, input, key);
    case 'paths':
      return pathsKey(state, input, key);
    case 'port':
      return portKey(state, input, key);
    case 'browser':
      return browserKey(state, input, key);
    case 'service':
      return serviceKey(state, key);
    case 'summary':
      return summaryKey(state, key);
    case 'apply':
      return applyKey(state, input, key);
    case 'repair':
      return repairKey(state, input, key);
    default:
      return state;
  }
}

/** Enters a step with its cursor and field set from the answers (so Esc back shows what was chosen). */
function go(state: WizardState, step: Step): WizardState {
  const next: WizardState = { ...state, step, scroll: 0, field: { text: '', error: null } };
  switch (step) {
    case 'role':
      return { ...next, cursor: WIZARD_ROLES.indexOf(state.answers.role) };
    case 'paths':
      return { ...next, field: { text: tildify(state.answers.workspace, state.facts.home), error: null } };
    case 'port':
      return { ...next, port: { ...state.port, confirming: false, error: null } };
    case 'browser': {
      const remote = state.answers.browser.kind === 'remote';
      return { ...next, cursor: remote ? 1 : 0, browserEditing: false };
    }
    case 'service':
      return { ...next, cursor: state.answers.installService ? 0 : 1 };
    case 'apply':
      return { ...next, apply: { running: true, error: null, backTo: 'summary' } };
    default:
      return next;
  }
}

/**
 * Moves a list's cursor, stopping at both ends: a wrap would turn ↓ on the last choice into
 * the first one (rescue's role silently becoming main).
 */
function moveCursor(state: WizardState, key: KeyFlags, count: number): WizardState {
  const delta = key.upArrow ? -1 : key.downArrow || key.tab ? 1 : 0;
  const cursor = Math.min(count - 1, Math.max(0, state.cursor + delta));
  return cursor === state.cursor ? state : { ...state, cursor };
}

function roleKey(state: WizardState, input: string, key: KeyFlags): WizardState {
  if (key.escape) return go(state, firstStep(state.facts));
  const shortcut = WIZARD_ROLES.findIndex((r) => r[0] === input.toLowerCase());
  if (shortcut !== -1) return { ...state, cursor: shortcut };
  if (!key.return) return moveCursor(state, key, WIZARD_ROLES.length);
  const role = WIZARD_ROLES[state.cursor]!;
  let next: WizardState = { ...state, answers: { ...state.answers, role } };
  // The proposal depends on the role (main starts at 18789, rescue at 19789) until the user picks a base.
  if (role !== state.answers.role && followsProposal(state)) next = setBase(next, proposedBase(state.facts, state.proposals, role), false);
  return go(next, 'paths');
}

/** Printable text typed into a field (a paste arrives whole; splitKeys already made its line breaks Enter). */
function typed(input: string, key: KeyFlags): string {
  if (key.ctrl || key.meta) return '';
  return input.replace(/[\u0000-\u001f\u007f]/g, '');
}

function editField(state: WizardState, input: string, key: KeyFlags): WizardState {
  if (key.backspace || key.delete) return { ...state, field: { text: state.field.text.slice(0, -1), error: null } };
  if (key.ctrl && input === 'u') return { ...state, field: { text: '', error: null } };
  const text = typed(input, key);
  return text === '' ? state : { ...state, field: { text: state.field.text + text, error: null } };
}

function pathsKey(state: WizardState, input: string, key: KeyFlags): WizardState {
  if (key.escape) return go(state, 'role');
  if (!key.return) return editField(state, input, key);
  const checked = checkWorkspace(state.field.text, state.facts);
  if (!checked.ok) return { ...state, field: { ...state.field, error: checked.reason } };
  return go({ ...state, answers: { ...state.answers, workspace: checked.path } }, 'port');
}

function setBase(state: WizardState, base: number, touched = true): WizardState {
  const clamped = Math.min(MAX_BASE, Math.max(MIN_PORT, base));
  return {
    ...state,
    answers: { ...state.answers, base: clamped },
    port: { ...state.port, text: String(clamped), fresh: true, touched: touched || state.port.touched, confirming: false, error: null, ...(clamped === state.answers.base ? {} : { refused: null }) },
  };
}

function setPortText(state: WizardState, text: string): WizardState {
  const parsed = parseBase(text);
  return {
    ...state,
    answers: parsed.ok ? { ...state.answers, base: parsed.base } : state.answers,
    port: { ...state.port, text, fresh: false, touched: true, confirming: false, error: null, refused: null },
  };
}

function portKey(state: WizardState, input: string, key: KeyFlags): WizardState {
  if (key.escape) return go(state, 'paths');
  if (key.return) return confirmPort(state);
  const step = key.upArrow ? 1 : key.downArrow ? -1 : key.pageUp ? 100 : key.pageDown ? -100 : 0;
  if (step !== 0) return setBase(state, (typedBase(state) ?? state.answers.base) + step);
  if (key.backspace || key.delete) return setPortText(state, state.port.text.slice(0, -1));
  if (input === 'p' && !key.ctrl) return setBase(state, state.port.suggestion ?? proposedBase(state.facts, state.proposals, state.answers.role));
  const digits = typed(input, key).replace(/\D/g, '');
  if (digits === '') return state;
  return setPortText(state, (state.port.fresh ? digits : state.port.text + digits).slice(0, 5));
}

export type BaseCheck = { kind: 'ok' } | { kind: 'pending' } | { kind: 'refused'; reason: string; live: boolean };

/**
 * Whether a base can be taken (mayUseBase's rule, on the rows it draws): refused when another
 * profile claims a port of its footprint (known at once) or, once probed, a process other
 * than this profile's own gateway and browsers holds one; pending until then.
 */
export function checkBase(facts: WizardFacts, proposal: number, base: number, probed: HostView | null): BaseCheck {
  const view = probed ?? facts.view;
  const rows = conflictRows(portMap(view, currentOf(view), shapeOf(facts, base)));
  const instead = proposal === base ? 'Pick another base.' : `Pick another base (the proposal is ${proposal}).`;
  const claimed = rows.find((r) => r.state === 'claimed');
  if (claimed) return { kind: 'refused', reason: `${portsText(claimed)} (${claimed.label}) is ${claimed.text}. ${instead}`, live: false };
  if (probed === null) return { kind: 'pending' };
  const bound = rows.find((r) => r.state === 'bound');
  if (bound) return { kind: 'refused', reason: `${portsText(bound)} (${bound.label}) is ${bound.text}: a gateway could not listen there. ${instead}`, live: true };
  return { kind: 'ok' };
}

/**
 * Enter on the port step: go on, refuse with the reason, or wait for the probe. A refusal
 * for a process holding a port is made on a probe taken after the Enter (`fresh`): a holder
 * that has exited since the last probe does not refuse the base with its dead pid.
 */
function confirmPort(state: WizardState, fresh = false): WizardState {
  const parsed = parseBase(state.port.text);
  if (!parsed.ok) return { ...state, port: { ...state.port, error: parsed.reason, confirming: false } };
  const proposal = state.port.suggestion ?? proposedBase(state.facts, state.proposals, state.answers.role);
  const check = checkBase(state.facts, proposal, parsed.base, probeFor(state, parsed.base));
  if (check.kind === 'refused' && check.live && !fresh && state.port.probe !== null) {
    return { ...state, port: { ...state.port, probe: { ...state.port.probe, stale: true }, confirming: true, error: null } };
  }
  if (check.kind === 'refused') return { ...state, port: { ...state.port, confirming: false, error: check.reason } };
  if (check.kind === 'pending') return { ...state, port: { ...state.port, confirming: true, error: null } };
  return go({ ...state, answers: { ...state.answers, base: parsed.base }, port: { ...state.port, confirming: false, error: null, refused: null } }, 'browser');
}

function browserKey(state: WizardState, input: string, key: KeyFlags): WizardState {
  if (state.browserEditing) {
    if (key.escape) return { ...state, browserEditing: false, field: { text: '', error: null } };
    if (!key.return) return editField(state, input, key);
    const checked = checkCdpUrl(state.field.text, state.facts);
    if (!checked.ok) return { ...state, field: { ...state.field, error: checked.reason } };
    return go({ ...state, answers: { ...state.answers, browser: { kind: 'remote', cdpUrl: checked.url } } }, 'service');
  }
  if (key.escape) return go(state, 'port');
  if (!key.return) return moveCursor(state, key, 2);
  if (state.cursor === 0) return go({ ...state, answers: { ...state.answers, browser: { kind: 'local' } } }, 'service');
  const current = state.answers.browser.kind === 'remote' ? state.answers.browser.cdpUrl : '';
  return { ...state, browserEditing: true, field: { text: current, error: null } };
}

function serviceKey(state: WizardState, key: KeyFlags): WizardState {
  if (key.escape) return go(state, 'browser');
  const usable = state.service?.usable === true;
  if (!key.return) return usable ? moveCursor(state, key, 2) : state;
  // Not answered yet: wait for the service manager rather than guess.
  if (state.service === null) return state;
  return go({ ...state, answers: { ...state.answers, installService: usable && state.cursor === 0 } }, 'summary');
}

function scrollBy(state: WizardState, key: KeyFlags, total: number): WizardState {
  const max = Math.max(0, total - bodyHeight(state.view));
  const delta = key.upArrow ? -1 : key.downArrow ? 1 : key.pageUp ? -bodyHeight(state.view) : key.pageDown ? bodyHeight(state.view) : 0;
  return delta === 0 ? state : { ...state, scroll: Math.min(max, Math.max(0, state.scroll + delta)) };
}

function summaryKey(state: WizardState, key: KeyFlags): WizardState {
  if (key.escape) return go(state, 'service');
  if (key.return) return go(state, 'apply');
  return scrollBy(state, key, summaryBody(state).length);
}

function applyKey(state: WizardState, input: string, key: KeyFlags): WizardState {
  if (state.apply.running || state.apply.error === null) return state;
  if (key.escape) return go({ ...state, apply: { ...state.apply, error: null } }, state.apply.backTo);
  // The base Apply offered instead, one key away: back on the port step with it in the field.
  if (input === 'p' && !key.ctrl && state.port.suggestion !== null) return go(setBase({ ...state, apply: { ...state.apply, error: null } }, state.port.suggestion), 'port');
  if (key.return) return go(state, 'apply');
  return state;
}

export function findings(state: WizardState): Finding[] {
  return state.facts.diagnosis?.findings ?? [];
}

export function selectedKinds(state: WizardState): FindingKind[] {
  return [...new Set(findings(state).filter((f, i) => f.fixable && state.repair.selected[i]).map((f) => f.kind))];
}

function repairKey(state: WizardState, input: string, key: KeyFlags): WizardState {
  const { phase } = state.repair;
  const list = findings(state);
  if (phase === 'list') {
    if (input === 'q' && !key.ctrl) return { ...state, exit: { code: 0 } };
    if (input === 'm' && !key.ctrl && state.facts.loaded.state === 'ok') return go(state, 'role');
    if (input === ' ' && list[state.cursor]?.fixable) {
      const selected = state.repair.selected.map((s, i) => (i === state.cursor ? !s : s));
      return { ...state, repair: { ...state.repair, selected } };
    }
    if (key.return && selectedKinds(state).length > 0) return { ...state, repair: { ...state.repair, phase: 'planning', error: null } };
    return list.length > 0 ? moveCursor(state, key, list.length) : state;
  }
  if (phase === 'review') {
    if (key.escape) return { ...state, repair: { ...state.repair, phase: 'list', plan: null } };
    if (key.return) return { ...state, repair: { ...state.repair, phase: 'applying' } };
    return scrollBy(state, key, reviewBody(state).length);
  }
  if (phase === 'failed' && key.escape) return { ...state, repair: { ...state.repair, phase: 'list', plan: null, error: null } };
  return state;
}
