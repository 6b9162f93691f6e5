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

/**
 * What a port map knows of one port: the other profiles that reserve it, the processes
 * holding it that are not the profile's own, and what the profile's own gateway and
 * browsers hold of it (with their words).
 */
export interface PortMapFacts {
  claims: readonly Claim[];
  others: readonly PortHolder[];
  own: readonly { holder: PortHolder; words: string }[];
}

const NO_FACTS: PortMapFacts = { claims: [], others: [], own: [] };

function rowFor(role: PortRole, from: number, to: number, probed: boolean, factsAt: (port: number) => PortMapFacts, detail?: string): PortMapRow {
  const bound: PortMapRow['bound'] = [];
  const claimed: PortMapRow['claimed'] = [];
  const others: { port: number; holders: readonly PortHolder[] }[] = [];
  const owners: string[] = [];
  for (let port = from; port <= to; port++) {
    const facts = factsAt(port);
    if (facts.claims.length > 0) claimed.push({ port, claims: [...facts.claims] });
    const holders = [...facts.others, ...facts.own.map((o) => o.holder)];
    if (holders.length > 0) bound.push({ port, holders });
    if (facts.others.length > 0) others.push({ port, holders: facts.others });
    else owners.push(...facts.own.map((o) => o.words));
  }
  const count = to - from + 1;
  const label = detail === undefined ? ROLE_LABEL[role] : `${ROLE_LABEL[role]} (${detail})`;
  const row: PortMapRow = { role, label, from, to, state: 'free', text: count > 1 ? `free (${count} ports)` : 'free', bound, claimed };
  if (!probed) Object.assign(row, { state: 'unknown', text: 'not probed' });
  if (others.length > 0) {
    row.state = 'bound';
    row.text =
      count === 1
        ? describeHolders(others[0]!.holders)
        : `${others.length} of ${count} bound: ${others.slice(0, 3).map((b) => `${b.port} ${describeHolders(b.holders)}`).join('; ')}${others.length > 3 ? '; …' : ''}`;
  } else if (bound.length > 0) {
    row.state = 'bound';
    row.own = true;
    row.text = count === 1 ? owners[0]! : `${bound.length} of ${count} bound by ${[...new Set(owners)].join(', ')}`;
  }
  if (claimed.length > 0) {
    row.state = 'claimed';
    delete row.own;
    row.text = count === 1 ? `inside ${describeClaim(claimed[0]!.claims[0]!)}` : `${claimed.length} of ${count} inside other profiles: ${claimedGroups(claimed)}`;
  }
  return row;
}

/** "19799 (rescue's gateway), 19810–19898 (rescue's CDP range)": each claimed run named by whose role it is. */
function claimedGroups(claimed: PortMapRow['claimed']): string {
  const byClaim = new Map<string, number[]>();
  for (const { port, claims } of claimed) {
    const key = describeClaim(claims[0]!);
    byClaim.set(key, [...(byClaim.get(key) ?? []), port]);
  }
  return [...byClaim].map(([claim, ports]) => `${compactPorts(ports)} (${claim})`).join(', ');
}

/**
 * The one port map of a footprint: a row per role (gateway, browser control, canvas, CDP
 * range, pins), each claimed (another profile's), bound (a process other than the
 * profile's own gateway and browsers; `own` when only those), free, or unknown (the
 * listeners were not read). The host view, doctor and the gateway's plan all draw it here.
 */
export function buildPortMap(fp: Footprint, probed: boolean, factsAt: (port: number) => PortMapFacts): PortMapRow[] {
  const rows = [rowFor('gateway', fp.gateway, fp.gateway, probed, factsAt), rowFor('browser-control', fp.browserControl, fp.browserControl, probed, factsAt)];
  if (fp.canvas !== null) rows.push(rowFor('canvas', fp.canvas, fp.canvas, probed, factsAt));
  rows.push(rowFor('cdp', fp.cdp.from, fp.cdp.to, probed, factsAt));
  for (const pinned of fp.pinnedCdp) rows.push(rowFor('cdp-pinned', pinned.port, pinned.port, probed, factsAt, pinned.name));
  return rows;
}

/** A port's facts from a probe result and other profiles' claims alone: every holder is foreign. */
export function factsFrom(states: ReadonlyMap<number, PortState> | null, claims: ReadonlyMap<number, readonly Claim[]>): (port: number) => PortMapFacts {
  return (port) => {
    const state = states?.get(port);
    const others = state?.state === 'bound' ? state.holders : [];
    const reserved = claims.get(port) ?? [];
    return others.length === 0 && reserved.length === 0 ? NO_FACTS : { claims: reserved, others, own: [] };
  };
}

export function portsText(row: Pick<PortMapRow, 'from' | 'to'>): string {
  return row.from === row.to ? String(row.from) : `${row.from}–${row.to}`;
}

/** A row another profile or process is in the way of, as a problem: "18801 (browser control): inside main's CDP range". */
export function rowProblem(row: Pick<PortMapRow, 'from' | 'to' | 'label' | 'text'>): string {
  return `${portsText(row)} (${row.label}): ${row.text}`;
}
