/**
 * A token bucket: `take()` says whether one more event fits, allowing `burst` at once and
 * `perSecond` sustained. The clock is a parameter so the rule is tested without waiting.
 */
export function createTokenBucket(limits: { perSecond: number; burst: number }, now: () => number = Date.now) {
  let tokens = limits.burst;
  let last = now();
  return {
    take(): boolean {
      const at = now();
      tokens = Math.min(limits.burst, tokens + ((at - last) / 1000) * limits.perSecond);
      last = at;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
