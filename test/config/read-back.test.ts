import fc from 'fast-check';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { readsAsByTree } from '../../src/core/config/edit';
import { matchText } from '../../src/core/config/syntax';
import { CORPUS } from './corpus';

type Raw = Record<string, unknown>;

/** The fast read-back answers as the tree does, or leaves it to the tree (null). */
function expectSameAnswer(text: string, value: unknown): void {
  const fast = matchText(text, value);
  if (fast !== null) expect(fast, `${JSON.stringify(text)} as ${JSON.stringify(value)}`).toBe(readsAsByTree(text, value as Raw));
}

const scalar = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('it\'s', 'a\\b', 'ü', 'x\u2028y'),
  fc.integer({ min: -300, max: 300 }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1.5, 1e21, undefined),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('node'), { maxLength: 3 }), tie('object')),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'port', '__proto__', 'x y'), tie('node'), { maxKeys: 4 }).map((d) => ({ ...d })),
})).node;
const quoteStyle = fc.constantFrom<'"' | "'">('"', "'");

/** A value's JSON5 text, with a random change to its characters: most changes break or alter it. */
const mutated = fc.record({ value, quote: quoteStyle, at: fc.nat(), cut: fc.nat({ max: 3 }), insert: fc.constantFrom('', ',', '}', ']', '1', '"', '/*x*/', 'a:1,', '\n', 'a', ' ') });

describe('the read-back that compares while it parses', () => {
  it('reads every corpus file as the json5 package does', () => {
    for (const file of CORPUS) {
      const raw = JSON5.parse(file.text) as Raw;
      expect(matchText(file.text, raw) ?? readsAsByTree(file.text, raw), file.name).toBe(true);
      expectSameAnswer(file.text, raw);
      expectSameAnswer(file.text, { ...raw, extra: 1 });
    }
  });

  it('gives the tree walk’s answer for random texts and values (property)', () => {
    fc.assert(
      fc.property(mutated, value, fc.boolean(), ({ value: written, quote, at, cut, insert }, other, same) => {
        const object = { top: written, b: [written, 1] };
        const text = JSON5.stringify(object, { space: at % 2 === 0 ? 2 : undefined, quote });
        const i = at % (text.length + 1);
        const changed = text.slice(0, i) + insert + text.slice(i + cut);
        const wanted = same ? object : { top: other, b: [other, 1] };
        expectSameAnswer(text, wanted);
        expectSameAnswer(changed, wanted);
        expectSameAnswer(changed, object);
        expectSameAnswer(changed, JSON5.parse(JSON5.stringify(object)));
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves equal keys to the tree, and answers for texts the tree refuses', () => {
    expect(matchText('{a: 1, a: 2}', { a: 2 })).toBeNull();
    expect(readsAsByTree('{a: 1, a: 2}', { a: 2 })).toBe(true);
    expect(matchText('{a: 1, a: 1}', { a: 1, b: 2 })).toBeNull();
    expect(readsAsByTree('{a: 1, a: 1}', { a: 1, b: 2 })).toBe(false);
    for (const text of ['{a: 01}', '{a: "\\1"}', '{a: truex}', '{a: 1', '{a: 1} 2', '[1]', '"x"', '', '{a: 1 b: 2}', '{b: [1, 2}, a: 1}']) {
      expect(matchText(text, { a: 1 }), text).toBe(false);
    }
    expect(matchText('{a: [1, {b: 2}], c: "x"}', { a: [1, { b: 2 }], c: 'x' })).toBe(true);
    expect(matchText('{a: [1, {b: 2}], c: "x"}', { a: [1, { b: 3 }], c: 'x' })).toBe(false);
    expect(matchText('{a: [1, {b: 2}]}', { a: [1, { b: 2 }], c: undefined })).toBe(true);
    expect(matchText('{a: [1, {b: 2}]}', { a: [1, { b: 2 }, 3] })).toBe(false);
  });

  it('reads a key as it decodes, whether spelt as the next wanted key or not (escapes, order, equal keys)', () => {
    // An escaped name or string reads as what it stands for, never as its spelling.
    expect(matchText('{\\u0061: 1}', { a: 1 })).toBe(true);
    expect(matchText('{\\u0061: 1}', { '\\u0061': 1 })).toBe(false);
    expect(matchText('{"\\u0061": 1}', { a: 1 })).toBe(true);
    expect(matchText('{"\\u0061": 1}', { '\\u0061': 1 })).toBe(false);
    expect(matchText("{'a\\'b': 1}", { "a'b": 1 })).toBe(true);
    expect(matchText("{'a\\'b': 1}", { "a\\'b": 1 })).toBe(false);
    // Out of the wanted order, in it, and equal keys past the wanted ones.
    expect(matchText('{b: 2, a: 1}', { a: 1, b: 2 })).toBe(true);
    expect(matchText('{a: 1, b: 2}', { a: 1, b: 2 })).toBe(true);
    expect(matchText('{a: 1, b: 2, a: 1}', { a: 1, b: 2 })).toBeNull();
    expect(matchText('{a: 1, b: 2, b: 3}', { a: 1, b: 3 })).toBeNull();
    expect(matchText('{a: 1, "b": 2, \'c\': 3}', { a: 1, b: 2, c: 3 })).toBe(true);
    expect(matchText('{a: 1, ab: 2}', { a: 1, a_: 2 })).toBe(false);
    expect(matchText('{a: 1, "": 2}', { a: 1, '': 2 })).toBe(true);
  });
});
