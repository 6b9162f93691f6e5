import { describe, expect, it } from 'vitest';
import { withoutFetch } from '../../src/ui/ink-load';

describe('withoutFetch: Ink loads without the global fetch (yoga would load undici through it)', () => {
  it('hides fetch while the chunk loads and puts the same one back, also when loading fails', async () => {
    const before = globalThis.fetch;
    expect(typeof before).toBe('function');
    const seen = await withoutFetch(async () => typeof globalThis.fetch);
    expect(seen).toBe('undefined');
    expect(globalThis.fetch).toBe(before);
    await expect(withoutFetch(async () => { throw new Error('chunk failed'); })).rejects.toThrow('chunk failed');
    expect(globalThis.fetch).toBe(before);
  });

  it('the real Ink layout engine loads and lays out with no fetch', async () => {
    const { Box, Text, render } = await withoutFetch(() => import('ink'));
    expect(typeof render).toBe('function');
    expect(Box).toBeDefined();
    expect(Text).toBeDefined();
  });
});
