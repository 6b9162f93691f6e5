export interface StripSpan {
  label: string;
  low: number;
  high: number;
}

export interface StripRow {
  label: string;
  /** First and last column (inclusive) this span covers. */
  from: number;
  to: number;
}

export interface StripLayout {
  low: number;
  high: number;
  width: number;
  rows: StripRow[];
}

/** Places footprints on one axis of `width` columns; every span gets at least one column. */
export function layoutStrip(spans: readonly StripSpan[], width: number): StripLayout {
  const cols = Math.max(8, width);
  if (spans.length === 0) return { low: 0, high: 0, width: cols, rows: [] };
  const low = Math.min(...spans.map((s) => s.low));
  const high = Math.max(...spans.map((s) => s.high));
  const scale = (high - low) / (cols - 1 || 1);
  const col = (port: number) => (scale === 0 ? 0 : Math.min(cols - 1, Math.round((port - low) / scale)));
  return {
    low,
    high,
    width: cols,
    rows: spans.map((s) => ({ label: s.label, from: col(s.low), to: Math.max(col(s.low), col(s.high)) })),
  };
}

/** For each column, the indexes of the rows covering it (two or more: an overlap). */
export function stripColumns(layout: StripLayout): number[][] {
  const columns: number[][] = Array.from({ length: layout.width }, () => []);
  layout.rows.forEach((row, index) => {
    for (let c = row.from; c <= row.to; c++) columns[c]!.push(index);
  });
  return columns;
}
