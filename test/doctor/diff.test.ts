import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIFF_WIDTH, formatDiff, lineDiff, splitLines, type DiffLine } from '../../src/core/text/diff';
import { runs } from '../helpers/runs';

const side = (lines: DiffLine[], drop: '+' | '-') => lines.filter((l) => l.op !== drop).map((l) => l.text);

/** Plain recursive LCS length, for checking the diff keeps as much as possible. */
function lcsLength(a: string[], b: string[]): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === a.length || j === b.length) return 0;
    const key = `${i},${j}`;
    if (!memo.has(key)) memo.set(key, a[i] === b[j] ? go(i + 1, j + 1) + 1 : Math.max(go(i + 1, j), go(i, j + 1)));
    return memo.get(key)!;
  };
  return go(0, 0);
}

describe('lineDiff', () => {
  it('marks nothing when the texts are equal, and formats to no lines', () => {
    const lines = lineDiff(['a', 'b'], ['a', 'b']);
    expect(lines).toEqual([
      { op: ' ', text: 'a' },
      { op: ' ', text: 'b' },
    ]);
    expect(formatDiff(lines)).toEqual([]);
  });

  it('shows a changed line as - then +, in place', () => {
    expect(lineDiff(['{', '  "port": 1,', '}'], ['{', '  "port": 2,', '}'])).toEqual([
      { op: ' ', text: '{' },
      { op: '-', text: '  "port": 1,' },
      { op: '+', text: '  "port": 2,' },
      { op: ' ', text: '}' },
    ]);
  });

  it('shows a new file as all additions', () => {
    expect(formatDiff(lineDiff([], ['{', '}']))).toEqual(['+{', '+}']);
  });

  it('keeps three lines of context and folds the rest', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const after = [...before];
    after[10] = 'changed';
    expect(formatDiff(lineDiff(before, after))).toEqual([
      ' ⋯ 7 unchanged lines',
      ' line 7',
      ' line 8',
      ' line 9',
      '-line 10',
      '+changed',
      ' line 11',
      ' line 12',
      ' line 13',
      ' ⋯ 6 unchanged lines',
    ]);
  });

  it('rebuilds both texts and keeps a longest common subsequence (property)', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', '{', '}'), { maxLength: 12 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const diff = lineDiff(a, b);
        expect(side(diff, '+')).toEqual(a);
        expect(side(diff, '-')).toEqual(b);
        expect(diff.filter((l) => l.op === ' ').length).toBe(lcsLength(a, b));
      }),
      { numRuns: runs(300) },
    );
  });

  it('stays correct and fast on inputs too large for the table', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`);
    const started = performance.now();
    const diff = lineDiff(['same', 'same 2', ...a, 'end', 'end 2'], ['same', 'same 2', ...b, 'end', 'end 2']);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(side(diff, '+')).toEqual(['same', 'same 2', ...a, 'end', 'end 2']);
    expect(side(diff, '-')).toEqual(['same', 'same 2', ...b, 'end', 'end 2']);
    // The common head and tail stay unchanged lines; only the middle is replaced whole.
    expect(diff.slice(0, 3)).toEqual([{ op: ' ', text: 'same' }, { op: ' ', text: 'same 2' }, { op: '-', text: 'a0' }]);
    expect(diff.slice(-3)).toEqual([{ op: '+', text: 'b2999' }, { op: ' ', text: 'end' }, { op: ' ', text: 'end 2' }]);
  });

  it('diffs a middle of up to 4,000,000 cells line by line, keeping its common lines', () => {
    const a = Array.from({ length: 2000 }, (_, i) => (i === 1000 ? 'common' : `a${i}`));
    const b = Array.from({ length: 2000 }, (_, i) => (i === 1000 ? 'common' : `b${i}`));
    expect(lineDiff(a, b).filter((l) => l.op === ' ')).toEqual([{ op: ' ', text: 'common' }]);
  });

  it('shows a line repeated beside its twin as one line added or removed, the common ones unchanged', () => {
    const diff = (before: string[], after: string[]) => formatDiff(lineDiff(before, after));
    expect(diff(['a'], ['a', 'a'])).toEqual([' a', '+a']);
    expect(diff(['a', 'a'], ['a'])).toEqual([' a', '-a']);
    expect(diff(['{', '}'], ['{', '{', '}'])).toEqual([' {', '+{', ' }']);
    expect(diff(['x', 'a', 'a'], ['y', 'a'])).toEqual(['-x', '-a', '+y', ' a']);
  });

  it('keeps every common line where the first lines differ', () => {
    expect(formatDiff(lineDiff(['x', 'p', 'r'], ['p', 'r', 's']))).toEqual(['-x', ' p', ' r', '+s']);
    expect(formatDiff(lineDiff(['x', 'p', 'q', 'r'], ['p', 'y', 'q', 'r', 's']))).toEqual(['-x', ' p', '+y', ' q', ' r', '+s']);
    expect(formatDiff(lineDiff(['p', 'q', 'x'], ['y', 'p', 'q']))).toEqual(['+y', ' p', ' q', '-x']);
    expect(formatDiff(lineDiff(['b', 'a', 'b', 'a'], ['c', 'b', 'b']))).toEqual(['+c', ' b', '-a', ' b', '-a']);
  });

  it('folds a single unchanged line as one line, in the singular', () => {
    const before = ['1', '2', '3', '4', 'a', '5', '6', '7', '8', 'b', '9', '10', '11', '12'];
    const after = before.map((l) => (l === 'a' ? 'A' : l === 'b' ? 'B' : l));
    expect(formatDiff(lineDiff(before, after), 3)).toEqual([' ⋯ 1 unchanged line', ' 2', ' 3', ' 4', '-a', '+A', ' 5', ' 6', ' 7', ' 8', '-b', '+B', ' 9', ' 10', ' 11', ' ⋯ 1 unchanged line']);
  });
});

describe('splitLines', () => {
  it('drops the empty line after a final newline, and reads no file as no lines', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\r\nb')).toEqual(['a', 'b']);
    expect(splitLines(null)).toEqual([]);
  });
});

describe('formatDiff on long lines', () => {
  it('clips a changed line to a window around where it differs from its pair, … on a side cut off; short lines stay whole', () => {
    const big = 'x'.repeat(1_000_000);
    const out = formatDiff(lineDiff(['{', `  notes: "${big}", port: 1`, '}'], ['{', `  notes: "${big}", port: 2`, '}']));
    expect(out.every((line) => line.length <= DIFF_WIDTH + 3)).toBe(true);
    expect(out).toContain(' {');
    expect(out.find((l) => l.startsWith('-'))).toMatch(/^-….*port: 1$/);
    expect(out.find((l) => l.startsWith('+'))).toMatch(/^\+….*port: 2$/);
    // A line only added has no pair: its start is shown.
    const added = formatDiff(lineDiff(['a'], ['a', big]));
    expect(added[added.length - 1]).toMatch(/^\+x+…$/);
    expect(added[added.length - 1]!.length).toBeLessThanOrEqual(DIFF_WIDTH + 3);
  });
});
