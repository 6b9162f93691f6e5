/** top's refresh decision (core/top/refresh.ts): a whole read when the files or a gateway changed, /health every few seconds, else the last reads. */
import { describe, expect, it } from 'vitest';
import { HEALTH_EVERY_MS, refreshKind, SETTLE_MS, steadyDuring, WHOLE_EVERY_MS, type LastReads } from '../../src/core/top/refresh';

const stamp = new Map([['/h/.epiloop/epiloop.json', '1:10:5:5:420>1:10:5:5:420']]);
const last: LastReads = { stamp, steady: true, wholeAt: 1000, healthAt: 1000 };

describe('refreshKind', () => {
  it('reads everything first, after an unsteady read, when a stamped file changed, and when a gateway died', () => {
    expect(refreshKind(null, { stamp, gatewaysLive: true, at: 1500 })).toBe('whole');
    expect(refreshKind({ ...last, steady: false }, { stamp, gatewaysLive: true, at: 1500 })).toBe('whole');
    expect(refreshKind(last, { stamp: new Map([['/h/.epiloop/epiloop.json', '2:11:6:6:420>2:11:6:6:420']]), gatewaysLive: true, at: 1500 })).toBe('whole');
    expect(refreshKind(last, { stamp, gatewaysLive: false, at: 1500 })).toBe('whole');
  });
  it('asks /health when it is due, reuses the last reads in between, and reads everything when the whole read is old or the clock went back', () => {
    expect(refreshKind(last, { stamp, gatewaysLive: true, at: 1000 + HEALTH_EVERY_MS - 1 })).toBe('same');
    expect(refreshKind(last, { stamp, gatewaysLive: true, at: 1000 + HEALTH_EVERY_MS })).toBe('health');
    expect(refreshKind(last, { stamp, gatewaysLive: true, at: 1000 + WHOLE_EVERY_MS })).toBe('whole');
    expect(refreshKind(last, { stamp, gatewaysLive: true, at: 999 })).toBe('whole');
  });
  it("asks /health at each refresh for a while after a whole read, so a watching gateway's prompt check of a profile that stopped shows within a refresh", () => {
    expect(refreshKind(last, { stamp, gatewaysLive: true, at: 2000 })).toBe('health');
    expect(refreshKind({ ...last, healthAt: 2000 }, { stamp, gatewaysLive: true, at: 1000 + SETTLE_MS - 1 })).toBe('health');
    expect(refreshKind({ ...last, healthAt: 1000 + SETTLE_MS - 1 }, { stamp, gatewaysLive: true, at: 1000 + SETTLE_MS })).toBe('same');
  });
  it('calls a read steady only when every file it covers was stamped before it, the same', () => {
    expect(steadyDuring(stamp, stamp)).toBe(true);
    expect(steadyDuring(new Map(), stamp)).toBe(false);
    expect(steadyDuring(stamp, new Map([['/h/.epiloop/epiloop.json', 'none']]))).toBe(false);
  });
});
