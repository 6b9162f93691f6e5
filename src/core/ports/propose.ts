import { describeClaim, type Claim } from './overlap';
import { describeSelfOverlap, footprint, footprintBounds, footprintHas, footprintSlots, MAX_BASE, ROLE_LABEL, selfOverlaps, type Footprint } from './footprint';
import { MAX_PORT, MIN_PORT } from './limits';

export type GatewayRole = 'main' | 'rescue' | 'other';

/** Where each role starts looking: the seed's 18789 for main, 19789 for the rescue bot. */
export const PREFERRED_START: Record<GatewayRole, number> = { main: 18789, rescue: 19789, other: 20789 };
/** Candidates keep the start's last digit (18789, 18799, …) so proposed ports stay readable. */
const STEP = 10;
const MAX_RECORDED_SKIPS = 12;

export function roleForProfile(profile: string | null): GatewayRole {
  if (profile === null || profile === 'main') return 'main';
  return profile === 'rescue' ? 'rescue' : 'other';
}

export interface Skip {
  base: number;
  /** The first port of the candidate's footprint that is taken. */
  port: number;
  /** The first conflicting port, and why, in words: "19801 is bound by nginx (pid 812)". */
  reason: string;
}

export interface Proposal {
  base: number;
  footprint: Footprint;
  skipped: Skip[];
  /** How many candidates were skipped in all (skipped lists at most a dozen). */
  skippedCount: number;
  ephemeralWarning: string | null;
}

export interface ProposeInput {
  role: GatewayRole;
  /** Ports other profiles reserve (claimsAgainst of the host view), never this profile's own. */
  claims: ReadonlyMap<number, readonly Claim[]>;
  /** Why a port is bound on this host ("bound by nginx (pid 812)"), or null when free. */
  busy: (port: number) => string | null;
  start?: number;
  /** The footprint a base would have; defaults to a footprint with no overrides. */
  shape?: (base: number) => Footprint;
  ephemeral?: { from: number; to: number } | null;
  /** Tried before the search (a running gateway's own base): taken when its whole footprint is clear. */
  prefer?: number;
}

/** Why a candidate cannot be used, or null when its whole footprint is free. */
export function conflictOf(
  fp: Footprint,
  claims: ReadonlyMap<number, readonly Claim[]>,
  busy: (port: number) => string | null,
): { port: number; reason: string; profile?: string } | null {
  for (const slot of footprintSlots(fp)) {
    const claim = claims.get(slot.port)?.[0];
    if (claim !== undefined) {
      return { port: slot.port, reason: `${slot.port} (${ROLE_LABEL[slot.role]}) is inside ${describeClaim(claim)}`, profile: claim.label };
    }
    const holder = busy(slot.port);
    if (holder !== null) return { port: slot.port, reason: `${slot.port} (${ROLE_LABEL[slot.role]}) is ${holder}` };
  }
  return null;
}

export function ephemeralWarning(fp: Footprint, ephemeral: { from: number; to: number } | null | undefined): string | null {
  if (!ephemeral) return null;
  const { low, high } = footprintBounds(fp);
  if (high < ephemeral.from || low > ephemeral.to) return null;
  return `ports ${low}–${high} overlap the OS's ephemeral range ${ephemeral.from}–${ephemeral.to}: outgoing connections may take one of them at any time.`;
}

/**
 * The first base at or above the role's start whose whole footprint is inside
 * 1024–65535, clear of every other profile's footprint and not bound on this host.
 * Pure: the caller hands in what it probed.
 */
export function proposeBase(input: ProposeInput): Proposal | null {
  const shape = input.shape ?? ((base: number) => footprint(undefined, base));
  const start = input.start ?? PREFERRED_START[input.role];
  const skipped: Skip[] = [];
  let skippedCount = 0;
  // Search upwards from the start, then wrap to the bottom of the range.
  if (input.prefer !== undefined && input.prefer >= MIN_PORT && input.prefer <= MAX_BASE) {
    const fp = shape(input.prefer);
    const { low, high } = footprintBounds(fp);
    if (low >= MIN_PORT && high <= MAX_PORT && conflictOf(fp, input.claims, input.busy) === null) {
      return { base: input.prefer, footprint: fp, skipped, skippedCount, ephemeralWarning: ephemeralWarning(fp, input.ephemeral) };
    }
  }
  const passes: [number, number][] = [[start, MAX_BASE], [MIN_PORT + ((start - MIN_PORT) % STEP), start - 1]];
  for (const [from, to] of passes) {
    let base = from;
    while (base <= to) {
      const fp = shape(base);
      const { low, high } = footprintBounds(fp);
      const self = selfOverlaps(fp)[0];
      const conflict =
        low < MIN_PORT || high > MAX_PORT
          ? { port: low < MIN_PORT ? low : high, reason: `its footprint ${low}–${high} leaves ${MIN_PORT}–${MAX_PORT}` }
          : self !== undefined
            ? { port: self.port, reason: describeSelfOverlap(self, fp), own: true }
            : conflictOf(fp, input.claims, input.busy);
      if (conflict === null) {
        return { base, footprint: fp, skipped, skippedCount, ephemeralWarning: ephemeralWarning(fp, input.ephemeral) };
      }
      skippedCount++;
      if (skipped.length < MAX_RECORDED_SKIPS) skipped.push({ base, port: conflict.port, reason: conflict.reason });
      // The candidates after it that still hold the same port (or touch the same profile)
      // belong to this skip; the first that does not is checked in full, so a free block
      // between two conflicts is never jumped over.
      do base += STEP;
      while (base <= to && touches(shape(base), conflict, input.claims));
    }
  }
  return null;
}

/**
 * Whether a footprint has the port of a conflict, or (for another profile's) any port of that
 * profile, or (for one that ran into itself) still runs into itself there: a pinned port is in
 * every candidate, but the clash with the parts that follow the base is not.
 */
function touches(fp: Footprint, conflict: { port: number; profile?: string; own?: boolean }, claims: ReadonlyMap<number, readonly Claim[]>): boolean {
  if (conflict.own === true) return selfOverlaps(fp).some((o) => o.port === conflict.port);
  if (conflict.profile === undefined) return footprintHas(fp, conflict.port);
  return footprintSlots(fp).some((slot) => claims.get(slot.port)?.some((c) => c.label === conflict.profile) === true);
}
