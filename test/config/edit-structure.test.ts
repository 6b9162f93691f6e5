/**
 * The editor's outcomes, its read-back (the slow tree walk and the shortcut past untouched
 * containers) and how it removes, adds and pairs the members of objects and lists: exact
 * texts for small JSON5 files. Written for the mutation survivors of src/core/config/edit.ts
 * (its lines 1–290); each test states what the editor does, not what a mutant breaks.
 */
import JSON5 from 'json5';
import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { editConfig, readsAs, readsAsByTree, untouched } from '../../src/core/config/edit';
import { serializeConfig } from '../../src/core/config/parse';
import { parseToward, tokenize, type Tokens } from '../../src/core/config/syntax';

type Raw = Record<string, unknown>;

/** The edit of `text` into `wanted`: it must keep the file's layout and read back as `wanted`. */
function edit(text: string, wanted: Raw): string {
  const { text: out, outcome } = editConfig(text, wanted);
  expect(outcome, out).toBe('edited');
  expect(isDeepStrictEqual({ ...(JSON5.parse(out) as Raw) }, JSON5.parse(JSON5.stringify(wanted))), out).toBe(true);
  return out;
}

describe('what editConfig says of the text it gives', () => {
  it('a new file, a file that does not parse, and a file that already says it all', () => {
    expect(editConfig(null, { a: 1 })).toEqual({ text: serializeConfig({ a: 1 }), outcome: 'new-file' });
    expect(editConfig('{a: 1', { a: 1 })).toEqual({ text: serializeConfig({ a: 1 }), outcome: 'unparseable' });
    // Nothing to change: the very text, as an edit (the store then writes nothing).
    expect(editConfig('{ a: 1, /* kept */ }', { a: 1 })).toEqual({ text: '{ a: 1, /* kept */ }', outcome: 'edited' });
  });

  describe('an edit whose read-back fails', () => {
    afterEach(() => {
      vi.doUnmock('../../src/core/config/syntax');
      vi.resetModules();
    });

    it('is written as fresh JSON, never as a layout that may have lost a setting', async () => {
      // Readers that refuse every text stand for an edit that went wrong.
      vi.resetModules();
      vi.doMock('../../src/core/config/syntax', async (original) => ({ ...(await original<object>()), matchEdited: () => false, matchText: () => false }));
      const fresh = await import('../../src/core/config/edit');
      expect(fresh.editConfig('{ a: 1, // note\n}', { a: 2 })).toEqual({ text: serializeConfig({ a: 2 }), outcome: 'read-back-failed' });
    });
  });
});

describe('the read-back the slow way (readsAsByTree)', () => {
  it('says yes for the value the text stands for, equal keys read as the last one', () => {
    expect(readsAsByTree('{a: 1, b: [1, "x"], c: {d: null}, e: {}}', { a: 1, b: [1, 'x'], c: { d: null }, e: {} })).toBe(true);
    expect(readsAsByTree('{a: 1, a: 2}', { a: 2 })).toBe(true);
  });

  it('says no to a text that does not parse', () => {
    expect(readsAsByTree('{a: 1', { a: 1 })).toBe(false);
  });

  it('says no to another scalar, and to a scalar where a list or an object is wanted', () => {
    expect(readsAsByTree('{a: 1}', { a: 2 })).toBe(false);
    expect(readsAsByTree('{a: 1}', { a: [1] })).toBe(false);
  });

  it('says no to a list of another length, with another item, or where text is wanted', () => {
    expect(readsAsByTree('{a: [1]}', { a: [1, 2] })).toBe(false);
    expect(readsAsByTree('{a: [1, 2]}', { a: [1, 3] })).toBe(false);
    expect(readsAsByTree('{a: [2, 1]}', { a: [1, 1] })).toBe(false);
    expect(readsAsByTree('{a: ["x"]}', { a: 'x' })).toBe(false);
  });

  it('says no to an object where a list is wanted, to a missing key and to an extra one', () => {
    expect(readsAsByTree('{a: {}}', { a: [] })).toBe(false);
    expect(readsAsByTree('{a: 1}', { a: 1, b: 2 })).toBe(false);
    expect(readsAsByTree('{a: 1, b: 2}', { a: 1 })).toBe(false);
  });
});

