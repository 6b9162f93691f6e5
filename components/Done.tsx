import { Box, Text } from 'ink';
import { doneLines } from '../src/core/wizard/summary';
import { wrapAll } from '../src/core/text/wrap';
import { Toned } from './Toned';
import { type WizardState } from '../src/core/wizard/model';
import { EXIT } from '../src/core/errors';

/** What was written and what to run next. The last frame stays on the terminal after the wizard exits. */
export function Done({ state }: { state: WizardState }) {
  return (
    <Box flexDirection="column">
      {state.exit?.code === EXIT.cancelled && <Text color="yellow">Cancelled after the write finished: the files below are in place.</Text>}
      {wrapAll(doneLines(state), state.view.columns).map((line, i) => (
        <Toned key={i} line={line} />
      ))}
    </Box>
  );
}
