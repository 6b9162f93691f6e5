/** What the screens of the wizard derive from its state alone: the room a body has, the repair findings. */
import type { Finding, FindingKind } from '../doctor/findings';
import type { WizardState } from './model';

export const DEFAULT_VIEW = { columns: 80, rows: 24 };
/** The smallest terminal the wizard draws in; below it, one line asks for a bigger window. */
export const MIN_VIEW = { columns: 40, rows: 12 };
/** The key hints wrap onto a second line where one is not wide enough; never a third at 80 columns. */
export const HINT_LINES = 2;

/** A body taller than its room: how many lines it has and how many show (the frame measures both). */
export function overflows(state: WizardState): boolean {
  return state.body !== null && state.body.lines > state.body.room;
}

/** The furthest a body of this many lines scrolls in this room. */
export function maxScroll(body: { lines: number; room: number }): number {
  return Math.max(0, body.lines - body.room);
}

/**
 * The first line of a body shown in its room. With a focus (the cursor's row, the field being
 * typed and its error) the window moves as little as it can from where it was so the focus
 * shows whole; a focus taller than the room shows its end (an error under its field). Without
 * one, the window is where PgUp/PgDn left it.
 */
export function windowTop(lines: number, room: number, focus: { from: number; to: number } | null, previous: number): number {
  const max = Math.max(0, lines - room);
  let top = Math.max(0, previous);
  if (focus !== null) {
    if (focus.to - focus.from + 1 > room) top = focus.to - room + 1;
    else if (focus.from < top) top = focus.from;
    else if (focus.to >= top + room) top = focus.to - room + 1;
  }
  return Math.min(max, Math.max(0, top));
}

export function findings(state: WizardState): Finding[] {
  return state.facts.diagnosis?.findings ?? [];
}

export function selectedKinds(state: WizardState): FindingKind[] {
  return [...new Set(findings(state).filter((f, i) => f.fixable && state.repair.selected[i]).map((f) => f.kind))];
}