describe('the read-back shortcut past untouched containers (untouched)', () => {
  const A = { x: 1 };

  /** `text` parsed toward `wanted`, the given tokens then edited as an editor would, and the shortcut over that edit. */
  function after(text: string, wanted: Raw, edits: [at: number, text: string][]) {
    const parsed = parseToward(text, wanted)!;
    const { tokens } = parsed.doc;
    for (const [at, replacement] of edits) tokens.setText(tokenStartingAt(tokens, at), replacement);
    return { known: untouched(parsed.doc, parsed.verified), printed: tokens.print() };
  }

  /** What the shortcut answers for the container that starts at character `at` of `text`, wanted as `value`. */
  function vouch(known: ReturnType<typeof untouched>, text: string, at: number, value: unknown): number {
    const tokens = tokenize(text);
    return known(tokens, tokenStartingAt(tokens, at), value);
  }

  it('passes by a verified container before the edit: the index of the token after its "}"', () => {
    const { known, printed } = after('{a: {x: 1}, b: 0}', { a: A, b: 0 }, [[15, '1']]);
    expect(printed).toBe('{a: {x: 1}, b: 1}');
    expect(vouch(known, printed, 4, A)).toBe(tokenStartingAt(tokenize(printed), 10));
  });

  it('passes by a verified container after an edit that made the text longer', () => {
    const { known, printed } = after('{b: 0, a: {x: 1}}', { b: 0, a: A }, [[4, '10']]);
    expect(printed).toBe('{b: 10, a: {x: 1}}');
    expect(vouch(known, printed, 11, A)).toBe(tokenStartingAt(tokenize(printed), 17));
  });

  it('passes by a container after two edits, the second one shorter', () => {
    const { known, printed } = after('{b: 0, c: 222, a: {x: 1}}', { b: 0, c: 222, a: A }, [[4, '10'], [10, '3']]);
    expect(printed).toBe('{b: 10, c: 3, a: {x: 1}}');
    expect(vouch(known, printed, 17, A)).toBe(tokenStartingAt(tokenize(printed), 23));
  });

  it('never vouches for an edit\'s own text, even where it repeats a verified container\'s shape', () => {
    const { known, printed } = after('{b: 0, a: {x: 1}}', { b: 0, a: A }, [[4, '1, c: {x: 2}']]);
    expect(printed).toBe('{b: 1, c: {x: 2}, a: {x: 1}}');
    expect(vouch(known, printed, 10, A)).toBe(-1);
    expect(readsAs(printed, { b: 1, c: A, a: A }, known)).toBe(false);
  });

  it('reads a verified container in full when an edit changed a token inside it, its first key or its closing bracket', () => {
    for (const [at, replacement, printed] of [
      [8, '2', '{a: {x: 2}}'],
      [5, 'y', '{a: {y: 1}}'],
      [9, '}, b: 2', '{a: {x: 1}, b: 2}'],
    ] as const) {
      const edited = after('{a: {x: 1}}', { a: A }, [[at, replacement]]);
      expect(edited.printed).toBe(printed);
      expect(vouch(edited.known, printed, 4, A), printed).toBe(-1);
    }
    const wrong = after('{a: {x: 1}}', { a: A }, [[8, '2']]);
    expect(readsAs(wrong.printed, { a: A }, wrong.known)).toBe(false);
  });

  it('vouches only for the very part it was verified for, not an equal or another value', () => {
    const { known, printed } = after('{a: {x: 1}, b: 0}', { a: A, b: 0 }, [[15, '1']]);
    expect(vouch(known, printed, 4, { x: 1 })).toBe(-1);
    expect(vouch(known, printed, 4, { x: 2 })).toBe(-1);
    expect(readsAs(printed, { a: { x: 2 }, b: 1 }, known)).toBe(false);
  });

  it('reads in full a container whose characters are not the verified ones any more (a longer number, a bracket moved)', () => {
    const { known } = after('{a: {x: 1}}', { a: A }, []);
    expect(vouch(known, '{a: {x: 12}}', 4, A)).toBe(-1);
    expect(readsAs('{a: {x: 12}}', { a: A }, known)).toBe(false);
    expect(vouch(known, '{a: {x:[1]}', 4, A)).toBe(-1);
    expect(readsAs('{a: {x:[1]}', { a: A }, known)).toBe(false);
  });
});

