import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { FLOW, stepNumber } from '../src/core/wizard/state';
import { keyHintLines } from '../src/core/wizard/hints';
import { questionAt } from '../src/core/wizard/questions';
import { type WizardState } from '../src/core/wizard/model';

/** The titles of the steps that are no question; a question's comes from the questions table. */
const STEP_TITLE: Partial<Record<WizardState['step'], string>> = {
  welcome: 'Welcome',
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
  const title = questionAt(step)?.title ?? STEP_TITLE[step];
  const where = n > 0 ? `step ${n}/${FLOW.length} · ${title}` : title;
  const hints = keyHintLines(state, view.columns);
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
      {hints.length > 0 && (
        <Box marginTop={1} flexDirection="column">
          {hints.map((hint) => (
            <Text key={hint} dimColor wrap="truncate-end">
              {hint}
            </Text>
          ))}
        </Box>
      )}
    </Box>
  );
}
