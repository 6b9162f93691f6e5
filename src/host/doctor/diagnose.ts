/**
 * Gathers the facts about one profile (its config, the other profiles on the host, the
 * live ports, the modes of its files) and turns them into findings with the pure
 * functions of findings.ts. Reads only: nothing here writes.
 */
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import { footprint } from '../../core/ports/footprint';
import { systemDirOf, tildify, type ProfilePaths } from '../../core/profile/paths';
import { dotted, pinsOf, stripInvalid, type InvalidKey } from '../../core/config/edits';
import { profileRuleProblems } from '../../core/config/profile-rules';
import type { Config } from '../../core/config/schema';
import { readHost } from '../model';
import { otherProfilesHint } from '../../core/messages';
import { currentOf, footprintConflicts, type HostProfile, type HostView } from '../../core/host/view';
import { cdpUrlConflicts, gatewayMismatch, mismatchFix, roleOf, workspaceConflicts } from '../../core/host/rules';
import { invocationHere } from '../../host/profile/invocation';
import { rollbackOffer } from '../watch/last-good';
import { lockFile } from '../../core/gateway/lock';
import { hostAddresses } from '../ports/addresses';
import { breakerPath, deadTemps } from '../store/lock';
import { configLockPath, hostLockPath, stateFile } from '../../core/profile/identity';
import {
  bindAddressFindings,
  blockedByLink,
  boundFindings,
  configFindings,
  configLinkFinding,
  fsFindings,
  landingPinFinding,
  lockFindings,
  ownServerPinFinding,
  mismatchFinding,
  overlapFindings,
  serviceFindings,
  sharedPinFindings,
  sharedWorkspaceFindings,
  slotConflicts,
  systemWorkspaceFinding,
  tempFileFindings,
  type Finding,
  type FsFacts,
} from '../../core/doctor/findings';
import { type PortState } from '../../core/ports/listeners';
import { type Diagnosis } from '../../core/doctor/diagnosis';

export interface DiagnoseOptions {
  home: string;
  env: Record<string, string | undefined>;
  /** The host as the caller already read it (the wizard); read now when absent. */
  view?: HostView;
  /** This host's interface addresses as the caller read them (the wizard); read now when absent. */
  addresses?: readonly string[];
}

