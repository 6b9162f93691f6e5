/**
 * What the editor writes around what it removes, replaces and adds (edit.ts from
 * removeMembers on: comments kept, blanks tidied, empty containers filled, the file's style
 * learnt and rendered). Each case is one edit of a small JSON5 text, compared as exact text.
 */
import { describe, expect, it, vi } from 'vitest';
import { editConfig } from '../../src/core/config/edit';
import { edit, type Raw } from '../helpers/edit';

type Case = [name: string, before: string, change: (raw: Raw) => void, after: string];

function expectEdits(cases: Case[]): void {
  it.each(cases)('%s', (_, before, change, after) => {
    expect(edit(before, change)).toBe(after);
  });
}

describe('line ends: a CRLF file stays CRLF', () => {
  expectEdits([
    [
      'a key added after a removal that took most of the line ends',
      '{\r\n  a: [\r\n    1,\r\n    2,\r\n    3,\r\n  ],\r\n  b: 1\r\n}\r\n',
      (raw) => {
        delete raw.a;
        raw.c = { x: 1 };
      },
      '{\r\n  b: 1,\r\n  c: {\r\n    x: 1\r\n  }\r\n}\r\n',
    ],
  ]);
});

describe('a removed key: its comments stay, the blanks around it go', () => {
  expectEdits([
    [
      "its line comment keeps a line of its own; the key after it on that line moves to the next, at the key's indentation",
      '{\n  a: [ // note\n  ], b: 1\n}\n',
      (raw) => delete raw.a,
      '{\n  // note\n  b: 1\n}\n',
    ],
    [
      "its line comment keeps a line of its own; what followed on that line keeps its own spacing",
      '{\n  a: [ // note\n  ], /* b */ b: 1\n}\n',
      (raw) => delete raw.a,
      '{\n  // note\n  /* b */ b: 1\n}\n',
    ],
    [
      'two neighbours over lines: their line comments stay, each on its line at their indentation',
      '{\n  a: 1, // one\n  b: 2, // two\n  c: 3\n}\n',
      (raw) => {
        delete raw.a;
        delete raw.b;
      },
      '{\n  // one\n  // two\n  c: 3\n}\n',
    ],
    [
      'two neighbours on one line: their block comments stay on it, a space apart',
      '{ a: /* x */ 1, b: /* y */ 2, c: 3 }',
      (raw) => {
        delete raw.a;
        delete raw.b;
      },
      '{ /* x */ /* y */ c: 3 }',
    ],
    ['the last key after a block comment on its line: the comment keeps its space', '{\n  a: 1, /*c*/ b: 2\n}\n', (raw) => delete raw.b, '{\n  a: 1 /*c*/\n}\n'],
    ['the last item of a padded list: the padding stays', '{ l: [ 1, 2 ] }', (raw) => (raw.l = [1]), '{ l: [ 1 ] }'],
    ['the last item before a comment: the comment takes its place', '{ l: [ true, true /* k */ ] }', (raw) => (raw.l = [true]), '{ l: [ true /* k */ ] }'],
    ['an item glued to the comma before it: the blanks after it go with it', '{ l: [1,2 /* k */] }', (raw) => (raw.l = [1]), '{ l: [1/* k */] }'],
    ['the only key, with a comment after it: the comment stays inside the braces, padded', '{ "a": 6 /* k */ }', (raw) => delete raw.a, '{ /* k */ }'],
    ['every item of a list, with a comment among them: the comment stays inside the brackets', '{ l: [1, /* none */ 2] }', (raw) => (raw.l = []), '{ l: [/* none */] }'],
    [
      'every key, on one line: the braces close up',
      '{ a: 1, b: 2 }',
      (raw) => {
        delete raw.a;
        delete raw.b;
      },
      '{}',
    ],
  ]);
});

