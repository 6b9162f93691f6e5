/**
 * One truth about the host, pure. host/model.ts reads the host once per command (the known
 * profiles, each one's running gateway, every TCP listener with its owner) into a HostView;
 * every command and wizard step asks the functions here who holds or claims a port, so no
 * two of them can disagree about the same host.
 */
import type { LoadedConfig } from '../config/parse';
import type { Config } from '../config/schema';
import { pinsOf, stripInvalid, type InvalidKey, type Pin, type Raw } from '../config/edits';
import { readTolerant } from '../config/tolerant';
import type { HealthPorts, HealthReport } from '../gateway/health';
import type { LeftLock } from '../gateway/lock';
import { DEFAULT_BASE, footprint, footprintSlots, ROLE_LABEL, type Footprint, type PortRole, type PortSlot } from '../ports/footprint';
import { buildPortMap, describeHolders, type PortMapRow } from '../ports/portmap';
import type { Claim } from '../ports/overlap';
import type { PortHolder } from '../ports/listeners';
import type { ProfilePaths } from '../profile/paths';
import { workspaceFor } from '../profile/plan';

/** A profile's gateway process as its lock (and /health) tell. */
export interface RunningGateway {
  pid: number;
  startedAt: string;
  /** The address its servers listen on. */
  host: string;
  /** What it serves now, which may differ from what its config says. */
  ports: HealthPorts;
  /** 'answered': /health answered from this pid; 'no answer': it lives but is silent; null: not asked. */
  health: 'answered' | 'no answer' | null;
  /** Why /health did not answer. */
  detail: string | null;
  /** What /health answered when it answered from this pid (its watch states, its alert sinks): asked once, read by all. Absent when not asked. */
  report?: HealthReport;
  /** Processes it started that listen (its browsers). */
  browsers: readonly number[];
  /** sha256 of the config bytes it started on (its lock's); absent from a lock an older epiloop wrote. */
  configSha256?: string;
}

/** What a config still says when it is broken: the valid part, for footprints and repairs. */
export interface ReadableConfig {
  /** The keys that validate (a rejected one removed or, for a port written as a string, made a number). */
  raw: Raw | undefined;
  config: Config | undefined;
  invalid: InvalidKey[];
  /** The file did not parse: `raw` is what a tolerant read recovered, `lost` what it could not. */
  recovered: boolean;
  lost: string[];
}

export interface HostProfile {
  paths: ProfilePaths;
  loaded: LoadedConfig;
  readable: ReadableConfig;
  /** The base its own config gives (never --port or an env port of this run); null when it cannot be read. */
  base: number | null;
  footprint: Footprint | null;
  /** Absolute workspace (null when the config says nothing readable), and both paths with symlinks resolved by the host. */
  workspace: string | null;
  real: { workspace: string | null; stateDir: string };
  pins: Pin[];
  gateway: RunningGateway | null;
  /** What is left of its gateway.lock while no gateway of this profile runs (stale, a copy of another's, broken), judged with `gateway` (core/gateway/lock.ts); none while one runs. */
  lock: LeftLock;
  via: 'state-dir' | 'service' | 'current';
}

export interface HostView {
  profiles: readonly HostProfile[];
  /** Every TCP listener by port (owners named where the host tells); null when the host was not read. */
  listeners: ReadonlyMap<number, readonly PortHolder[]> | null;
  ephemeral: { from: number; to: number } | null;
}

// ── a profile, from its files ──

/** The valid part of a config: all of a good one, the accepted keys of an invalid one, what a tolerant read recovers of a broken one. */
export function readableConfig(loaded: LoadedConfig): ReadableConfig {
  if (loaded.state === 'missing') return { raw: undefined, config: undefined, invalid: [], recovered: false, lost: [] };
  if (loaded.state === 'ok') return { raw: loaded.raw, config: loaded.config, invalid: [], recovered: false, lost: [] };
  // A file epiloop would not read (a FIFO, a link out, 50 MB): nothing of it is known, not even a default base.
  if (loaded.error.kind === 'refused') return { raw: undefined, config: undefined, invalid: [], recovered: false, lost: [] };
  if (loaded.raw !== undefined) return { ...stripInvalid(loaded.raw), recovered: false, lost: [] };
  const read = readTolerant(loaded.text);
  return { ...stripInvalid(read.raw), recovered: true, lost: read.lost };
}

