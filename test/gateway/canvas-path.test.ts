import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canvasPath } from '../../src/gateway/canvas-path';

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

  it('never yields a segment that could leave the folder, whatever the input', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('..', '.', '%2e', '%2E', '%2f', '%5c', '\\', '/', 'a', '%25', '%'), fc.string()), { maxLength: 8 }), (parts) => {
        const result = canvasPath('/' + parts.join(''));
        if (!result.ok) return;
        for (const segment of result.segments) {
          expect(segment.startsWith('.')).toBe(false);
          expect(segment).not.toMatch(/[\\/\0]/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
