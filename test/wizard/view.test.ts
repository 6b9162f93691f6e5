import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clampScroll, windowTop } from '../../src/core/wizard/view';

describe('the window of a body taller than its room', () => {
  it('shows a focus that fits whole, moving as little as it can', () => {
    // 20 lines, 5 shown; the focus below the window pulls it down to end there.
    expect(windowTop(20, 5, { from: 9, to: 10, tail: false }, 0)).toBe(6);
    // Inside the window: it stays.
    expect(windowTop(20, 5, { from: 7, to: 8, tail: false }, 6)).toBe(6);
    // Above it: the window starts at the focus.
    expect(windowTop(20, 5, { from: 8, to: 8, tail: false }, 10)).toBe(8);
  });

  it('shows the start near the start and the end near the end (the question above the first choice, the note under the last)', () => {
    expect(windowTop(20, 5, { from: 2, to: 3, tail: false }, 3)).toBe(0);
    expect(windowTop(20, 5, { from: 16, to: 17, tail: false }, 3)).toBe(15);
  });

  it('shows the start of a focus taller than the room, or its end when a key just answered there', () => {
    expect(windowTop(30, 4, { from: 5, to: 12, tail: false }, 0)).toBe(5);
    expect(windowTop(30, 4, { from: 5, to: 12, tail: true }, 0)).toBe(9);
  });

  it('keeps a body with no focus where it was, within its lines', () => {
    expect(windowTop(20, 5, null, 7)).toBe(7);
    expect(windowTop(20, 5, null, 40)).toBe(15);
    expect(windowTop(3, 5, null, 2)).toBe(0);
  });

  it('never shows a line past either end, and always the whole focus that fits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 80 }), fc.nat(), fc.nat(), fc.boolean(), (lines, room, previous, a, b, tail) => {
        const from = lines === 0 ? 0 : a % lines;
        const to = lines === 0 ? 0 : from + (b % (lines - from));
        const top = windowTop(lines, room, lines === 0 ? null : { from, to, tail }, previous);
        expect(top).toBeGreaterThanOrEqual(0);
        expect(top).toBeLessThanOrEqual(Math.max(0, lines - room));
        if (lines > 0 && to - from + 1 <= room) {
          expect(top).toBeLessThanOrEqual(from);
          expect(top + room).toBeGreaterThan(to);
        }
      }),
    );
  });

  it('keeps PgUp/PgDn within the body, from where the focus put the window', () => {
    expect(clampScroll({ lines: 20, room: 5, anchor: 6 }, 100)).toBe(9);
    expect(clampScroll({ lines: 20, room: 5, anchor: 6 }, -100)).toBe(-6);
    expect(clampScroll({ lines: 4, room: 5, anchor: 0 }, 3)).toBe(0);
  });
});
