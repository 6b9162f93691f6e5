import { type WizardState } from '../src/core/wizard/model';
import { applyingLines } from '../src/core/wizard/summary';
import { BodyRows, textRows, toneRows, type Body } from './rows';

/** The write under way (or the check, where nothing is written), or why it stopped (a long reason scrolls). */
export function applyBody(state: WizardState): Body {
  const { apply } = state;
  const width = state.view.columns;
  const body = new BodyRows();
  if (apply.error !== null) {
    body.add(textRows('✖ Apply stopped:', width, { color: 'red' }));
    for (const text of apply.error.split('\n')) body.add(textRows(text, width));
    return body.body();
  }
  body.add(toneRows(applyingLines(state), width));
  return body.body();
}
