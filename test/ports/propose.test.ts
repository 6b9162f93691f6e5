import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { footprint, footprintBounds, footprintPorts, MAX_BASE } from '../../src/core/ports/footprint';
import { MAX_PORT, MIN_PORT } from '../../src/core/ports/limits';
import { claimMap, type Claim } from '../../src/core/ports/overlap';
import { ephemeralWarning, PREFERRED_START, proposeBase, roleForProfile, type GatewayRole } from '../../src/core/ports/propose';
import { runs } from '../helpers/runs';

const free = () => null;
/** A default footprint's ports relative to its base (it is the same at every base). */
const OFFSETS = [...footprintPorts(footprint(undefined, 0))];

/**
 * The test's own answer, by brute force: the first base keeping the start's last digit, at
 * or above the start, else from the bottom of the range, whose every port is unclaimed and
 * not busy. null when there is none.
 */
function firstFreeBase(start: number, claims: ReadonlyMap<number, readonly Claim[]>, busy: (port: number) => boolean): number | null {
  const isFree = (base: number) => OFFSETS.every((offset) => !claims.has(base + offset) && !busy(base + offset));
  for (let base = start; base <= MAX_BASE; base += 10) if (isFree(base)) return base;
  for (let base = MIN_PORT + ((start - MIN_PORT) % 10); base < start; base += 10) if (isFree(base)) return base;
  return null;
}

