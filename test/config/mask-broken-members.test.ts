/**
 * Broken config text around a masked key (a comment between a key and its colon, a quote
 * left open, a member with junk before its colon, comments inside comments): the token and
 * every command argument stay hidden, and the words that are no secret stay as they are.
 */
import { describe, expect, it } from 'vitest';
import { fingerprint, maskConfigLines } from '../../src/core/config/secrets';

const hidden = (text: string) => `‹${text.length} characters hidden, #${fingerprint(text)}›`;
const mask = (text: string) => maskConfigLines(text.split('\n')).join('\n');

describe('a comment between a key and its colon', () => {
  it('a token whose colon follows a comment ending with "url:" is hidden as a token: its URL host does not show', () => {
    expect(mask('token/* url: */: "https://example.com/K1SECRET"')).toBe(`token/* url: */: "${hidden('https://example.com/K1SECRET')}"`);
  });

  it("a command whose colon follows a comment ending with the token's key and colon is hidden whole", () => {
    expect(mask('command/* token: */: "K1SECRET"')).toBe(`command/* token: */: "${hidden('K1SECRET')}"`);
  });

  it('a key right after a comment that names the token is shown as it is', () => {
    expect(mask('/* token */token : "K1SECRET"')).toBe(`/* token */token : "${hidden('K1SECRET')}"`);
  });
});

describe("after a token's value, a comment that names the token", () => {
  it('a word after it is shown as it is', () => {
    expect(mask('token: K1SECRET /* token */ note')).toBe(`token: ${hidden('K1SECRET')} /* token */ note`);
  });

  it('a string after it that starts with a colon (a quote out of place) is read as its colon and value: the value is hidden', () => {
    expect(mask('token: K1SECRET /* token */ ": K2SECRET"')).toBe(`token: ${hidden('K1SECRET')} /* token */ ": ${hidden('K2SECRET')}"`);
  });
});

describe('a quote left open in a value', () => {
  it('the token key it swallows at the end of its line names the next line as the token', () => {
    expect(mask('command: "x token:\n"K1SECRET"')).toBe(`command: "x ${hidden('token:')}\n"${hidden('K1SECRET')}"`);
  });
});

describe('a masked key followed by junk before its colon', () => {
  it('its member is hidden to its end, a list in it included, and the next member is shown', () => {
    expect(mask('token junk: [a, b, K1SECRET], c: x')).toBe(`token ${hidden('junk')}: [${hidden('a')}, ${hidden('b')}, ${hidden('K1SECRET')}], c: x`);
  });
});

describe("a comment inside a token's value", () => {
  it("that ends with the token's key and colon: a key after it is hidden too (it may be the token a stray colon follows)", () => {
    expect(mask('token: [/* x token: */ "K1SECRET": 1]')).toBe(`token: [/* x token: */ "${hidden('K1SECRET')}": ${hidden('1')}]`);
  });
});

describe('comments inside comments', () => {
  it('a commented-out token list whose inner comment ends with the token key: the next line is the token, hidden', () => {
    expect(mask('// token: [ // token:\n"K1SECRET"')).toBe(`// token: [ // token:\n"${hidden('K1SECRET')}"`);
  });

  it('a commented-out token with junk before its colon is hidden', () => {
    expect(mask('// token junk: K1SECRET')).toBe(`// token ${hidden('junk')}: ${hidden('K1SECRET')}`);
  });

  it('prose naming the token, with no colon in its member, is shown as it is', () => {
    expect(mask('// the token is here, see: x')).toBe('// the token is here, see: x');
  });

  it('a string holding a colon inside 8 nested comments is hidden whole', () => {
    expect(mask('// // // // // // // // "a: K1SECRET"')).toBe(`// // // // // // // // "${hidden('a: K1SECRET')}"`);
  });
});
