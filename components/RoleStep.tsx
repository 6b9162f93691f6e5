import { Box, Text } from 'ink';
import { PREFERRED_START } from '../src/core/ports/propose';
import { gatewayRole, watchedLabels } from '../src/core/wizard/answers';
import { Choice } from './Choice';
import { type WizardState } from '../src/core/wizard/model';

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
            { label: 'main', detail: `the everyday gateway; base proposed from ${PREFERRED_START[gatewayRole(state.facts, 'main')]}` },
            { label: 'rescue', detail: `a second gateway that ${watches}; base from ${PREFERRED_START[gatewayRole(state.facts, 'rescue')]}` },
          ]}
        />
      </Box>
    </Box>
  );
}
