import { Box, Text } from 'ink';
import { tildify } from '../src/core/profile/paths';
import type { TextQuestion } from '../src/core/wizard/questions';
import { Field } from './Field';
import { type WizardState } from '../src/core/wizard/model';

/** The workspace question, under the two paths the profile fixes. */
export function PathsStep({ state, question }: { state: WizardState; question: TextQuestion }) {
  const { paths, home } = state.facts;
  return (
    <Box flexDirection="column">
      <Text>{question.ask}</Text>
      <Box flexDirection="column" marginTop={1}>
        <Text wrap="truncate-end">  state dir   {tildify(paths.stateDir, home)}  <Text dimColor>(fixed by the profile; 0700)</Text></Text>
        <Text wrap="truncate-end">  config      {tildify(paths.configPath, home)}  <Text dimColor>(0600: it holds the auth token)</Text></Text>
        <Field label={`  ${question.label.padEnd(11)}`} text={state.field.text} width={state.view.columns} />
      </Box>
      <Box marginTop={1}>
        {state.field.error ? <Text color="red">✖ {state.field.error}</Text> : <Text dimColor>{question.note}</Text>}
      </Box>
    </Box>
  );
}
