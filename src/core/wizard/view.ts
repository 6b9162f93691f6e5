/** What the screens of the wizard derive from its state alone: the room a body has, the repair findings. */
import type { Finding, FindingKind } from '../doctor/findings';
import type { WizardState } from './model';

export const DEFAULT_VIEW = { columns: 80, rows: 24 };
/** The key hints wrap onto a second line where one is not wide enough; never a third at 80 columns. */
export const HINT_LINES = 2;
/**
 * Lines around a scrolled body: title, blank, blank, the key hints, and one spare so a
 * frame never fills the terminal (Ink clears the screen then).
 */
export const CHROME_LINES = 4 + HINT_LINES;

export function bodyHeight(view: WizardState['view']): number {
  return Math.max(3, view.rows - CHROME_LINES);
}

export function findings(state: WizardState): Finding[] {
  return state.facts.diagnosis?.findings ?? [];
}

export function selectedKinds(state: WizardState): FindingKind[] {
  return [...new Set(findings(state).filter((f, i) => f.fixable && state.repair.selected[i]).map((f) => f.kind))];
}