/**
 * The base a config gives: its port, 18789 when a file that reads names none, null when its
 * port was rejected or could not be read — or when a broken file names none (a truncated file
 * may have lost it; 18789 would be a guess that moves a healthy profile off its base).
 */
export function configBase(readable: ReadableConfig, loaded: LoadedConfig): number | null {
  if (loaded.state === 'missing' || readable.config === undefined) return null;
  const port = readable.config.gateway?.port;
  if (port !== undefined) return port;
  const portKeys = ['gateway', 'port'];
  const rejected = readable.invalid.some(({ keys }) => keys.every((k, i) => portKeys[i] === k));
  if (rejected || readable.recovered) return null;
  return DEFAULT_BASE;
}

/** A profile as the view holds it; the host fills in real paths and the running gateway. */
export function hostProfile(
  paths: ProfilePaths,
  loaded: LoadedConfig,
  extra: { via: HostProfile['via']; gateway?: RunningGateway | null; lock?: LeftLock; real?: Partial<HostProfile['real']> },
): HostProfile {
  const readable = readableConfig(loaded);
  const base = configBase(readable, loaded);
  const workspace = loaded.state === 'missing' ? null : workspaceFor(readable.config, paths);
  return {
    paths,
    loaded,
    readable,
    base,
    footprint: base === null ? null : footprint(readable.config, base),
    workspace,
    real: { workspace: extra.real?.workspace ?? workspace, stateDir: extra.real?.stateDir ?? paths.stateDir },
    pins: pinsOf(readable.raw),
    gateway: extra.gateway ?? null,
    lock: extra.lock ?? { state: 'none' },
    via: extra.via,
  };
}

/**
 * The view with self's config replaced by `loaded` (its running gateway, lock and paths kept):
 * a writer judges the config it is about to write against the host as it stands.
 */
export function withConfig(view: HostView, self: HostProfile, loaded: LoadedConfig): { view: HostView; self: HostProfile } {
  const next = hostProfile(self.paths, loaded, { via: self.via, gateway: self.gateway, lock: self.lock, real: { stateDir: self.real.stateDir } });
  return { view: { ...view, profiles: view.profiles.map((p) => (p === self ? next : p)) }, self: next };
}

/** The profile this command acts on (discovered as the current one). */
export function currentOf(view: HostView): HostProfile {
  const current = view.profiles.find((p) => p.via === 'current');
  if (current === undefined) throw new Error('the host view has no current profile');
  return current;
}

// ── the index every lookup uses ──

interface Index {
  /** port → other profiles' config reservations. */
  config: Map<number, { profile: HostProfile; claim: Claim }[]>;
  /** port → the ranges running gateways serve now. */
  served: Map<number, { profile: HostProfile; claim: Claim }[]>;
  pids: Map<number, { profile: HostProfile; as: 'gateway' | 'browser' }>;
}

const indexes = new WeakMap<HostView, Index>();

function servedSlots(ports: HealthPorts): PortSlot[] {
  const slots: PortSlot[] = [
    { port: ports.gateway, role: 'gateway' },
    { port: ports.browserControl, role: 'browser-control' },
  ];
  if (ports.canvas !== null) slots.push({ port: ports.canvas, role: 'canvas' });
  for (let port = ports.cdp.from; port <= ports.cdp.to; port++) slots.push({ port, role: 'cdp' });
  return slots;
}

function indexOf(view: HostView): Index {
  const cached = indexes.get(view);
  if (cached !== undefined) return cached;
  const index: Index = { config: new Map(), served: new Map(), pids: new Map() };
  const add = (map: Index['config'], profile: HostProfile, slot: PortSlot, served: boolean) => {
    const list = map.get(slot.port) ?? [];
    if (list.some((c) => c.profile === profile)) return;
    const claim: Claim = { label: profile.paths.label, role: slot.role };
    if (slot.detail !== undefined) claim.detail = slot.detail;
    if (served) claim.served = true;
    list.push({ profile, claim });
    map.set(slot.port, list);
  };
  for (const profile of view.profiles) {
    if (profile.footprint !== null) for (const slot of footprintSlots(profile.footprint)) add(index.config, profile, slot, false);
    const gateway = profile.gateway;
    if (gateway === null) continue;
    for (const slot of servedSlots(gateway.ports)) add(index.served, profile, slot, true);
    index.pids.set(gateway.pid, { profile, as: 'gateway' });
    for (const pid of gateway.browsers) if (!index.pids.has(pid)) index.pids.set(pid, { profile, as: 'browser' });
  }
  indexes.set(view, index);
  return index;
}

