import JSON5 from 'json5';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { editConfig, editConfigText, sameValue } from '../../src/core/config/edit';
import { serializeConfig } from '../../src/core/config/parse';
import { CORPUS, expectCommentsKept, expectOnlyReplaced, portLiteral } from './corpus';

type Raw = Record<string, any>;

/** The text after changing the value the text stands for. */
function edit(text: string, change: (raw: Raw) => void): string {
  const raw = JSON5.parse(text) as Raw;
  change(raw);
  const { text: out, outcome } = editConfig(text, raw);
  expect(isDeepStrictEqual(JSON5.parse(out), raw), `reads back as the intended config:\n${out}`).toBe(true);
  // An edit of the file's own text, never the fresh JSON written when the edit fails its read-back.
  expect(outcome, out).toBe('edited');
  return out;
}

describe('editConfigText', () => {
  it('writes a new file as indented JSON, as before', () => {
    const raw = { gateway: { port: 19789, auth: { token: 'x'.repeat(20) } }, watch: { profiles: ['main'] } };
    expect(editConfigText(null, raw)).toBe(JSON.stringify(raw, null, 2) + '\n');
  });

  it('writes a file that does not parse as fresh JSON: there is no layout to keep (the store keeps the old bytes as the backup)', () => {
    const raw = { gateway: { port: 19789 } };
    expect(editConfigText('{ gateway: { port: 18789 ', raw)).toBe(serializeConfig(raw));
    expect(editConfigText('[1, 2]', raw)).toBe(serializeConfig(raw));
  });

  it.each(CORPUS.map((f) => [f.name, f]))('gives %s back byte for byte when nothing changes', (_, file) => {
    expect(editConfigText(file.text, JSON5.parse(file.text))).toBe(file.text);
  });

  it.each(CORPUS.map((f) => [f.name, f]))('changes only the bytes of gateway.port in %s', (_, file) => {
    const out = edit(file.text, (raw) => (raw.gateway.port = 19999));
    expectOnlyReplaced(file.text, out, portLiteral(file), '19999');
    expectCommentsKept(file.text, out);
  });

  it.each(CORPUS.map((f) => [f.name, f]))('adds and removes keys in %s keeping every comment and the line ends', (_, file) => {
    const out = edit(file.text, (raw) => {
      raw.gateway.extra = { note: 'new', list: [1, 'two'] };
      delete raw.gateway.auth;
      raw.watch = { ...raw.watch, profiles: ['main'] };
    });
    expectCommentsKept(file.text, out);
    const crlf = file.text.includes('\r\n');
    expect(/(^|[^\r])\n/.test(out), 'a bare LF in a CRLF file').toBe(!crlf);
    expect(out.startsWith('\ufeff')).toBe(file.text.startsWith('\ufeff'));
  });

  describe('adds a key in the file\'s own style', () => {
    const cases: [string, string, (raw: Raw) => void, string][] = [
      [
        'unquoted keys, single quotes, trailing commas',
        "{\n  gateway: {\n    port: 18789,\n    mode: 'token',\n  },\n}\n",
        (raw) => (raw.gateway.bind = 'lan'),
        "{\n  gateway: {\n    port: 18789,\n    mode: 'token',\n    bind: 'lan',\n  },\n}\n",
      ],
      [
        'tabs and double quotes, no trailing comma',
        '{\n\t"a": {\n\t\t"b": 1\n\t}\n}',
        (raw) => (raw.a.c = [1]),
        '{\n\t"a": {\n\t\t"b": 1,\n\t\t"c": [\n\t\t\t1\n\t\t]\n\t}\n}',
      ],
      ['after a comment that ends the line', '{\n  a: 1 // one\n}\n', (raw) => (raw.b = 2), '{\n  a: 1, // one\n  b: 2\n}\n'],
      ['CRLF line ends', '{\r\n  "a": 1\r\n}\r\n', (raw) => (raw.b = { c: true }), '{\r\n  "a": 1,\r\n  "b": {\r\n    "c": true\r\n  }\r\n}\r\n'],
      ['a BOM', '\ufeff{\n  "a": 1\n}\n', (raw) => (raw.b = 2), '\ufeff{\n  "a": 1,\n  "b": 2\n}\n'],
      [
        'an object on one line',
        "{ gateway: { port: 1, bind: 'x' } }",
        (raw) => (raw.gateway.auth = { token: 't' }),
        "{ gateway: { port: 1, bind: 'x', auth: { token: 't' } } }",
      ],
      ['a minified file', '{"a":{"b":1}}', (raw) => (raw.a.c = [2, 3]), '{"a":{"b":1,"c":[2,3]}}'],
      ['an empty object of a file over lines', '{\n  "a": {}\n}\n', (raw) => (raw.a.b = 1), '{\n  "a": {\n    "b": 1\n  }\n}\n'],
      ['a key that needs quotes among unquoted ones', '{\n  a: 1,\n}\n', (raw) => (raw['my-key'] = 2), '{\n  a: 1,\n  "my-key": 2,\n}\n'],
      ['a list kept on one line', "{\n  list: ['a', 'b'],\n}\n", (raw) => raw.list.push('c'), "{\n  list: ['a', 'b', 'c'],\n}\n"],
      ['a list over lines, at its head', '{\n  "l": [\n    1\n  ]\n}\n', (raw) => raw.l.unshift(0), '{\n  "l": [\n    0,\n    1\n  ]\n}\n'],
    ];
    it.each(cases)('%s', (_, before, change, after) => {
      expect(edit(before, change)).toBe(after);
    });
  });

  describe('removes a key, and its comments stay', () => {
    const cases: [string, string, (raw: Raw) => void, string][] = [
      [
        'comments above and beside it',
        "{\n  // the port\n  port: 1, // main's\n  bind: 'x',\n}\n",
        (raw) => delete raw.port,
        "{\n  // the port\n  // main's\n  bind: 'x',\n}\n",
      ],
      ['the last key, without a trailing comma', '{\n  "a": 1,\n  "b": 2\n}\n', (raw) => delete raw.b, '{\n  "a": 1\n}\n'],
      ['in the middle of one line', '{ a: 1, b: 2, c: 3 }', (raw) => delete raw.b, '{ a: 1, c: 3 }'],
      ['at the end of one line', '{ a: 1, b: 2, c: 3 }', (raw) => delete raw.c, '{ a: 1, b: 2 }'],
      ['at the start of one line', '{ a: 1, b: 2, c: 3 }', (raw) => delete raw.a, '{ b: 2, c: 3 }'],
      ['the only key of an object', '{\n  "a": {\n    "b": 1\n  }\n}\n', (raw) => delete raw.a.b, '{\n  "a": {}\n}\n'],
      [
        'a whole object with comments inside',
        '{\n  gw: {\n    // inner\n    port: 1, /* why */\n  },\n  x: 1,\n}\n',
        (raw) => delete raw.gw,
        '{\n  // inner\n  /* why */\n  x: 1,\n}\n',
      ],
      [
        'a list item',
        "{\n  profiles: [\n    'main', // the main bot\n    'work',\n  ],\n}\n",
        (raw) => raw.profiles.shift(),
        "{\n  profiles: [\n    // the main bot\n    'work',\n  ],\n}\n",
      ],
    ];
    it.each(cases)('%s', (_, before, change, after) => {
      expect(edit(before, change)).toBe(after);
    });
  });

  it('replaces a string in its own quotes, and a whole object with the comments inside it kept above', () => {
    expect(edit("{ bind: 'loopback' }", (raw) => (raw.bind = "it's"))).toBe("{ bind: 'it\\'s' }");
    expect(edit('{\n  a: {\n    // note\n    b: 1,\n  },\n}\n', (raw) => (raw.a = 5))).toBe('{\n  // note\n  a: 5,\n}\n');
  });

  it('edits the last of two equal keys (the one JSON5 reads) and removes both', () => {
    const text = CORPUS.find((f) => f.name.startsWith('23-'))!.text;
    expectOnlyReplaced(text, edit(text, (raw) => (raw.gateway.port = 19999)), 'port": 18789', 'port": 19999');
    const out = edit(text, (raw) => delete raw.mode);
    expect(out).not.toContain('"mode"');
    expectCommentsKept(text, out);
  });

  it('keeps -0, NaN, Infinity and line separators through the trip', () => {
    const out = edit('{\n  a: 1,\n}\n', (raw) => Object.assign(raw, { z: -0, n: NaN, i: -Infinity, s: 'x\u2028y' }));
    expect(out).toContain('z: -0,');
    expect(out).toContain('s: "x\\u2028y"');
  });
});

