/**
 * Gathers the facts about one profile (its config, the other profiles on the host, the
 * live ports, the modes of its files) and turns them into findings with the pure
 * functions of findings.ts. Reads only: nothing here writes.
 */
import { lstat, readlink, stat } from 'node:fs/promises';
import type { Config } from '../config/schema';
import { healthPorts, type HealthPorts } from '../gateway/health';
import { nameGatewayHolders } from '../gateway/live';
import { readGatewayLock } from '../gateway/pidlock';
import { parentPidOf } from '../gateway/proc';
import type { LoadedConfig } from '../config/store';
import { DEFAULT_BASE, footprint, footprintSlots, type Footprint } from '../ports/footprint';
import { loadHostProfiles } from '../ports/host';
import type { Claim } from '../ports/overlap';
import { probePorts, type PortHolder, type PortState } from '../ports/probe';
import { roleForProfile, type GatewayRole } from '../ports/propose';
import type { ServiceStatus } from '../service/install';
import { tildify, type ProfilePaths } from '../profile/paths';
import { workspaceFor } from '../profile/apply';
import { pinsOf, stripInvalid, type InvalidKey, type Pin, type Raw } from './edits';
import {
  blockedByLink,
  boundFindings,
  configFindings,
  configLinkFinding,
  fsFindings,
  overlapFindings,
  serviceFindings,
  sharedPinFindings,
  sharedWorkspaceFindings,
  slotConflicts,
  type Finding,
  type FsFacts,
  type SlotConflict,
} from './findings';

/** This profile's running gateway, from its lock: the ports it holds are not findings. */
export interface OwnGateway {
  pid: number;
  ports: HealthPorts;
}

export interface Diagnosis {
  paths: ProfilePaths;
  loaded: LoadedConfig;
  findings: Finding[];
  home: string;
  env: Record<string, string | undefined>;
  role: GatewayRole;
  /** The ports the other profiles on the host reserve (their files are read, never written). */
  claims: Map<number, Claim[]>;
  /** The config with every rejected key removed: where fixes start. null when nothing could be parsed. */
  kept: { raw: Raw; config: Config; invalid: InvalidKey[] } | null;
  /** The base the config gives; null when the config is unreadable or its port invalid. */
  base: number | null;
  footprint: Footprint | null;
  conflicts: SlotConflict[];
  own: OwnGateway | null;
  /** Pins of this profile that another profile pins to the same value. */
  sharedPins: Pin[];
  /** Absolute workspace path, null when the config does not say (unreadable or missing). */
  workspace: string | null;
  /** The profile's gateway service, as the service module sees it. */
  service: ServiceStatus;
  /** Modes from stat (null = missing; for the config also a symlink, which doctor never touches): what the permission and mkdir fixes act on. */
  modes: { stateDir: number | null; config: number | null; workspace: number | null };
  /** Where the config links to, when it is a symlink (the store will not write through one); else null. */
  configLink: string | null;
}

export interface DiagnoseOptions {
  home: string;
  env: Record<string, string | undefined>;
}

export async function diagnose(paths: ProfilePaths, options: DiagnoseOptions): Promise<Diagnosis> {
  const { home } = options;
  const shown = (p: string) => tildify(p, home);
  const host = await loadHostProfiles(paths, home);
  const loaded = host.current.loaded;
  const role = roleForProfile(paths.profile);
  const who = { role, label: paths.label };
  const kept = keptConfig(loaded);
  const base = kept === null ? null : baseOf(kept);
  const fp = base === null ? null : footprint(kept!.config, base);
  const workspace = kept === null ? null : workspaceFor(kept.config, paths);
  // The service module loads only here: reading a config does not need it.
  const configLink = await linkTarget(paths.configPath);
  const [own, modes, service] = await Promise.all([
    readOwnGateway(paths.stateDir),
    modesOf(paths, workspace, configLink !== null),
    import('../service/install').then(({ serviceStatus }) => serviceStatus(paths, { env: options.env, home })),
  ]);
  // A port another profile's gateway holds is named after that profile, never a process to stop.
  const foreign = fp === null ? new Map<number, PortState>() : await nameGatewayHolders(await foreignStates(fp, own), [host.current, ...host.others]);
  const conflicts = fp === null ? [] : slotConflicts(fp, kept!.config, host.claims, foreign);

  let findings: Finding[] = [];
  if (configLink !== null) findings.push(configLinkFinding({ shown: shown(paths.configPath), absolute: paths.configPath, target: configLink }));
  findings.push(...configFindings(loaded, kept?.invalid ?? [], shown(paths.configPath), who));
  if (fp !== null) {
    const configOf = (label: string) => {
      const other = host.others.find((k) => k.paths.label === label);
      return other === undefined ? undefined : shown(other.paths.configPath);
    };
    findings.push(...overlapFindings(conflicts, base!, who, configOf));
    findings.push(...boundFindings(fp, conflicts, foreign, who));
  }
  const others = host.others.map((k) => ({ label: k.paths.label, pins: pinsOf(k.loaded.state === 'missing' ? undefined : k.loaded.raw) }));
  const shared = kept === null ? [] : sharedPinFindings(pinsOf(kept.raw), others);
  findings.push(...shared.map((s) => s.finding));
  if (workspace !== null) {
    const dirs = host.others.map((k) => ({ label: k.paths.label, stateDir: k.paths.stateDir, workspace: workspaceFor(keptConfig(k.loaded)?.config, k.paths) }));
    findings.push(...sharedWorkspaceFindings({ workspace, defaultWorkspace: paths.defaultWorkspace }, dirs, shown));
  }
  // A missing config is fixed by creating the whole profile: its dirs are no separate findings.
  if (loaded.state !== 'missing') findings.push(...fsFindings(fsFacts(paths, workspace, modes, shown)));
  findings.push(...serviceFindings(service, service.file === null ? null : shown(service.file)));
  if (configLink !== null) findings = blockedByLink(findings);

  return {
    paths,
    loaded,
    findings,
    home,
    env: options.env,
    role,
    claims: host.claims,
    kept,
    base,
    footprint: fp,
    conflicts,
    own,
    sharedPins: shared.map((s) => s.pin),
    workspace,
    service,
    modes,
    configLink,
  };
}

