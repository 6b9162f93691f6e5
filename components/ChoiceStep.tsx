import { Box, Text } from 'ink';
import { offerOf, type ChoiceQuestion } from '../src/core/wizard/questions';
import { Choice } from './Choice';
import { Field } from './Field';
import { TONE } from './Toned';
import { type WizardState } from '../src/core/wizard/model';

/** Any choice question of the table: its question, its choices in words, and the chosen option's own field when it has one. */
export function ChoiceStep({ state, question }: { state: WizardState; question: ChoiceQuestion }) {
  const offer = offerOf(question, state);
  if (offer.state !== 'open') {
    return (
      <Box flexDirection="column">
        {offer.say.map((line, i) => (
          <Text key={i} {...TONE[line.tone]}>
            {line.text === '' ? ' ' : line.text}
          </Text>
        ))}
      </Box>
    );
  }
  const option = question.choices[state.cursor];
  const field = state.editing && option !== undefined && 'field' in option ? option.field : null;
  return (
    <Box flexDirection="column">
      <Text>{question.ask}</Text>
      <Box marginTop={1}>
        <Choice cursor={state.cursor} options={question.choices.map((c) => ({ label: c.word, detail: c.detail(state) }))} />
      </Box>
      {field && (
        <Box marginTop={1} flexDirection="column">
          <Field label={`  ${field.label}`} text={state.field.text} width={state.view.columns} />
          {state.field.error ? <Text color="red">✖ {state.field.error}</Text> : <Text dimColor>  {field.note}</Text>}
        </Box>
      )}
    </Box>
  );
}
