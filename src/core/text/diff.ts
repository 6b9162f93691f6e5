/** A small line diff, for showing a config change before it is written. Pure. */
import { clipAround } from './clip';

export type DiffOp = ' ' | '-' | '+';

export interface DiffLine {
  op: DiffOp;
  text: string;
}

/** Above this many cells the LCS table is skipped: the differing middle is shown as replaced whole. */
const MAX_TABLE_CELLS = 4_000_000;

/**
 * Longest-common-subsequence diff of two line lists. The common head and tail are
 * matched first, so the table covers only the part that changed.
 */
export function lineDiff(before: readonly string[], after: readonly string[]): DiffLine[] {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (
    tail < before.length - head &&
    tail < after.length - head &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  ) {
    tail++;
  }
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  const middle = a.length * b.length > MAX_TABLE_CELLS ? replaceWhole(a, b) : lcsDiff(a, b);
  return [
    ...before.slice(0, head).map((text) => ({ op: ' ' as const, text })),
    ...middle,
    ...before.slice(before.length - tail).map((text) => ({ op: ' ' as const, text })),
  ];
}

function replaceWhole(a: readonly string[], b: readonly string[]): DiffLine[] {
  return [...a.map((text) => ({ op: '-' as const, text })), ...b.map((text) => ({ op: '+' as const, text }))];
}

function lcsDiff(a: readonly string[], b: readonly string[]): DiffLine[] {
  const width = b.length + 1;
  // lengths[i * width + j]: LCS length of a[i..] and b[j..].
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      lines.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) {
      lines.push({ op: '-', text: a[i++]! });
    } else {
      lines.push({ op: '+', text: b[j++]! });
    }
  }
  while (i < a.length) lines.push({ op: '-', text: a[i++]! });
  while (j < b.length) lines.push({ op: '+', text: b[j++]! });
  return lines;
}

/** "a\nb\n" → ["a", "b"]: a final newline does not make an empty last line. null (no file) → []. */
export function splitLines(text: string | null): string[] {
  if (text === null || text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** How much of a long line a diff shows: a window around where a changed line differs from its pair. */
export const DIFF_WIDTH = 160;

/**
 * Per line, where a window of it should center: for a changed line, the first column where it
 * differs from its pair (the i-th '-' and the i-th '+' of one run of changes); else its start.
 */
function differAt(lines: readonly DiffLine[]): number[] {
  const at = lines.map(() => 0);
  for (let i = 0; i < lines.length; ) {
    if (lines[i]!.op === ' ') {
      i++;
      continue;
    }
    const minus: number[] = [];
    const plus: number[] = [];
    for (; i < lines.length && lines[i]!.op !== ' '; i++) (lines[i]!.op === '-' ? minus : plus).push(i);
    for (let k = 0; k < Math.min(minus.length, plus.length); k++) {
      const a = lines[minus[k]!]!.text;
      const b = lines[plus[k]!]!.text;
      let d = 0;
      while (d < a.length && d < b.length && a[d] === b[d]) d++;
      at[minus[k]!] = at[plus[k]!] = d;
    }
  }
  return at;
}

/**
 * Prefixed lines (' ', '-', '+'), each clipped to DIFF_WIDTH around where it changed, keeping `context` unchanged lines around each change;
 * a longer unchanged run becomes one line ' ⋯ N unchanged lines'. No change → [].
 */
export function formatDiff(lines: readonly DiffLine[], context = 3): string[] {
  if (!lines.some((line) => line.op !== ' ')) return [];
  const at = differAt(lines);
  const keep = lines.map(() => false);
  lines.forEach((line, index) => {
    if (line.op === ' ') return;
    for (let k = Math.max(0, index - context); k <= Math.min(lines.length - 1, index + context); k++) keep[k] = true;
  });
  const out: string[] = [];
  let skipped = 0;
  const flush = () => {
    if (skipped > 0) out.push(` ⋯ ${skipped} unchanged line${skipped === 1 ? '' : 's'}`);
    skipped = 0;
  };
  lines.forEach((line, index) => {
    if (!keep[index]) {
      skipped++;
      return;
    }
    flush();
    out.push(`${line.op}${clipAround(line.text, at[index]!, DIFF_WIDTH).text}`);
  });
  flush();
  return out;
}