describe('a value replaced by one of another kind', () => {
  expectEdits([
    [
      'a list over lines, on a line another key starts, replaced by an object: the object goes over lines too',
      '{\n  a: 1, b: [\n    1\n  ]\n}\n',
      (raw) => (raw.b = { c: 1 }),
      '{\n  a: 1, b: {\n    c: 1\n  }\n}\n',
    ],
    ["a string keeps its own quotes, though most of the file's strings are in the others", "{ a: 'x', b: \"y\", c: \"z\" }", (raw) => (raw.a = 'w'), "{ a: 'w', b: \"y\", c: \"z\" }"],
    ['a list holding a block comment, on a line it does not start: the comment goes before its key, a space apart', '{ a: 1, b: [ /* k */ 2 ] }', (raw) => (raw.b = 3), '{ a: 1, /* k */ b: 3 }'],
  ]);
});

describe('an empty container filled', () => {
  expectEdits([
    ['a one-line file after a comment line: the key goes on the one line', '// my config\n{}\n', (raw) => (raw.a = 1), '// my config\n{ "a": 1 }\n'],
    [
      'an object whose only key went over lines, refilled: its closing brace on a line of its own',
      '{ a: [\n  1\n] }\n',
      (raw) => {
        delete raw.a;
        raw.b = 1;
      },
      '{\n  b: 1\n}\n',
    ],
    [
      'in a file of one-line lists: an object over lines, a list of scalars on one line',
      "{\n  a: ['x'],\n  b: {},\n  c: []\n}\n",
      (raw) => {
        raw.b.k = 1;
        raw.c = [1, 2];
      },
      "{\n  a: ['x'],\n  b: {\n    k: 1\n  },\n  c: [1, 2]\n}\n",
    ],
    [
      'in a file of one-line lists: a list holding an object goes over lines',
      "{\n  a: ['x'],\n  b: []\n}\n",
      (raw) => (raw.b = [1, { c: 1 }]),
      "{\n  a: ['x'],\n  b: [\n    1,\n    {\n      c: 1\n    }\n  ]\n}\n",
    ],
    ['a one-line object holding a comment: the key after the comment, the spaces kept', '{ /* b */ }', (raw) => (raw.a = []), '{ /* b */ "a": [] }'],
    ['a padded empty object inside another: the space after it stays', '{ a: { } }', (raw) => (raw.a.b = 1), '{ a: { b: 1 } }'],
    ['a one-line file: a nested object on the one line', '{ a: {} }', (raw) => (raw.a.b = { c: 1 }), '{ a: { b: { c: 1 } } }'],
    [
      'a one-line object with a trailing comma, emptied and refilled: the comma kept',
      '{ a: 1, }',
      (raw) => {
        delete raw.a;
        raw.b = 2;
      },
      '{ b: 2, }',
    ],
    [
      'an object emptied and refilled on one line: the comment of the key removed stays',
      '{ a: /* why */ 1 }',
      (raw) => {
        delete raw.a;
        raw.b = 2;
      },
      '{ b: 2 /* why */}',
    ],
    ['an object holding a line comment on its own line: the key at the comment\'s indentation', '{\n  a: {\n  // none yet\n  },\n}\n', (raw) => (raw.a.x = 1), '{\n  a: {\n  // none yet\n  x: 1,\n  },\n}\n'],
    [
      'an object whose line comment follows its brace: keys one level in',
      '{ // settings\n  "a": 1\n}\n',
      (raw) => {
        delete raw.a;
        raw.b = 2;
      },
      '{ // settings\n  "b": 2\n}\n',
    ],
    ['a list that never had items, in a file with trailing commas: its item gets one', '{\n  a: [\n  ],\n  b: 1,\n}\n', (raw) => (raw.a = [8]), '{\n  a: [\n    8,\n  ],\n  b: 1,\n}\n'],
    ['a list followed by a comment, filled over lines: the comment keeps its space', '{\n  a: [] // x\n}\n', (raw) => (raw.a = [[]]), '{\n  a: [\n    []\n  ] // x\n}\n'],
  ]);
});

