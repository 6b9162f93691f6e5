/**
 * The rules every command applies to the host view, one function each: may this base be
 * used, which base to propose, do two workspaces collide, does a URL land in another
 * profile, does a running gateway serve what its config says. Pure.
 */
import path from 'node:path';
import { footprintPorts, MAX_BASE, type Footprint } from '../ports/footprint';
import { namesThisHost } from '../gateway/plan';
import { isWorkspaceName } from '../profile/identity';
import type { Pin } from '../config/edits';
import { describeHolders, type PortMapRow } from '../ports/portmap';
import { PREFERRED_START, proposeBase, roleForProfile, type GatewayRole, type Proposal } from '../ports/propose';
import { attribute, claimsAgainst, conflictRows, describeAttribution, footprintConflicts, portFacts, portMap, type HostProfile, type HostView } from './view';

// ── bases ──

/** Whether self may use a footprint: no port another profile claims or another process holds; its own gateway's and browsers' ports are no conflict. */
export function mayUseBase(view: HostView, self: HostProfile | null, fp: Footprint): { ok: true } | { ok: false; rows: PortMapRow[] } {
  if (footprintConflicts(view, self, fp).length === 0) return { ok: true };
  return { ok: false, rows: conflictRows(portMap(view, self, fp)) };
}

/**
 * Where a profile's proposal starts: a gateway that watches others is a rescue (19789);
 * otherwise its name decides (18789 for the default profile and "main", 19789 for "rescue",
 * 20789 for any other). setup, the wizard (all its modes) and doctor all ask this.
 */
export function proposalRole(profile: string | null, watchesOthers: boolean): GatewayRole {
  return watchesOthers ? 'rescue' : roleForProfile(profile);
}

/** The role a profile's proposal starts from, as its config stands (a config that watches others is a rescue). */
export function roleOf(self: HostProfile): GatewayRole {
  return proposalRole(self.paths.profile, (self.readable.config?.watch?.profiles?.length ?? 0) > 0);
}

export interface ProposeOptions {
  /** The footprint a base would have (the profile's own overrides kept); default: no overrides. */
  shape: (base: number) => Footprint;
  start?: number;
}

/**
 * The one proposal: the first base at or above the role's start whose whole footprint lands
 * on nothing but free ports or self's own gateway and browsers. A profile whose gateway runs
 * gets the base it serves first, when that is still clear: nothing moves that need not.
 */
export function propose(view: HostView, self: HostProfile | null, role: GatewayRole, options: ProposeOptions): Proposal | null {
  const busy = (port: number) => {
    const others = portFacts(port, view, self).others;
    return others.length > 0 ? describeHolders(others) : null;
  };
  const serving = self?.gateway?.ports.gateway;
  const prefer = serving !== undefined && serving <= MAX_BASE ? serving : undefined;
  return proposeBase({
    role,
    claims: claimsAgainst(view, self),
    busy,
    shape: options.shape,
    start: options.start ?? PREFERRED_START[role],
    ephemeral: view.ephemeral,
    ...(prefer === undefined ? {} : { prefer }),
  });
}

// ── the running gateway against its config ──

export interface GatewayMismatch {
  /** Where the base the command uses comes from, in words ("the config", "--port", …). */
  says: string;
  base: number;
  serves: number;
  pid: number;
  since: string;
  /** What differs, in words: "config says 18999, the gateway serves 18789 since …". */
  text: string;
}

const SOURCE_WORDS: Record<string, string> = { config: 'the config', default: 'the default', '--port': '--port', EPILOOP_GATEWAY_PORT: 'EPILOOP_GATEWAY_PORT' };

/** A running gateway that serves other ports than the footprint self would have now: a finding in every command. */
export function gatewayMismatch(self: Pick<HostProfile, 'gateway'>, fp: Footprint, source: string): GatewayMismatch | null {
  const gateway = self.gateway;
  if (gateway === null) return null;
  const serves = gateway.ports;
  const says = SOURCE_WORDS[source] ?? source;
  const pairs: [string, number | null, number | null][] = [
    ['gateway', fp.gateway, serves.gateway],
    ['browser control', fp.browserControl, serves.browserControl],
    ['canvas host', fp.canvas, serves.canvas],
  ];
  const differs = pairs.find(([, want, has]) => want !== has);
  if (differs === undefined) return null;
  const [role, want, has] = differs;
  const text =
    role === 'gateway'
      ? `${says} says ${want}, the gateway (pid ${gateway.pid}) serves ${has} since ${gateway.startedAt}`
      : `${says} puts the ${role} at ${want ?? 'none'}, the gateway (pid ${gateway.pid}) serves it at ${has ?? 'none'} since ${gateway.startedAt}`;
  return { says, base: fp.gateway, serves: serves.gateway, pid: gateway.pid, since: gateway.startedAt, text };
}

