import { discoverProfiles, type KnownProfile } from '../profile/discover';
import type { ProfilePaths } from '../../core/profile/paths';
import { claimMap, type Claim } from '../../core/ports/overlap';
import { footprintSlots, type Footprint } from '../../core/ports/footprint';
import { buildPortMap, describeHolders, type PortMapRow } from '../../core/ports/portmap';
import { bindProbe, DEFAULT_HOST, probePorts, readEphemeralRange, snapshotListeners } from './probe';
import { proposeBase, type GatewayRole, type Proposal } from '../../core/ports/propose';
import { type PortState } from '../../core/ports/listeners';

/** This profile and the others on the host, with the ports the others reserve. */
export interface HostProfiles {
  current: KnownProfile;
  others: KnownProfile[];
  /** Ports reserved by the other profiles (never this one). */
  claims: Map<number, Claim[]>;
}

export async function loadHostProfiles(paths: ProfilePaths, home: string): Promise<HostProfiles> {
  const known = await discoverProfiles(home, paths);
  const current = known.find((k) => k.via === 'current')!;
  const others = known.filter((k) => k !== current);
  return { current, others, claims: claimsOf(others) };
}

export function claimsOf(profiles: readonly KnownProfile[]): Map<number, Claim[]> {
  return claimMap(profiles.flatMap((k) => (k.footprint ? [{ label: k.paths.label, footprint: k.footprint }] : [])));
}

/** Live state of every port of a footprint (one /proc read, then bind confirmation). */
export function probeFootprint(fp: Footprint, options: { confirm?: boolean } = {}): Promise<Map<number, PortState>> {
  return probePorts([...new Set(footprintSlots(fp).map((s) => s.port))], options);
}

/**
 * Proposes a base from a live snapshot, then confirms the winner with real binds (a
 * listener /proc did not show moves the search on), and names the owners of the ports
 * that made it skip candidates. Advice, not a reservation: callers check again on write.
 */
export async function proposeLive(input: {
  role: GatewayRole;
  claims: ReadonlyMap<number, readonly Claim[]>;
  start?: number;
  shape?: (base: number) => Footprint;
}): Promise<Proposal | null> {
  const [snapshot, ephemeral] = await Promise.all([snapshotListeners(), readEphemeralRange()]);
  const extraBusy = new Map<number, string>();
  const busy = (port: number) => extraBusy.get(port) ?? (snapshot.bound.has(port) ? 'bound on this host' : null);
  const propose = () => proposeBase({ ...input, busy, ephemeral });
  let proposal = propose();
  for (let attempt = 0; proposal !== null && attempt < 5; attempt++) {
    const ports = [...new Set(footprintSlots(proposal.footprint).map((s) => s.port))];
    const refused = await bindProbe(ports);
    if (refused.size === 0) break;
    for (const [port, hosts] of refused) {
      extraBusy.set(port, describeHolders(hosts.map((host) => ({ address: host === DEFAULT_HOST ? 'the default address' : host }))));
    }
    proposal = propose();
  }
  if (proposal === null || proposal.skipped.length === 0) return proposal;
  // Second pass over the same facts, with owners named for the ports that caused skips.
  const skippedPorts = proposal.skipped.map((s) => s.port).filter((port) => snapshot.bound.has(port));
  const owners = await probePorts(skippedPorts, { snapshot });
  for (const [port, state] of owners) if (state.state === 'bound') extraBusy.set(port, describeHolders(state.holders));
  return propose();
}

/** The port map of a footprint against the other profiles and (when live) the host. */
export async function mapFootprint(
  fp: Footprint,
  claims: ReadonlyMap<number, readonly Claim[]>,
  options: { live: boolean; confirm?: boolean },
): Promise<PortMapRow[]> {
  return buildPortMap(fp, options.live ? await probeFootprint(fp, options) : null, claims);
}

export function conflictRows(rows: readonly PortMapRow[]): PortMapRow[] {
  return rows.filter((r) => r.state === 'bound' || r.state === 'claimed');
}
