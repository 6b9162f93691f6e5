import { Box, Text } from 'ink';
import { tildify } from '../src/core/profile/paths';
import { Field } from './Field';
import { type WizardState } from '../src/core/wizard/model';

export function PathsStep({ state }: { state: WizardState }) {
  const { paths, home } = state.facts;
  return (
    <Box flexDirection="column">
      <Text>Where does this profile keep its files?</Text>
      <Box flexDirection="column" marginTop={1}>
        <Text wrap="truncate-end">  state dir   {tildify(paths.stateDir, home)}  <Text dimColor>(fixed by the profile; 0700)</Text></Text>
        <Text wrap="truncate-end">  config      {tildify(paths.configPath, home)}  <Text dimColor>(0600: it holds the auth token)</Text></Text>
        <Field label="  workspace  " text={state.field.text} width={state.view.columns} />
      </Box>
      <Box marginTop={1}>
        {state.field.error ? <Text color="red">✖ {state.field.error}</Text> : <Text dimColor>Each gateway needs a workspace of its own.</Text>}
      </Box>
    </Box>
  );
}
