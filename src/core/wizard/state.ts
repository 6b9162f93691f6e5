/**
 * The wizard as a state machine: (state, event) → state. Raw key events go in, so the
 * one input handler in the UI only forwards them and can never act on a stale step; a key
 * acts only through the keys table (keymap.ts), which the hints line is drawn from too.
 * The question steps come from the questions table (questions.ts).
 * Pure: the UI runs the I/O (probe, write, service) that a state asks for and sends
 * the answers back as events.
 */
import { portsText, type PortMapRow } from '../ports/portmap';
import { parseBase, proposedBase, shapeOf } from './answers';
import { EXIT, exitFor } from '../errors';
import type { WizardFacts } from './facts';
import { MAX_BASE } from '../ports/footprint';
import { MIN_PORT } from '../ports/limits';
import { conflictRows, currentOf, portMap, type HostView } from '../host/view';
import { bindingFor, choiceQuestion, choicesHere, initials, type Action } from './keymap';
import { splitKeys, typed, type KeyFlags } from './keys';
import { choicesOf, initialAnswers, offerOf, QUESTIONS, questionAt, withAnswer, type ChoiceQuestion, type Question } from './questions';
import { clampScroll, DEFAULT_VIEW, findings, selectedKinds } from './view';
import { type BodyMeasure, type ProbeAnswer, type Step, type WizardState, type WizardEvent } from './model';

export { DEFAULT_VIEW, findings, selectedKinds } from './view';

/** The steps a new profile walks through, in order (what "step 3 of 8" counts): one per question. */
export const FLOW: readonly Step[] = ['welcome', ...QUESTIONS.map((q) => q.step), 'summary', 'apply'];

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
    body: null,
    field: { text: '', error: null },
    port: { text: String(answers.base), fresh: true, touched: facts.given.base !== undefined, probe: null, snapshot: null, confirming: false, error: null, refused: null, suggestion: null },
    editing: false,
    apply: { running: false, error: null, backTo: 'summary' },
    cancelRequested: false,
    outcome: null,
    repair: { phase: 'list', selected: findings.map((f) => f.fixable), plan: null, result: null, error: null },
    exit: null,
  };
}

// ── derived views (pure; the components draw these) ──

/** A profile with a config opens on repair; Esc from the first question goes back there too. */
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

/**
 * The port map of a base, drawn at once on every key: other profiles' claims (pure) and the
 * listeners of the last snapshot of the host; `confirmed` once the probe for this very base answered.
 */
export function portRows(state: WizardState, base: number): PortMapRow[] {
  return portMapOf(state, base).rows;
}

export function portMapOf(state: WizardState, base: number): { rows: PortMapRow[]; confirmed: boolean } {
  const probed = probeFor(state, base);
  const view = probed ?? state.port.snapshot ?? state.facts.view;
  return { rows: portMap(view, currentOf(view), shapeOf(state.facts, base)), confirmed: probed !== null };
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
    case 'body':
      return measured(state, event.body);
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
      const view = probedView(state.facts, event.host);
      // An answer for a base the field has left is still the host as it is: the map draws from it.
      if (typedBase(state) !== event.base) return { ...state, port: { ...state.port, snapshot: view } };
      const next = { ...state, port: { ...state.port, snapshot: view, probe: { base: event.base, view, stale: false } } };
      return next.port.confirming && state.step === 'port' ? confirmPort(next, true) : next;
    }
    case 'applied':
      return {
        ...state,
        step: 'done',
        outcome: event.outcome,
        apply: { ...state.apply, running: false },
        exit: { code: state.cancelRequested ? EXIT.cancelled : exitFor(event.outcome.service.ok) },
      };
    case 'applyFailed':
      // Nothing was written: a Ctrl-C that waited for the write is a plain cancel now.
      if (state.cancelRequested) return { ...state, step: 'cancelled', apply: { ...state.apply, running: false }, exit: { code: EXIT.cancelled } };
      {
        const failed = { ...state, scroll: 0, body: null, apply: { ...state.apply, running: false, error: event.message, backTo: event.backTo } };
        const r = event.refusal;
        if (r === undefined) return failed;
        // What Apply saw is what the port step shows now, and the base it offered is one key away.
        const probe = { base: r.base, view: probedView(state.facts, r.host), stale: false };
        return { ...failed, port: { ...failed.port, probe, snapshot: probe.view, refused: event.message.split('\n')[0]!, suggestion: r.suggestion } };
      }
    case 'repairPlanned':
      return { ...state, scroll: 0, body: null, repair: { ...state.repair, phase: 'review', plan: event.plan } };
    case 'repaired':
      return { ...state, repair: { ...state.repair, phase: 'done', result: event.result }, exit: { code: state.cancelRequested ? EXIT.cancelled : EXIT.ok } };
    case 'repairFailed':
      if (state.cancelRequested) return { ...state, step: 'cancelled', exit: { code: EXIT.cancelled } };
      return { ...state, repair: { ...state.repair, phase: 'failed', error: event.message } };
    case 'resolved':
      return resolved(state, event);
    case 'key': {
      const drawn = event.body ? measured(state, event.body) : state;
      return splitKeys(event.input, event.key).reduce((s, k) => (s.exit === null ? onKey(s, k.input, k.key) : s), drawn);
    }
  }
}

