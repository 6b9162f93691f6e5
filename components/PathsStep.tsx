import { Box } from 'ink';
import { tildify } from '../src/core/profile/paths';
import type { TextQuestion } from '../src/core/wizard/questions';
import { Field } from './Field';
import { type WizardState } from '../src/core/wizard/model';
import { Wrapped } from './Wrapped';

/** The workspace question, under the two paths the profile fixes. */
export function PathsStep({ state, question }: { state: WizardState; question: TextQuestion }) {
  const { paths, home } = state.facts;
  const width = state.view.columns;
  return (
    <Box flexDirection="column">
      <Wrapped text={question.ask} width={width} />
      <Box flexDirection="column" marginTop={1}>
        <Wrapped text={`  state dir   ${tildify(paths.stateDir, home)}  (fixed by the profile; 0700)`} width={width} hang={14} />
        <Wrapped text={`  config      ${tildify(paths.configPath, home)}  (0600: it holds the auth token)`} width={width} hang={14} />
        <Field label={`  ${question.label.padEnd(11)}`} text={state.field.text} width={state.view.columns} />
      </Box>
      <Box marginTop={1}>
        {state.field.error ? <Wrapped text={`✖ ${state.field.error}`} width={width} hang={2} color="red" /> : <Wrapped text={question.note} width={width} dimColor />}
      </Box>
    </Box>
  );
}
