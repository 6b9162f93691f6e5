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