/** Whose process a listener is: by pid, or (pid not visible) by the ports a running gateway serves. */
function ownerOf(holder: PortHolder, port: number, index: Index): { profile: HostProfile; as: 'gateway' | 'browser' } | null {
  if (holder.pid !== undefined) return index.pids.get(holder.pid) ?? null;
  const served = index.served.get(port)?.[0];
  if (served === undefined) return null;
  return { profile: served.profile, as: served.claim.role === 'cdp' ? 'browser' : 'gateway' };
}

const claimsCache = new WeakMap<HostView, Map<HostProfile | null, Map<number, Claim[]>>>();

/** Port → the profiles other than self that claim it (by config, or running elsewhere): what a proposal must stay clear of. */
export function claimsAgainst(view: HostView, self: HostProfile | null): ReadonlyMap<number, readonly Claim[]> {
  let bySelf = claimsCache.get(view);
  if (bySelf === undefined) claimsCache.set(view, (bySelf = new Map()));
  const cached = bySelf.get(self);
  if (cached !== undefined) return cached;
  const index = indexOf(view);
  const claims = new Map<number, Claim[]>();
  for (const map of [index.config, index.served]) {
    for (const [port, entries] of map) {
      for (const { profile, claim } of entries) {
        if (profile === self) continue;
        const list = claims.get(port) ?? [];
        if (!list.some((c) => c.label === claim.label)) list.push(claim);
        claims.set(port, list);
      }
    }
  }
  bySelf.set(self, claims);
  return claims;
}

// ── one port ──

/** Everything the view knows about one port, seen from `self`. */
export interface PortFacts {
  port: number;
  /** Other profiles reserving it: by their config, or (served) where their running gateway serves now. */
  claims: Claim[];
  /** Listeners of self's own gateway or of the browsers it started. */
  own: { holder: PortHolder; as: 'gateway' | 'browser' }[];
  /** Every other listener: another profile's gateway or browser (named in the holder), or a foreign process. */
  others: PortHolder[];
  /** false when the host's listeners were not read (the wizard before its probe answers). */
  live: boolean;
}

export function portFacts(port: number, view: HostView, self: HostProfile | null): PortFacts {
  const index = indexOf(view);
  const claims = (index.config.get(port) ?? []).filter((c) => c.profile !== self).map((c) => c.claim);
  for (const s of index.served.get(port) ?? []) {
    if (s.profile !== self && !claims.some((c) => c.label === s.claim.label)) claims.push(s.claim);
  }
  const own: PortFacts['own'] = [];
  const others: PortHolder[] = [];
  for (const holder of view.listeners?.get(port) ?? []) {
    const owner = ownerOf(holder, port, index);
    if (owner !== null && owner.profile === self) own.push({ holder, as: owner.as });
    else if (owner !== null) others.push(owner.as === 'gateway' ? { ...holder, gateway: owner.profile.paths.label } : { ...holder, browserOf: owner.profile.paths.label });
    else others.push(holder);
  }
  return { port, claims, own, others, live: view.listeners !== null };
}

export type Attribution =
  | { kind: 'free' }
  /** The host's listeners were not read. */
  | { kind: 'unknown' }
  | { kind: 'own-gateway'; pid: number | null }
  | { kind: 'own-browser'; pid: number | null }
  | {
      kind: 'profile';
      label: string;
      role: PortRole;
      detail?: string;
      /** running: that profile's gateway or browser holds it or serves its range; reserved: only its config claims it. */
      state: 'running' | 'reserved';
      /** Its config reserves the port (not only its running gateway). */
      claimed: boolean;
      pid: number | null;
    }
  | { kind: 'foreign'; holders: PortHolder[] };

/** Who holds or claims a port, seen from `self`: the one answer every command gives. */
export function attribute(port: number, view: HostView, self: HostProfile | null): Attribution {
  return attributionOf(portFacts(port, view, self), view);
}

