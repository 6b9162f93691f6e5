/**
 * The keys of every screen of the wizard, one table: the keys each binding takes, what it
 * does in the words of the hints line, and the reducer's action it runs. The reducer
 * dispatches a key only through this table and the hints line is drawn from it, so no key
 * works unseen and no hint names a key that does nothing (the way gemini-cli's keyBindings
 * drive both its handlers and its help).
 */
import { typed, type KeyFlags } from './keys';
import type { WizardState } from './model';
import { writesNothing } from './plan';
import { choicesOf, offerOf, questionAt, type ChoiceOption, type ChoiceQuestion } from './questions';
import { findings, overflows } from './view';

/** A key as the table names it: a named key, one character, or typed text. */
export type KeySpec =
  | 'enter'
  | 'esc'
  | 'up'
  | 'down'
  | 'tab'
  | 'pageUp'
  | 'pageDown'
  | 'backspace'
  | 'space'
  | 'ctrl-c'
  | 'ctrl-u'
  /** Printable text, a paste too. */
  | 'text'
  /** Typed text with a digit in it (the rest is dropped). */
  | 'digits'
  /** The first letter of a choice, where the choices' first letters differ. */
  | 'initial'
  | { char: string };

/** What the reducer does for a binding (state.ts holds one function per action). */
export type Action =
  | 'next'
  | 'back'
  | 'quit'
  | 'move'
  | 'edit'
  | 'clear'
  | 'submit'
  | 'closeField'
  | 'nudge'
  | 'clearBase'
  | 'typeBase'
  | 'propose'
  | 'confirmBase'
  | 'scroll'
  | 'page'
  | 'retry'
  | 'toggle'
  | 'review'
  | 'modify'
  | 'leave'
  | 'applyRepair'
  | 'useSuggestion';

type Words = string | ((state: WizardState) => string);

export interface Binding {
  keys: readonly KeySpec[];
  /** The keys as the hints line names them: "↑/↓". */
  shown: Words;
  /** What they do there: "choose". */
  does: Words;
  action: Action;
  /** Only in some states: a list of one has nothing to move. */
  when?: (state: WizardState) => boolean;
}

/** Which table a state reads: one per screen, and per mode of a screen. */
export type Mode =
  | 'welcome'
  | 'choice'
  | 'choiceField'
  | 'choicePending'
  | 'choiceClosed'
  | 'text'
  | 'port'
  | 'summary'
  | 'writing'
  | 'applyFailed'
  | 'repairList'
  | 'repairWorking'
  | 'repairReview'
  | 'repairFailed'
  | 'ended';

/** The question of a choice step, if the state is on one. */
export function choiceQuestion(state: WizardState): ChoiceQuestion | null {
  const q = questionAt(state.step);
  return q?.kind === 'choice' ? q : null;
}

/** The choices the step on screen lists (choicesOf), none off a choice step. */
export function choicesHere(state: WizardState): readonly ChoiceOption<unknown>[] {
  const q = choiceQuestion(state);
  return q === null ? [] : choicesOf(q, state);
}

/** The choices' first letters, when they differ (main/rescue → m, r; loopback/lan → none). */
export function initials(state: WizardState): string[] {
  const letters = choicesHere(state).map((c) => c.word[0]!.toLowerCase());
  return new Set(letters).size === letters.length ? letters : [];
}

export function modeOf(state: WizardState): Mode {
  if (state.exit !== null) return 'ended';
  switch (state.step) {
    case 'welcome':
      return 'welcome';
    case 'summary':
      return 'summary';
    case 'apply':
      return state.apply.running ? 'writing' : 'applyFailed';
    case 'repair':
      switch (state.repair.phase) {
        case 'list':
          return 'repairList';
        case 'review':
          return 'repairReview';
        case 'failed':
          return 'repairFailed';
        case 'done':
        case 'left':
          return 'ended';
        default:
          return 'repairWorking';
      }
    case 'done':
    case 'cancelled':
      return 'ended';
  }
  const q = questionAt(state.step)!;
  if (q.kind !== 'choice') return q.kind;
  if (state.editing) return 'choiceField';
  const offer = offerOf(q, state).state;
  return offer === 'open' ? 'choice' : offer === 'pending' ? 'choicePending' : 'choiceClosed';
}

