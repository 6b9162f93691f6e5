/**
 * The host, read once per command into one HostView (src/core/host/view.ts): every profile
 * discovery finds, each one's running gateway (its lock, its /health, the browsers it
 * started), and every TCP listener with its owner. Commands ask the pure functions of the
 * view who holds or claims a port; this file is the only place that reads those facts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { discoverProfiles } from './profile/discover';
import { readGateway } from './gateway/live';
import { parentPidOf } from './gateway/proc';
import { bindProbe, DEFAULT_HOST, findOwners, readEphemeralRange, snapshotListeners } from './ports/probe';
import { footprintSlots, type Footprint } from '../core/ports/footprint';
import type { Listener, ListenerSnapshot, PortHolder } from '../core/ports/listeners';
import type { GatewayRole, Proposal } from '../core/ports/propose';
import type { ProfilePaths } from '../core/profile/paths';
import { attribute, hostProfile, type HostProfile, type HostView } from '../core/host/view';
import { propose } from '../core/host/rules';
import { resolvedPath } from './profile/resolve';

/** Ancestors walked up from a listener's owner to find the gateway that started it (a browser). */
const MAX_ANCESTRY = 6;
/**
 * A listener another command's bind probe opened lives for a moment: a listener that is not a
 * known gateway's or browser's is called taken only when it is still there this much later.
 */
const RECHECK_MS = [15, 45];
const MAX_CONFIRM_ROUNDS = 5;

export interface ReadOptions {
  home: string;
  /** The profile the command acts on (it may not exist yet); omit for the host-wide view of `ports`. */
  current?: ProfilePaths;
  /** Whose /health to ask: every running gateway (default), only the current one's, or none (the lock alone). */
  health?: 'all' | 'current' | 'none';
  /** Ports beyond the profiles' own whose listeners need their owners named (a candidate footprint). */
  ports?: readonly number[];
  /** Name the owners of these ports' listeners only (the watcher, which looks at three ports of one profile). */
  only?: readonly number[];
}

/** The host as one view: read once, then asked by every rule of the command. */
export async function readHost(options: ReadOptions): Promise<HostView> {
  const known = await discoverProfiles(options.home, options.current);
  const health = options.health ?? 'all';
  const [gateways, reals, ephemeral] = await Promise.all([
    Promise.all(known.map((k) => readGateway(k.paths, health === 'all' || (health === 'current' && k.via === 'current')))),
    Promise.all(known.map((k) => realPaths(k.paths, k.loaded.state === 'missing' ? null : hostProfile(k.paths, k.loaded, { via: k.via }).workspace))),
    readEphemeralRange(),
  ]);
  const profiles = known.map((k, i) => hostProfile(k.paths, k.loaded, { via: k.via, ...gateways[i]!, real: reals[i]! }));
  return withListeners({ profiles, listeners: null, ephemeral }, options.ports ?? [], options.only);
}

/**
 * The same profiles and configs, with their gateways (each lock, and with `health` each
 * /health as readHost asks it) and the host's listeners read again: the wizard's port step
 * asks this on every probe, so a holder that exited is free at the next one; `top` between its
 * whole reads of the host (core/top/refresh.ts decides which read a refresh makes).
 */
export async function refreshHost(view: HostView, ports: readonly number[], options: { health?: boolean } = {}): Promise<HostView> {
  const gateways = await Promise.all(view.profiles.map((p) => readGateway(p.paths, options.health === true)));
  const profiles = view.profiles.map((p, i) => ({ ...p, ...gateways[i]! }));
  return withListeners({ ...view, profiles, listeners: null }, ports);
}

async function realPaths(paths: ProfilePaths, workspace: string | null): Promise<HostProfile['real']> {
  const [stateDir, real] = await Promise.all([resolvedPath(paths.stateDir), workspace === null ? null : resolvedPath(workspace)]);
  return { stateDir, workspace: real };
}

function servedPorts(profile: HostProfile): number[] {
  const g = profile.gateway;
  if (g === null) return [];
  const ports = [g.ports.gateway, g.ports.browserControl, ...(g.ports.canvas === null ? [] : [g.ports.canvas])];
  for (let port = g.ports.cdp.from; port <= g.ports.cdp.to; port++) ports.push(port);
  return ports;
}

