import JSON5 from 'json5';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeNode, parseSyntax } from '../../src/core/config/syntax';
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
