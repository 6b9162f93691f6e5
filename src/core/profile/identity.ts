import path from 'node:path';
import { DEFAULT_LABEL, isProfileName } from './name';

/**
 * Everything named after a profile — its state dir, the files in it, its default
 * workspace, its service names, the command line that names it — derived here and
 * nowhere else, with the reverse (a name we derived → the profile) beside each.
 * A profile is null for the default (no --profile) or a valid profile name.
 */
export type Profile = string | null;

/** The files epiloop keeps in a profile's state dir. */
export const STATE_FILES = {
  config: 'epiloop.json',
  /** Held by the running gateway: its pid, start time and ports. */
  gatewayLock: 'gateway.lock',
  /** The gateway's own event log, one JSON line per event, rotated by size (gateway.log.1 … .N). */
  gatewayLog: 'gateway.log',
  /** What a gateway's process wrote to stderr on its last start (a refusal, a crash), detached or under the service. */
  gatewayErr: 'gateway.err',
  /** The rescue's watched-profile state changes. */
  watchLog: 'watch.log',
  /** Written by a rescue into the profile it acted on (a restart, an alert): what was done to it, by whom. */
  rescueActionsLog: 'rescue-actions.log',
  /** Written by a rescue watching this profile: the config bytes its gateway last ran healthy on (doctor --rollback restores them). */
  lastGood: 'last-good.json',
  /** Written by a rollback to last-good.json: when, by whom, to what and where the replaced config is kept (status and doctor say it while the config is the restored one). */
  rolledBack: 'rolled-back.json',
  /** One service install/uninstall at a time per profile. */
  serviceLock: 'service.lock',
  /** Left by a profile whose config lives elsewhere (EPILOOP_CONFIG_PATH), so discovery finds it. */
  configPointer: 'config-path',
} as const;

export type StateFile = keyof typeof STATE_FILES;

export function stateFile(stateDir: string, file: StateFile): string {
  return path.join(stateDir, STATE_FILES[file]);
}

/** "gateway.log.2": the generation-th older file of a log rotated by size (1 is the newest). */
export function rotatedFile(file: string, generation: number): string {
  return `${file}.${generation}`;
}

const STATE_DIR = '.epiloop';
const WORKSPACE = 'workspace';
const SYSTEMD_UNIT = 'epiloop-gateway';
const LAUNCHD_LABEL = 'ai.epiloop.gateway';

/** "default" for the profile without --profile, else its name: what we print. */
export function profileLabel(profile: Profile): string {
  return profile ?? DEFAULT_LABEL;
}

/** The reverse of profileLabel. The name is not checked here: callers check what a user typed (checkProfileName). */
export function profileOfLabel(label: string): Profile {
  return label === DEFAULT_LABEL ? null : label;
}

/** `name` or `name<sep>profile`: the shape of every profile-suffixed name. */
function suffixed(stem: string, sep: string, profile: Profile): string {
  return profile === null ? stem : `${stem}${sep}${profile}`;
}

/** The reverse of suffixed(stem, sep, ·): the profile, or undefined when `name` is not of that shape. */
function unsuffixed(name: string, stem: string, sep: string): Profile | undefined {
  if (name === stem) return null;
  if (!name.startsWith(stem + sep)) return undefined;
  const profile = name.slice(stem.length + sep.length);
  return isProfileName(profile) ? profile : undefined;
}

function withoutEnding(name: string, ending: string): string | undefined {
  return name.endsWith(ending) ? name.slice(0, -ending.length) : undefined;
}

/** ".epiloop" / ".epiloop-rescue": the state dir's name in HOME. */
export function stateDirName(profile: Profile): string {
  return suffixed(STATE_DIR, '-', profile);
}

export function profileOfStateDirName(name: string): Profile | undefined {
  return unsuffixed(name, STATE_DIR, '-');
}

/** Where every profile's default workspace lives (the seed's layout): the default profile's state dir. */
export function workspaceArea(home: string): string {
  return path.join(home, stateDirName(null));
}

/** "workspace" / "workspace-rescue": the default workspace's name in the workspace area. */
export function workspaceName(profile: Profile): string {
  return suffixed(WORKSPACE, '-', profile);
}

/** A folder of the workspace area named like a profile's default workspace (the profile need not exist). */
export function isWorkspaceName(name: string): boolean {
  return name === WORKSPACE || name.startsWith(`${WORKSPACE}-`);
}