/** The body as the frame measured it; the scroll stays within it (a taller window shows more of the end). */
function measured(state: WizardState, body: BodyMeasure): WizardState {
  if (state.body?.lines === body.lines && state.body.room === body.room && state.body.anchor === body.anchor) return state;
  return { ...state, body, scroll: clampScroll(body, state.scroll) };
}

/**
 * A key acts only through its binding in the keys table; a key the table does not name changes
 * nothing. Any key that does something other than scroll brings the focus back into sight.
 */
function onKey(state: WizardState, input: string, key: KeyFlags): WizardState {
  const binding = bindingFor(state, input, key);
  if (binding === undefined) return state;
  const next = ACTIONS[binding.action](state, input, key);
  return binding.action === 'scroll' || binding.action === 'page' || next.scroll === 0 ? next : { ...next, scroll: 0 };
}

/** Enter on the repair list with every fix unticked. */
const NOTHING_TICKED = 'Nothing is ticked: Space ticks a fix, q leaves the profile as it is.';

type Handler = (state: WizardState, input: string, key: KeyFlags) => WizardState;

const ACTIONS: Readonly<Record<Action, Handler>> = {
  next,
  back,
  quit,
  move,
  edit: editField,
  clear: (state) => ({ ...state, field: { text: '', error: null } }),
  submit: submitField,
  closeField: (state) => ({ ...state, editing: false, field: { text: '', error: null } }),
  nudge,
  clearBase: (state) => setPortText(state, ''),
  typeBase,
  propose: (state) => setBase(state, state.port.suggestion ?? proposedBase(state.facts, state.proposals, state.answers.role)),
  useSuggestion,
  confirmBase: (state) => confirmPort(state),
  scroll: scrollBy,
  page,
  retry: (state) => go(state, 'apply'),
  toggle,
  review: (state) =>
    selectedKinds(state).length === 0
      ? { ...state, repair: { ...state.repair, error: NOTHING_TICKED } }
      : { ...state, repair: { ...state.repair, phase: 'planning', error: null } },
  modify: (state) => go(state, QUESTIONS[0]!.step),
  leave: (state) => ({ ...state, repair: { ...state.repair, phase: 'left' }, exit: { code: EXIT.ok } }),
  applyRepair: (state) => ({ ...state, repair: { ...state.repair, phase: 'applying' } }),
};

/** A write in flight is atomic and short: Ctrl-C then stops the wizard right after it, with 130. */
function writing(state: WizardState): boolean {
  return state.apply.running || state.repair.phase === 'applying';
}

function quit(state: WizardState): WizardState {
  if (writing(state)) return { ...state, cancelRequested: true };
  return { ...state, step: 'cancelled', exit: { code: EXIT.cancelled } };
}

