import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { requestToken, tokenMatches } from '../../src/gateway/auth';
import { answer, MESSAGE_LIMITS, nestsDeeperThan } from '../../src/gateway/ws';
import { healthReport } from '../../src/core/gateway/health';

// The real timingSafeEqual, watched: the token check must decide through it. auth.ts loads
// node:crypto when it first checks a token, so the watch is on the module object itself.
const timingSafeEqual = vi.spyOn(createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'), 'timingSafeEqual');

describe('requestToken', () => {
  it('reads a Bearer header first, then ?token=', () => {
    expect(requestToken({ authorization: 'Bearer abc' }, '/ws')).toBe('abc');
    expect(requestToken({ authorization: 'bearer  abc ' }, '/ws')).toBe('abc');
    expect(requestToken({}, '/ws?token=xyz&a=1')).toBe('xyz');
    expect(requestToken({ authorization: 'Bearer abc' }, '/ws?token=xyz')).toBe('abc');
  });

  it('has no token for other schemes or none at all', () => {
    expect(requestToken({ authorization: 'Basic YTpi' }, '/ws?token=xyz')).toBeNull();
    expect(requestToken({}, '/ws')).toBeNull();
    expect(requestToken({}, undefined)).toBeNull();
  });
});

describe('tokenMatches', () => {
  it('matches only the exact token, whatever the lengths', () => {
    const token = 'a'.repeat(32);
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token + 'a', token)).toBe(false);
    expect(tokenMatches('a', token)).toBe(false);
    expect(tokenMatches('', token)).toBe(false);
    expect(tokenMatches(null, token)).toBe(false);
    expect(tokenMatches('', '')).toBe(false);
  });

  it('compares every given token with crypto.timingSafeEqual, on two 32-byte digests, whatever its length or content', () => {
    const token = 'k'.repeat(32);
    const given: [string, boolean][] = [
      [token, true],
      [token + 'k', false],
      ['k', false],
      ['', false],
      ['x' + token.slice(1), false],
      [token.slice(0, -1) + 'x', false],
      ['Z'.repeat(500), false],
    ];
    for (const [candidate, matches] of given) {
      timingSafeEqual.mockClear();
      expect(tokenMatches(candidate, token), candidate).toBe(matches);
      // No early return on a length or a first differing byte: one constant-time compare, always.
      expect(timingSafeEqual, candidate).toHaveBeenCalledTimes(1);
      const [a, b] = timingSafeEqual.mock.calls[0]! as [Buffer, Buffer];
      expect([a.length, b.length]).toEqual([32, 32]);
    }
  });

  it('answers what timingSafeEqual answers', () => {
    timingSafeEqual.mockReturnValueOnce(true);
    expect(tokenMatches('wrong', 'k'.repeat(32))).toBe(true);
    timingSafeEqual.mockReturnValueOnce(false);
    expect(tokenMatches('k'.repeat(32), 'k'.repeat(32))).toBe(false);
  });
});

describe('WebSocket answers', () => {
  const status = () => healthReport({ label: 'main', pid: 42, startedAt: 1000, ports: { gateway: 21000, browserControl: 21002, canvas: 21004, cdp: { from: 21011, to: 21110 } } }, 3000);

  it('answers a status request with the health report, echoing the id', () => {
    expect(answer('{"type":"status","id":7}', status)).toEqual({ type: 'status', id: 7, health: expect.objectContaining({ profile: 'main', pid: 42, uptimeMs: 2000 }) });
  });

  it('says what it knows for anything else', () => {
    expect(answer('nope', status)).toEqual({ type: 'error', error: expect.stringContaining('JSON') });
    expect(answer('{"type":"reboot"}', status)).toEqual({ type: 'error', error: 'unknown request type "reboot"; known: "status"' });
    expect(answer('null', status)).toMatchObject({ type: 'error' });
  });

  it('echoes only an id that is a number or a short string, and never a long or nested type', () => {
    expect(answer(JSON.stringify({ type: 'status', id: 'x'.repeat(MESSAGE_LIMITS.maxIdLength) }), status)).toMatchObject({ type: 'status' });
    for (const id of ['x'.repeat(MESSAGE_LIMITS.maxIdLength + 1), [1], { a: 1 }, null, true]) {
      expect(answer(JSON.stringify({ type: 'status', id }), status)).toEqual({ type: 'error', error: 'id must be a string of at most 128 characters or a number' });
    }
    expect(answer(JSON.stringify({ type: 'x'.repeat(1000) }), status).error).toBe('unknown request type a long string; known: "status"');
    expect(answer(JSON.stringify({ type: { deep: [1] } }), status).error).toBe('unknown request type an object; known: "status"');
    expect(answer(JSON.stringify({ type: '\u001b[2J' }), status).error).toBe('unknown request type "\\e[2J"; known: "status"');
    expect(answer('[{"type":"status"}]', status)).toMatchObject({ type: 'error', error: expect.stringContaining('JSON object') });
  });

  it('refuses JSON nested deeper than the limit before parsing it, even 100 000 deep', () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    expect(answer(`{"type":"status","id":${nested(100_000)}}`, status)).toEqual({ type: 'error', error: 'messages may not be nested deeper than 32 levels' });
    expect(nestsDeeperThan(nested(32), 32)).toBe(false);
    expect(nestsDeeperThan(nested(33), 32)).toBe(true);
    expect(nestsDeeperThan(`["${'['.repeat(100)}", "\\\"[[[["]`, 1)).toBe(false);
    expect(nestsDeeperThan('{"a":{"b":{"c":1}}}', 2)).toBe(true);
  });
});
