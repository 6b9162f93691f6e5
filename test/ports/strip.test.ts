import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutStrip, stripColumns } from '../../src/core/ports/strip';
import { runs } from '../helpers/runs';

describe('layoutStrip', () => {
  it('places the lowest port in the first column and the highest in the last', () => {
    const layout = layoutStrip(
      [
        { label: 'main', low: 18789, high: 18899 },
        { label: 'rescue', low: 19789, high: 19899 },
      ],
      40,
    );
    expect(layout).toEqual({
      low: 18789,
      high: 19899,
      width: 40,
      rows: [
        { label: 'main', from: 0, to: 4 },
        { label: 'rescue', from: 35, to: 39 },
      ],
    });
  });

  it('draws one span across the whole width, and nothing for no spans', () => {
    expect(layoutStrip([{ label: 'a', low: 100, high: 210 }], 20).rows).toEqual([{ label: 'a', from: 0, to: 19 }]);
    expect(layoutStrip([], 20)).toEqual({ low: 0, high: 0, width: 20, rows: [] });
  });

  it('puts spans of a single port in column 0, and never goes below 8 columns', () => {
    expect(layoutStrip([{ label: 'a', low: 5, high: 5 }, { label: 'b', low: 5, high: 5 }], 3)).toEqual({
      low: 5,
      high: 5,
      width: 8,
      rows: [
        { label: 'a', from: 0, to: 0 },
        { label: 'b', from: 0, to: 0 },
      ],
    });
  });

  it('property: every span gets at least one column, inside the strip, in port order', () => {
    const span = fc.tuple(fc.integer({ min: 1024, max: 65000 }), fc.integer({ min: 0, max: 500 }));
    const spanList = fc.array(span, { minLength: 1, maxLength: 8 }).map((list) => list.map(([low, length], i) => ({ label: `p${i}`, low, high: low + length })));
    fc.assert(
      fc.property(spanList, fc.integer({ min: 1, max: 120 }), (spans, width) => {
        const layout = layoutStrip(spans, width);
        expect(layout.width).toBe(Math.max(8, width));
        expect(layout.low).toBe(Math.min(...spans.map((s) => s.low)));
        expect(layout.high).toBe(Math.max(...spans.map((s) => s.high)));
        layout.rows.forEach((row, i) => {
          expect(row.label).toBe(spans[i]!.label);
          expect(0 <= row.from && row.from <= row.to && row.to < layout.width).toBe(true);
        });
        const lowest = spans.findIndex((s) => s.low === layout.low);
        const highest = spans.findIndex((s) => s.high === layout.high);
        expect(layout.rows[lowest]!.from).toBe(0);
        if (layout.high > layout.low) expect(layout.rows[highest]!.to).toBe(layout.width - 1);
        for (const [a, b] of [[0, 1], [1, 0]] as const) {
          if (spans.length > 1 && spans[a]!.low < spans[b]!.low) expect(layout.rows[a]!.from).toBeLessThanOrEqual(layout.rows[b]!.from);
        }
      }),
      { numRuns: runs(300) },
    );
  });
});

describe('stripColumns', () => {
  it('lists, for each column, the rows covering it', () => {
    const columns = stripColumns({
      low: 0,
      high: 9,
      width: 8,
      rows: [
        { label: 'a', from: 0, to: 2 },
        { label: 'b', from: 2, to: 3 },
        { label: 'c', from: 7, to: 7 },
      ],
    });
    expect(columns).toEqual([[0], [0], [0, 1], [1], [], [], [], [2]]);
  });
});
