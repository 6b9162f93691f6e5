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
import { matchEdited, parseToward } from '../../src/core/config/syntax';
import { CORPUS } from './corpus';

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

/** The short read-back of what the edit left in `parsed`'s tokens: true only where the full read-back says true. */
function expectSound(parsed: ReturnType<typeof setup> | NonNullable<ReturnType<typeof parseToward>>, wanted: Raw): boolean {
  const { doc, verified } = parsed;
  const text = doc.tokens.print();
  const short = matchEdited(text, wanted, doc.tokens, doc.tree.closeOf, verified);
  if (short) expect(readsAs(text, wanted), text).toBe(true);
  return short;
}

describe('the read-back of only what an edit reached (matchEdited)', () => {
  it('proves a right edit, passing by the untouched verified containers as one token each', () => {
    const wanted = { a: { x: 1, list: [1, 2] }, b: { y: 3 }, c: [{ z: 3 }] };
    const parsed = setup(wanted);
    parsed.tokens.setText(parsed.at('2', parsed.at('y')), '3');
    let asked = 0;
    const { verified } = parsed;
    const counting = { get: (first: number) => (asked++, verified.get(first)), has: (first: number) => verified.has(first), keys: () => verified.keys(), size: verified.size };
    expect(matchEdited(parsed.tokens.print(), wanted, parsed.doc.tokens, parsed.doc.tree.closeOf, counting)).toBe(true);
    // a (and its list) and c's element are passed by: a and c asked for, not their insides read.
    expect(asked).toBeGreaterThan(0);
  });

  it('says no (the full read-back decides) when a wrong edit changed a token inside a verified container', () => {
    const wanted = { a: { x: 1, list: [1, 2] }, b: { y: 3 }, c: [{ z: 3 }] };
    const parsed = setup(wanted);
    parsed.tokens.setText(parsed.at('2', parsed.at('y')), '3');
    parsed.tokens.setText(parsed.at('1'), '5');
    expect(expectSound(parsed, wanted)).toBe(false);
  });

  it('says no when a wrong edit before a verified container changes how the rest reads', () => {
    const wanted = { a: { x: 1, list: [1, 2] }, b: { y: 3 }, c: [{ z: 3 }] };
    for (const bad of ['/*', '"', 'b: 1, ', '{', '//', "'"]) {
      const parsed = setup(wanted);
      parsed.tokens.setText(parsed.at('2', parsed.at('y')), '3');
      parsed.tokens.setText(parsed.at('a'), `${bad}a`);
      expect(expectSound(parsed, wanted), bad).toBe(false);
    }
  });

  it('says no when the value wanted of an untouched container is not the one it was verified for', () => {
    const wanted = { a: { x: 1, list: [1, 2] }, b: { y: 3 }, c: [{ z: 3 }] };
    const parsed = setup(wanted);
    parsed.tokens.setText(parsed.at('2', parsed.at('y')), '3');
    // Equal, but another object: only the very part it was verified for vouches for it.
    expect(matchEdited(parsed.tokens.print(), { ...wanted, a: { x: 1, list: [1, 2] } }, parsed.doc.tokens, parsed.doc.tree.closeOf, parsed.verified)).toBe(false);
    expect(matchEdited(parsed.tokens.print(), { ...wanted, a: { x: 2, list: [1, 2] } }, parsed.doc.tokens, parsed.doc.tree.closeOf, parsed.verified)).toBe(false);
  });

  it('says yes only where the full read-back does, for random changes of random tokens (property)', () => {
    const wanted = { a: { x: 1, list: [1, 2] }, b: { y: 3 }, c: [{ z: 3 }] };
    let yes = 0;
    fc.assert(
      fc.property(fc.array(fc.record({ token: fc.nat(), text: fc.constantFrom('same', 'same', 'same', '', '3', '1', ',', '{', '}', '[', ']', '/*', '*/', '"', "'", '//', 'x: 1', '\n', '\n', ' ', '2', '{}', '[]', 'a', '\\u0061') }), { minLength: 1, maxLength: 3 }), (changes) => {
        // The right edit, then random changes: some keep the meaning (a token's own text, blanks), most do not.
        const parsed = setup(wanted);
        parsed.tokens.setText(parsed.at('2', parsed.at('y')), '3');
        for (const { token, text } of changes) {
          const at = token % parsed.tokens.length;
          parsed.tokens.setText(at, text === 'same' ? parsed.tokens.text(at) : text);
        }
        if (expectSound(parsed, wanted)) yes++;
      }),
      { seed: 20261201, numRuns: 3000 },
    );
    expect(yes).toBeGreaterThan(0);
  });

  it('says yes only where the full read-back does, for random token changes in the corpus files (property)', () => {
    const files = CORPUS.filter((file) => parseToward(file.text, JSON5.parse(file.text)) !== null);
    let yes = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.record({ token: fc.nat(), text: fc.constantFrom('same', 'same', '', '0', 'true', ',', '}', ']', '/*', '*/', '"', '\n', ' x: 1,', '{}') }), { minLength: 1, maxLength: 2 }), (pick, changes) => {
        const file = files[pick % files.length]!;
        const wanted = JSON5.parse(file.text) as Raw;
        const parsed = parseToward(file.text, wanted)!;
        for (const { token, text } of changes) {
          const at = token % parsed.doc.tokens.length;
          parsed.doc.tokens.setText(at, text === 'same' ? parsed.doc.tokens.text(at) : text);
        }
        if (expectSound(parsed, wanted)) yes++;
      }),
      { seed: 20261202, numRuns: 1000 },
    );
    expect(yes).toBeGreaterThan(100);
  });
});