export async function diagnose(paths: ProfilePaths, options: DiagnoseOptions): Promise<Diagnosis> {
  const { home } = options;
  const shown = (p: string) => tildify(p, home);
  const view = options.view ?? (await readHost({ home, current: paths, health: 'none' }));
  const self = currentOf(view);
  const loaded = self.loaded;
  const role = roleOf(self);
  const who = { role, label: paths.label, invocation: invocationHere(paths.profile) };
  // The gateway's own rules (a token, not watching itself) count as the schema's: doctor passes no config the gateway refuses.
  const kept = keptConfig(self, (config) => profileRuleProblems(config, paths, home));
  const base = kept === null ? null : self.base;
  const fp = base === null ? null : footprint(kept!.config, base);
  const workspace = kept === null ? null : self.workspace;
  // A link out of the profile's dirs was not even read: that finding (configFindings) says it all.
  const refused = loaded.state === 'invalid' && loaded.error.kind === 'refused';
  const configLink = refused ? null : await linkTarget(paths.configPath);
  const [modes, service] = await Promise.all([
    // A config not read (a directory, a FIFO, a link out) has no mode to judge: chmod would act on what it is or leads to.
    modesOf(paths, workspace, configLink !== null || refused),
    import('../service/install').then(({ serviceStatus }) => serviceStatus(paths, { env: options.env, home })),
  ]);
  // Each port as the host view attributes it: this profile's own gateway and browsers are no conflict,
  // another profile's gateway is named after that profile, never a process to stop.
  const conflicts = fp === null ? [] : slotConflicts(kept!.config, footprintConflicts(view, self, fp));
  const foreign = new Map<number, PortState>(conflicts.filter((c) => c.holders.length > 0).map((c) => [c.slot.port, { state: 'bound', holders: c.holders }]));

  let findings: Finding[] = [];
  if (configLink !== null) findings.push(configLinkFinding({ shown: shown(paths.configPath), absolute: paths.configPath, target: configLink }));
  findings.push(...configFindings(loaded, kept?.invalid ?? [], shown(paths.configPath), who, kept?.recovered ? kept : null));
  if (loaded.state === 'missing') {
    // "epiloop doctor" with no --profile is the default profile: a host with others set up says so, so --fix does not make a third.
    const others = view.profiles.filter((k) => k !== self && k.loaded.state !== 'missing');
    const hint = otherProfilesHint(others.map((k) => k.paths.label), `${invocationHere(others[0]?.paths.profile ?? null)} doctor`);
    if (hint !== null) findings[findings.length - 1] = { ...findings[findings.length - 1]!, detail: [...findings[findings.length - 1]!.detail, hint] };
  }
  if (fp !== null) {
    const configOf = (label: string) => {
      const other = view.profiles.find((k) => k !== self && k.paths.label === label);
      return other === undefined ? undefined : shown(other.paths.configPath);
    };
    findings.push(...overlapFindings(conflicts, base!, who, configOf));
    findings.push(...boundFindings(fp, conflicts, foreign, who));
    // A bind only the user can choose: the last-known-good config is the other way back, as start and status offer it.
    findings.push(...bindAddressFindings(kept!.config.gateway?.bind, options.addresses ?? hostAddresses(), shown(paths.configPath), who, await rollbackOffer(paths, who.invocation)));
    const mismatch = gatewayMismatch(self, fp, 'config');
    if (mismatch !== null) findings.push(mismatchFinding(mismatch, mismatchFix(mismatch, invocationHere(paths.profile), service.installed)));
  }
  const others = view.profiles.filter((k) => k !== self).map((k) => ({ label: k.paths.label, pins: k.pins }));
  const mine = kept === null ? [] : pinsOf(kept.raw);
  const shared = sharedPinFindings(mine, others);
  // A remote browser URL on this host that lands on its own servers, or in another profile's footprint, gateway or browser.
  const landing = cdpUrlConflicts(
    mine.filter((pin) => !shared.some((s) => s.pin === pin)),
    view,
    self,
  ).map(({ pin, text, own }) => ({ pin, finding: own === true ? ownServerPinFinding(pin, text) : landingPinFinding(pin, text) }));
  findings.push(...[...shared, ...landing].map((s) => s.finding));
  if (workspace !== null) {
    // Compared as the disk resolves them (the host view's real paths): a symlink to another profile's workspace is that workspace.
    const real = self.real.workspace ?? workspace;
    const system = systemDirOf(real);
    if (system !== null) findings.push(systemWorkspaceFinding({ shown: shown(workspace), real, system, isDefault: workspace === paths.defaultWorkspace, shownDefault: shown(paths.defaultWorkspace) }));
    const collisions = workspaceConflicts(view, self, { path: workspace, real });
    findings.push(...sharedWorkspaceFindings({ workspace, defaultWorkspace: paths.defaultWorkspace }, collisions, shown));
  }
  // A missing config is fixed by creating the whole profile: its dirs are no separate findings.
  if (loaded.state !== 'missing') {
    // A link within the profile's dirs (a link out was refused above): the file it leads to holds the token, so its mode counts.
    const linkedMode = configLink === null ? null : await modeOf(paths.configPath);
    const linkedConfig = linkedMode === null ? null : { shown: shown(paths.configPath), target: shown(await realpath(paths.configPath)), mode: linkedMode };
    findings.push(...fsFindings({ ...fsFacts(paths, workspace, modes, shown), linkedConfig }));
  }
  findings.push(...serviceFindings(service, service.file === null ? null : shown(service.file)));
  findings.push(...lockFindings(self.lock, lockFile(paths, home)));
  const targets = tempTargets(paths, home);
  const left = await deadTemps(targets);
  findings.push(...tempFileFindings(left.map(shown)));
  if (configLink !== null) findings = blockedByLink(findings);

  return {
    paths,
    loaded,
    findings,
    home,
    env: options.env,
    role,
    view,
    self,
    kept,
    base,
    footprint: fp,
    conflicts,
    own: self.gateway === null ? null : { pid: self.gateway.pid, host: self.gateway.host, ports: self.gateway.ports },
    sharedPins: [...shared, ...landing].map((s) => s.pin),
    workspace,
    service,
    modes,
    configLink,
    temps: { targets, left },
  };
}

/** The files of a profile epiloop writes through a temp beside them (tempPathFor): the config, the rescue's and discovery's files, the locks its commands take and their breakers. */
function tempTargets(paths: ProfilePaths, home: string): string[] {
  const locks = [configLockPath(paths.configPath), stateFile(paths.stateDir, 'gatewayLock'), stateFile(paths.stateDir, 'serviceLock'), hostLockPath(home)];
  return [paths.configPath, stateFile(paths.stateDir, 'lastGood'), stateFile(paths.stateDir, 'configPointer'), ...locks, ...locks.map(breakerPath)];
}

/**
 * What fixes start from: the valid part of the config, or what a tolerant read recovered of a
 * broken one, with the gateway's own rules applied as the schema's; null when there is none.
 */
function keptConfig(self: HostProfile, rules: (config: Config) => InvalidKey[]): Diagnosis['kept'] {
  const r = self.readable;
  if (r.raw === undefined || r.config === undefined) return null;
  const checked = stripInvalid(r.raw, rules);
  // A key the schema rejected is fixed already in r.raw (a rejected token is replaced): a rule finding it gone is the same key, not a second problem.
  const found = new Set(r.invalid.map(({ keys }) => dotted(keys)));
  const more = checked.invalid.filter(({ keys }) => !found.has(dotted(keys)));
  return { raw: checked.raw, config: checked.config, invalid: [...r.invalid, ...more], recovered: r.recovered, lost: r.lost };
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
