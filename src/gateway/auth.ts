import type { IncomingHttpHeaders } from 'node:http';

/** node:crypto at the first token check, not at start-up: loading it costs a starting gateway a few milliseconds before it can listen. */
const crypto = () => process.getBuiltinModule('node:crypto');

/** The token of a request: "Authorization: Bearer <token>", else ?token= (browsers cannot set headers on a WebSocket). */
export function requestToken(headers: IncomingHttpHeaders, rawUrl: string | undefined): string | null {
  const header = headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1]! : null;
  }
  const query = (rawUrl ?? '').indexOf('?');
  if (query === -1) return null;
  return new URLSearchParams(rawUrl!.slice(query + 1)).get('token');
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function tokenMatches(given: string | null, expected: string): boolean {
  if (given === null || expected === '') return false;
  const { createHash, timingSafeEqual } = crypto();
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
