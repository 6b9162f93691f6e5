import { Box, Text } from 'ink';
import { Fragment, type ReactElement } from 'react';
import { portsText, type PortMapRow } from '../src/core/ports/portmap';
import { fitTable } from '../src/core/text/table';

const STATE_COLOR: Record<PortMapRow['state'], string | undefined> = { free: 'green', bound: 'yellow', claimed: 'red', unknown: undefined };

/** Before the host was ever read a row shows "checking…"; after that, what the last snapshot says. */
function stateText(row: PortMapRow): string {
  return row.state === 'unknown' ? 'checking…' : row.text;
}

function portTable(rows: readonly PortMapRow[], width: number) {
  return fitTable([['PORT', 'ROLE', 'STATE'], ...rows.map((r) => [portsText(r), r.label, stateText(r)])], width);
}

/** The lines the map takes at this width: the port step keeps that room while the field holds no base. */
export function portMapHeight(rows: readonly PortMapRow[], width: number): number {
  return portTable(rows, width).lines.length;
}

/**
 * Gateway, browser control, canvas host, CDP range (and pinned CDP ports), each with its
 * state in words; narrower than the table, the state wraps under its own column. Until the
 * probe of this very base confirms them (`confirmed`), the states are the last snapshot's, drawn dim.
 */
export function portMapRows({ rows, width, confirmed }: { rows: readonly PortMapRow[]; width: number; confirmed: boolean }): ReactElement[] {
  const table = portTable(rows, width);
  return table.lines.map(({ row, cells }) => {
    const data = rows[row - 1];
    const lead = table.indent + cells.slice(0, -1).map((c) => c + table.gap).join('');
    return data === undefined ? (
      <Text dimColor>
        {lead}
        {cells[cells.length - 1]}
      </Text>
    ) : (
      <Text>
        {lead}
        <Text color={STATE_COLOR[data.state]} dimColor={!confirmed}>
          {cells[cells.length - 1]}
        </Text>
      </Text>
    );
  });
}

/** The map as one block (top draws it so). */
export function PortMap(props: { rows: readonly PortMapRow[]; width: number; confirmed: boolean }) {
  return (
    <Box flexDirection="column">
      {portMapRows(props).map((row, i) => (
        <Fragment key={i}>{row}</Fragment>
      ))}
    </Box>
  );
}
