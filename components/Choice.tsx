import { Box } from 'ink';
import { HeadedRow } from './Wrapped';

export interface Option {
  label: string;
  detail: string;
}

/** A radio list: the cursor's row is marked with words (›, ●) as well as colour; a long detail wraps under itself. */
export function Choice({ options, cursor, width }: { options: readonly Option[]; cursor: number; width: number }) {
  const labelWidth = Math.max(...options.map((o) => o.label.length));
  return (
    <Box flexDirection="column">
      {options.map((option, i) => (
        <HeadedRow
          key={option.label}
          head={[{ text: `${i === cursor ? '› ● ' : '  ○ '}${option.label.padEnd(labelWidth)}  `, style: i === cursor ? { color: 'cyan', bold: true } : {} }]}
          rest={option.detail}
          width={width}
          restStyle={i === cursor ? {} : { dimColor: true }}
        />
      ))}
    </Box>
  );
}