/** The ports whose holders the view names: every profile's footprint, every running gateway's ports, and the extra ones asked for. */
function portsOfInterest(view: HostView, extra: readonly number[], only: readonly number[] | undefined): Set<number> {
  const ports = new Set(extra);
  if (only !== undefined) return new Set(only);
  for (const p of view.profiles) {
    if (p.footprint !== null) for (const slot of footprintSlots(p.footprint)) ports.add(slot.port);
    for (const port of servedPorts(p)) ports.add(port);
  }
  return ports;
}

/**
 * The listeners on `ports` as they are now, from one read of /proc/net/tcp and tcp6: their
 * owners named, the browsers each gateway started found, and what was only another command's
 * bind probe dropped (a listener no gateway or browser owns must still be there in two later
 * reads before it counts as a holder). `first` is the read itself, for the other ports.
 */
async function settle(start: HostView, ports: ReadonlySet<number>): Promise<{ view: HostView; held: Map<number, PortHolder[]>; first: ListenerSnapshot }> {
  let view = start;
  const first = await snapshotListeners();
  const relevant = first.listeners.filter((l) => ports.has(l.port));
  const likely = view.profiles.flatMap((p) => (p.gateway === null ? [] : [p.gateway.pid, ...p.gateway.browsers]));
  const owners = await findOwners(relevant.map((l) => l.inode), likely);
  let gatewayPids = new Set(view.profiles.flatMap((p) => (p.gateway === null ? [] : [p.gateway.pid])));
  if ([...owners.values()].some((o) => !gatewayPids.has(o.pid))) {
    // A gateway that started after its lock was read holds its lock before it binds: read the locks once more.
    const again = await Promise.all(view.profiles.map((p) => (p.gateway === null ? readGateway(p.paths, false) : null)));
    view = { ...view, profiles: view.profiles.map((p, i) => (again[i] === null ? p : { ...p, ...again[i]! })) };
    gatewayPids = new Set(view.profiles.flatMap((p) => (p.gateway === null ? [] : [p.gateway.pid])));
  }
  const startedBy = await browsersOf([...new Set([...owners.values()].map((o) => o.pid))], gatewayPids);
  const known = (l: Listener) => {
    const pid = owners.get(l.inode)?.pid;
    return pid !== undefined && pid !== process.pid && (gatewayPids.has(pid) || startedBy.has(pid));
  };
  let suspects = relevant.filter((l) => !known(l));
  const gone = new Set<number>();
  for (const wait of suspects.length > 0 ? RECHECK_MS : []) {
    await sleep(wait);
    const still = new Set((await snapshotListeners()).listeners.map((l) => l.inode));
    for (const l of suspects) if (!still.has(l.inode)) gone.add(l.inode);
    suspects = suspects.filter((l) => !gone.has(l.inode));
    if (suspects.length === 0) break;
  }
  const held = new Map<number, PortHolder[]>();
  for (const l of relevant.filter((x) => !gone.has(x.inode))) {
    const owner = owners.get(l.inode);
    const holders = held.get(l.port) ?? [];
    holders.push(owner === undefined ? { address: l.address } : { address: l.address, pid: owner.pid, command: owner.command });
    held.set(l.port, holders);
  }
  const profiles = view.profiles.map((p) => {
    const gateway = p.gateway;
    if (gateway === null) return p;
    const browsers = [...new Set([...gateway.browsers, ...[...startedBy].filter(([, g]) => g === gateway.pid).map(([pid]) => pid)])];
    return browsers.length === gateway.browsers.length ? p : { ...p, gateway: { ...gateway, browsers } };
  });
  return { view: { ...view, profiles }, held, first };
}

