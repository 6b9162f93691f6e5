import { Box, Text } from 'ink';
import { portsText, type PortMapRow } from '../src/core/ports/portmap';
import { fitTable } from '../src/core/text/table';

const STATE_COLOR: Record<PortMapRow['state'], string | undefined> = { free: 'green', bound: 'yellow', claimed: 'red', unknown: undefined };

/** Until the probe answers, a row shows what the claims alone say, and "checking…" for the host. */
function stateText(row: PortMapRow): string {
  return row.state === 'unknown' ? 'checking…' : row.text;
}

/**
 * Gateway, browser control, canvas host, CDP range (and pinned CDP ports), each with its
 * state in words; narrower than the table, the state wraps under its own column.
 */
export function PortMap({ rows, width }: { rows: readonly PortMapRow[]; width: number }) {
  const table = fitTable([['PORT', 'ROLE', 'STATE'], ...rows.map((r) => [portsText(r), r.label, stateText(r)])], width);
  return (
    <Box flexDirection="column">
      {table.lines.map(({ row, cells }, i) => {
        const data = rows[row - 1];
        const lead = table.indent + cells.slice(0, -1).map((c) => c + table.gap).join('');
        return data === undefined ? (
          <Text key={i} dimColor>
            {lead}
            {cells[cells.length - 1]}
          </Text>
        ) : (
          <Text key={i}>
            {lead}
            <Text color={STATE_COLOR[data.state]} dimColor={data.state === 'unknown'}>
              {cells[cells.length - 1]}
            </Text>
          </Text>
        );
      })}
    </Box>
  );
}