/** "epiloop-gateway.service" / "epiloop-gateway-rescue.service" */
export function systemdUnitName(profile: Profile): string {
  return `${suffixed(SYSTEMD_UNIT, '-', profile)}.service`;
}

export function profileOfSystemdUnit(name: string): Profile | undefined {
  const stem = withoutEnding(name, '.service');
  return stem === undefined ? undefined : unsuffixed(stem, SYSTEMD_UNIT, '-');
}

/** "ai.epiloop.gateway" / "ai.epiloop.gateway.rescue" */
export function launchdLabelOf(profile: Profile): string {
  return suffixed(LAUNCHD_LABEL, '.', profile);
}

export function profileOfLaunchdLabel(label: string): Profile | undefined {
  return unsuffixed(label, LAUNCHD_LABEL, '.');
}

/** "ai.epiloop.gateway.rescue.plist": the agent's file in ~/Library/LaunchAgents. */
export function launchdPlistName(profile: Profile): string {
  return `${launchdLabelOf(profile)}.plist`;
}

export function profileOfLaunchdPlist(name: string): Profile | undefined {
  const label = withoutEnding(name, '.plist');
  return label === undefined ? undefined : profileOfLaunchdLabel(label);
}

export const PROFILE_FLAG = '--profile';

/** The words that name a profile on epiloop's command line: none for the default profile. */
export function profileArgs(profile: Profile): string[] {
  return profile === null ? [] : [PROFILE_FLAG, profile];
}

/** The environment variable that selects a profile where --profile is not given. */
export const PROFILE_ENV = 'EPILOOP_PROFILE';

/**
 * "epiloop --profile rescue" / "epiloop": the prefix of every command a message tells the user to
 * run. `envSelects`: EPILOOP_PROFILE selects a profile where the command is typed; the default
 * profile has no --profile (the CLI refuses "--profile default"), so there it is emptied first
 * ("EPILOOP_PROFILE= epiloop"), else "epiloop restart" would act on the profile it selects.
 */
export function invocationOf(profile: Profile, envSelects: boolean): string {
  const words = ['epiloop', ...profileArgs(profile)].join(' ');
  return profile === null && envSelects ? `${PROFILE_ENV}= ${words}` : words;
}

/**
 * What advice names to start a profile's gateway where no service runs it: a detached gateway
 * that outlives the shell (the foreground `gateway` exits 3 beside a running one).
 */
export function startCommand(invocation: string): string {
  return `${invocation} start`;
}

/** What to run once a profile's config is written, and what it does. */
export interface NextCommand {
  command: string;
  does: string;
  kind: 'start' | 'restart';
}

/**
 * The one place that decides it: start a gateway that is not running; restart a running one whose
 * config changed (it read the old one when it started, and `start` answers "already running");
 * nothing when it runs and nothing changed.
 */
export function nextCommand(invocation: string, runningPid: number | null, changed: boolean): NextCommand | null {
  if (runningPid === null) return { command: startCommand(invocation), does: 'start the gateway', kind: 'start' };
  if (changed) return { command: `${invocation} restart`, does: 'restart the gateway to apply the change', kind: 'restart' };
  return null;
}

/** Host-wide, not per profile: serializes choosing and writing base ports across every profile of this HOME. */
export function hostLockPath(home: string): string {
  return path.join(home, `${STATE_DIR}.ports.lock`);
}

/** The lock a config's writers take: beside the file, wherever EPILOOP_CONFIG_PATH put it. */
export function configLockPath(configPath: string): string {
  return `${configPath}.lock`;
}

const BACKUP_STAMP = /^\d{8}T\d{9}Z$/;

/** "<config>.20261125T073500123Z.bak", beside the config: the UTC time in the name sorts backups by age. */
export function backupFile(configPath: string, at: Date): string {
  return `${configPath}.${at.toISOString().replace(/[-:.]/g, '')}.bak`;
}

/** When a backup of backupFile's was made (ISO time), read from its name; null for any other name. */
export function backupTime(configFile: string, name: string): string | null {
  if (!isBackupName(configFile, name)) return null;
  const s = withoutEnding(name, '.bak')!.slice(configFile.length + 1);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`;
}

/** Whether a file name is one of backupFile's for a config named `configFile`. */
export function isBackupName(configFile: string, name: string): boolean {
  const stamp = withoutEnding(name, '.bak');
  return stamp !== undefined && stamp.startsWith(`${configFile}.`) && BACKUP_STAMP.test(stamp.slice(configFile.length + 1));
}
