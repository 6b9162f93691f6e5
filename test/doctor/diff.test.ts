import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDiff, lineDiff, splitLines, type DiffLine } from '../../src/core/text/diff';
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
    const diff = lineDiff(['same', ...a, 'end'], ['same', ...b, 'end']);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(side(diff, '+')).toEqual(['same', ...a, 'end']);
    expect(side(diff, '-')).toEqual(['same', ...b, 'end']);
  });
});

describe('splitLines', () => {
  it('drops the empty line after a final newline, and reads no file as no lines', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\r\nb')).toEqual(['a', 'b']);
    expect(splitLines(null)).toEqual([]);
  });
});