export function attributionOf(facts: PortFacts, view: HostView): Attribution {
  const running = facts.others.find((h) => h.gateway !== undefined || h.browserOf !== undefined);
  if (running !== undefined) {
    const label = (running.gateway ?? running.browserOf)!;
    const claim = facts.claims.find((c) => c.label === label);
    return {
      kind: 'profile',
      label,
      role: claim?.role ?? (running.browserOf !== undefined ? 'cdp' : 'gateway'),
      ...(claim?.detail === undefined ? {} : { detail: claim.detail }),
      state: 'running',
      claimed: claim !== undefined && claim.served !== true,
      pid: running.pid ?? null,
    };
  }
  const claim = facts.claims[0];
  if (claim !== undefined) {
    const serves = claim.served === true || (indexOf(view).served.get(facts.port) ?? []).some((s) => s.claim.label === claim.label);
    return {
      kind: 'profile',
      label: claim.label,
      role: claim.role,
      ...(claim.detail === undefined ? {} : { detail: claim.detail }),
      state: serves ? 'running' : 'reserved',
      claimed: claim.served !== true,
      pid: null,
    };
  }
  if (facts.others.length > 0) return { kind: 'foreign', holders: facts.others };
  const own = facts.own[0];
  if (own !== undefined) return own.as === 'gateway' ? { kind: 'own-gateway', pid: own.holder.pid ?? null } : { kind: 'own-browser', pid: own.holder.pid ?? null };
  return facts.live ? { kind: 'free' } : { kind: 'unknown' };
}

/** A port a profile may take: free, or its own gateway's or browser's (unknown: not probed yet). */
export function usable(a: Attribution): boolean {
  return a.kind === 'free' || a.kind === 'unknown' || a.kind === 'own-gateway' || a.kind === 'own-browser';
}

function roleWords(role: PortRole, detail: string | undefined): string {
  return role === 'cdp-pinned' ? `pinned CDP port of browser profile "${detail}"` : ROLE_LABEL[role];
}

/** The attribution in words, as every command prints it. */
export function describeAttribution(a: Attribution): string {
  switch (a.kind) {
    case 'free':
      return 'free';
    case 'unknown':
      return 'not probed';
    case 'own-gateway':
      return `this gateway${a.pid === null ? '' : ` (pid ${a.pid})`}`;
    case 'own-browser':
      return `a browser of this gateway${a.pid === null ? '' : ` (pid ${a.pid})`}`;
    case 'profile':
      if (a.claimed || a.pid === null) return `inside ${a.label}'s ${a.claimed ? '' : 'running '}${roleWords(a.role, a.detail)}`;
      return `bound by ${a.role === 'cdp' ? `a browser of ${a.label}'s gateway` : `${a.label}'s gateway`} (pid ${a.pid})`;
    case 'foreign':
      return describeHolders(a.holders);
  }
}

// ── a footprint ──

/** One slot of a footprint that another profile claims or another process holds. */
export interface SlotFacts extends PortFacts {
  slot: PortSlot;
}

/** Every slot of a footprint with what the view knows about its port. */
export function footprintFacts(view: HostView, self: HostProfile | null, fp: Footprint): SlotFacts[] {
  return footprintSlots(fp).map((slot) => ({ slot, ...portFacts(slot.port, view, self) }));
}

/** The slots self could not take: claimed by another profile, or held by anything but its own gateway and browsers. */
export function footprintConflicts(view: HostView, self: HostProfile | null, fp: Footprint): SlotFacts[] {
  return footprintFacts(view, self, fp).filter((f) => f.claims.length > 0 || f.others.length > 0);
}

function ownWords(own: PortFacts['own'][number]): string {
  return describeAttribution(own.as === 'gateway' ? { kind: 'own-gateway', pid: own.holder.pid ?? null } : { kind: 'own-browser', pid: own.holder.pid ?? null });
}

/**
 * The port map of a footprint seen from `self` (core/ports/portmap.ts draws it): what self's
 * own gateway and browsers hold is `own`, anything else bound is another process's.
 */
export function portMap(view: HostView, self: HostProfile | null, fp: Footprint): PortMapRow[] {
  return buildPortMap(fp, view.listeners !== null, (port) => {
    const facts = portFacts(port, view, self);
    return { claims: facts.claims, others: facts.others, own: facts.own.map((o) => ({ holder: o.holder, words: ownWords(o) })) };
  });
}

/** The rows a base cannot be used with: another profile's, or a foreign process's. */
export function conflictRows(rows: readonly PortMapRow[]): PortMapRow[] {
  return rows.filter((r) => r.state === 'claimed' || (r.state === 'bound' && r.own !== true));
}
