import { Box } from 'ink';
import type { Line } from '../src/core/wizard/words';
import { bodyHeight } from '../src/core/wizard/state';
import { Toned } from './Toned';
import { type WizardState } from '../src/core/wizard/model';

/** The window of a long body that fits the terminal; the key line says where in it we are. */
export function Scrolled({ lines, state }: { lines: readonly Line[]; state: WizardState }) {
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
