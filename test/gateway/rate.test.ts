import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../src/gateway/rate';

describe('createTokenBucket', () => {
  it('allows a burst, then the sustained rate, and refills with time', () => {
    let now = 0;
    const bucket = createTokenBucket({ perSecond: 10, burst: 5 }, () => now);
    expect(Array.from({ length: 7 }, () => bucket.take())).toEqual([true, true, true, true, true, false, false]);
    now += 100;
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 60_000;
    expect(Array.from({ length: 6 }, () => bucket.take()).filter(Boolean)).toHaveLength(5);
  });
});
