import { scrolledBody } from '../src/core/wizard/summary';
import { type WizardState } from '../src/core/wizard/model';
import { toneRows, type Body } from './rows';

/** A long body with nothing to focus (the summary, the repair review): PgUp/PgDn scroll it. */
export function scrolledRows(state: WizardState): Body {
  return { rows: toneRows(scrolledBody(state), state.view.columns), focus: null };
}