/** How to restart a running gateway, in words: through its service, or by hand. */
export function restartWords(pid: number, invocation: string | null, serviceInstalled: boolean): string {
  if (invocation === null) return `restart it (${serviceInstalled ? 'through its service' : `stop pid ${pid} and start it again`})`;
  return serviceInstalled ? `restart it ("${invocation} gateway restart")` : `restart it ("${invocation} restart")`;
}

/**
 * The fix in words: restart the gateway (through its service when one is installed), or
 * point the config back at what it serves. `invocation` ("epiloop --profile main") names the
 * commands to run; without it (another profile's fix) the words say what to do.
 */
export function mismatchFix(m: GatewayMismatch, invocation: string | null, serviceInstalled: boolean): string {
  const restart = restartWords(m.pid, invocation, serviceInstalled);
  if (m.base === m.serves) return `${restart} so it serves what the config says`;
  const fromConfig = m.says === 'the config' || m.says === 'the default';
  const back = !fromConfig ? `${m.says}=${m.serves}` : invocation === null ? `gateway.port ${m.serves}` : `"${invocation} setup --port ${m.serves}"`;
  return `${restart} or set the port back (${back})`;
}

// ── workspaces ──

export type WorkspaceRelation = 'same' | 'inside' | 'contains';

function within(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** Two absolute workspaces (symlinks already resolved by the host): the same folder, or one inside the other. */
export function workspaceConflict(a: string, b: string): WorkspaceRelation | null {
  if (a === b) return 'same';
  if (within(a, b)) return 'inside';
  if (within(b, a)) return 'contains';
  return null;
}

export interface WorkspaceConflict {
  label: string;
  /** same / inside / contains: against its workspace; state-dir: inside its state dir; own-state-dir: self's own state dir itself. */
  relation: WorkspaceRelation | 'state-dir' | 'own-state-dir';
  /** Their folder (workspace or state dir), absolute. */
  other: string;
}

/**
 * Every profile a workspace collides with: another's workspace (equal or nested either way,
 * also through a symlink), inside another's state dir (the workspace-* folders that profiles
 * get by default inside the default profile's state dir excepted), or self's state dir itself.
 * `candidate.real` is the path with symlinks resolved (the host resolves it; the same path when it cannot).
 */
export function workspaceConflicts(view: HostView, self: HostProfile, candidate: { path: string; real: string }): WorkspaceConflict[] {
  const mine = [...new Set([path.resolve(candidate.path), path.resolve(candidate.real)])];
  const conflicts: WorkspaceConflict[] = [];
  if (mine.some((m) => m === self.paths.stateDir || m === self.real.stateDir)) {
    conflicts.push({ label: self.paths.label, relation: 'own-state-dir', other: self.paths.stateDir });
  }
  const defaultsDir = path.dirname(self.paths.defaultWorkspace);
  for (const other of view.profiles) {
    if (other === self) continue;
    const theirs = [...new Set([other.workspace, other.real.workspace].filter((w): w is string => w !== null))];
    let relation: WorkspaceRelation | null = null;
    for (const m of mine) for (const t of theirs) relation ??= workspaceConflict(m, t);
    if (relation !== null) {
      conflicts.push({ label: other.paths.label, relation, other: other.workspace ?? theirs[0]! });
      continue;
    }
    const stateDirs = [...new Set([other.paths.stateDir, other.real.stateDir])];
    const inside = mine.some((m) =>
      stateDirs.some((dir) => within(m, dir) && !(other.paths.stateDir === defaultsDir && isWorkspaceName(path.relative(dir, m).split(path.sep)[0]!))),
    );
    if (inside) conflicts.push({ label: other.paths.label, relation: 'state-dir', other: other.paths.stateDir });
  }
  return conflicts;
}

/** A conflict in words: "~/w is inside main's workspace ~/.epiloop/workspace-main". */
export function workspaceConflictWords(c: WorkspaceConflict, shown: string, show: (p: string) => string): string {
  switch (c.relation) {
    case 'same':
      return `${shown} is also ${c.label}'s workspace`;
    case 'inside':
      return `${shown} is inside ${c.label}'s workspace ${show(c.other)}`;
    case 'contains':
      return `${shown} contains ${c.label}'s workspace ${show(c.other)}`;
    case 'state-dir':
      return `${shown} is inside ${c.label}'s state dir ${show(c.other)}`;
    case 'own-state-dir':
      return `${shown} is this profile's state dir itself`;
  }
}

// ── pinned endpoints ──

/**
 * Whether a browser endpoint another profile uses: a URL another profile pins, or a URL on
 * this host (or a pinned CDP port) whose port lands in another profile's footprint, its
 * running gateway or one of its browsers. Null when it is clear.
 */
export function urlConflict(target: { url: string } | { port: number }, view: HostView, self: HostProfile | null): { label: string; text: string } | null {
  let port: number;
  if ('url' in target) {
    const url = parsedUrl(target.url);
    if (url === null) return null;
    for (const other of view.profiles) {
      if (other === self) continue;
      const pin = other.pins.find((p) => p.kind === 'url' && p.value === url.href);
      if (pin !== undefined) return { label: other.paths.label, text: `${other.paths.label} already uses ${url.href}` };
    }
    const local = localPort(url, view);
    if (local === null) return null;
    port = local;
  } else port = target.port;
  const a = attribute(port, view, self);
  if (a.kind !== 'profile') return null;
  return { label: a.label, text: `port ${port} is ${describeAttribution(a)}` };
}

function parsedUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** The port a URL reaches on this host (loopback, or an address a running gateway serves on); null for another host. */
function localPort(url: URL, view: HostView): number | null {
  const hosts = new Set(view.profiles.flatMap((p) => (p.gateway === null ? [] : [p.gateway.host])));
  if (!namesThisHost(url.hostname) && !hosts.has(url.hostname)) return null;
  return url.port !== '' ? Number(url.port) : url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80;
}

const OWN_SERVER_WORDS = { gateway: 'gateway', browserControl: 'browser control', canvas: 'canvas host' } as const;

/**
 * A remote browser URL that reaches one of the profile's own servers (its gateway, browser
 * control or canvas port, as `fp` places them): the gateway would drive itself, not a Chrome.
 * Null when the URL is another host's, or a port of this host the footprint's servers leave alone.
 */
export function ownServerConflict(text: string, fp: Footprint, label: string, view: HostView): string | null {
  const url = parsedUrl(text);
  const port = url === null ? null : localPort(url, view);
  if (port === null) return null;
  for (const key of ['gateway', 'browserControl', 'canvas'] as const) {
    if (fp[key] === port) return `port ${port} is ${label}'s own ${OWN_SERVER_WORDS[key]} port, not a Chrome's`;
  }
  return null;
}

/**
 * The remote browsers (`cdpUrl` pins) of a config that land on the profile's own servers, in
 * another profile's footprint, its running gateway or one of its browsers, or that another
 * profile pins too: doctor reports them, the gateway refuses to start with them. `fp` is where
 * the profile's own servers are (the gateway passes the base it is about to bind).
 */
export function cdpUrlConflicts(pins: readonly Pin[], view: HostView, self: HostProfile | null, fp: Footprint | null = self?.footprint ?? null): { pin: Pin; text: string; own?: true }[] {
  return pins
    .filter((pin) => pin.kind === 'url' && pin.keys[pin.keys.length - 1] === 'cdpUrl')
    .flatMap((pin) => {
      const own = fp === null || self === null ? null : ownServerConflict(pin.value, fp, self.paths.label, view);
      if (own !== null) return [{ pin, text: own, own: true as const }];
      const text = urlConflict({ url: pin.value }, view, self)?.text ?? null;
      return text === null ? [] : [{ pin, text }];
    });
}

/** Ports as ranges: neighbours up to 10 apart read as one ("19789–19899" for a footprint, its gaps too small to hold a Chrome worth naming). */
function rangesWords(ports: Iterable<number>): string {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const port of sorted) {
    const last = ranges.at(-1);
    if (last !== undefined && port - last[1] <= 10) last[1] = port;
    else ranges.push([port, port]);
  }
  return ranges.map(([from, to]) => (from === to ? String(from) : `${from}–${to}`)).join(', ');
}

/**
 * Where a remote browser (a cdpUrl) of this host may be, in words: a port outside the profile's
 * own servers (`fp`) and the other profiles' footprints, each named with its owner.
 */
export function cdpUrlRoom(fp: Footprint, view: HostView, self: HostProfile): string {
  const own = [fp.gateway, fp.browserControl, ...(fp.canvas === null ? [] : [fp.canvas])];
  const ownWords = own.length === 1 ? String(own[0]) : `${own.slice(0, -1).join(', ')} and ${own.at(-1)}`;
  const others = view.profiles.flatMap((p) => (p === self || p.footprint === null ? [] : [`${p.paths.label}: ${rangesWords(footprintPorts(p.footprint))}`]));
  return `on a port outside this profile's own ${ownWords}${others.length === 0 ? '' : ` and other profiles' (${others.join('; ')})`}`;
}
