/**
 * A token of the wrong kind is a secret all the same (hostile pass): a list, an object or a
 * number under `token` printed in clear in config set's refusal and in doctor --fix's diff.
 */
import { describe, expect, it } from 'vitest';
import { fingerprint, maskConfigLines, maskValue, maskValueAt } from '../../src/core/config/secrets';

const hidden = (text: string) => `‹${text.length} characters hidden, #${fingerprint(text)}›`;
const SECRET = 'abcdefghijklmnopqrstuvwxyz';

describe('a token value of any kind, as config set and config get show it', () => {
  it('hides list items, object values and numbers, at any depth; true, false and null are no secret', () => {
    expect(maskValueAt([SECRET], ['gateway', 'auth', 'token'])).toEqual([hidden(SECRET)]);
    expect(maskValueAt({ a: SECRET, b: [SECRET, 7] }, ['gateway', 'auth', 'token'])).toEqual({ a: hidden(SECRET), b: [hidden(SECRET), hidden('7')] });
    expect(maskValueAt(1234567890123456789, ['gateway', 'auth', 'token'])).toBe(hidden(String(1234567890123456789)));
    expect(maskValue({ auth: { token: [SECRET] } }, 'gateway')).toEqual({ auth: { token: [hidden(SECRET)] } });
    expect(maskValue({ token: 12345 }, 'auth')).toEqual({ token: hidden('12345') });
    expect(maskValue({ token: null }, 'auth')).toEqual({ token: null });
    expect(maskValueAt(true, ['gateway', 'auth', 'token'])).toBe(true);
  });
});

describe('a token value of any kind in config text (set, doctor --fix and rollback diffs)', () => {
  it('hides a number', () => {
    expect(maskConfigLines(['      "token": 12345678901234567000', '  token: -0x1F, port: 18789'])).toEqual([
      `      "token": ${hidden('12345678901234567000')}`,
      `  token: ${hidden('-0x1F')}, port: 18789`,
    ]);
  });

  it('hides the items of a list and the values of an object, on one line or over several; the rest of the file is kept', () => {
    expect(maskConfigLines([`auth: { token: ["${SECRET}", 42] }, port: 18789`])).toEqual([`auth: { token: ["${hidden(SECRET)}", ${hidden('42')}] }, port: 18789`]);
    expect(maskConfigLines(['      "token": [', `        "${SECRET}"`, '      ]', '    },', '    "port": 18789'])).toEqual([
      '      "token": [',
      `        "${hidden(SECRET)}"`,
      '      ]',
      '    },',
      '    "port": 18789',
    ]);
    expect(maskConfigLines(['"token": {', `  "a": "${SECRET}",`, `  b: { c: ['${SECRET}'] }`, '}, other: "kept", n: 5'])).toEqual([
      '"token": {',
      `  "a": "${hidden(SECRET)}",`,
      `  b: { c: ['${hidden(SECRET)}'] }`,
      '}, other: "kept", n: 5',
    ]);
  });

  it('a string token is still masked once, as before', () => {
    expect(maskConfigLines([`token: "${SECRET}"`])).toEqual([`token: "${hidden(SECRET)}"`]);
  });
});
