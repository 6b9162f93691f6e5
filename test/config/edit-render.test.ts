/**
 * What the editor writes around what it removes, replaces and adds (edit.ts from
 * removeMembers on: comments kept, blanks tidied, empty containers filled, the file's style
 * learnt and rendered). Each case is one edit of a small JSON5 text, compared as exact text.
 */
import JSON5 from 'json5';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { editConfig } from '../../src/core/config/edit';

type Raw = Record<string, any>;
type Case = [name: string, before: string, change: (raw: Raw) => void, after: string];

/** The text after changing the value the text stands for; it must read back as that value, as an edit. */
function edit(text: string, change: (raw: Raw) => void): string {
  const raw = JSON5.parse(text) as Raw;
  change(raw);
  const { text: out, outcome } = editConfig(text, raw);
  expect(isDeepStrictEqual(JSON5.parse(out), raw), `reads back as the intended config:\n${out}`).toBe(true);
  expect(outcome, out).toBe('edited');
  return out;
}

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
      'two neighbours over lines: their line comments stay, each on its line at their indentation',
      '{\n  a: 1, // one\n  b: 2, // two\n  c: 3\n}\n',
      (raw) => {
        delete raw.a;
        delete raw.b;
      },
      '{\n  // one\n  // two\n  c: 3\n}\n',
    ],
  ]);
});