/** Enters a step with its cursor and field set from the answers (so Esc back shows what was chosen). */
function go(state: WizardState, step: Step): WizardState {
  const next: WizardState = { ...state, step, scroll: 0, body: null, field: { text: '', error: null }, editing: false };
  const q = questionAt(step);
  switch (q?.kind) {
    case 'choice':
      return { ...next, cursor: Math.max(0, choicesOf(q, state).findIndex((c) => c.word === q.wordOf(state.answers))) };
    case 'text':
      return { ...next, field: { text: q.text(state), error: null } };
    case 'port':
      return { ...next, port: { ...state.port, confirming: false, error: null } };
  }
  return step === 'apply' ? { ...next, apply: { running: true, error: null, backTo: 'summary' } } : next;
}

/** The step after this one in the flow. */
function after(step: Step): Step {
  return FLOW[FLOW.indexOf(step) + 1]!;
}

function next(state: WizardState): WizardState {
  if (state.step === 'welcome') return go(state, after('welcome'));
  if (state.step === 'summary') return go(state, 'apply');
  const q = choiceQuestion(state);
  return q === null ? state : choose(state, q);
}

function back(state: WizardState): WizardState {
  if (state.step === 'apply') return go({ ...state, apply: { ...state.apply, error: null } }, state.apply.backTo);
  if (state.step === 'repair') return { ...state, scroll: 0, body: null, repair: { ...state.repair, phase: 'list', plan: null, error: null } };
  const i = FLOW.indexOf(state.step);
  return go(state, i <= 1 ? firstStep(state.facts) : FLOW[i - 1]!);
}

/** Takes an answer and moves on; a base that follows the proposal follows the role it is proposed for. */
function answer(state: WizardState, q: Question, value: unknown): WizardState {
  let next: WizardState = { ...state, answers: withAnswer(state.answers, q, value) };
  const proposal = proposedBase(next.facts, next.proposals, next.answers.role);
  if (followsProposal(next) && proposal !== next.answers.base) next = setBase(next, proposal, false);
  return go(next, after(state.step));
}

/** Enter on a choice: its answer, or its own field (a remote Chrome's URL); with nothing to choose, the one answer there is. */
function choose(state: WizardState, q: ChoiceQuestion): WizardState {
  const offer = offerOf(q, state);
  if (offer.state === 'pending') return state;
  if (offer.state === 'closed') return answer(state, q, offer.answer);
  const option = choicesOf(q, state)[state.cursor]!;
  if ('field' in option) return { ...state, editing: true, field: { text: option.field.text(state.answers), error: null } };
  return answer(state, q, option.value);
}

function submitField(state: WizardState): WizardState {
  const q = questionAt(state.step);
  let checked;
  if (q?.kind === 'text') checked = q.check(state.field.text, state.facts);
  else {
    const option = choicesHere(state)[state.cursor];
    if (option === undefined || !('field' in option)) return state;
    checked = option.field.check(state.field.text, state.facts, state.answers);
  }
  if (!checked.ok) return { ...state, field: { ...state.field, error: checked.reason } };
  // A path is taken once the host has resolved its symlinks (the 'resolved' event): the UI runs that lookup.
  if (q?.kind === 'text' && q.resolvedCheck !== undefined) return { ...state, field: { ...state.field, error: null, resolving: String(checked.value) } };
  return answer(state, q!, checked.value);
}

/** The host resolved the field's path: checked again as resolvedCheck says, then taken or refused. A late answer for another text is dropped. */
function resolved(state: WizardState, event: { path: string; real: string }): WizardState {
  const q = questionAt(state.step);
  if (q?.kind !== 'text' || q.resolvedCheck === undefined || state.field.resolving !== event.path) return state;
  const checked = q.resolvedCheck(state.field.text, state.facts, event.real);
  const field = { text: state.field.text, error: checked.ok ? null : checked.reason };
  return checked.ok ? answer({ ...state, field }, q, checked.value) : { ...state, field };
}

/**
 * Moves a list's cursor, stopping at both ends: a wrap would turn ↓ on the last choice into
 * the first one (rescue's role silently becoming main). A choice's first letter goes to it.
 */
