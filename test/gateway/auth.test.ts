import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { requestToken, tokenMatches } from '../../src/gateway/auth';
import { answer } from '../../src/gateway/ws';
import { healthReport } from '../../src/gateway/health';

// The real timingSafeEqual, watched: the token check must decide through it.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});
const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);

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
});
