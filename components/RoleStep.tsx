import { Box, Text } from 'ink';
import { PREFERRED_START } from '../src/ports/propose';
import { watchedLabels } from '../src/wizard/answers';
import type { WizardState } from '../src/wizard/state';
import { Choice } from './Choice';

export function RoleStep({ state }: { state: WizardState }) {
  const watched = watchedLabels(state.facts, 'rescue');
  const watches = watched.length > 0 ? `watches ${watched.join(', ')}` : 'would watch main, once there is one';
  return (
    <Box flexDirection="column">
      <Text>Which role does this gateway play?</Text>
      <Box marginTop={1}>
        <Choice
          cursor={state.cursor}
          options={[
            { label: 'main', detail: `the everyday gateway; base proposed from ${PREFERRED_START.main}` },
            { label: 'rescue', detail: `a second gateway that ${watches}; base from ${PREFERRED_START.rescue}` },
          ]}
        />
      </Box>
    </Box>
  );
}
