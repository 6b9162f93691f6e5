import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { editConfigText } from '../../src/core/config/edit';
import { serializeConfig } from '../../src/core/config/parse';
import { edit, type Raw } from '../helpers/edit';
import { CORPUS, expectCommentsKept, expectOnlyReplaced, portLiteral } from './corpus';

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

describe('writes what it adds in the file\'s own style (what mutation testing found unchecked)', () => {
  // Each case must come out as an edit: fresh JSON would lose the style it shows.
  const cases: [string, string, (raw: Raw) => void, string][] = [
      ["single-quoted keys: new keys in single quotes, a new string value in double quotes (no string value to learn from)", "{\n  'a': 1,\n}\n", (raw) => (raw.b = { c: 'x' }), "{\n  'a': 1,\n  'b': {\n    'c': \"x\",\n  },\n}\n"],
      ["double-quoted keys and single-quoted values", '{\n  "a": \'x\'\n}\n', (raw) => (raw.b = 'y'), "{\n  \"a\": 'x',\n  \"b\": 'y'\n}\n"],
      ["colons without a space, over lines", '{\n  "a":1\n}\n', (raw) => (raw.b = { c: 1 }), "{\n  \"a\":1,\n  \"b\":{\n    \"c\":1\n  }\n}\n"],
      ["four spaces of indentation, nested values over lines", '{\n    "a": 1\n}\n', (raw) => (raw.b = { c: [1, { d: 2 }] }), "{\n    \"a\": 1,\n    \"b\": {\n        \"c\": [\n            1,\n            {\n                \"d\": 2\n            }\n        ]\n    }\n}\n"],
      ["CRLF and LF as often: LF", '{\r\n  "a": 1\n}', (raw) => (raw.b = { c: 1 }), "{\r\n  \"a\": 1,\n  \"b\": {\n    \"c\": 1\n  }\n}"],
      ["CRLF more often than LF: CRLF", '{\r\n  "a": 1,\r\n  "b": 2\n}\r\n', (raw) => (raw.c = { d: 1 }), "{\r\n  \"a\": 1,\r\n  \"b\": 2,\r\n  \"c\": {\r\n    \"d\": 1\r\n  }\n}\r\n"],
      ["objects on one line without padding", '{a: 1, x: {y: 2}}', (raw) => (raw.b = { c: 1 }), "{a: 1, x: {y: 2}, b: {c: 1}}"],
      ["padded outside, tight inside: tight wins two to one", '{ a: 1, x: {y: 2}, z: {w: 3} }', (raw) => (raw.b = { c: 1 }), "{ a: 1, x: {y: 2}, z: {w: 3}, b: {c: 1} }"],
      ["a minified file: no space after colons or commas", '{a:1}', (raw) => (raw.b = { c: 1 }), "{a:1,b:{c:1}}"],
      ["short lists kept on one line", "{\n  a: ['x'],\n  b: 1\n}\n", (raw) => (raw.c = ['y', 'z']), "{\n  a: ['x'],\n  b: 1,\n  c: ['y', 'z']\n}\n"],
      ["lists over lines, with trailing commas", "{\n  a: [\n    'x',\n  ],\n}\n", (raw) => (raw.c = ['y']), "{\n  a: [\n    'x',\n  ],\n  c: [\n    'y',\n  ],\n}\n"],
      ["members not indented: new levels indented by two spaces", '{\n"a": 1\n}\n', (raw) => (raw.b = { c: 1 }), "{\n\"a\": 1,\n\"b\": {\n  \"c\": 1\n}\n}\n"],
      ["tabs", '{\n\t"a": 1\n}\n', (raw) => (raw.b = { c: 1 }), "{\n\t\"a\": 1,\n\t\"b\": {\n\t\t\"c\": 1\n\t}\n}\n"],
      ["empty containers teach nothing: the trailing comma of the others", '{\n  a: {},\n  b: [],\n  c: {\n    d: 1,\n  },\n}\n', (raw) => (raw.e = { f: 1 }), "{\n  a: {},\n  b: [],\n  c: {\n    d: 1,\n  },\n  e: {\n    f: 1,\n  },\n}\n"],
      ["trailing commas in the majority of containers", '{\n  a: {\n    b: 1\n  },\n  c: {\n    d: 1,\n  },\n  e: {\n    f: 1,\n  },\n}\n', (raw) => (raw.g = { h: 1 }), "{\n  a: {\n    b: 1\n  },\n  c: {\n    d: 1,\n  },\n  e: {\n    f: 1,\n  },\n  g: {\n    h: 1,\n  },\n}\n"],
      ["trailing commas in as many containers as not: none in the new object", '{\n  a: {\n    b: 1\n  },\n  c: {\n    d: 1\n  },\n  e: {\n    f: 1,\n  },\n}\n', (raw) => (raw.g = { h: 1 }), "{\n  a: {\n    b: 1\n  },\n  c: {\n    d: 1\n  },\n  e: {\n    f: 1,\n  },\n  g: {\n    h: 1\n  },\n}\n"],
      ["an empty list in a file over lines is filled over lines", '{\n  "a": [],\n  "b": 1\n}\n', (raw) => (raw.a.push(1, 2)), "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": 1\n}\n"],
      ["an empty list filled with an object", '{\n  "a": [],\n  "b": 1\n}\n', (raw) => (raw.a.push({ x: 1 })), "{\n  \"a\": [\n    {\n      \"x\": 1\n    }\n  ],\n  \"b\": 1\n}\n"],
      ["an empty object over two lines", '{\n  "a": {\n  },\n  "b": 1\n}\n', (raw) => (raw.a.x = 1), "{\n  \"a\": {\n    \"x\": 1\n  },\n  \"b\": 1\n}\n"],
      ["an empty object holding a block comment", '{\n  "a": { /* none yet */ },\n  "b": 1\n}\n', (raw) => (raw.a.x = 1), "{\n  \"a\": { /* none yet */\n    \"x\": 1\n  },\n  \"b\": 1\n}\n"],
      ["an empty object holding a line comment", '{\n  "a": {\n    // none yet\n  },\n  "b": 1\n}\n', (raw) => (raw.a.x = 1), "{\n  \"a\": {\n    // none yet\n    \"x\": 1\n  },\n  \"b\": 1\n}\n"],
      ["an empty list on one line stays on one line", '{ "a": [], "b": 1 }', (raw) => (raw.a.push(1, 2)), "{ \"a\": [1, 2], \"b\": 1 }"],
      ["an empty object on one line gets the padding", '{ "a": {}, "b": 1 }', (raw) => (raw.a.x = 1), "{ \"a\": { \"x\": 1 }, \"b\": 1 }"],
      ["an empty list holding a space", '{ "a": [ ], "b": 1 }', (raw) => (raw.a.push(1)), "{ \"a\": [1], \"b\": 1 }"],
      ["a list emptied: its trailing comma goes", '{\n  "a": [1,],\n  "b": 1\n}\n', (raw) => (raw.a = []), "{\n  \"a\": [],\n  \"b\": 1\n}\n"],
      ["a list on one line emptied", '{\n  "a": [1, 2],\n  "b": 1\n}\n', (raw) => { raw.a = []; }, "{\n  \"a\": [],\n  \"b\": 1\n}\n"],
      ["a list over lines replaced, its trailing comma kept", '{\n  "a": [\n    1,\n  ],\n}\n', (raw) => { raw.a = [2, 3]; }, "{\n  \"a\": [\n    2,\n    3,\n  ],\n}\n"],
      ["a one-line list with a trailing comma replaced", '{\n  "a": [1, 2,],\n}\n', (raw) => { raw.a = [3]; }, "{\n  \"a\": [3,],\n}\n"],
      ['as many colons with a space as without: with a space', '{\n  "a":1,\n  "b": 2\n}\n', (raw) => (raw.c = { d: 1 }), '{\n  "a":1,\n  "b": 2,\n  "c": {\n    "d": 1\n  }\n}\n'],
      ['as many keys in single quotes as in double: double', "{\n  'a': 1,\n  \"b\": 2\n}\n", (raw) => (raw.c = 1), "{\n  'a': 1,\n  \"b\": 2,\n  \"c\": 1\n}\n"],
      ["every kind of scalar, in single quotes", "{\n  a: 'x',\n}\n", (raw) => (raw.b = ["it's", -0, NaN, Infinity, -Infinity, true, null, 1.5]), "{\n  a: 'x',\n  b: [\n    'it\\'s',\n    -0,\n    NaN,\n    Infinity,\n    -Infinity,\n    true,\n    null,\n    1.5,\n  ],\n}\n"],
  ];
  it.each(cases)('%s', (_, before, change, after) => {
    expect(edit(before, change)).toBe(after);
  });
});

