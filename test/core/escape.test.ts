import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControl } from '../../src/core/text/escape';

describe('escapeControl', () => {
  it('writes control characters out as escapes and leaves the rest alone', () => {
    expect(escapeControl('\u001b[2J\u001b]0;owned\u0007')).toBe('\\e[2J\\e]0;owned\\x07');
    expect(escapeControl('a\nb\rc\td\u0000e\u007f')).toBe('a\\nb\\rc\\td\\x00e\\x7f');
    // C1: \x9b is a CSI on terminals that read 8-bit controls; U+202E reverses what follows.
    expect(escapeControl('\u009b31m red \u202egnp.exe')).toBe('\\x9b31m red \\u202egnp.exe');
    expect(escapeControl('café — 漢字 ✓ "quoted" \\ back')).toBe('café — 漢字 ✓ "quoted" \\ back');
  });

  it('keeps newlines when asked, for messages of several lines', () => {
    expect(escapeControl('one\ntwo\u001b[31m\r', { keepNewlines: true })).toBe('one\ntwo\\e[31m\\r');
  });

  it('never leaves a control character, whatever the input', () => {
    fc.assert(
      fc.property(
        // Code units from the whole C0/C1 range up past the bidi controls, built directly: fc's 'binary' unit is slow here.
        fc.array(fc.integer({ min: 0, max: 0x206f }), { maxLength: 64 }).map((codes) => String.fromCharCode(...codes)),
        (text) =>
          !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(escapeControl(text)) &&
          escapeControl(text, { keepNewlines: true }).split('\n').length === text.split('\n').length,
      ),
      { seed: 6, numRuns: 200 },
    );
  });
});
