import JSON5 from 'json5';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeNode, Kind, parseSyntax, tokenize, tokenizeByChars, tokenizeForDisplay } from '../../src/core/config/syntax';
import { CORPUS } from './corpus';

function read(text: string): unknown {
  const doc = parseSyntax(text);
  return doc === null ? null : decodeNode(doc.tokens, doc.root);
}

describe('the lossless syntax tree', () => {
  it('has at least 20 hand-written configs to prove itself on', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(CORPUS.map((f) => [f.name, f.text]))('reads %s as the json5 package does, and prints it back byte for byte', (_, text) => {
    const doc = parseSyntax(text);
    expect(doc).not.toBeNull();
    expect(doc!.tokens.print()).toBe(text);
    expect(isDeepStrictEqual(decodeNode(doc!.tokens, doc!.root), JSON5.parse(text))).toBe(true);
  });

  it('reads every JSON5 literal form as the json5 package does', () => {
    const texts = [
      `{a: 'it\\'s', b: "\\x41\\u00e9\\0\\v", c: 'line\\\ncontinued', d: "cr\\\r\nlf"}`,
      '{a: -0x1F, b: +.5, c: 5., d: 1e-3, e: -Infinity, f: NaN, g: Infinity, h: -0}',
      '{\\u0061b: 1, $: 2, _: 3, "": 4, default: 5, null: 6, true: 7}',
      '{a: [], b: {}, c: [[]], d: [{}, [1, [2]]],}',
      '\ufeff{a: 1}\u2028',
      '{a: "x\u2028y"}',
      '{"__proto__": {"polluted": true}}',
      '{a: 1, a: 2}',
    ];
    for (const text of texts) expect(isDeepStrictEqual(read(text), JSON5.parse(text)), text).toBe(true);
  });

  it('refuses what the json5 package refuses, and a top level that is no object', () => {
    const texts = ['{a: 01}', '{a: "\\1"}', '{a: truex}', '{a: "x\ny"}', '{a: 1', '{a: /* open', '{a: 1} 2', '[1]', '"x"', '', '{a: .}', '{a: 0x}', '{a: 1e}', '{a: "\\x4"}', '{a b: 1}', '{a: 1 b: 2}'];
    for (const text of texts) expect(read(text), text).toBeNull();
  });
});

describe('the tokens of a text shown to a person (tokenizeForDisplay): a broken file splits into tokens too', () => {
  const tokensOf = (text: string) => {
    const t = tokenizeForDisplay(text);
    return Array.from({ length: t.length }, (_, i) => [t.kind(i), t.text(i)]);
  };

  it('an unterminated string is one Broken token from its quote to the end of its line (a continued line included); the next line is read again', () => {
    expect(tokensOf('{a: "x y\n}')).toEqual([[Kind.Open, '{'], [Kind.Word, 'a'], [Kind.Colon, ':'], [Kind.Space, ' '], [Kind.Broken, '"x y'], [Kind.Newline, '\n'], [Kind.Close, '}']]);
    expect(tokensOf("'a\\\nb\r\n1")).toEqual([[Kind.Broken, "'a\\\nb"], [Kind.Newline, '\r\n'], [Kind.Number, '1']]);
    expect(tokensOf('"open')).toEqual([[Kind.Broken, '"open']]);
  });

  it('an unterminated block comment runs to the end of the text', () => {
    expect(tokensOf('{} /* a\n b')).toEqual([[Kind.Open, '{'], [Kind.Close, '}'], [Kind.Space, ' '], [Kind.BlockComment, '/* a\n b']]);
  });

  it('a bad number, a stray character or a bad escape in a name: Broken, up to the next blank, punctuation, quote or comment', () => {
    expect(tokensOf('[-abc, 0x,1e}')).toEqual([
      [Kind.OpenList, '['],
      [Kind.Broken, '-abc'],
      [Kind.Comma, ','],
      [Kind.Space, ' '],
      [Kind.Broken, '0x'],
      [Kind.Comma, ','],
      [Kind.Broken, '1e'],
      [Kind.Close, '}'],
    ]);
    expect(tokensOf('#x"y" ab\\x41:1 @/*c*/')).toEqual([
      [Kind.Broken, '#x'],
      [Kind.String, '"y"'],
      [Kind.Space, ' '],
      [Kind.Broken, 'ab\\x41'],
      [Kind.Colon, ':'],
      [Kind.Number, '1'],
      [Kind.Space, ' '],
      [Kind.Broken, '@'],
      [Kind.BlockComment, '/*c*/'],
    ]);
  });

  it('is the strict tokens where the text reads; tokenize and the tree still refuse a broken text', () => {
    const text = '{a: [1, "x", /* c */ true] // d\n}';
    expect(tokensOf(text)).toEqual(Array.from({ length: tokenize(text).length }, (_, i) => [tokenize(text).kind(i), tokenize(text).text(i)]));
    for (const broken of ['{a: "x', '{a: /* open', '{a: -abc}', '{a: #}', '{\\x41: 1}']) {
      expect(() => tokenize(broken), broken).toThrow();
      expect(() => tokenizeByChars(broken), broken).toThrow();
      expect(read(broken), broken).toBeNull();
    }
  });
});
