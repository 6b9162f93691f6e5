import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { FLOW, stepNumber } from '../src/core/wizard/state';
import { keyHints } from '../src/core/wizard/hints';
import { type WizardState } from '../src/core/wizard/model';

const STEP_TITLE: Partial<Record<WizardState['step'], string>> = {
  welcome: 'Welcome',
  role: 'Role',
  paths: 'Paths',
  port: 'Base port',
  browser: 'Browser',
  service: 'Service',
  summary: 'Summary',
  apply: 'Apply',
  done: 'Next steps',
  repair: 'Repair',
  cancelled: 'Cancelled',
};

/** Title line, the step's body, the key line: every step in the same frame, never taller than the terminal. */
export function Frame({ state, children }: { state: WizardState; children: ReactNode }) {
  const { step, facts, view } = state;
  const n = stepNumber(step);
  const where = n > 0 ? `step ${n}/${FLOW.length} · ${STEP_TITLE[step]}` : STEP_TITLE[step];
  const hints = keyHints(state);
  return (
    <Box flexDirection="column" width={view.columns}>
      <Box justifyContent="space-between">
        <Text bold wrap="truncate-end">
          epiloop onboard · profile {facts.paths.label}
        </Text>
        <Text dimColor>{where}</Text>
      </Box>
      <Box flexDirection="column" marginTop={1}>
        {children}
      </Box>
      {hints !== '' && (
        <Box marginTop={1}>
          <Text dimColor wrap="truncate-end">
            {hints}
          </Text>
        </Box>
      )}
    </Box>
  );
}