const QUIT: Binding = { keys: ['ctrl-c'], shown: 'Ctrl-C', does: 'quit', action: 'quit' };
const QUIT_UNWRITTEN: Binding = { ...QUIT, does: 'quit (nothing written)' };
const NEXT: Binding = { keys: ['enter'], shown: 'Enter', does: 'next', action: 'next' };
const BACK: Binding = { keys: ['esc'], shown: 'Esc', does: 'back', action: 'back' };
const CLEAR: Binding = { keys: ['ctrl-u'], shown: 'Ctrl-U', does: 'clear', action: 'clear' };
/**
 * A body with no focus that is taller than its room scrolls (the frame marks "↑ 3 more" and
 * "↓ 5 more" above and below it); where it fits, the keys do nothing and the hint is not shown.
 */
const SCROLL: Binding = { keys: ['up', 'down', 'pageUp', 'pageDown'], shown: '↑/↓ PgUp/PgDn', does: 'scroll', action: 'scroll', when: overflows };

export const KEYMAP: Readonly<Record<Mode, readonly Binding[]>> = {
  welcome: [{ ...NEXT, does: 'start' }, SCROLL, QUIT],
  choice: [
    {
      keys: ['up', 'down', 'initial'],
      shown: (state) => {
        const letters = initials(state);
        return letters.length > 0 ? `↑/↓ or ${letters.join('/')}` : '↑/↓';
      },
      does: 'choose',
      action: 'move',
    },
    NEXT,
    BACK,
    QUIT,
  ],
  choiceField: [
    { keys: ['text', 'backspace'], shown: 'type', does: (state) => `the ${fieldLabel(state)}`, action: 'edit' },
    CLEAR,
    { ...NEXT, action: 'submit' },
    SCROLL,
    { ...BACK, does: 'cancel', action: 'closeField' },
    QUIT,
  ],
  // Nothing to choose until the host answers (the service manager): Enter waits for it.
  choicePending: [SCROLL, BACK, QUIT],
  choiceClosed: [NEXT, SCROLL, BACK, QUIT],
  // ↑/↓ and PgUp/PgDn move nothing in a field: where the step is taller than the window they
  // bring what is above the field into sight (the next key that edits brings the field back).
  text: [{ keys: ['text', 'backspace'], shown: 'type', does: 'to edit', action: 'edit' }, CLEAR, { ...NEXT, action: 'submit' }, SCROLL, BACK, QUIT],
  port: [
    { keys: ['up', 'down'], shown: '↑/↓', does: '±1', action: 'nudge' },
    { keys: ['pageUp', 'pageDown'], shown: 'PgUp/PgDn', does: '±100', action: 'nudge' },
    { keys: ['digits', 'backspace'], shown: 'digits', does: 'type', action: 'typeBase' },
    { ...CLEAR, action: 'clearBase' },
    { keys: [{ char: 'p' }], shown: 'p', does: (state) => (state.port.suggestion === null ? 'proposal' : `use ${state.port.suggestion}`), action: 'propose' },
    { ...NEXT, action: 'confirmBase' },
    // The arrows and PgUp/PgDn move the base: where the map is taller than the window (40×12), Tab pages through it.
    { keys: ['tab'], shown: 'Tab', does: 'scroll', action: 'page', when: overflows },
    BACK,
    QUIT,
  ],
  // Enter runs apply either way; where it writes nothing, the words say so.
  summary: [
    { ...NEXT, does: (state) => (writesNothing(state) ? 'finish (nothing to write)' : 'write it') },
    SCROLL,
    BACK,
    { ...QUIT, does: (state) => (writesNothing(state) ? 'quit' : 'quit (nothing written)') },
  ],
  // The write is atomic and short: Ctrl-C stops the wizard right after it, with 130.
  writing: [{ ...QUIT, does: (state) => (writesNothing(state) ? 'quit' : 'stop after this write'), when: (state) => !state.cancelRequested }],
  applyFailed: [
    {
      keys: [{ char: 'p' }],
      shown: 'p',
      does: (state) => `use ${state.port.suggestion}`,
      action: 'useSuggestion',
      when: (state) => state.apply.backTo === 'port' && state.port.suggestion !== null,
    },
    { keys: ['enter'], shown: 'Enter', does: 'try again', action: 'retry' },
    SCROLL,
    { ...BACK, does: (state) => `back to the ${state.apply.backTo} step` },
    QUIT,
  ],
  repairList: [
    { keys: ['up', 'down', 'tab'], shown: '↑/↓/Tab', does: 'move', action: 'move', when: (state) => findings(state).length > 1 },
    { keys: ['space'], shown: 'Space', does: 'toggle', action: 'toggle', when: (state) => findings(state).some((f) => f.fixable) },
    // ↑/↓ move the cursor here; a finding taller than the window is read with PgUp/PgDn.
    { keys: ['pageUp', 'pageDown'], shown: 'PgUp/PgDn', does: 'scroll', action: 'scroll', when: overflows },
    // Findings to fix by hand only: nothing to tick or review, Enter does nothing (the list says how).
    { keys: ['enter'], shown: 'Enter', does: 'review fixes', action: 'review', when: (state) => findings(state).some((f) => f.fixable) },
    { keys: ['enter'], shown: 'Enter', does: 'leave as is', action: 'leave', when: (state) => findings(state).length === 0 },
    { keys: [{ char: 'm' }], shown: 'm', does: 'change settings', action: 'modify', when: (state) => state.facts.loaded.state === 'ok' },
    { keys: [{ char: 'q' }], shown: 'q', does: 'leave as is', action: 'leave', when: (state) => findings(state).length > 0 },
    { keys: [{ char: 'q' }], shown: 'q', does: 'leave', action: 'leave', when: (state) => findings(state).length === 0 },
    QUIT,
  ],
  repairWorking: [
    { ...QUIT, when: (state) => state.repair.phase === 'planning' },
    { ...QUIT, does: 'stop after this step', when: (state) => state.repair.phase === 'applying' && !state.cancelRequested },
  ],
  repairReview: [{ keys: ['enter'], shown: 'Enter', does: 'apply', action: 'applyRepair' }, SCROLL, BACK, QUIT_UNWRITTEN],
  repairFailed: [BACK, QUIT],
  ended: [],
};

