import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { FLOW, stepNumber } from '../src/core/wizard/state';
import { keyHintLines } from '../src/core/wizard/hints';
import { questionAt } from '../src/core/wizard/questions';
import { type WizardState } from '../src/core/wizard/model';
import { Wrapped } from './Wrapped';
import { wrapText } from '../src/core/text/wrap';
import { MIN_VIEW } from '../src/core/wizard/view';

/** The titles of the steps that are no question; a question's comes from the questions table. */
const STEP_TITLE: Partial<Record<WizardState['step'], string>> = {
  welcome: 'Welcome',
  summary: 'Summary',
  apply: 'Apply',
  done: 'Next steps',
  repair: 'Repair',
  cancelled: 'Cancelled',
};

/** The frame's parts at this size: the heading, where we are, the key hints, and the rows left for the body. */
export function frameLayout(state: WizardState) {
  const { step, facts, view } = state;
  const n = stepNumber(step);
  const title = questionAt(step)?.title ?? STEP_TITLE[step];
  const where = n > 0 ? `step ${n}/${FLOW.length} · ${title}` : title;
  const heading = `epiloop onboard · profile ${facts.paths.label}`;
  const hints = keyHintLines(state, view.columns);
  // Where the heading and the step do not fit on one line, the step goes under the heading.
  const oneLine = heading.length + 2 + (where ?? '').length <= view.columns;
  const titleLines = oneLine ? 1 : wrapText(heading, view.columns).length + 1;
  const hintLines = hints.reduce((sum, hint) => sum + wrapText(hint, view.columns).length, 0);
  // One row spare, so the frame never fills the terminal (Ink clears the whole screen then).
  const room = Math.max(1, view.rows - 1 - titleLines - 1 - (hintLines > 0 ? hintLines + 1 : 0));
  return { where, heading, hints, oneLine, room };
}

/** Title line, the step's body, the key line: every step in the same frame, never taller than the terminal. */
export function Frame({ state, children }: { state: WizardState; children: ReactNode }) {
  const { view } = state;
  if (view.columns < MIN_VIEW.columns || view.rows < MIN_VIEW.rows) {
    return (
      <Text wrap="truncate-end">
        Window too small: need {MIN_VIEW.columns}×{MIN_VIEW.rows}
      </Text>
    );
  }
  const { where, heading, hints, oneLine, room } = frameLayout(state);
  // While it runs, the body has the room the terminal leaves and never more: the frame keeps its
  // height from key to key and never scrolls the terminal. The last frame (it stays) is whole.
  const clamp = state.exit === null ? { height: room, overflowY: 'hidden' as const } : {};
  return (
    <Box flexDirection="column" width={view.columns}>
      {oneLine ? (
        <Box justifyContent="space-between">
          <Text bold>{heading}</Text>
          <Text dimColor>{where}</Text>
        </Box>
      ) : (
        <>
          <Wrapped text={heading} width={view.columns} bold />
          <Text dimColor>{where}</Text>
        </>
      )}
      <Box flexDirection="column" marginTop={1} {...clamp}>
        <Box flexDirection="column" flexShrink={0}>
          {children}
        </Box>
      </Box>
      {hints.length > 0 && (
        <Box marginTop={1} flexDirection="column">
          {hints.map((hint) => (
            <Wrapped key={hint} text={hint} width={view.columns} dimColor />
          ))}
        </Box>
      )}
    </Box>
  );
}
