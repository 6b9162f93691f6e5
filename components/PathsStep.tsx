import { tildify } from '../src/core/profile/paths';
import type { TextQuestion } from '../src/core/wizard/questions';
import { fieldRows } from './Field';
import { type WizardState } from '../src/core/wizard/model';
import { BodyRows, textRows, type Body } from './rows';

/** The workspace question, under the two paths the profile fixes; the field and its note (or error) are the focus. */
export function pathsBody(state: WizardState, question: TextQuestion): Body {
  const { paths, home } = state.facts;
  const width = state.view.columns;
  return new BodyRows()
    .add(textRows(question.ask, width))
    .gap()
    .add(textRows(`  state dir   ${tildify(paths.stateDir, home)}  (fixed by the profile; 0700)`, width, {}, 14))
    .add(textRows(`  config      ${tildify(paths.configPath, home)}  (0600: it holds the auth token)`, width, {}, 14))
    .add(fieldRows(`  ${question.label.padEnd(11)}`, state.field.text, width), { focus: true })
    .gap()
    .add(state.field.error ? textRows(`✖ ${state.field.error}`, width, { color: 'red' }, 2) : textRows(question.note, width, { dimColor: true }), { focus: state.field.error ? 'answer' : true })
    .body();
}
