import { choicesOf, offerOf, type ChoiceQuestion } from '../src/core/wizard/questions';
import { fieldRows } from './Field';
import { BodyRows, headedRows, textRows, toneRows, type Body } from './rows';
import { type WizardState } from '../src/core/wizard/model';

/**
 * Any choice question of the table: its question, its note, its choices in words (the cursor's row is
 * marked with words, › ●, as well as colour, and is the focus), and the chosen option's own
 * field when it has one (then the field and its note or error are the focus).
 */
export function choiceBody(state: WizardState, question: ChoiceQuestion): Body {
  const width = state.view.columns;
  const offer = offerOf(question, state);
  const body = new BodyRows();
  if (offer.state !== 'open') {
    body.add(toneRows(offer.say, width));
    return body.body();
  }
  body.add(textRows(question.ask, width)).gap();
  const note = question.note?.(state) ?? [];
  if (note.length > 0) body.add(toneRows(note, width)).gap();
  const choices = choicesOf(question, state);
  const options = choices.map((c) => ({ label: c.word, detail: c.detail(state) }));
  const labelWidth = Math.max(...options.map((o) => o.label.length));
  options.forEach((option, i) => {
    const here = i === state.cursor;
    const head = [{ text: `${here ? '› ● ' : '  ○ '}${option.label.padEnd(labelWidth)}  `, style: here ? { color: 'cyan', bold: true } : {} }];
    body.add(headedRows(head, option.detail, width, here ? {} : { dimColor: true }), { focus: here && !state.editing });
  });
  const option = choices[state.cursor];
  const field = state.editing && option !== undefined && 'field' in option ? option.field : null;
  if (field) {
    body.gap().add(fieldRows(`  ${field.label}`, state.field.text, width), { focus: true });
    body.add(state.field.error ? textRows(`✖ ${state.field.error}`, width, { color: 'red' }, 2) : textRows(`  ${field.note}`, width, { dimColor: true }), { focus: state.field.error ? 'answer' : true });
  }
  return body.body();
}
