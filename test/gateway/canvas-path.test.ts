import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canvasPath } from '../../src/gateway/canvas-path';
import { runs } from '../helpers/runs';

/**
 * The rule, stated on the decoded path rather than on escapes: the path (before ? or #)
 * starts with "/", every "/"-separated part decodes, and no decoded part starts with "."
 * or holds a slash, a backslash or NUL. Then the segments are the decoded parts.
 */
function rule(url: string): { ok: true; segments: string[] } | { ok: false; status: 400 } {
  const pathPart = url.split(/[?#]/)[0]!;
  if (!pathPart.startsWith('/')) return { ok: false, status: 400 };
  const decoded = pathPart
    .split('/')
    .filter((part) => part !== '')
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return null;
      }
    });
  const allowed = (segment: string | null) => segment !== null && !segment.startsWith('.') && !/[/\\\0]/.test(segment);
  return decoded.every(allowed) ? { ok: true, segments: decoded as string[] } : { ok: false, status: 400 };
}

describe('canvasPath', () => {
  it('gives the decoded segments of an ordinary path', () => {
    expect(canvasPath('/')).toEqual({ ok: true, segments: [] });
    expect(canvasPath('/a/b%20c.html?x=1#top')).toEqual({ ok: true, segments: ['a', 'b c.html'] });
    expect(canvasPath('//a//b')).toEqual({ ok: true, segments: ['a', 'b'] });
  });

  it.each([
    '/../secret',
    '/a/../../secret',
    '/%2e%2e/secret',
    '/%2E%2E/secret',
    '/.%2e/secret',
    '/..%2fsecret',
    '/%2e%2e%2fsecret',
    '/a%2F..%2F..%2Fsecret',
    '/..\\secret',
    '/%5c..%5csecret',
    '/a%00.html',
    '/.hidden',
    '/%',
    'relative',
  ])('refuses %s', (url) => {
    expect(canvasPath(url).ok).toBe(false);
  });

  it('property: answers as the rule says, refusals included: the decoded segments, or 400', () => {
    const piece = fc.oneof(
      fc.constantFrom('..', '.', '%2e', '%2E', '%2f', '%2F', '%5c', '%5C', '%00', '\\', '\0', '/', 'a', '%25', '%', '%zz', '%c0%af', '%e2%82%ac', '?', '#', '.x'),
      fc.string({ maxLength: 4 }),
    );
    const url = fc.tuple(fc.constantFrom('/', '/', '/', '', 'x'), fc.array(piece, { maxLength: 8 })).map(([lead, parts]) => lead + parts.join(''));
    fc.assert(
      fc.property(url, (raw) => {
        expect(canvasPath(raw)).toEqual(expect.objectContaining(rule(raw)));
      }),
      { numRuns: runs(1500) },
    );
  });
});
