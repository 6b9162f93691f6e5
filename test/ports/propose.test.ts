import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { footprint, footprintBounds, footprintPorts } from '../../src/core/ports/footprint';
import { MAX_PORT, MIN_PORT } from '../../src/core/ports/limits';
import { claimMap } from '../../src/core/ports/overlap';
import { proposeBase, roleForProfile } from '../../src/core/ports/propose';

const free = () => null;

describe('proposeBase', () => {
  it('proposes the seed\'s ports on an empty host', () => {
    expect(proposeBase({ role: 'main', claims: new Map(), busy: free })!.base).toBe(18789);
    expect(proposeBase({ role: 'rescue', claims: new Map(), busy: free })!.base).toBe(19789);
  });

  it('maps profile names to roles', () => {
    expect([null, 'main', 'rescue', 'r2'].map(roleForProfile)).toEqual(['main', 'main', 'rescue', 'other']);
  });

  it('skips a block with a busy port and says why', () => {
    const busy = (p: number) => (p === 19850 ? 'bound by nginx (pid 812) on 127.0.0.1' : null);
    const proposal = proposeBase({ role: 'rescue', claims: new Map(), busy })!;
    expect(proposal.base).toBeGreaterThan(19850);
    expect(proposal.skipped[0]).toEqual({ base: 19789, port: 19850, reason: '19850 (CDP range) is bound by nginx (pid 812) on 127.0.0.1' });
    expect(footprintPorts(proposal.footprint).has(19850)).toBe(false);
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
    expect(proposal.ephemeralWarning).toMatch(/ephemeral range 32768–60999/);
  });

  it('returns null when nothing fits', () => {
    expect(proposeBase({ role: 'main', claims: new Map(), busy: () => 'bound' })).toBeNull();
  });

  it('property: never overlaps a known footprint or a busy port, always inside 1024–65535', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: MIN_PORT, max: 65425 }), { maxLength: 20 }),
        fc.array(fc.integer({ min: MIN_PORT, max: MAX_PORT }), { maxLength: 300 }),
        fc.constantFrom('main' as const, 'rescue' as const, 'other' as const),
        fc.option(fc.integer({ min: MIN_PORT, max: 65425 }), { nil: undefined }),
        (bases, busyPorts, role, start) => {
          const claims = claimMap(bases.map((b, i) => ({ label: `p${i}`, footprint: footprint(undefined, b) })));
          const busySet = new Set(busyPorts);
          const proposal = proposeBase({ role, claims, busy: (p) => (busySet.has(p) ? 'bound' : null), ...(start ? { start } : {}) });
          if (proposal === null) return;
          const { low, high } = footprintBounds(proposal.footprint);
          expect(low).toBeGreaterThanOrEqual(MIN_PORT);
          expect(high).toBeLessThanOrEqual(MAX_PORT);
          for (const port of footprintPorts(proposal.footprint)) {
            expect(claims.has(port)).toBe(false);
            expect(busySet.has(port)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers in well under 20 ms with 20 profiles and 2,000 busy ports', () => {
    const claims = claimMap(Array.from({ length: 20 }, (_, i) => ({ label: `p${i}`, footprint: footprint(undefined, 18789 + i * 111) })));
    const busySet = new Set(Array.from({ length: 2000 }, (_, i) => 21000 + i * 3));
    const busy = (p: number) => (busySet.has(p) ? 'bound' : null);
    proposeBase({ role: 'main', claims, busy });
    const started = performance.now();
    const proposal = proposeBase({ role: 'main', claims, busy });
    const ms = performance.now() - started;
    expect(proposal).not.toBeNull();
    expect(ms).toBeLessThan(20);
  });
});