/** Words on the key line that are no key: what is running. */
export function statusOf(state: WizardState): string | null {
  switch (modeOf(state)) {
    case 'writing':
      if (writesNothing(state)) return state.cancelRequested ? 'stopping…' : 'finishing…';
      return state.cancelRequested ? 'stopping after this write…' : 'writing…';
    case 'repairWorking':
      return state.cancelRequested ? 'stopping after this step…' : 'working…';
    default:
      return null;
  }
}

function fieldLabel(state: WizardState): string {
  const option = choicesHere(state)[state.cursor];
  return option !== undefined && 'field' in option ? option.field.label : 'text';
}

function matches(spec: KeySpec, state: WizardState, input: string, key: KeyFlags): boolean {
  const plain = !key.ctrl && !key.meta;
  switch (spec) {
    case 'enter':
      return key.return === true;
    case 'esc':
      return key.escape === true;
    case 'up':
      return key.upArrow === true;
    case 'down':
      return key.downArrow === true;
    case 'tab':
      return key.tab === true;
    case 'pageUp':
      return key.pageUp === true;
    case 'pageDown':
      return key.pageDown === true;
    case 'backspace':
      return key.backspace === true || key.delete === true;
    case 'space':
      return plain && input === ' ';
    case 'ctrl-c':
      return key.ctrl === true && input === 'c';
    case 'ctrl-u':
      return key.ctrl === true && input === 'u';
    case 'text':
      return typed(input, key) !== '';
    case 'digits':
      return /\d/.test(typed(input, key));
    case 'initial':
      return plain && input.length === 1 && initials(state).includes(input.toLowerCase());
    default:
      return plain && input === spec.char;
  }
}

/** The bindings this state offers, in the order the hints line shows them. */
export function activeBindings(state: WizardState): Binding[] {
  return KEYMAP[modeOf(state)].filter((b) => b.when?.(state) ?? true);
}

/** The binding a key runs here, or undefined: then the key does nothing. */
export function bindingFor(state: WizardState, input: string, key: KeyFlags): Binding | undefined {
  return activeBindings(state).find((b) => b.keys.some((spec) => matches(spec, state, input, key)));
}

export function hintOf(binding: Binding, state: WizardState): string {
  const words = (w: Words) => (typeof w === 'string' ? w : w(state));
  return `${words(binding.shown)} ${words(binding.does)}`;
}
