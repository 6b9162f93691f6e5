/** How a token that may be most of a real one is named: by its length only, in words read aloud right. */
import { describe, expect, it } from 'vitest';
import { stringOfLength } from '../../src/core/config/token';

describe('stringOfLength', () => {
  it('says "an" before a number read with a vowel first (eight, eleven, eighteen, eighty…, eight hundred…), "a" before the rest', () => {
    for (const n of [8, 11, 18, 80, 83, 89, 800, 811, 8000, 11_000, 18_500, 80_000, 800_000, 8_000_000, 11_000_000]) {
      expect(stringOfLength(n)).toBe(`an ${n}-character string`);
    }
    for (const n of [0, 1, 5, 16, 32, 108, 110, 118, 180, 512, 1100, 1800, 1_080, 111_000, 180_000]) {
      expect(stringOfLength(n)).toBe(`a ${n}-character string`);
    }
  });
});
