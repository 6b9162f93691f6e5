/**
 * Measured tables for the terminal: columns padded to their widest cell, and when the
 * terminal is narrower than that, the table gives way in a stated order instead of
 * being cut: first the gaps narrow (to `minGap`), then the columns named droppable go (in
 * their order), then the last column wraps under itself. The last column holds the state words, so
 * they are always there, whole. Rows given as `measure` count for the widths but are not drawn:
 * the widest forms cells take, so that a live table's columns stay put while its cells change.
 */
import { visibleLength, wrapText } from './wrap';

export interface TableFit {
  /** Leading spaces; dropped first when the table is too wide. */
  indent?: number;
  /** Spaces between columns. */
  gap?: number;
  /** The gaps narrow to this, no further (default 1): a table whose cells hold words keeps 2, so two cells never read as one phrase. */
  minGap?: number;
  /** Column indices that may go, in the order they go. Never the last column. */
  drop?: readonly number[];
  /** The last column is not narrowed below this; below it, droppable columns go. */
  minLast?: number;
}

export interface FittedTable {
  /** The indices of the columns kept, in order. */
  kept: number[];
  /** One entry per line drawn: the row it belongs to and its cells (kept columns), padded but for the last. */
  lines: { row: number; cells: string[] }[];
  indent: string;
  gap: string;
}

function pad(cell: string, width: number): string {
  return cell + ' '.repeat(Math.max(0, width - visibleLength(cell)));
}

export function fitTable(rows: readonly (readonly string[])[], width: number, fit: TableFit = {}, measure: readonly (readonly string[])[] = []): FittedTable {
  const count = Math.max(0, ...rows.map((r) => r.length));
  const last = count - 1;
  const minLast = fit.minLast ?? 12;
  const widthOf = (col: number) => Math.max(0, ...[...rows, ...measure].map((r) => visibleLength(r[col] ?? '')));
  let kept = Array.from({ length: count }, (_, i) => i);
  let indent = fit.indent ?? 2;
  let gap = fit.gap ?? 2;
  const lead = () => indent + kept.slice(0, -1).reduce((sum, col) => sum + widthOf(col) + gap, 0);
  const total = () => lead() + widthOf(last);
  const drops = [...(fit.drop ?? [])].filter((c) => c !== last);
  // The order things give way: indent, gaps, then droppable columns while the last column has too little room.
  if (total() > width) indent = 0;
  if (total() > width) gap = Math.min(gap, Math.max(1, fit.minGap ?? 1));
  while (width - lead() < Math.min(minLast, widthOf(last)) && drops.length > 0) {
    const gone = drops.shift()!;
    kept = kept.filter((c) => c !== gone);
  }
  const room = Math.max(1, width - lead());
  const lines: FittedTable['lines'] = [];
  rows.forEach((row, r) => {
    const wrapped = wrapText(row[last] ?? '', room, 0);
    wrapped.forEach((piece, i) => {
      const cells = kept.map((col) => (col === last ? piece : pad(i === 0 ? (row[col] ?? '') : '', widthOf(col))));
      lines.push({ row: r, cells });
    });
  });
  return { kept, lines, indent: ' '.repeat(indent), gap: ' '.repeat(gap) };
}

/** The fitted table as text lines (cells may carry colour codes). */
export function tableLines(rows: readonly (readonly string[])[], width: number, fit: TableFit = {}, measure: readonly (readonly string[])[] = []): string[] {
  const t = fitTable(rows, width, fit, measure);
  return t.lines.map((l) => (t.indent + l.cells.join(t.gap)).trimEnd());
}
