/**
 * Gathers the facts about one profile (its config, the other profiles on the host, the
 * live ports, the modes of its files) and turns them into findings with the pure
 * functions of findings.ts. Reads only: nothing here writes.
 */
import { lstat, readlink, stat } from 'node:fs/promises';
import { healthPorts } from '../../core/gateway/health';
import { nameGatewayHolders } from '../gateway/live';
import { readGatewayLock } from '../gateway/pidlock';
import { parentPidOf } from '../gateway/proc';
import { configBase, footprint, footprintSlots, type Footprint } from '../../core/ports/footprint';
import { loadHostProfiles } from '../ports/host';
import { probePorts } from '../ports/probe';
import { roleForProfile } from '../../core/ports/propose';
import { systemDirOf, tildify, type ProfilePaths } from '../../core/profile/paths';
import { pinsOf, stripInvalid, type InvalidKey } from '../../core/config/edits';
import { profileRuleProblems } from '../../core/config/profile-rules';
import type { Config } from '../../core/config/schema';
import { resolvedPath } from '../profile/resolve';
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
  systemWorkspaceFinding,
  type Finding,
  type FsFacts,
} from '../../core/doctor/findings';
import { type PortHolder, type PortState } from '../../core/ports/listeners';
import { type LoadedConfig } from '../../core/config/parse';
import { workspaceFor } from '../../core/profile/plan';
import { type OwnGateway, type Diagnosis } from '../../core/doctor/diagnosis';

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
  // The gateway's own rules (a token, not watching itself) count as the schema's: doctor passes no config the gateway refuses.
  const kept = keptConfig(loaded, (config) => profileRuleProblems(config, paths, home));
  const base = kept === null ? null : baseOf(kept);
  const fp = base === null ? null : footprint(kept!.config, base);
  const workspace = kept === null ? null : workspaceFor(kept.config, paths);
  // A link out of the profile's dirs was not even read: that finding (configFindings) says it all.
  const refused = loaded.state === 'invalid' && loaded.error.kind === 'refused';
  const configLink = refused ? null : await linkTarget(paths.configPath);
  const [own, modes, service] = await Promise.all([
    readOwnGateway(paths.stateDir),
    // A config not read (a directory, a FIFO, a link out) has no mode to judge: chmod would act on what it is or leads to.
    modesOf(paths, workspace, configLink !== null || refused),
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
    // Compared as the disk resolves them: a symlink to another profile's workspace is that workspace.
    const [real, realDefault, dirs] = await Promise.all([
      resolvedPath(workspace),
      resolvedPath(paths.defaultWorkspace),
      Promise.all(
        host.others.map(async (k) => ({
          label: k.paths.label,
          stateDir: await resolvedPath(k.paths.stateDir),
          workspace: await resolvedPath(workspaceFor(keptConfig(k.loaded)?.config, k.paths)),
        })),
      ),
    ]);
    const system = systemDirOf(real);
    if (system !== null) findings.push(systemWorkspaceFinding({ shown: shown(workspace), real, system, isDefault: workspace === paths.defaultWorkspace, shownDefault: shown(paths.defaultWorkspace) }));
    findings.push(...sharedWorkspaceFindings({ workspace: real, defaultWorkspace: realDefault }, dirs, shown));
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

function keptConfig(loaded: LoadedConfig, rules?: (config: Config) => InvalidKey[]): Diagnosis['kept'] {
  if (loaded.state === 'ok' && rules === undefined) return { raw: loaded.raw, config: loaded.config, invalid: [] };
  if (loaded.state !== 'missing' && loaded.raw !== undefined) return stripInvalid(loaded.raw, rules);
  return null;
}

/** A rejected gateway.port (or a rejected object around it) leaves no base: 18789 would be a guess. */
function baseOf(kept: NonNullable<Diagnosis['kept']>): number | null {
  const portKeys = ['gateway', 'port'];
  if (kept.invalid.some(({ keys }) => keys.every((k, i) => portKeys[i] === k))) return null;
  return configBase(kept.config).port;
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

async function modesOf(paths: ProfilePaths, workspace: string | null, skipConfig: boolean): Promise<Diagnosis['modes']> {
  const [stateDir, config, workspaceMode] = await Promise.all([
    modeOf(paths.stateDir),
    skipConfig ? null : modeOf(paths.configPath),
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