function keptConfig(loaded: LoadedConfig): Diagnosis['kept'] {
  if (loaded.state === 'ok') return { raw: loaded.raw, config: loaded.config, invalid: [] };
  if (loaded.state === 'invalid' && loaded.raw !== undefined) return stripInvalid(loaded.raw);
  return null;
}

/** A rejected gateway.port (or a rejected object around it) leaves no base: 18789 would be a guess. */
function baseOf(kept: NonNullable<Diagnosis['kept']>): number | null {
  const portKeys = ['gateway', 'port'];
  if (kept.invalid.some(({ keys }) => keys.every((k, i) => portKeys[i] === k))) return null;
  return kept.config.gateway?.port ?? DEFAULT_BASE;
}

async function readOwnGateway(stateDir: string): Promise<OwnGateway | null> {
  const lock = await readGatewayLock(stateDir);
  return lock.state === 'running' ? { pid: lock.lock.pid, ports: lock.lock.ports } : null;
}

/**
 * The live state of a footprint's ports with this profile's own gateway left out: a port
 * held by the gateway's pid or one of its children (a browser it started) is in use, not
 * in conflict. A holder /proc does not name counts as own only when the lock says the
 * gateway serves this very footprint.
 */
export async function foreignStates(fp: Footprint, own: OwnGateway | null): Promise<Map<number, PortState>> {
  const states = await probePorts([...new Set(footprintSlots(fp).map((s) => s.port))]);
  if (own === null) return states;
  const unnamedAreOwn = JSON.stringify(own.ports) === JSON.stringify(healthPorts(fp));
  const ownPids = new Map<number, boolean>();
  const isOwn = async (holder: PortHolder): Promise<boolean> => {
    if (holder.pid === undefined) return unnamedAreOwn;
    if (!ownPids.has(holder.pid)) ownPids.set(holder.pid, await descendsFrom(holder.pid, own.pid));
    return ownPids.get(holder.pid)!;
  };
  const result = new Map<number, PortState>();
  for (const [port, state] of states) {
    if (state.state === 'free') {
      result.set(port, state);
      continue;
    }
    const holders: PortHolder[] = [];
    for (const holder of state.holders) if (!(await isOwn(holder))) holders.push(holder);
    result.set(port, holders.length > 0 ? { state: 'bound', holders } : { state: 'free' });
  }
  return result;
}

const MAX_ANCESTRY = 32;

/** Follows parent links up from pid; without /proc only the pid itself matches. */
async function descendsFrom(pid: number, ancestor: number): Promise<boolean> {
  let current: number | null = pid;
  for (let depth = 0; depth < MAX_ANCESTRY && current !== null && current > 1; depth++) {
    if (current === ancestor) return true;
    current = await parentPidOf(current);
  }
  return false;
}

async function modeOf(p: string): Promise<number | null> {
  try {
    return (await stat(p)).mode;
  } catch {
    return null;
  }
}

/** The link's target as written, or null when the config is no symlink (or missing). */
async function linkTarget(p: string): Promise<string | null> {
  try {
    return (await lstat(p)).isSymbolicLink() ? await readlink(p) : null;
  } catch {
    return null;
  }
}

async function modesOf(paths: ProfilePaths, workspace: string | null, configIsLink: boolean): Promise<Diagnosis['modes']> {
  const [stateDir, config, workspaceMode] = await Promise.all([
    modeOf(paths.stateDir),
    configIsLink ? null : modeOf(paths.configPath),
    workspace === null ? null : modeOf(workspace),
  ]);
  return { stateDir, config, workspace: workspaceMode };
}

function fsFacts(paths: ProfilePaths, workspace: string | null, modes: Diagnosis['modes'], shown: (p: string) => string): FsFacts {
  return {
    stateDir: { shown: shown(paths.stateDir), mode: modes.stateDir },
    config: modes.config === null ? null : { shown: shown(paths.configPath), mode: modes.config },
    workspace: workspace === null ? null : { shown: shown(workspace), exists: modes.workspace !== null },
  };
}