describe('proposeBase', () => {
  it('proposes the seed\'s ports on an empty host', () => {
    expect(proposeBase({ role: 'main', claims: new Map(), busy: free })!.base).toBe(18789);
    expect(proposeBase({ role: 'rescue', claims: new Map(), busy: free })!.base).toBe(19789);
  });

  it('maps profile names to roles', () => {
    expect([null, 'main', 'rescue', 'r2'].map(roleForProfile)).toEqual(['main', 'main', 'rescue', 'other']);
  });

  it('skips the blocks a busy port is in, says why once, and takes the first block without it', () => {
    const busy = (p: number) => (p === 19850 ? 'bound by nginx (pid 812) on 127.0.0.1' : null);
    const proposal = proposeBase({ role: 'rescue', claims: new Map(), busy })!;
    // 19849's footprint is 19849, 19851, 19853, 19860–19959: 19850 is not in it.
    expect(proposal.base).toBe(19849);
    expect(proposal.skipped).toEqual([{ base: 19789, port: 19850, reason: '19850 (CDP range) is bound by nginx (pid 812) on 127.0.0.1' }]);
    expect(proposal.skippedCount).toBe(1);
    expect(footprintPorts(proposal.footprint).has(19850)).toBe(false);
  });

  it('never jumps over a free block between busy ports', () => {
    // 18809's block stops at 18838 (18839 is busy), but 18829's block (18829, 18831, 18833,
    // 18840–18939) is free: everything else on the host is taken.
    const freePorts = new Set([18809, 18811, 18813, 18829, 18831, 18833]);
    for (let p = 18820; p <= 18838; p++) freePorts.add(p);
    for (let p = 18840; p <= 18939; p++) freePorts.add(p);
    const proposal = proposeBase({ role: 'main', claims: new Map(), busy: (p) => (freePorts.has(p) ? null : 'bound') });
    expect(proposal?.base).toBe(18829);
  });

  it('wraps to the bottom of the range when nothing at or above the start is free', () => {
    const proposal = proposeBase({ role: 'main', claims: new Map(), busy: (p) => (p >= 18789 ? 'bound' : null) });
    // The same last digit as the start (18789): 1024 + (18789 - 1024) % 10 = 1029.
    expect(proposal?.base).toBe(1029);
    const below = proposeBase({ role: 'rescue', claims: new Map(), busy: (p) => (p >= 4999 && p <= 5109 ? null : 'bound') });
    expect(below?.base).toBe(4999);
  });

  it('skips another profile\'s footprint, naming it', () => {
    const claims = claimMap([{ label: 'main', footprint: footprint(undefined, 18789) }]);
    const proposal = proposeBase({ role: 'main', claims, busy: free })!;
    expect(proposal.base).toBe(18909);
    expect(proposal.skipped[0]!.reason).toMatch(/inside main's gateway/);
    // One skip for the whole of main's footprint, not one per 10-port step.
    expect(proposal.skippedCount).toBe(1);
  });

  it('warns when the block overlaps the ephemeral range', () => {
    const proposal = proposeBase({ role: 'main', claims: new Map(), busy: free, start: 40000, ephemeral: { from: 32768, to: 60999 } })!;
    expect(proposal.ephemeralWarning).toBe(
      "ports 40000–40110 overlap the OS's ephemeral range 32768–60999: outgoing connections may take one of them at any time.",
    );
    expect(proposeBase({ role: 'main', claims: new Map(), busy: free, ephemeral: { from: 32768, to: 60999 } })!.ephemeralWarning).toBeNull();
  });

  it('warns exactly when one port of the block is inside the ephemeral range, both ends included', () => {
    const range = { from: 32768, to: 60999 };
    const warns = (base: number) => ephemeralWarning(footprint(undefined, base), range) !== null;
    // The block is base … base + 110.
    expect(warns(32768 - 111)).toBe(false); // ends at 32767
    expect(warns(32768 - 110)).toBe(true); // ends at 32768
    expect(warns(60999)).toBe(true); // starts at 60999
    expect(warns(61000)).toBe(false); // starts at 61000
    expect(ephemeralWarning(footprint(undefined, 40000), null)).toBeNull();
  });

  it('returns null when nothing fits', () => {
    expect(proposeBase({ role: 'main', claims: new Map(), busy: () => 'bound' })).toBeNull();
  });

  /** The proposal is the oracle's answer, null included, and never touches a claimed or busy port. */
  function checkAgainstOracle(bases: number[], busy: (port: number) => boolean, role: GatewayRole, start: number | undefined): void {
    const claims = claimMap(bases.map((b, i) => ({ label: `p${i}`, footprint: footprint(undefined, b) })));
    const proposal = proposeBase({ role, claims, busy: (p) => (busy(p) ? 'bound' : null), ...(start ? { start } : {}) });
    expect(proposal?.base ?? null).toBe(firstFreeBase(start ?? PREFERRED_START[role], claims, busy));
    if (proposal === null) return;
    const { low, high } = footprintBounds(proposal.footprint);
    expect(low).toBeGreaterThanOrEqual(MIN_PORT);
    expect(high).toBeLessThanOrEqual(MAX_PORT);
    for (const port of footprintPorts(proposal.footprint)) {
      expect(claims.has(port)).toBe(false);
      expect(busy(port)).toBe(false);
    }
  }
  const bases = fc.array(fc.integer({ min: MIN_PORT, max: MAX_BASE }), { maxLength: 20 });
  const role = fc.constantFrom<GatewayRole>('main', 'rescue', 'other');
  const start = fc.option(fc.integer({ min: MIN_PORT, max: MAX_BASE }), { nil: undefined });

  it('property: on a host with a few busy ports, the first free block and nothing taken', () => {
    const busyPorts = fc.array(fc.integer({ min: MIN_PORT, max: MAX_PORT }), { maxLength: 300 }).map((list) => new Set(list));
    fc.assert(
      fc.property(bases, busyPorts, role, start, (b, set, r, s) => checkAgainstOracle(b, (p) => set.has(p), r, s)),
      { numRuns: runs(150) },
    );
  });

  it('property: on a nearly full host (free only in a few windows), the free block, or null only when there is none', () => {
    const windows = fc.array(fc.tuple(fc.integer({ min: MIN_PORT, max: MAX_PORT }), fc.integer({ min: 0, max: 400 })), { maxLength: 4 });
    fc.assert(
      fc.property(bases, windows, role, start, (b, w, r, s) => checkAgainstOracle(b, (p) => !w.some(([from, length]) => p >= from && p <= from + length), r, s)),
      { numRuns: runs(25) },
    );
  });
});

describe('proposeBase: a running gateway\'s own base (prefer)', () => {
  const none = new Map<number, readonly Claim[]>();

  it('takes the base a gateway serves when its whole footprint is clear, before the role\'s start', () => {
    const proposal = proposeBase({ role: 'main', claims: none, busy: free, prefer: 20000 })!;
    expect(proposal).toMatchObject({ base: 20000, skipped: [], skippedCount: 0 });
    expect(proposal.footprint).toEqual(footprint(undefined, 20000));
  });

  it('searches as usual when a port of that footprint is bound or another profile\'s', () => {
    expect(proposeBase({ role: 'main', claims: none, busy: (p) => (p === 20050 ? 'bound' : null), prefer: 20000 })!.base).toBe(18789);
    const claims = claimMap([{ label: 'r2', footprint: footprint(undefined, 20100) }]);
    expect(proposeBase({ role: 'main', claims, busy: free, prefer: 20000 })!.base).toBe(18789);
  });

  it('takes it at both ends of the base range, never outside', () => {
    expect(proposeBase({ role: 'main', claims: none, busy: free, prefer: MIN_PORT })!.base).toBe(MIN_PORT);
    expect(proposeBase({ role: 'main', claims: none, busy: free, prefer: MAX_BASE })!.base).toBe(MAX_BASE);
    expect(proposeBase({ role: 'main', claims: none, busy: free, prefer: MIN_PORT - 1 })!.base).toBe(18789);
    expect(proposeBase({ role: 'main', claims: none, busy: free, prefer: MAX_BASE + 1 })!.base).toBe(18789);
    // Above the highest base even when its own footprint would fit (browser control elsewhere): not a base a config accepts.
    const controlElsewhere = (base: number) => footprint({ browser: { controlUrl: 'http://127.0.0.1:30000' } }, base);
    expect(footprintBounds(controlElsewhere(65500)).high).toBeLessThanOrEqual(MAX_PORT);
    expect(proposeBase({ role: 'main', claims: none, busy: free, shape: controlElsewhere, prefer: 65500 })!.base).toBe(18789);
  });

  it('passes it over when its footprint (with the profile\'s pins) leaves 1024–65535', () => {
    const pinnedBelow = (base: number) => footprint({ browser: { profiles: { w: { cdpPort: base - 100 } } } }, base);
    expect(proposeBase({ role: 'main', claims: none, busy: free, shape: pinnedBelow, prefer: 1100 })!.base).toBe(18789);
    const pinnedAbove = (base: number) => footprint({ browser: { profiles: { w: { cdpPort: base + 200 } } } }, base);
    expect(proposeBase({ role: 'main', claims: none, busy: free, shape: pinnedAbove, prefer: 65400 })!.base).toBe(18789);
  });
});

describe('proposeBase: candidates a profile\'s own settings rule out', () => {
  const none = new Map<number, readonly Claim[]>();

  it('skips a candidate whose footprint leaves 1024–65535 below, naming its lowest port', () => {
    // A pin 17780 below the base: 18789 pins 1009, 18799 pins 1019, 18809 pins 1029.
    const shape = (base: number) => footprint({ browser: { profiles: { w: { cdpPort: base - 17780 } } } }, base);
    const proposal = proposeBase({ role: 'main', claims: none, busy: free, shape })!;
    expect(proposal.base).toBe(18809);
    expect(proposal.skipped).toEqual([
      { base: 18789, port: 1009, reason: 'its footprint 1009–18899 leaves 1024–65535' },
      { base: 18799, port: 1019, reason: 'its footprint 1019–18909 leaves 1024–65535' },
    ]);
  });

  it('skips a candidate whose footprint leaves 1024–65535 above, naming its highest port, even when its lowest is 1024', () => {
    const shape = (base: number) => footprint({ browser: { profiles: { w: { cdpPort: 84330 - base } } } }, base);
    const proposal = proposeBase({ role: 'main', claims: none, busy: free, shape })!;
    expect(proposal.base).toBe(18799);
    expect(proposal.skipped).toEqual([{ base: 18789, port: 65541, reason: 'its footprint 18789–65541 leaves 1024–65535' }]);
    const fromBottom = (base: number) => footprint({ browser: { profiles: { w: { cdpPort: base === MIN_PORT ? 65600 : 30000 } } } }, base);
    const low = proposeBase({ role: 'other', claims: none, busy: free, shape: fromBottom, start: MIN_PORT })!;
    expect(low.base).toBe(MIN_PORT + 10);
    expect(low.skipped).toEqual([{ base: MIN_PORT, port: 65600, reason: 'its footprint 1024–65600 leaves 1024–65535' }]);
  });

  it('skips a candidate whose footprint runs into itself, saying where, and takes the next one that does not', () => {
    // canvasHost.port 18800 is inside 18789's CDP range (18800–18899), and clear of 18799's (18810–18909).
    const shape = (base: number) => footprint({ canvasHost: { port: 18800 } }, base);
    const proposal = proposeBase({ role: 'main', claims: none, busy: free, shape })!;
    expect(proposal.skipped).toEqual([{ base: 18789, port: 18800, reason: 'the canvas host 18800 is inside the CDP range 18800–18899' }]);
    expect(proposal.base).toBe(18799);
    // The candidates that still run into themselves there are the same skip; the first clear one (18849: range 18860–18959) is taken.
    const wider = proposeBase({ role: 'main', claims: none, busy: free, shape: (base) => footprint({ canvasHost: { port: 18850 } }, base) })!;
    expect(wider.skipped).toEqual([{ base: 18789, port: 18850, reason: 'the canvas host 18850 is inside the CDP range 18800–18899' }]);
    expect(wider.skippedCount).toBe(1);
    expect(wider.base).toBe(18849);
  });

  it('skips each candidate whose gateway falls inside a pinned browser control\'s CDP range on its own port, as its own skip', () => {
    // browser.controlUrl pins the CDP range at 20009–20108: the gateways 20019 … 20099 (and their canvas hosts) are inside it, 20109 is clear.
    const shape = (base: number) => footprint({ browser: { controlUrl: 'http://127.0.0.1:20000' } }, base);
    const proposal = proposeBase({ role: 'other', start: 20019, claims: none, busy: free, shape })!;
    expect(proposal.base).toBe(20109);
    expect(proposal.skippedCount).toBe(9);
    expect(proposal.skipped.map((s) => [s.base, s.port])).toEqual([20019, 20029, 20039, 20049, 20059, 20069, 20079, 20089, 20099].map((base) => [base, base]));
    expect(proposal.skipped[0]!.reason).toBe('the gateway 20019 is inside the CDP range 20009–20108');
  });
});

describe('proposeBase: what it says about the candidates it skipped', () => {
  it('counts every skip but lists only the first twelve', () => {
    // Everything below 20000 is bound: 18789 … 19999 each hold a different bound port (122 skips), 20009 is the first clear block.
    const proposal = proposeBase({ role: 'main', claims: new Map(), busy: (p) => (p < 20000 ? 'bound' : null) })!;
    expect(proposal.base).toBe(20009);
    expect(proposal.skippedCount).toBe(122);
    expect(proposal.skipped.map((s) => s.base)).toEqual([18789, 18799, 18809, 18819, 18829, 18839, 18849, 18859, 18869, 18879, 18889, 18899]);
  });

  it('a bound port every candidate up to the highest base holds is one skip, the highest base included', () => {
    // From 20005 the candidates end exactly on MAX_BASE (65425); each pins the bound 30000, the ones below 20005 do not.
    const shape = (base: number) => footprint(base >= 20005 ? { browser: { profiles: { w: { cdpPort: 30000 } } } } : undefined, base);
    const proposal = proposeBase({ role: 'other', claims: new Map(), busy: (p) => (p === 30000 ? 'bound' : null), shape, start: 20005 })!;
    expect(proposal.base).toBe(1025);
    expect(proposal.skippedCount).toBe(1);
    expect(proposal.skipped).toEqual([{ base: 20005, port: 30000, reason: '30000 (pinned CDP) is bound' }]);
  });

  it('one skip per profile in the way, where two profiles overlap each other too', () => {
    // q (18889 … 18999) overlaps main (18789 … 18899) on 18889, 18891, 18893: 18889's candidate touches main only there, and is still main's.
    const claims = claimMap([
      { label: 'main', footprint: footprint(undefined, 18789) },
      { label: 'q', footprint: footprint(undefined, 18889) },
    ]);
    const proposal = proposeBase({ role: 'main', claims, busy: free })!;
    expect(proposal.base).toBe(19009);
    expect(proposal.skippedCount).toBe(2);
    expect(proposal.skipped.map((s) => [s.base, s.port])).toEqual([
      [18789, 18789],
      [18909, 18909],
    ]);
    expect(proposal.skipped[1]!.reason).toMatch(/inside q's/);
  });
});
