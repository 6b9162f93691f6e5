import { Box, Text } from 'ink';
import { portsText, type PortMapRow } from '../src/core/ports/portmap';

const STATE_COLOR: Record<PortMapRow['state'], string | undefined> = { free: 'green', bound: 'yellow', claimed: 'red', unknown: undefined };

/** Until the probe answers, a row shows what the claims alone say, and "checking…" for the host. */
function stateText(row: PortMapRow): string {
  return row.state === 'unknown' ? 'checking…' : row.text;
}

/** Gateway, browser control, canvas host, CDP range (and pinned CDP ports), each with its state in words. */
export function PortMap({ rows }: { rows: readonly PortMapRow[] }) {
  const portWidth = Math.max(4, ...rows.map((r) => portsText(r).length));
  const roleWidth = Math.max(4, ...rows.map((r) => r.label.length));
  return (
    <Box flexDirection="column">
      <Text dimColor wrap="truncate-end">
        {'  '}
        {'PORT'.padEnd(portWidth)}  {'ROLE'.padEnd(roleWidth)}  STATE
      </Text>
      {rows.map((row) => (
        <Text key={`${row.role}${row.from}`} wrap="truncate-end">
          {'  '}
          {portsText(row).padEnd(portWidth)}  {row.label.padEnd(roleWidth)}  <Text color={STATE_COLOR[row.state]} dimColor={row.state === 'unknown'}>{stateText(row)}</Text>
        </Text>
      ))}
    </Box>
  );
}
