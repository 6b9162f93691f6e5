import type { PortMapRow } from '../core/ports/portmap';
import { portsText } from '../core/ports/portmap';
import { table, tableWidth, type Output } from './output';

export function stateCell(out: Output, row: PortMapRow): string {
  if (row.state === 'free' || row.own) return out.green(row.text);
  if (row.state === 'unknown') return out.dim(row.text);
  return (row.state === 'claimed' ? out.red : out.yellow)(row.text);
}

export function portMapLines(out: Output, rows: readonly PortMapRow[]): string[] {
  return table([
    [out.dim('PORT'), out.dim('ROLE'), out.dim('STATE')],
    ...rows.map((r) => [portsText(r), r.label, stateCell(out, r)]),
  ], tableWidth(out));
}