describe('editConfigText on hostile shapes', () => {
  it('removes a key repeated 20,000 times on one line in linear time (it took 40 s), every copy, the rest kept', () => {
    const text = `{ gateway: { port: 20789 },\n  m: { /* keep */ ${'a: 1,'.repeat(20_000)} b: 2 }, t: 1 }\n`;
    const started = performance.now();
    const out = editConfigText(text, { gateway: { port: 20789 }, m: { b: 2 }, t: 1 });
    // Bounded generously for a loaded 2-core machine: the quadratic cut took ~40 s here.
    expect(performance.now() - started).toBeLessThan(8000);
    expect(out).toBe('{ gateway: { port: 20789 },\n  m: { /* keep */ b: 2 }, t: 1 }\n');
    // A run of removed neighbours between kept members, each on its own line with its comment.
    const lines = '{\n  x: 1,\n  // one\n  a: 1,\n  // two\n  a: 2,\n  y: 2,\n}\n';
    const cut = editConfigText(lines, { x: 1, y: 2 });
    expect(JSON5.parse(cut)).toEqual({ x: 1, y: 2 });
    expect(cut).toContain('// one');
    expect(cut).toContain('// two');
  });
});

describe('sameValue: equality as a JSON5 reader sees it (what mutation testing found unchecked)', () => {
  it('NaN equals NaN, -0 is not 0, and a number is never text', () => {
    expect(sameValue(NaN, NaN)).toBe(true);
    expect(sameValue(-0, 0)).toBe(false);
    expect(sameValue(18789, 18789)).toBe(true);
    expect(sameValue(18789, 18790)).toBe(false);
    expect(sameValue(1, '1')).toBe(false);
    expect(sameValue('lan', 'lan')).toBe(true);
    expect(sameValue('lan', 'all')).toBe(false);
    expect(sameValue(null, null)).toBe(true);
    expect(sameValue(true, 'true')).toBe(false);
  });

  it('compares lists item by item (a missing item reads as null) and objects key by key in any order', () => {
    expect(sameValue([1, [NaN, 'a']], [1, [NaN, 'a']])).toBe(true);
    expect(sameValue([1], [1, 2])).toBe(false);
    expect(sameValue([1, 2], [1, 3])).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
    expect(sameValue({ 0: 1 }, [1])).toBe(false);
    expect(sameValue([undefined], [null])).toBe(true);
    expect(sameValue({ a: 1, b: { c: -0 } }, { b: { c: -0 }, a: 1 })).toBe(true);
    expect(sameValue({ a: 1, b: { c: -0 } }, { a: 1, b: { c: 0 } })).toBe(false);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameValue({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(sameValue({ a: 1, gone: undefined }, { a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { b: 1 })).toBe(false);
    expect(sameValue({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameValue({}, null)).toBe(false);
  });
});
