import path from 'node:path';
import { checkProfileName } from './name';
import { launchdLabelOf, profileLabel, stateDirName, STATE_FILES, systemdUnitName, workspaceArea, workspaceName, type Profile } from './identity';

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
  const fromEnv = envValue(input.env, 'EPILOOP_PROFILE');
  const profile =
    input.flag !== undefined
      ? checkProfileName(input.flag)
      : fromEnv !== undefined
        ? checkProfileName(fromEnv, 'EPILOOP_PROFILE')
        : null;
  const derived = derivedPaths(profile, input.home);
  const stateDirEnv = envValue(input.env, 'EPILOOP_STATE_DIR');
  const configEnv = envValue(input.env, 'EPILOOP_CONFIG_PATH');
  const stateDir = stateDirEnv !== undefined ? path.resolve(expandHome(stateDirEnv, input.home)) : derived.stateDir;
  const configPath =
    configEnv !== undefined
      ? path.resolve(expandHome(configEnv, input.home))
      : path.join(stateDir, STATE_FILES.config);
  return {
    ...derived,
    stateDir,
    configPath,
    // Instances told apart only by EPILOOP_STATE_DIR must not share ~/.epiloop/workspace.
    defaultWorkspace: stateDirEnv !== undefined && stateDir !== derived.stateDir ? path.join(stateDir, workspaceName(null)) : derived.defaultWorkspace,
    explicit: { stateDir: stateDirEnv !== undefined, configPath: configEnv !== undefined },
  };
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
