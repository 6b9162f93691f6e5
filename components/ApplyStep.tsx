import { tildify } from '../src/core/profile/paths';
import { type WizardState } from '../src/core/wizard/model';
import { BodyRows, textRows, type Body } from './rows';

/** The write under way, or why it stopped (a long reason scrolls). */
export function applyBody(state: WizardState): Body {
  const { facts, apply, answers } = state;
  const width = state.view.columns;
  const body = new BodyRows();
  if (apply.error !== null) {
    body.add(textRows('✖ Apply stopped:', width, { color: 'red' }));
    for (const text of apply.error.split('\n')) body.add(textRows(text, width));
    return body.body();
  }
  body.add(textRows(`Writing ${tildify(facts.paths.configPath, facts.home)} (checking the ports once more first)…`, width));
  if (answers.installService) body.add(textRows('Then installing and starting the service…', width));
  return body.body();
}