/** The view with the host's listeners: those on ports of interest settled and named, the rest listed unnamed (a proposal skips them). */
async function withListeners(start: HostView, extra: readonly number[], only?: readonly number[]): Promise<HostView> {
  const interest = portsOfInterest(start, extra, only);
  const { view, held, first } = await settle(start, interest);
  const listeners = held;
  for (const l of first.listeners) {
    if (interest.has(l.port)) continue;
    const holders = listeners.get(l.port) ?? [];
    holders.push({ address: l.address });
    listeners.set(l.port, holders);
  }
  return { ...view, listeners };
}

/** pid → the gateway pid it descends from, for the owners that are not gateways themselves. */
async function browsersOf(pids: readonly number[], gateways: ReadonlySet<number>): Promise<Map<number, number>> {
  const result = new Map<number, number>();
  if (gateways.size === 0) return result;
  await Promise.all(
    pids
      .filter((pid) => !gateways.has(pid))
      .map(async (pid) => {
        let current: number | null = pid;
        for (let depth = 0; depth < MAX_ANCESTRY && current !== null && current > 1; depth++) {
          current = await parentPidOf(current);
          if (current !== null && gateways.has(current)) {
            result.set(pid, current);
            return;
          }
        }
      }),
  );
  return result;
}

/**
 * The listeners on these ports read again, settled and named as the view's own are: what a
 * writer checks a candidate footprint against, and the words of a refusal or a skipped candidate.
 */
export async function withOwners(view: HostView, ports: readonly number[]): Promise<HostView> {
  const wanted = new Set(ports);
  if (wanted.size === 0) return view;
  const settled = await settle(view, wanted);
  const listeners = new Map(view.listeners ?? []);
  for (const port of wanted) {
    const holders = settled.held.get(port);
    if (holders === undefined) listeners.delete(port);
    else listeners.set(port, holders);
  }
  return { ...settled.view, listeners };
}

/**
 * Confirms with real binds that the ports the view calls free are free (a listener /proc did
 * not show, another OS, one that started since). A refused port is a holder only when /proc
 * shows a listener on it that stays (another command's bind probe does not stay), or, where
 * /proc cannot tell, when every bind was refused. Only free ports are bound: a port self's
 * gateway holds stays its own.
 */
export async function confirmFree(view: HostView, self: HostProfile | null, ports: readonly number[]): Promise<HostView> {
  const free = [...new Set(ports)].filter((port) => attribute(port, view, self).kind === 'free');
  const refused = await bindProbe(free);
  if (refused.size === 0) return view;
  const settled = await settle(view, new Set(refused.keys()));
  const listeners = new Map(view.listeners ?? []);
  let changed = false;
  for (const [port, hosts] of refused) {
    const holders = settled.held.get(port) ?? (settled.first.complete ? undefined : hosts.map((host) => ({ address: host === DEFAULT_HOST ? 'the default address' : host })));
    if (holders === undefined) continue;
    listeners.set(port, [...(listeners.get(port) ?? []), ...holders]);
    changed = true;
  }
  return changed ? { ...settled.view, listeners } : view;
}

/**
 * The one proposal (core/host/rules.ts), confirmed: its footprint's free ports are bound once
 * (a refused one moves the search on), and the owners of ports that made it skip are named.
 * Advice, not a reservation: every writer checks again.
 */
export async function proposeLive(
  view: HostView,
  self: HostProfile | null,
  role: GatewayRole,
  shape: (base: number) => Footprint,
  /** Where the search starts, when not the role's own start (tests start in a block free right now). */
  start?: number,
): Promise<{ proposal: Proposal | null; view: HostView }> {
  const options = { shape, ...(start === undefined ? {} : { start }) };
  let current = view;
  let proposal = propose(current, self, role, options);
  for (let round = 0; proposal !== null && round < MAX_CONFIRM_ROUNDS; round++) {
    const ports = footprintSlots(proposal.footprint).map((s) => s.port);
    const confirmed = await confirmFree(current, self, ports);
    if (confirmed === current) break;
    current = confirmed;
    proposal = propose(current, self, role, options);
  }
  if (proposal === null || proposal.skipped.length === 0) return { proposal, view: current };
  const named = await withOwners(current, proposal.skipped.map((s) => s.port));
  return { proposal: named === current ? proposal : propose(named, self, role, options), view: named };
}
