/**
 * The tokenizer runs one sticky pattern per token (native regexp code, fast even on a first,
 * cold run); the character scanner it stands in for stays as the reference. Random JSON5
 * texts with comments and every literal form: the tokens are the scanner's and join back to
 * the text, and the tree reads what the json5 package reads. Seeded, bounded.
 */
import fc from 'fast-check';
import JSON5 from 'json5';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeNode, Kind, parseSyntax, plainNumber, tokenize, tokenizeByChars, tokenizeForDisplay, type Tokens } from '../../src/core/config/syntax';

const SEED = Number(process.env.TOKENIZE_SEED ?? 20261130);

const space = fc.constantFrom('', ' ', '  ', '\t', '\n', '\r\n', '\r', '\u2028', '\u2029', '\v', '\f', '\u00a0', '\u3000', '\ufeff', ' \n  ');
const comment = fc.constantFrom('// c\n', '//\n', '// {a: 1}, "x\n', '/* c */', '/**/', '/* multi\n line */', '/*/ odd */', '/* // */', '// no end\r\n', '//\u2028');
const trivia = fc.array(fc.oneof({ weight: 3, arbitrary: space }, { weight: 1, arbitrary: comment }), { maxLength: 3 }).map((parts) => parts.join(''));
const word = fc.constantFrom('a', 'port', '$x', '_y', 'ünï', 'a1', 'null', 'true', 'default', '\\u0061b', 'a\\u0062', 'ℵ', 'x\u200cy', 'Infinity', 'NaN');
/** Pieces of a string's body; Q stands for its own quote (escaped), O for the other one (raw). */
const stringBody = fc.array(fc.constantFrom('a', ' ', 'itOs', 'QqQ', '\\n', '\\t', '\\\\', '\\x41', '\\u00e9', '\\0', '\\v', "\\'", '\\"', '\\\n', '\\\r\n', '\u2028', 'ü', '🚀', '//', '/*'), { maxLength: 4 }).map((parts) => parts.join(''));
const quoted = fc.tuple(fc.constantFrom('"', "'"), stringBody).map(([q, body]) => q + body.replace(/Q/g, `\\${q}`).replace(/O/g, q === '"' ? "'" : '"') + q);
const number = fc.constantFrom('0', '1', '-1', '+1', '1.5', '.5', '5.', '-0', '0x1F', '-0X0a', '1e3', '1E-3', '2.5e+2', 'Infinity', '-Infinity', '+NaN', 'NaN', '123456789', '0.0');
const scalar = fc.oneof(quoted, number, fc.constantFrom('true', 'false', 'null'));

const text: fc.Arbitrary<string> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, { weight: 3, arbitrary: scalar }, tie('array'), tie('object')),
  array: fc.tuple(fc.array(fc.tuple(trivia, tie('value'), trivia), { maxLength: 4 }), fc.boolean(), trivia).map(
    ([items, trailing, inner]) => `[${inner}${items.map(([a, v, b]) => a + v + b).join(',')}${trailing && items.length > 0 ? ',' : ''}]`,
  ),
  object: fc.tuple(fc.array(fc.tuple(trivia, fc.oneof(word, quoted), trivia, trivia, tie('value'), trivia), { maxLength: 4 }), fc.boolean(), trivia).map(
    ([members, trailing, inner]) => `{${inner}${members.map(([a, k, b, c, v, d]) => `${a}${k}${b}:${c}${v}${d}`).join(',')}${trailing && members.length > 0 ? ',' : ''}}`,
  ),
})).object.chain((body) => fc.tuple(trivia, trivia).map(([before, after]) => before + body + after));

function same(a: Tokens, b: Tokens): boolean {
  if (a.length !== b.length || a.source !== b.source) return false;
  for (let i = 0; i < a.length; i++) if (a.kinds[i] !== b.kinds[i] || a.starts[i] !== b.starts[i]) return false;
  return a.starts[a.length] === b.starts[b.length] && isDeepStrictEqual([...a.escaped].sort(), [...b.escaped].sort());
}

function joined(t: Tokens): string {
  let out = '';
  for (let i = 0; i < t.length; i++) out += t.text(i);
  return out;
}

function json5(source: string): { value: unknown } | null {
  try {
    return { value: JSON5.parse(source) };
  } catch {
    return null;
  }
}

