/**
 * The width string-width gives a string, for the strings that need none of its machinery:
 * every UTF-16 unit one of the characters below, each one column wide and a grapheme of its
 * own to every copy of string-width (7 calls '©' or '✔' an emoji, 8 does not). Ink measures
 * every string it draws with string-width, whose first string beyond ASCII compiles its emoji
 * expression (~45 ms of `top`'s and `onboard`'s first frame, for a '›' or a '·'). The build
 * (scripts/build.mjs) puts this in front of each copy of string-width Ink's packages import;
 * anything else (an escape, an emoji, a combining mark, CJK) is undefined here and measured
 * by string-width itself. test/components/text-width.test.ts checks every character below
 * against each of those copies.
 */
export const SIMPLE_RANGES: readonly (readonly [number, number])[] = [
  [0x20, 0x7e], // ASCII
  // Latin-1 and on up to the combining marks, without '©', '®' (an emoji to string-width 7) and the soft hyphen (zero wide)
  [0xa0, 0xa8],
  [0xaa, 0xac],
  [0xaf, 0x2ff],
  // Punctuation: dashes, quotes, bullets, '…', '›', without '‼' and '⁉' (emoji)
  [0x2010, 0x2027],
  [0x2030, 0x203b],
  [0x203d, 0x2048],
  [0x204a, 0x205e],
  // Arrows ('↑', '↓'), without the ones that are emoji too
  [0x2190, 0x2193],
  [0x219a, 0x21a8],
  [0x21ab, 0x21ff],
  // Box drawing, blocks ('█', '▒'), geometric shapes, without the emoji among them
  [0x2500, 0x25a9],
  [0x25ac, 0x25b5],
  [0x25b7, 0x25bf],
  [0x25c1, 0x25fa],
  // Dingbats: '✘' and its neighbours that no copy calls an emoji ('✔', '✖' and '⚠' are, to string-width 7)
  [0x2717, 0x271c],
];

function simple(unit: number): boolean {
  for (const [from, to] of SIMPLE_RANGES) {
    if (unit < from) return false;
    if (unit <= to) return true;
  }
  return false;
}

/** Its width when every unit is one of SIMPLE_RANGES (and the options are string-width's defaults); else undefined. */
export function simpleWidth(text: unknown, options?: { ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean }): number | undefined {
  if (typeof text !== 'string' || options?.ambiguousIsNarrow === false) return undefined;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit <= 0x7e) continue;
    if (!simple(unit)) return undefined;
  }
  return text.length;
}
