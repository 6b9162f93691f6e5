/**
 * Measured tables for the terminal: columns padded to their widest cell, and when the
 * terminal is narrower than that, the table gives way in a stated order instead of
 * being cut: the last column wraps under itself; where that leaves it less than its minimum,
 * the indent goes (a table under an indented line stays under it while it can), then the
 * columns named droppable go (in their order). The gaps stay two spaces: "no answer not installed" with
 * one would read as one phrase, so a column goes (or the last wraps) before a gap narrows.
 * The last column holds the state words, so they are always there, whole. A live table drawn again at the same width keeps the columns it
 * dropped until they fit with `settle` columns to spare: a cell that changes by a few characters
 * ("59s" → "1m") does not make a column come and go.
 */
import { visibleLength, wrapText } from './wrap';

export interface TableFit {
  /** Leading spaces; dropped first when the table is too wide. */
  indent?: number;
  /** Column indices that may go, in the order they go. Never the last column. */
  drop?: readonly number[];
  /** The last column is not narrowed below this; below it, droppable columns go. */
  minLast?: number;
  /** Drawn again (`before`), a column dropped comes back only with this many columns to spare (default 0). */
  settle?: number;
}

export interface FittedTable {
  /** The indices of the columns kept, in order. */
  kept: number[];
  /** How many droppable columns went: hand it back as `before` when the table is drawn again at this width. */
  dropped: number;
  /** One entry per line drawn: the row it belongs to and its cells (kept columns), padded but for the last. */
  lines: { row: number; cells: string[] }[];
  indent: string;
  gap: string;
}

/** Spaces between columns, at every width. */
const GAP = 2;

function pad(cell: string, width: number): string {
  return cell + ' '.repeat(Math.max(0, width - visibleLength(cell)));
}

export function fitTable(rows: readonly (readonly string[])[], width: number, fit: TableFit = {}, before?: { dropped: number }): FittedTable {
  const count = Math.max(0, ...rows.map((r) => r.length));
  const last = count - 1;
  const minLast = fit.minLast ?? 12;
  const widthOf = (col: number) => Math.max(0, ...rows.map((r) => visibleLength(r[col] ?? '')));
  const drops = [...(fit.drop ?? [])].filter((c) => c !== last);
  const keptAfter = (dropped: number) => Array.from({ length: count }, (_, i) => i).filter((c) => !drops.slice(0, dropped).includes(c));
  const lead = (kept: number[], indent: number) => indent + kept.slice(0, -1).reduce((sum, col) => sum + widthOf(col) + GAP, 0);
  // The last column has room enough when it fits whole, or keeps its minimum.
  const roomy = (room: number, dropped: number, indent: number) => room - lead(keptAfter(dropped), indent) >= Math.min(minLast, widthOf(last));
  const neededAt = (room: number, indent: number) => {
    let dropped = 0;
    while (!roomy(room, dropped, indent) && dropped < drops.length) dropped += 1;
    return dropped;
  };
  // The order things give way: the last column wraps; where that leaves it short of its minimum, the indent goes before a column does.
  const given = fit.indent ?? 2;
  const indented = neededAt(width, given);
  const indent = indented === neededAt(width, 0) && roomy(width, indented, given) ? given : 0;
  const needed = (room: number) => neededAt(room, indent);
  const least = needed(width);
  // Drawn again: as many go as went before, no fewer than must, no more than would with `settle` columns less.
  const dropped = before === undefined ? least : Math.max(least, Math.min(before.dropped, needed(width - (fit.settle ?? 0))));
  const kept = keptAfter(dropped);
  const room = Math.max(1, width - lead(kept, indent));
  const lines: FittedTable['lines'] = [];
  rows.forEach((row, r) => {
    const wrapped = wrapText(row[last] ?? '', room, 0);
    wrapped.forEach((piece, i) => {
      const cells = kept.map((col) => (col === last ? piece : pad(i === 0 ? (row[col] ?? '') : '', widthOf(col))));
      lines.push({ row: r, cells });
    });
  });
  return { kept, dropped, lines, indent: ' '.repeat(indent), gap: ' '.repeat(GAP) };
}

/** The fitted table as text lines (cells may carry colour codes). */
export function tableLines(rows: readonly (readonly string[])[], width: number, fit: TableFit = {}): string[] {
  const t = fitTable(rows, width, fit);
  return t.lines.map((l) => (t.indent + l.cells.join(t.gap)).trimEnd());
}
