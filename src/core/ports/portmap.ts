import { describeClaim, compactPorts, type Claim } from './overlap';
import { ROLE_LABEL, type Footprint, type PortRole } from './footprint';
import { type PortHolder, type PortState } from './listeners';

export type RowState = 'free' | 'bound' | 'claimed' | 'unknown';

export interface PortMapRow {
  role: PortRole;
  label: string;
  from: number;
  to: number;
  state: RowState;
  /** The state in words ("free", "bound by nginx (pid 812) on 127.0.0.1", "inside main's CDP range"). */
  text: string;
  /** Ports of this row bound on the host, with who holds them. */
  bound: { port: number; holders: PortHolder[] }[];
  /** Ports of this row that other profiles reserve. */
  claimed: { port: number; claims: Claim[] }[];
  /** Every bound port of the row is held by this profile's own gateway or its browsers: in use, no problem. */
  own?: true;
}

export function describeHolders(holders: readonly PortHolder[]): string {
  const owner = holders.find((h) => h.pid !== undefined);
  const addresses = [...new Set(holders.map((h) => h.address))].join(', ');
  if (owner?.gateway !== undefined) return `bound by ${owner.gateway}'s gateway (pid ${owner.pid}) on ${addresses}`;
  if (owner?.browserOf !== undefined) return `bound by a browser of ${owner.browserOf}'s gateway (pid ${owner.pid}) on ${addresses}`;
  if (owner) return `bound by ${owner.command ?? 'a process'} (pid ${owner.pid}) on ${addresses}`;
  return `bound on ${addresses} (owner not visible)`;
}

function rowFor(
  role: PortRole,
  from: number,
  to: number,
  states: ReadonlyMap<number, PortState> | null,
  claims: ReadonlyMap<number, readonly Claim[]>,
  detail?: string,
): PortMapRow {
  const bound: PortMapRow['bound'] = [];
  const claimed: PortMapRow['claimed'] = [];
  for (let port = from; port <= to; port++) {
    const c = claims.get(port);
    if (c?.length) claimed.push({ port, claims: [...c] });
    const s = states?.get(port);
    if (s?.state === 'bound') bound.push({ port, holders: s.holders });
  }
  const count = to - from + 1;
  const label = detail === undefined ? ROLE_LABEL[role] : `${ROLE_LABEL[role]} (${detail})`;
  let state: RowState = states === null ? 'unknown' : 'free';
  let text = states === null ? 'not probed' : count > 1 ? `free (${count} ports)` : 'free';
  if (bound.length > 0) {
    state = 'bound';
    text =
      count === 1
        ? describeHolders(bound[0]!.holders)
        : `${bound.length} of ${count} bound: ${bound.slice(0, 3).map((b) => `${b.port} ${describeHolders(b.holders)}`).join('; ')}${bound.length > 3 ? '; …' : ''}`;
  }
  if (claimed.length > 0) {
    state = 'claimed';
    const first = claimed[0]!.claims[0]!;
    text = count === 1 ? `inside ${describeClaim(first)}` : `${claimed.length} of ${count} inside other profiles: ${claimedGroups(claimed)}`;
  }
  return { role, label, from, to, state, text, bound, claimed };
}

/** "19799 (rescue's gateway), 19810–19898 (rescue's CDP range)": each claimed run named by whose role it is. */
export function claimedGroups(claimed: PortMapRow['claimed']): string {
  const byClaim = new Map<string, number[]>();
  for (const { port, claims } of claimed) {
    const key = describeClaim(claims[0]!);
    byClaim.set(key, [...(byClaim.get(key) ?? []), port]);
  }
  return [...byClaim].map(([claim, ports]) => `${compactPorts(ports)} (${claim})`).join(', ');
}

/** The port map of one footprint: a pure view of (footprint, probe result, other profiles' claims). */
export function buildPortMap(
  fp: Footprint,
  states: ReadonlyMap<number, PortState> | null,
  claims: ReadonlyMap<number, readonly Claim[]>,
): PortMapRow[] {
  const rows = [
    rowFor('gateway', fp.gateway, fp.gateway, states, claims),
    rowFor('browser-control', fp.browserControl, fp.browserControl, states, claims),
  ];
  if (fp.canvas !== null) rows.push(rowFor('canvas', fp.canvas, fp.canvas, states, claims));
  rows.push(rowFor('cdp', fp.cdp.from, fp.cdp.to, states, claims));
  for (const pinned of fp.pinnedCdp) rows.push(rowFor('cdp-pinned', pinned.port, pinned.port, states, claims, pinned.name));
  return rows;
}

export function portsText(row: Pick<PortMapRow, 'from' | 'to'>): string {
  return row.from === row.to ? String(row.from) : `${row.from}–${row.to}`;
}
