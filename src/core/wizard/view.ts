/** What the screens of the wizard derive from its state alone: the room a body has, the repair findings. */
import type { Finding, FindingKind } from '../doctor/findings';
import type { WizardState } from './model';

export const DEFAULT_VIEW = { columns: 80, rows: 24 };
/** The smallest terminal the wizard draws in; below it, one line asks for a bigger window. */
export const MIN_VIEW = { columns: 40, rows: 12 };
/** The key hints wrap onto a second line where one is not wide enough; never a third at 80 columns. */
export const HINT_LINES = 2;
/**
 * Lines around a scrolled body: title, blank, blank, the key hints, and one spare so a
 * frame never fills the terminal (Ink clears the screen then).
 */
export const CHROME_LINES = 4 + HINT_LINES;

/** Below 60 columns the heading takes two lines and the key hints a third: the body gives them room. */
export function bodyHeight(view: WizardState['view']): number {
  return Math.max(3, view.rows - CHROME_LINES - (view.columns < 60 ? 2 : 0));
}

export function findings(state: WizardState): Finding[] {
  return state.facts.diagnosis?.findings ?? [];
}

export function selectedKinds(state: WizardState): FindingKind[] {
  return [...new Set(findings(state).filter((f, i) => f.fixable && state.repair.selected[i]).map((f) => f.kind))];
}
