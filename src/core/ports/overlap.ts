import { footprintSlots, ROLE_LABEL, type Footprint, type PortRole } from './footprint';

export interface LabelledFootprint {
  label: string;
  footprint: Footprint;
}

export interface Claim {
  label: string;
  role: PortRole;
  detail?: string;
  /** Not in that profile's config: its running gateway serves this range now (it runs on another base). */
  served?: true;
}

/** port → who reserves it; built once, then every lookup is O(1). */
export function claimMap(profiles: readonly LabelledFootprint[]): Map<number, Claim[]> {
  const claims = new Map<number, Claim[]>();
  for (const { label, footprint } of profiles) {
    for (const slot of footprintSlots(footprint)) {
      const list = claims.get(slot.port) ?? [];
      // A profile claiming one port twice (pinned CDP inside its range) is not an overlap.
      if (!list.some((c) => c.label === label)) {
        list.push(slot.detail === undefined ? { label, role: slot.role } : { label, role: slot.role, detail: slot.detail });
      }
      claims.set(slot.port, list);
    }
  }
  return claims;
}

export interface SharedPort {
  port: number;
  claims: Claim[];
}

export interface Overlap {
  labels: [string, string];
  ports: SharedPort[];
}

/** Every pair of profiles whose footprints share a port, with the shared ports. */
export function findOverlaps(profiles: readonly LabelledFootprint[]): Overlap[] {
  const byPair = new Map<string, Overlap>();
  for (const [port, claims] of claimMap(profiles)) {
    for (let i = 0; i < claims.length; i++) {
      for (let j = i + 1; j < claims.length; j++) {
        const labels = [claims[i]!.label, claims[j]!.label].sort() as [string, string];
        const key = labels.join('\0');
        const overlap = byPair.get(key) ?? { labels, ports: [] };
        overlap.ports.push({ port, claims: [claims[i]!, claims[j]!] });
        byPair.set(key, overlap);
      }
    }
  }
  const result = [...byPair.values()];
  for (const o of result) o.ports.sort((a, b) => a.port - b.port);
  return result.sort((a, b) => a.labels.join().localeCompare(b.labels.join()));
}

export function describeClaim(claim: Claim): string {
  const role = claim.role === 'cdp-pinned' ? `pinned CDP port of browser profile "${claim.detail}"` : ROLE_LABEL[claim.role];
  return `${claim.label}'s ${claim.served ? 'running ' : ''}${role}`;
}

/** [18800, 18801, 18802, 18805] → "18800–18802, 18805" */
export function compactPorts(ports: readonly number[]): string {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = sorted[0];
  let prev = start;
  for (const port of [...sorted.slice(1), undefined]) {
    if (port !== undefined && prev !== undefined && port === prev + 1) {
      prev = port;
      continue;
    }
    if (start !== undefined) parts.push(start === prev ? `${start}` : `${start}–${prev}`);
    start = port;
    prev = port;
  }
  return parts.join(', ');
}
