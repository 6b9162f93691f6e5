import { describe, expect, it } from 'vitest';
import { requestToken, tokenMatches } from '../../src/gateway/auth';
import { answer } from '../../src/gateway/ws';
import { healthReport } from '../../src/core/gateway/health';

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
