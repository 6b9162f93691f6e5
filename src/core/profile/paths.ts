import path from 'node:path';
import { UsageError } from '../errors';
import { checkProfileName } from './name';
import { launchdLabelOf, PROFILE_ENV, profileLabel, stateDirName, STATE_FILES, systemdUnitName, workspaceArea, workspaceName, type Profile } from './identity';

/** Everything a profile owns on disk and in the service manager, derived in one place. */
export interface ProfilePaths {
  /** null is the default profile (no --profile). */
  profile: string | null;
  /** "default" or the profile name: what we print. */
  label: string;
  /** The HOME these paths were derived from (config paths may start with ~). */
  home: string;
  stateDir: string;
  configPath: string;
  /** Used when the config has no agents.defaults.workspace. */
  defaultWorkspace: string;
  systemdUnit: string;
  launchdLabel: string;
  /** Which of stateDir/configPath came from EPILOOP_STATE_DIR / EPILOOP_CONFIG_PATH. */
  explicit: { stateDir: boolean; configPath: boolean };
}

export interface ProfileInput {
  /** The --profile flag, already de-duplicated by the argv parser. */
  flag?: string | undefined;
  env: Record<string, string | undefined>;
  home: string;
}

/** Treat VAR= (empty) as unset, as most shells users write it. */
export function envValue(env: Record<string, string | undefined>, key: string): string | undefined {
  const value = env[key];
  return value === undefined || value === '' ? undefined : value;
}

/** Whether EPILOOP_PROFILE in `env` selects a profile: what a command typed there without --profile acts on. */
export function envSelectsProfile(env: Record<string, string | undefined>): boolean {
  return envValue(env, PROFILE_ENV) !== undefined;
}

/** State dir, config and names for a profile, before any env override. */
export function derivedPaths(profile: Profile, home: string): Omit<ProfilePaths, 'explicit'> {
  const stateDir = path.join(home, stateDirName(profile));
  return {
    profile,
    label: profileLabel(profile),
    home,
    stateDir,
    configPath: path.join(stateDir, STATE_FILES.config),
    defaultWorkspace: path.join(workspaceArea(home), workspaceName(profile)),
    systemdUnit: systemdUnitName(profile),
    launchdLabel: launchdLabelOf(profile),
  };
}

/**
 * --profile wins over EPILOOP_PROFILE; EPILOOP_STATE_DIR / EPILOOP_CONFIG_PATH win over
 * what the profile derives. A config path without a state dir keeps the derived state dir.
 */
export function resolveProfile(input: ProfileInput): ProfilePaths {
  const fromEnv = envValue(input.env, PROFILE_ENV);
  const profile =
    input.flag !== undefined
      ? checkProfileName(input.flag)
      : fromEnv !== undefined
        ? checkProfileName(fromEnv, PROFILE_ENV)
        : null;
  const derived = derivedPaths(profile, input.home);
  const stateDirEnv = envValue(input.env, 'EPILOOP_STATE_DIR');
  const configEnv = envValue(input.env, 'EPILOOP_CONFIG_PATH');
  const stateDir = stateDirEnv !== undefined ? checkUserPath(stateDirEnv, input.home, 'EPILOOP_STATE_DIR') : derived.stateDir;
  const configPath = configEnv !== undefined ? checkUserPath(configEnv, input.home, 'EPILOOP_CONFIG_PATH') : path.join(stateDir, STATE_FILES.config);
  return {
    ...derived,
    stateDir,
    configPath,
    // Instances told apart only by EPILOOP_STATE_DIR must not share ~/.epiloop/workspace.
    defaultWorkspace: stateDirEnv !== undefined && stateDir !== derived.stateDir ? path.join(stateDir, workspaceName(null)) : derived.defaultWorkspace,
    explicit: { stateDir: stateDirEnv !== undefined, configPath: configEnv !== undefined },
  };
}

/**
 * HOME as epiloop uses it: every profile lives under it, so it must be an absolute path.
 * An empty or relative HOME would put them under whatever directory the command runs in.
 */
export function homeDir(fromEnv: string | undefined, fromOs: string): string {
  const home = fromEnv === undefined || fromEnv === '' ? fromOs : fromEnv;
  if (home === '' || !path.isAbsolute(home)) {
    throw new UsageError(
      `HOME is ${home === '' ? 'empty' : `"${home}", not an absolute path`}; epiloop keeps every profile under your home directory and will not guess one from the current directory. Set HOME to it, e.g. export HOME=/home/$(id -un).`,
    );
  }
  return path.resolve(home);
}

/** Directories no profile may live in or serve from: the system's own (exact = the dir itself only). */
const SYSTEM_DIRS: readonly { dir: string; exact: boolean }[] = [
  ...['/etc', '/proc', '/sys', '/dev', '/boot', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/usr', '/System', '/private/etc'].map((dir) => ({ dir, exact: false })),
  ...['/', '/var', '/opt', '/srv', '/home', '/root', '/tmp', '/mnt', '/media', '/run', '/Users', '/Library', '/Applications', '/Volumes', '/private', '/private/var', '/private/tmp'].map((dir) => ({ dir, exact: true })),
];

/** The system dir an absolute path is (or lies inside), or null. Pure: the caller resolves symlinks first where the disk can. */
export function systemDirOf(p: string): string | null {
  const resolved = path.resolve(p);
  for (const { dir, exact } of SYSTEM_DIRS) {
    if (resolved === dir || (!exact && resolved.startsWith(dir + '/'))) return dir;
  }
  return null;
}

/** The directory a command was typed in; null when it was removed under the shell (its cwd is gone). */
export type TypedIn = string | null;

/**
 * A path typed on the command line (already ~-expanded), made absolute from where it was typed:
 * setup and onboard read a relative flag alike, here. A relative one typed in a directory that
 * no longer exists has nothing to lean on: that is the user's to fix, not a crash.
 */
export function fromTypedIn(expanded: string, cwd: TypedIn, source: string): string {
  if (path.isAbsolute(expanded)) return expanded;
  if (cwd === null) throw new UsageError(`${source}: the current directory no longer exists; give ${source} as an absolute path (or one starting with ~/).`);
  return path.join(cwd, expanded);
}

/**
 * A path the user gives: absolute after ~ expansion, never a system dir. A flag typed on the
 * command line (`cwd` given) may be relative to where it was typed, as with any CLI; an
 * environment variable may not, since it outlives the directory it was set in.
 */
export function checkUserPath(value: string, home: string, source: string, cwd?: TypedIn): string {
  const expanded = cwd === undefined ? expandHome(value, home) : fromTypedIn(expandHome(value, home), cwd, source);
  if (!path.isAbsolute(expanded)) {
    throw new UsageError(`${source}: "${value}" is a relative path; give an absolute one or one starting with ~/ (a relative path would depend on the directory the command runs in).`);
  }
  const resolved = path.resolve(expanded);
  const system = systemDirOf(resolved);
  if (system !== null) throw new UsageError(`${source}: ${resolved} is ${resolved === system ? '' : 'inside '}the system directory ${system}; give a directory of your own, e.g. under ~/.`);
  return resolved;
}

export function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}

/** Shorten a path under HOME to ~/… for display. */
export function tildify(p: string, home: string): string {
  if (p === home) return '~';
  return p.startsWith(home + path.sep) ? '~' + p.slice(home.length) : p;
}
