import { Box, Text } from 'ink';
import { Fragment, type ReactElement } from 'react';
import { stripLabels, type HostStrip as Strip, type StripCell } from '../src/core/wizard/portview';
import { textRows } from './rows';

const CELL: Record<StripCell, { char: string; color?: string; dimColor?: boolean }> = {
  empty: { char: '·', dimColor: true },
  other: { char: '▒' },
  this: { char: '█', color: 'cyan' },
  overlap: { char: '▓', color: 'red' },
};

/** Runs of equal cells, so a strip is a handful of Text nodes rather than one per column. */
function runs(cells: readonly StripCell[]): { kind: StripCell; length: number }[] {
  const out: { kind: StripCell; length: number }[] = [];
  for (const kind of cells) {
    const last = out[out.length - 1];
    if (last?.kind === kind) last.length++;
    else out.push({ kind, length: 1 });
  }
  return out;
}

/** One line with every profile's footprint on one axis (this one █, others ▒, shared ports ▓), labels under it (and the profiles whose ports are not known), then the legend. */
export function hostStripRows({ strip, width, legend }: { strip: Strip; width: number; legend: boolean }): ReactElement[] {
  const lead = `  host ${strip.low} `;
  return [
    <Text wrap="truncate-end">
      {lead}
      {runs(strip.cells).map((run, i) => (
        <Text key={i} color={CELL[run.kind].color} dimColor={CELL[run.kind].dimColor}>
          {CELL[run.kind].char.repeat(run.length)}
        </Text>
      ))}
      {` ${strip.high}`}
    </Text>,
    <Text dimColor wrap="truncate-end">
      {' '.repeat(lead.length)}
      {stripLabels(strip, width - lead.length)}
    </Text>,
    ...(legend ? textRows(`  ${strip.legend}`, width, { dimColor: true }) : []),
  ];
}

/** The strip as one block (top draws it so). */
export function HostStrip(props: { strip: Strip; width: number; legend: boolean }) {
  return (
    <Box flexDirection="column">
      {hostStripRows(props).map((row, i) => (
        <Fragment key={i}>{row}</Fragment>
      ))}
    </Box>
  );
}
