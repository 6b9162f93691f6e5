import { doneLines } from '../src/core/wizard/summary';
import { type WizardState } from '../src/core/wizard/model';
import { EXIT } from '../src/core/errors';
import { BodyRows, textRows, toneRows, type Body } from './rows';

/** What was written and what to run next. The last frame stays on the terminal after the wizard exits, whole. */
export function doneBody(state: WizardState): Body {
  const width = state.view.columns;
  const body = new BodyRows();
  if (state.exit?.code === EXIT.cancelled) body.add(textRows('Cancelled after the write finished: the files below are in place.', width, { color: 'yellow' }));
  return body.add(toneRows(doneLines(state), width)).body();
}