describe('indentation: the blanks that start a line', () => {
  expectEdits([
    [
      'keys removed from the lines above: the key added after the one left has its indentation',
      '{\n  a: 1,\n  b: 2,\n  c: 3\n}\n',
      (raw) => {
        delete raw.a;
        delete raw.b;
        raw.d = 4;
      },
      '{\n  c: 3,\n  d: 4\n}\n',
    ],
    ['a U+FEFF inside the blanks ends the indentation', '{\n  \ufeff  a: 1\n}\n', (raw) => (raw.b = 2), '{\n  \ufeff  a: 1,\n  b: 2\n}\n'],
    ['the blanks after a BOM are the first line\'s indentation', '\ufeff  {\n}\n', (raw) => (raw.a = 1), '\ufeff  {\n    "a": 1\n}\n'],
    ['a first key on the brace\'s line has no indentation: the unit is two spaces', '{ a: 1,\n  b: 2\n}\n', (raw) => (raw.c = { d: 1 }), '{ a: 1,\n  b: 2,\n  c: {\n    d: 1\n  }\n}\n'],
  ]);
});

describe('new values rendered', () => {
  expectEdits([
    ['an empty list is [] in a file over lines', '{\n}\n', (raw) => (raw.a = []), '{\n  "a": []\n}\n'],
    ['in a file of one-line lists, a new list holding an object goes over lines', "{\n  a: ['x'],\n}\n", (raw) => (raw.b = [1, { c: 1 }]), "{\n  a: ['x'],\n  b: [\n    1,\n    {\n      c: 1,\n    },\n  ],\n}\n"],
    ['a one-line file: nested lists and objects on the one line', '{ a: 1 }', (raw) => (raw.b = [[1, 2], { c: 1 }]), '{ a: 1, b: [[1, 2], { c: 1 }] }'],
  ]);

  it('a key whose value is undefined is no key: a new object leaves it out, and it is never added', () => {
    expect(editConfig('{ a: 1 }', { a: 1, b: { c: 1, d: undefined }, e: undefined })).toEqual({ text: '{ a: 1, b: { c: 1 } }', outcome: 'edited' });
    // Keys out of the file's order: the added ones are looked for among all the wanted keys.
    expect(editConfig('{ b: 1, a: 1 }', { a: 1, b: 1, c: undefined })).toEqual({ text: '{ b: 1, a: 1 }', outcome: 'edited' });
  });

  it('a new key is written bare only when it is a name, else quoted', async () => {
    // A module of its own: the pattern that tells a name is built when the module loads.
    vi.resetModules();
    const fresh = await import('../../src/core/config/edit');
    const wanted = { a: 1, ab: 2, x_1: 3, $ref: 4, 'a-b': 5, '1a': 6, 'a b': 7 };
    expect(fresh.editConfig('{ a: 1 }', wanted)).toEqual({ text: '{ a: 1, ab: 2, x_1: 3, $ref: 4, "a-b": 5, "1a": 6, "a b": 7 }', outcome: 'edited' });
  });

  it('refuses a value JSON5 cannot hold, by its type, rather than write it', () => {
    expect(() => editConfig('{ a: 1 }', { a: 1n })).toThrow('a config value cannot be bigint');
  });
});

describe("the file's style, learnt from the file as read", () => {
  expectEdits([
    ['keys with a space before the colon are keys: new keys in their quotes', "{ 'a' : 1 }", (raw) => (raw.b = 2), "{ 'a' : 1, 'b': 2 }"],
    ['values that are words (true, null) teach no quote: a new string in double quotes', '{ a: true, b: null }', (raw) => (raw.c = 'x'), '{ a: true, b: null, c: "x" }'],
    ['string values in double quotes, keys in single: a new value in double quotes', "{ 'a': \"x\" }", (raw) => (raw.b = 'y'), "{ 'a': \"x\", 'b': \"y\" }"],
    ['empty containers teach no padding', '{a: 1, b: [ ], c: { }}', (raw) => (raw.d = { e: 1 }), '{a: 1, b: [ ], c: { }, d: {e: 1}}'],
    ['an empty file object over lines: double-quoted keys, two spaces', '{\n}\n', (raw) => (raw.a = { b: 1 }), '{\n  "a": {\n    "b": 1\n  }\n}\n'],
    [
      'an empty file object whose closing brace is indented: no key teaches the indentation, two spaces',
      '{\n    }\n',
      (raw) => (raw.a = { b: 1 }),
      '{\n  "a": {\n    "b": 1\n  }\n    }\n',
    ],
  ]);
});
