import JSON5 from 'json5';
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import { editConfig } from '../../src/core/config/edit';

export type Raw = Record<string, any>;

/**
 * The text after changing the value the text stands for: it must read back as that value,
 * and as an edit of the file's own text, never the fresh JSON written when the edit fails its
 * read-back.
 */
export function edit(text: string, change: (raw: Raw) => void): string {
  const raw = JSON5.parse(text) as Raw;
  change(raw);
  const { text: out, outcome } = editConfig(text, raw);
  expect(isDeepStrictEqual(JSON5.parse(out), raw), `reads back as the intended config:\n${out}`).toBe(true);
  expect(outcome, out).toBe('edited');
  return out;
}
