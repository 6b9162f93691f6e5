/** What the screens of the wizard derive from its state alone: the room a body has, the repair findings. */
import type { Finding, FindingKind } from '../doctor/findings';
import type { BodyMeasure, WizardState } from './model';

export const DEFAULT_VIEW = { columns: 80, rows: 24 };
/** The smallest terminal the wizard draws in; below it, one line asks for a bigger window. */
export const MIN_VIEW = { columns: 40, rows: 12 };
/** The key hints wrap onto a second line where one is not wide enough; never a third at 80 columns. */
export const HINT_LINES = 2;

/** A body taller than its room, as the frame measured it. */
export function overflows(state: WizardState): boolean {
  return state.body !== null && state.body.lines > state.body.room;
}

/** The scroll of a body, kept within it: the window never leaves the body's first or last line. */
export function clampScroll(body: BodyMeasure, scroll: number): number {
  return Math.min(Math.max(0, body.lines - body.room) - body.anchor, Math.max(0 - body.anchor, scroll));
}

/** The lines of a body that must show: `tail` when, taller than the room, its end matters most (an error under its field). */
export interface Focus {
  from: number;
  to: number;
  tail: boolean;
}

/**
 * The first line of a body shown in its room. With a focus (the cursor's row, the field being
 * typed and its error) the window moves as little as it can from where it was so the focus
 * shows whole; a focus taller than the room shows its start, or its end when that is what a
 * key just answered. Without one, the window is where PgUp/PgDn left it.
 */
export function windowTop(lines: number, room: number, focus: Focus | null, previous: number): number {
  const max = Math.max(0, lines - room);
  let top = Math.max(0, previous);
  if (focus !== null) {
    if (focus.to - focus.from + 1 > room) top = focus.tail ? focus.to - room + 1 : focus.from;
    else if (focus.from < top) top = focus.from;
    else if (focus.to >= top + room) top = focus.to - room + 1;
    // Near an end, the window shows it: the question above the first choice, the note under the last.
    if (focus.to < room) top = 0;
    else if (lines - focus.from <= room) top = max;
  }
  return Math.min(max, Math.max(0, top));
}

export function findings(state: WizardState): Finding[] {
  return state.facts.diagnosis?.findings ?? [];
}

export function selectedKinds(state: WizardState): FindingKind[] {
  return [...new Set(findings(state).filter((f, i) => f.fixable && state.repair.selected[i]).map((f) => f.kind))];
}