describe('the tokenizer (property, against the character scanner and the json5 package)', () => {
  it('random JSON5 texts with comments: the scanner’s tokens, joined back byte for byte, read as json5 reads them', () => {
    const warn = console.warn;
    console.warn = () => {}; // json5 warns about a raw U+2028 in a string
    try {
      fc.assert(
        fc.property(text, (source) => {
          const tokens = tokenize(source);
          expect(same(tokens, tokenizeByChars(source))).toBe(true);
          expect(joined(tokens)).toBe(source);
          const doc = parseSyntax(source);
          const expected = json5(source);
          expect(doc === null ? null : { value: decodeNode(doc.tokens, doc.root) }).toStrictEqual(expected);
        }),
        { seed: SEED, numRuns: 1000 },
      );
    } finally {
      console.warn = warn;
    }
  }, 60_000);

  it('texts with a character changed: where the scanner takes them its tokens, and the tree still refuses what json5 refuses', () => {
    const warn = console.warn;
    console.warn = () => {};
    const edit = fc.record({ at: fc.nat(), cut: fc.nat({ max: 2 }), insert: fc.constantFrom('', '"', "'", '/', '*', '\\', '\\u0030', '\\u0020', '.', 'e', '0', 'x', '-', '#', '\n', '\u2028', '}', ',', ':', '\ud800', '1e', '0x') });
    try {
      fc.assert(
        fc.property(text, edit, (source, { at, cut, insert }) => {
          const i = at % (source.length + 1);
          const changed = source.slice(0, i) + insert + source.slice(i + cut);
          let reference: Tokens | null = null;
          try {
            reference = tokenizeByChars(changed);
          } catch {
            // the scanner refuses it: the tree must too (below)
          }
          if (reference !== null) expect(same(tokenize(changed), reference)).toBe(true);
          // Shown to a person, any text splits into tokens: the scanner's where it reads, and back byte for byte.
          const shown = tokenizeForDisplay(changed);
          expect(joined(shown)).toBe(changed);
          const strict = (() => {
            try {
              return tokenize(changed);
            } catch {
              return null;
            }
          })();
          if (strict !== null) expect(same(shown, strict)).toBe(true);
          else expect([...shown.kinds.subarray(0, shown.length)].some((kind) => kind === Kind.Broken || kind === Kind.BlockComment)).toBe(true);
          const doc = parseSyntax(changed);
          const expected = json5(changed);
          const isObject = expected !== null && expected.value !== null && typeof expected.value === 'object' && !Array.isArray(expected.value);
          expect(doc === null ? null : { value: decodeNode(doc.tokens, doc.root) }).toStrictEqual(isObject ? expected : null);
        }),
        { seed: SEED, numRuns: 1000 },
      );
    } finally {
      console.warn = warn;
    }
  }, 60_000);
});

describe('a number read without a copy of its text (plainNumber, the matcher\'s fast path)', () => {
  const digits = (min: number, max: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
  const hexDigits = fc.array(fc.constantFrom(...'0123456789abcdefABCDEF'), { minLength: 1, maxLength: 16 }).map((d) => d.join(''));
  const sign = fc.constantFrom('', '-', '+');
  const decimal = fc.tuple(sign, fc.oneof(fc.constant('0'), fc.tuple(fc.constantFrom(...'123456789'), digits(0, 18)).map(([a, b]) => a + b)), fc.option(digits(0, 18)), fc.option(fc.tuple(fc.constantFrom('e', 'E'), sign, digits(1, 3)))).map(
    ([s, int, fraction, exponent]) => `${s}${int}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : exponent.join('')}`,
  );
  const leadingPoint = fc.tuple(sign, digits(1, 18)).map(([s, d]) => `${s}.${d}`);
  const hex = fc.tuple(sign, fc.constantFrom('0x', '0X'), hexDigits).map((parts) => parts.join(''));
  const numberText = fc.oneof(decimal, leadingPoint, hex, fc.constantFrom('Infinity', '-Infinity', '+NaN', 'NaN'));

  it('is the number the json5 package reads, or undefined (decoded the slow way) — on random number tokens inside other text', () => {
    fc.assert(
      fc.property(numberText, fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), (token, before, after) => {
        const source = before + token + after;
        const read = plainNumber(source, before.length, before.length + token.length);
        if (read !== undefined) expect(Object.is(read, JSON5.parse(token)), token).toBe(true);
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('reads the forms a config holds (ports, weights, hex) itself', () => {
    for (const token of ['18789', '0', '-0', '1.5', '.5', '5.', '-12.25', '0x1F', '-0X0a', '123456789012345', '0.1']) {
      expect(Object.is(plainNumber(token, 0, token.length), JSON5.parse(token)), token).toBe(true);
    }
  });
});
