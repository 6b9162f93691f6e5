/** The gateway's auth token: one rule for the schema, setup's keep-or-replace and the gateway. Pure. */

export const MIN_TOKEN_LENGTH = 16;
export const MAX_TOKEN_LENGTH = 512;
/** Visible ASCII, no space: the characters a token may hold. */
export const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

export const TOKEN_RULE = `a string of ${MIN_TOKEN_LENGTH} to ${MAX_TOKEN_LENGTH} visible ASCII characters without spaces (as "epiloop setup" writes: 32 random ones)`;

/**
 * Visible ASCII only: a client sends it as "Authorization: Bearer <token>", where a space
 * would end it and a control character or a non-ASCII one is not allowed.
 */
export function isToken(value: unknown): value is string {
  return typeof value === 'string' && value.length >= MIN_TOKEN_LENGTH && value.length <= MAX_TOKEN_LENGTH && TOKEN_CHARACTERS.test(value);
}

/**
 * The first character a token may not hold, as its kind and place ("a space at character 4"),
 * null when there is none. Never the character itself: the rest may be most of a real token.
 */
export function tokenCharacterFault(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x21 && code <= 0x7e) continue;
    const kind = code === 0x20 ? 'a space' : code === 0x09 ? 'a tab' : code === 0x0a || code === 0x0d ? 'a line break' : code > 0x7f ? 'a non-ASCII character' : 'a control character';
    return `${kind} at character ${i + 1}`;
  }
  return null;
}

/**
 * A string named by its length only ("an 11-character string"): a token, valid or not, is
 * never shown. "an" where the number is read with a vowel first: eight…, eleven, eighteen.
 */
export function stringOfLength(length: number): string {
  const digits = String(length);
  // The number is read by groups of three digits: its first group decides the first word.
  const lead = digits.slice(0, digits.length % 3 || 3);
  const vowel = lead.startsWith('8') || lead === '11' || lead === '18';
  return `${vowel ? 'an' : 'a'} ${length}-character string`;
}