function move(state: WizardState, input: string, key: KeyFlags): WizardState {
  const q = choiceQuestion(state);
  const letter = initials(state).indexOf(input.toLowerCase());
  if (letter !== -1) return { ...state, cursor: letter, scroll: 0 };
  const count = q === null ? findings(state).length : choicesHere(state).length;
  const delta = key.upArrow ? -1 : key.downArrow || key.tab ? 1 : 0;
  const cursor = Math.min(count - 1, Math.max(0, state.cursor + delta));
  return cursor === state.cursor ? state : { ...state, cursor, scroll: 0 };
}

function editField(state: WizardState, input: string, key: KeyFlags): WizardState {
  if (key.backspace || key.delete) return { ...state, field: { text: state.field.text.slice(0, -1), error: null } };
  return { ...state, field: { text: state.field.text + typed(input, key), error: null } };
}

/**
 * ↑/↓ ±1, PgUp/PgDn ±100 from the number in the field, clamped to the valid bases: on a typed
 * 65500 either arrow gives the highest base, on 80 the lowest. An empty field starts from the answer.
 */
function nudge(state: WizardState, _input: string, key: KeyFlags): WizardState {
  const from = /^\d+$/.test(state.port.text) ? Number(state.port.text) : state.answers.base;
  const delta = key.upArrow ? 1 : key.downArrow ? -1 : key.pageUp ? 100 : -100;
  if (from > MAX_BASE) return setBase(state, MAX_BASE);
  if (from < MIN_PORT) return setBase(state, MIN_PORT);
  return setBase(state, from + delta);
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

/** Digits typed into the base: the first replaces the prefill, the next append; a paste keeps only its digits. */
function typeBase(state: WizardState, input: string, key: KeyFlags): WizardState {
  if (key.backspace || key.delete) return setPortText(state, state.port.text.slice(0, -1));
  const digits = typed(input, key).replace(/\D/g, '');
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
  // After a refusal the next digit starts a new number, as after a prefill; Backspace and Ctrl-U edit what is there.
  if (!parsed.ok) return { ...state, port: { ...state.port, error: parsed.reason, confirming: false, fresh: true } };
  const proposal = state.port.suggestion ?? proposedBase(state.facts, state.proposals, state.answers.role);
  const check = checkBase(state.facts, proposal, parsed.base, probeFor(state, parsed.base));
  if (check.kind === 'refused' && check.live && !fresh && state.port.probe !== null) {
    return { ...state, port: { ...state.port, probe: { ...state.port.probe, stale: true }, confirming: true, error: null } };
  }
  if (check.kind === 'refused') return { ...state, port: { ...state.port, confirming: false, error: check.reason, fresh: true } };
  if (check.kind === 'pending') return { ...state, port: { ...state.port, confirming: true, error: null } };
  return go({ ...state, answers: { ...state.answers, base: parsed.base }, port: { ...state.port, confirming: false, error: null, refused: null } }, after('port'));
}

/** ↑/↓ a line, PgUp/PgDn a room less one line (so a line of the last page stays in sight), within the body. */
function scrollBy(state: WizardState, _input: string, key: KeyFlags): WizardState {
  if (state.body === null) return state;
  const page = Math.max(1, state.body.room - 1);
  const delta = key.upArrow ? -1 : key.downArrow ? 1 : key.pageUp ? -page : key.pageDown ? page : 0;
  return { ...state, scroll: clampScroll(state.body, state.scroll + delta) };
}

/** Tab on a body whose scroll keys are taken: a page further down, and from the end back to the focus. */
function page(state: WizardState): WizardState {
  if (state.body === null) return state;
  const next = clampScroll(state.body, state.scroll + Math.max(1, state.body.room - 1));
  return { ...state, scroll: next === state.scroll ? 0 : next };
}

/** Space on the repair list: a fixable finding in or out of the fixes. */
function toggle(state: WizardState): WizardState {
  if (!findings(state)[state.cursor]?.fixable) return state;
  const selected = state.repair.selected.map((s, i) => (i === state.cursor ? !s : s));
  return { ...state, repair: { ...state.repair, selected, error: null } };
}

/** p after Apply refused the base: back on the port step with the base Apply offered in the field. */
function useSuggestion(state: WizardState): WizardState {
  const suggestion = state.port.suggestion;
  if (suggestion === null) return state;
  return go(setBase({ ...state, apply: { ...state.apply, error: null } }, suggestion), 'port');
}