describe('removes, replaces and edits lists in place (what mutation testing found unchecked)', () => {
  const cases: [string, string, (raw: Raw) => void, string][] = [
      ["the last key, its trailing comma kept on the one before", '{\n  a: 1,\n  b: 2,\n}\n', (raw) => delete raw.b, "{\n  a: 1,\n}\n"],
      ["a key after a block comment on one line: the comment stays", '{ a: 1, /* x */ b: 2 }', (raw) => delete raw.b, "{ a: 1 /* x */ }"],
      ["the first of two keys each with a line comment", '{\n  a: 1, // one\n  b: 2 // two\n}\n', (raw) => delete raw.a, "{\n  // one\n  b: 2 // two\n}\n"],
      ["the last of two keys each with a line comment", '{\n  a: 1, // one\n  b: 2 // two\n}\n', (raw) => delete raw.b, "{\n  a: 1 // one\n  // two\n}\n"],
      ["the first key of a minified object", '{a:1,b:2}', (raw) => delete raw.a, "{b:2}"],
      ["the last key of a minified object", '{a:1,b:2}', (raw) => delete raw.b, "{a:1}"],
      ["a key in the middle of a line", '{\n  a: 1, b: 2,\n  c: 3\n}\n', (raw) => delete raw.b, "{\n  a: 1,\n  c: 3\n}\n"],
      ["the first key of a line another follows on", '{\n  a: 1, b: 2,\n  c: 3\n}\n', (raw) => delete raw.a, "{\n  b: 2,\n  c: 3\n}\n"],
      ["the last key of a line that does not start it", '{\n  a: 1,\n  b: 2, c: 3\n}\n', (raw) => delete raw.c, "{\n  a: 1,\n  b: 2\n}\n"],
      ["the only key of a one-line object", '{ a: 1 }', (raw) => delete raw.a, "{}"],
      ["the only key of an object over lines", '{\n  a: 1\n}\n', (raw) => delete raw.a, "{}\n"],
      ["a key whose value holds a block comment, on one line", '{ a: 1, b: /* keep */ 2, c: 3 }', (raw) => delete raw.b, "{ a: 1, /* keep */ c: 3 }"],
      ["a key with a comment before its comma, on a line it does not start", '{\n  a: 1,\n  b: 2 /* b */, c: 3\n}\n', (raw) => delete raw.b, "{\n  a: 1,\n  /* b */ c: 3\n}\n"],
      ["a number replaced by an object over lines, in a file with trailing commas", '{\n  a: 1,\n}\n', (raw) => (raw.a = { b: 1 }), "{\n  a: {\n    b: 1,\n  },\n}\n"],
      ["a number replaced by an object on one line", '{ a: 1, c: 2 }', (raw) => (raw.a = { b: 1 }), "{ a: { b: 1 }, c: 2 }"],
      ["a value replaced inside a line that holds another key: on one line", '{\n  a: 1, c: 2\n}\n', (raw) => (raw.c = { b: [1] }), "{\n  a: 1, c: { b: [1] }\n}\n"],
      ["a string replaced by a number", "{\n  a: 'x',\n}\n", (raw) => (raw.a = 5), "{\n  a: 5,\n}\n"],
      ["a string replaced in double quotes", '{ a: "x" }', (raw) => (raw.a = "it's"), "{ a: \"it's\" }"],
      ["a string replaced in single quotes", "{ a: 'x' }", (raw) => (raw.a = 'say "hi"'), "{ a: 'say \"hi\"' }"],
      ["a list over two lines replaced by a string", '{\n  a: [1,\n    2],\n}\n', (raw) => (raw.a = 'z'), "{\n  a: \"z\",\n}\n"],
      ["an object with a line comment replaced by a number: the comment above", '{\n  a: { // c\n    b: 1 },\n}\n', (raw) => (raw.a = 2), "{\n  // c\n  a: 2,\n}\n"],
      ["an object with a block comment replaced by a number: the comment above", '{\n  a: { /* c */ b: 1 },\n}\n', (raw) => (raw.a = 2), "{\n  /* c */\n  a: 2,\n}\n"],
      ["a list item removed from the middle", '{ l: [1, 2, 3] }', (raw) => (raw.l = [1, 3]), "{ l: [1, 3] }"],
      ["a list item added at the end", '{ l: [1, 2, 3] }', (raw) => (raw.l = [1, 2, 3, 4]), "{ l: [1, 2, 3, 4] }"],
      ["a list item added at the head", '{ l: [1, 2, 3] }', (raw) => (raw.l = [0, 1, 2, 3]), "{ l: [0, 1, 2, 3] }"],
      ["a list item changed in the middle", '{ l: [1, 2, 3] }', (raw) => (raw.l = [1, 5, 3]), "{ l: [1, 5, 3] }"],
      ["the first two items removed", '{ l: [1, 2, 3] }', (raw) => (raw.l = [3]), "{ l: [3] }"],
      ["every item replaced", '{ l: [1, 2, 3] }', (raw) => (raw.l = [7, 8]), "{ l: [7, 8] }"],
      ["a list over lines: an item added at the end", '{\n  l: [\n    1,\n    2,\n  ],\n}\n', (raw) => (raw.l = [1, 2, 3]), "{\n  l: [\n    1,\n    2,\n    3,\n  ],\n}\n"],
      ["a list over lines: the first item removed", '{\n  l: [\n    1,\n    2,\n  ],\n}\n', (raw) => (raw.l = [2]), "{\n  l: [\n    2,\n  ],\n}\n"],
      ["a list over lines: an item added at the head", '{\n  l: [\n    1,\n    2,\n  ],\n}\n', (raw) => (raw.l = [0, 1, 2]), "{\n  l: [\n    0,\n    1,\n    2,\n  ],\n}\n"],
      ["a list over lines without trailing comma: an item added in the middle", '{\n  l: [\n    1,\n    2\n  ]\n}\n', (raw) => (raw.l = [1, 9, 2]), "{\n  l: [\n    1,\n    9,\n    2\n  ]\n}\n"],
      ["a repeated item added", '{ l: [1, 1] }', (raw) => (raw.l = [1, 1, 1]), "{ l: [1, 1, 1] }"],
      ["a middle item removed between two equal ones", '{ l: [1, 2, 1] }', (raw) => (raw.l = [1, 1]), "{ l: [1, 1] }"],
      ["nested lists and objects edited in place", '{ l: [[1], {a: 1}] }', (raw) => (raw.l = [[1, 2], { a: 2 }]), "{ l: [[1, 2], {a: 2}] }"],
  ];
  it.each(cases)('%s', (_, before, change, after) => {
    expect(edit(before, change)).toBe(after);
  });
});
