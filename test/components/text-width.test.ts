/**
 * The widths components/text-width.ts gives without string-width are string-width's own, for
 * every copy of string-width Ink's packages import (the build puts it in front of each).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SIMPLE_RANGES, simpleWidth } from '../../components/text-width';

type StringWidth = (text: string, options?: { ambiguousIsNarrow?: boolean }) => number;

/** Each copy of string-width that Ink and the packages it draws with resolve. */
async function copies(): Promise<Map<string, StringWidth>> {
  const root = path.resolve(__dirname, '../..');
  const found = new Map<string, StringWidth>();
  for (const pkg of ['ink', 'widest-line', 'cli-truncate', 'wrap-ansi']) {
    const from = createRequire(path.join(root, 'node_modules', pkg, 'package.json'));
    const file = from.resolve('string-width');
    if (!found.has(file)) found.set(file, ((await import(pathToFileURL(file).href)) as { default: StringWidth }).default);
  }
  return found;
}

describe('simpleWidth', () => {
  it('gives each character of its ranges the width every copy of string-width gives it, and each is a grapheme of its own', async () => {
    const segmenter = new Intl.Segmenter();
    const widths = await copies();
    expect(widths.size).toBeGreaterThanOrEqual(1);
    for (const [file, stringWidth] of widths) {
      const wrong: string[] = [];
      for (const [from, to] of SIMPLE_RANGES) {
        for (let unit = from; unit <= to; unit++) {
          const c = String.fromCharCode(unit);
          const framed = `a${c}a`;
          if (simpleWidth(c) !== 1 || stringWidth(c) !== 1 || stringWidth(framed) !== 3 || [...segmenter.segment(framed)].length !== 3) wrong.push(`U+${unit.toString(16)} (${file})`);
        }
      }
      expect(wrong).toEqual([]);
    }
  });

  it("measures the words top draws as string-width does, and leaves to it what its ranges do not hold", async () => {
    const [stringWidth] = [...(await copies()).values()];
    for (const line of ['› main     main    18789  up · pid 4242 · 5m', '  host 18789 ███████····▒▒▒ 19899', '↑↓ select  Enter info', '✘ main: stopped in 80 ms', 'CDP range 18800–18899', '']) {
      expect(simpleWidth(line)).toBe(stringWidth!(line));
    }
    // An escape, an emoji, a wide character, a combining mark, a character beyond the BMP, a soft hyphen: string-width's to measure.
    for (const text of ['\u001b[1mbold\u001b[22m', 'ok ✅', '✔ done', '© 2026', '端口', 'e\u0301', '𝐀', 'soft\u00adhyphen', 'tab\there']) expect(simpleWidth(text)).toBeUndefined();
    // Ambiguous characters wide, on request: string-width's to measure.
    expect(simpleWidth('·', { ambiguousIsNarrow: false })).toBeUndefined();
    expect(simpleWidth(42)).toBeUndefined();
  });
});
