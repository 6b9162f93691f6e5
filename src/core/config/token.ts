/** The gateway's auth token: one rule for the schema, setup's keep-or-replace and the gateway. Pure. */

export const MIN_TOKEN_LENGTH = 16;
export const MAX_TOKEN_LENGTH = 512;
/** Visible ASCII, no space: the characters a token may hold. */
export const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

export const TOKEN_RULE = `a string of ${MIN_TOKEN_LENGTH} to ${MAX_TOKEN_LENGTH} visible characters without spaces (as "epiloop setup" writes: 32 random ones)`;

/**
 * Visible ASCII only: a client sends it as "Authorization: Bearer <token>", where a space
 * would end it and a control character or a non-ASCII one is not allowed.
 */
export function isToken(value: unknown): value is string {
  return typeof value === 'string' && value.length >= MIN_TOKEN_LENGTH && value.length <= MAX_TOKEN_LENGTH && TOKEN_CHARACTERS.test(value);
}
