import { Box, Text } from 'ink';
import { wrapText } from '../src/core/text/wrap';

type Style = { color?: string; dimColor?: boolean; bold?: boolean };

/**
 * Text wrapped between words at the terminal's width, each continuation under the text's
 * own start (its leading spaces, or `hang` columns): never cut, never back at column 0.
 */
export function Wrapped({ text, width, hang, ...style }: { text: string; width: number; hang?: number } & Style) {
  const lines = wrapText(text === '' ? ' ' : text, width, hang);
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Text key={i} {...style}>
          {l}
        </Text>
      ))}
    </Box>
  );
}
