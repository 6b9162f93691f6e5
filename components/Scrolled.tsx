import { Box } from 'ink';
import { bodyHeight } from '../src/core/wizard/state';
import { scrolledBody } from '../src/core/wizard/summary';
import { Toned } from './Toned';
import { type WizardState } from '../src/core/wizard/model';

/** The window of a long body (wrapped to the terminal) that fits it; the key line says where in it we are. */
export function Scrolled({ state }: { state: WizardState }) {
  const lines = scrolledBody(state);
  const height = bodyHeight(state.view);
  const top = Math.min(state.scroll, Math.max(0, lines.length - height));
  return (
    <Box flexDirection="column">
      {lines.slice(top, top + height).map((line, i) => (
        <Toned key={top + i} line={line} />
      ))}
    </Box>
  );
}
