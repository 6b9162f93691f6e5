import { Box, Text } from 'ink';

export interface Option {
  label: string;
  detail: string;
}

/** A radio list: the cursor's row is marked with words (›, ●) as well as colour. */
export function Choice({ options, cursor }: { options: readonly Option[]; cursor: number }) {
  const width = Math.max(...options.map((o) => o.label.length));
  return (
    <Box flexDirection="column">
      {options.map((option, i) => (
        <Text key={option.label} wrap="truncate-end">
          <Text color={i === cursor ? 'cyan' : undefined} bold={i === cursor}>
            {i === cursor ? '› ● ' : '  ○ '}
            {option.label.padEnd(width)}
          </Text>
          <Text dimColor={i !== cursor}>  {option.detail}</Text>
        </Text>
      ))}
    </Box>
  );
}