/** The index of the token that starts at character `at`. */
function tokenStartingAt(tokens: Tokens, at: number): number {
  for (let i = 0; i < tokens.length; i++) if (tokens.starts[i] === at) return i;
  throw new Error(`no token starts at ${at}`);
}

describe('replacing a value by one of another kind', () => {
  it('an object or a list replaced by NaN (which a bracket, read as a number, would also give)', () => {
    expect(edit('{a: {b: 1}, c: [2]}', { a: NaN, c: NaN })).toBe('{a: NaN, c: NaN}');
  });
});

describe('pairing the items of a list', () => {
  it('of two equal items the last one goes: the first keeps its spelling', () => {
    expect(edit("{a: ['x', \"x\"]}", { a: ['x'] })).toBe("{a: ['x']}");
    expect(edit('{a: [1, 1.0]}', { a: [1] })).toBe('{a: [1]}');
  });

  it('an item added after equal ones goes at the end', () => {
    expect(edit('{a: [1, 1.0]}', { a: [1, 1, 1] })).toBe('{a: [1, 1.0, 1]}');
  });

  it('an item replaced and a null removed between them', () => {
    expect(edit('{a: [5, null, 7]}', { a: [3, 7] })).toBe('{a: [3, 7]}');
  });

  it('an item added before an object with a repeated key keeps that object as written', () => {
    expect(edit('{a: [{x: 1, x: 2}]}', { a: [0, { x: 2 }] })).toBe('{a: [0, {x: 1, x: 2}]}');
  });
});

describe('an object the edit passes through', () => {
  it('keeps the blanks of an empty object it changes nothing in', () => {
    expect(edit('{a: 1, b: { }}', { a: 2, b: {} })).toBe('{a: 2, b: { }}');
    // A value built afresh on each read: the parse cannot vouch for the very object, so the editor walks into it.
    const fresh = { a: 2, get b() { return {}; } };
    expect(edit('{a: 1, b: { }}', fresh)).toBe('{a: 2, b: { }}');
  });
});

describe('members into an emptied or empty container', () => {
  it('an empty object filled takes the file\'s trailing commas', () => {
    const text = '{\n  a: {},\n  b: {\n    c: 1,\n  },\n}\n';
    expect(edit(text, { a: { x: 1 }, b: { c: 1 } })).toBe('{\n  a: {\n    x: 1,\n  },\n  b: {\n    c: 1,\n  },\n}\n');
  });

  it('an object whose every key is replaced keeps its own trailing comma, whatever the file does', () => {
    // One container with a trailing comma, one without: the file has no majority either way.
    expect(edit('{\n  a: {\n    x: 1,\n  }\n}\n', { a: { y: 1 } })).toBe('{\n  a: {\n    y: 1,\n  }\n}\n');
    expect(edit('{\n  a: {\n    x: 1\n  },\n}\n', { a: { y: 1 } })).toBe('{\n  a: {\n    y: 1\n  },\n}\n');
  });

  it('an empty object of a file over lines, the file without a final line end, is filled over lines', () => {
    expect(edit('{\n  "a": {}\n}', { a: { b: 1 } })).toBe('{\n  "a": {\n    "b": 1\n  }\n}');
  });
});
