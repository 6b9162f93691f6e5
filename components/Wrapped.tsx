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

/**
 * A row whose head (a cursor, a mark, a label: parts in their own styles) stays on the first
 * line, and whose rest wraps under the column after the head.
 */
export function HeadedRow({ head, rest, width, restStyle }: { head: readonly { text: string; style?: Style }[]; rest: string; width: number; restStyle?: Style }) {
  const headText = head.map((part) => part.text).join('');
  const lines = wrapText(headText + rest, width, headText.length);
  const first = lines[0]!;
  return (
    <Box flexDirection="column">
      <Text>
        {head.map((part, i) => (
          <Text key={i} {...part.style}>
            {part.text}
          </Text>
        ))}
        <Text {...restStyle}>{first.slice(headText.length)}</Text>
      </Text>
      {lines.slice(1).map((l, i) => (
        <Text key={i} {...restStyle}>
          {l}
        </Text>
      ))}
    </Box>
  );
}
