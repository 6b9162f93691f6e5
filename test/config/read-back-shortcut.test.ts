/**
 * The read-back passes by a container the first parse verified only when its characters are
 * the same: an edit inside one, or one that changes how the text around it reads, is read in
 * full and caught (a broken edit is simulated here by changing tokens by hand).
 */
import fc from 'fast-check';
import JSON5 from 'json5';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readsAs, untouched } from '../../src/core/config/edit';
import { parseToward } from '../../src/core/config/syntax';

type Raw = Record<string, unknown>;

const TEXT = '{\n  a: { x: 1, list: [1, 2] },\n  b: { y: 2 },\n  c: [{ z: 3 }],\n}\n';

function setup(wanted: Raw) {
  const parsed = parseToward(TEXT, wanted)!;
  const { tokens } = parsed.doc;
  const at = (literal: string, from = 0) => {
    for (let i = from; i < tokens.length; i++) if (tokens.text(i) === literal) return i;
    throw new Error(literal);
  };
  return { ...parsed, tokens, at };
}

describe('the read-back shortcut', () => {
  it('passes by the verified containers of a right edit, and the edit reads back', () => {
    const wanted = { a: { x: 1, list: [1, 2] }, b: { y: 3 }, c: [{ z: 3 }] };
    const { doc, verified, tokens, at } = setup(wanted);
    expect(verified.size).toBeGreaterThan(0);
    tokens.setText(at('2', at('y')), '3');
    const text = tokens.print();
    let passed = 0;
    const known = untouched(doc, verified);
    expect(readsAs(text, wanted, (t, i, w) => { const after = known(t, i, w); if (after >= 0) passed++; return after; })).toBe(true);
    expect(passed).toBeGreaterThan(0);
  });

  it('reads a verified container in full when a (wrong) edit changed a token inside it', () => {
    const wanted = { a: { x: 1, list: [1, 2] }, b: { y: 3 }, c: [{ z: 3 }] };
    const { doc, verified, tokens, at } = setup(wanted);
    tokens.setText(at('2', at('y')), '3');
    tokens.setText(at('1'), '5'); // a.x, which the edit had no reason to touch
    expect(readsAs(tokens.print(), wanted, untouched(doc, verified))).toBe(false);
  });

  it('reads in full when a (wrong) edit before a verified container changes how the rest reads', () => {
    const wanted = { a: { x: 1, list: [1, 2] }, b: { y: 3 }, c: [{ z: 3 }] };
    for (const bad of ['/*', '"', 'b: 1, ', '{']) {
      const { doc, verified, tokens, at } = setup(wanted);
      tokens.setText(at('2', at('y')), '3');
      tokens.setText(at('a'), `${bad}a`);
      const text = tokens.print();
      let expected: boolean;
      try {
        const read = JSON5.parse(text) as Raw;
        expected = isDeepStrictEqual({ ...read }, wanted);
      } catch {
        expected = false;
      }
      expect(readsAs(text, wanted, untouched(doc, verified)), text).toBe(expected);
    }
  });

  it('answers as the full read-back for random changes of random tokens (property)', () => {
    const wanted = { a: { x: 1, list: [1, 2] }, b: { y: 3 }, c: [{ z: 3 }] };
    fc.assert(
      fc.property(fc.array(fc.record({ token: fc.nat(), text: fc.constantFrom('', '3', '1', ',', '{', '}', '[', ']', '/*', '*/', '"', 'x: 1', '\n', ' ', '2') }), { minLength: 1, maxLength: 3 }), (changes) => {
        const { doc, verified, tokens } = setup(wanted);
        for (const { token, text } of changes) tokens.setText(token % tokens.length, text);
        const text = tokens.print();
        expect(readsAs(text, wanted, untouched(doc, verified)), text).toBe(readsAs(text, wanted));
      }),
      { seed: 20261130, numRuns: 2000 },
    );
  });
});
