import { Box } from 'ink';
import { offerOf, type ChoiceQuestion } from '../src/core/wizard/questions';
import { Choice } from './Choice';
import { Field } from './Field';
import { TONE } from './Toned';
import { Wrapped } from './Wrapped';
import { type WizardState } from '../src/core/wizard/model';

/** Any choice question of the table: its question, its choices in words, and the chosen option's own field when it has one. */
export function ChoiceStep({ state, question }: { state: WizardState; question: ChoiceQuestion }) {
  const offer = offerOf(question, state);
  if (offer.state !== 'open') {
    return (
      <Box flexDirection="column">
        {offer.say.map((line, i) => (
          <Wrapped key={i} text={line.text} width={state.view.columns} {...TONE[line.tone]} />
        ))}
      </Box>
    );
  }
  const option = question.choices[state.cursor];
  const field = state.editing && option !== undefined && 'field' in option ? option.field : null;
  return (
    <Box flexDirection="column">
      <Wrapped text={question.ask} width={state.view.columns} />
      <Box marginTop={1}>
        <Choice cursor={state.cursor} width={state.view.columns} options={question.choices.map((c) => ({ label: c.word, detail: c.detail(state) }))} />
      </Box>
      {field && (
        <Box marginTop={1} flexDirection="column">
          <Field label={`  ${field.label}`} text={state.field.text} width={state.view.columns} />
          {state.field.error ? (
            <Wrapped text={`✖ ${state.field.error}`} width={state.view.columns} hang={2} color="red" />
          ) : (
            <Wrapped text={`  ${field.note}`} width={state.view.columns} dimColor />
          )}
        </Box>
      )}
    </Box>
  );
}
