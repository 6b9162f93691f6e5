/**
 * The rules of secrets.ts one at a time, each as a user sees it in a diff or an excerpt: a
 * secret never shown, what is no secret shown as it is, the text around both kept (issue #17:
 * tests that kill the mutants the other masking tests spared).
 */
import { describe, expect, it } from 'vitest';
import { fingerprint, maskConfigLines, maskDiffSides, maskSecrets } from '../../src/core/config/secrets';

const hidden = (text: string) => `‹${text.length} characters hidden, #${fingerprint(text)}›`;

describe('the shape of the text shown', () => {
  it('a text over several lines keeps its lines (a token continued on the next line)', () => {
    expect(maskSecrets('token: "abc\\\ndef"')).toBe(`token: "${hidden('abc\\\ndef')}"\n`);
  });

  it('a side with no text (a file created or deleted) shows no line at all, not an empty one', () => {
    expect(maskDiffSides(null, 'port: 18789')).toEqual([[], ['port: 18789']]);
    expect(maskDiffSides('token: "abcdefgh", port: 18789', null)).toEqual([[`token: "${hidden('abcdefgh')}", port: 18789`], []]);
    expect(maskConfigLines([])).toEqual([]);
  });
});

describe('a copy of a secret elsewhere in the text', () => {
  it('is hidden from 8 characters on; a shorter value may be any word and is left as it is', () => {
    expect(maskConfigLines(['token: "abcdefgh", // was abcdefgh'])).toEqual([`token: "${hidden('abcdefgh')}", // was ${hidden('abcdefgh')}`]);
    expect(maskConfigLines(['token: "abcdefg", // was abcdefg'])).toEqual([`token: "${hidden('abcdefg')}", // was abcdefg`]);
  });
});

describe('the words after a url or command value in a broken file', () => {
  it('are hidden, letters and digits alike; punctuation on its own is shown', () => {
    expect(maskConfigLines(['url: "http://h" abc 1234 =='])).toEqual([`url: "http://h" ${hidden('abc')} ${hidden('1234')} ==`]);
  });

  it('a string run on by a word is hidden whole: its end may be the secret', () => {
    expect(maskConfigLines(['command: "ls -la"SECRETWORD'])).toEqual([`command: ${hidden('"ls -la"SECRETWORD')}`]);
  });

  it('true, false and null as the value are no secret and are shown; a word that only holds one is hidden', () => {
    expect(maskConfigLines(['url: null', 'command: true', 'url: nullx', 'url: xnull'])).toEqual(['url: null', 'command: true', `url: ${hidden('nullx')}`, `url: ${hidden('xnull')}`]);
  });
});

describe('a token list written with a number before a colon (a broken file)', () => {
  it('hides the number too: a number is no key', () => {
    expect(maskConfigLines(['token: [4242: "abcdef"]'])).toEqual([`token: [${hidden('4242')}: "${hidden('abcdef')}"]`]);
  });
});

describe('comments', () => {
  it('a block comment that leaves a string open keeps its closing "*/"', () => {
    expect(maskConfigLines(['/* token: "secret */ port: 1'])).toEqual([`/* token: "${hidden('secret ')}*/ port: 1`]);
  });

  it('a comment nested deeper than 8 comments is hidden whole, the comment marks around it kept', () => {
    expect(maskConfigLines([`${'// '.repeat(10)}token: "abcdefghij"`])).toEqual([`${'// '.repeat(8)}//${hidden(` // token: "abcdefghij"`)}`]);
  });
});

describe('a key name written with escapes right after a brace or a comma (valid JSON5, and JSON)', () => {
  it('is the key it spells: a token written so is hidden (it was shown in clear)', () => {
    expect(maskConfigLines(['{"\\u0074oken": "abcdef"}', '{\\u0074oken: "abcdef"}', '[{a: 1,\\u0074oken: "abcdef"}]'])).toEqual([
      `{"\\u0074oken": "${hidden('abcdef')}"}`,
      `{\\u0074oken: "${hidden('abcdef')}"}`,
      `[{a: 1,\\u0074oken: "${hidden('abcdef')}"}]`,
    ]);
  });
});

describe('a string left open right after a brace (a broken file)', () => {
  it('the key it ends with masks the value on the next line', () => {
    expect(maskConfigLines(['url: {"x token: ', '"qwertyui"'])).toEqual([`url: {"${hidden('x token: ')}`, `"${hidden('qwertyui')}"`]);
  });
});
