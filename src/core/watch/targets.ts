import type { Config } from '../config/schema';
import { derivedPaths, type ProfilePaths } from '../profile/paths';
import { profileOfLabel } from '../profile/identity';

/**
 * Another profile's own derived paths, by name ("default" = the profile without --profile).
 * Never this shell's EPILOOP_STATE_DIR / EPILOOP_CONFIG_PATH: they describe the current profile.
 */
export function pathsOfProfile(name: string, home: string): ProfilePaths {
  return { ...derivedPaths(profileOfLabel(name), home), explicit: { stateDir: false, configPath: false } };
}

/** The environment to act on another profile with: nothing of the current one (paths, profile, port) leaks into it. */
export function targetEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const clean = { ...env };
  for (const key of ['EPILOOP_PROFILE', 'EPILOOP_STATE_DIR', 'EPILOOP_CONFIG_PATH', 'EPILOOP_GATEWAY_PORT']) delete clean[key];
  return clean;
}

/** Whether a watched name is the watching profile itself. */
export function isSelf(watched: ProfilePaths, self: ProfilePaths): boolean {
  return watched.label === self.label || watched.configPath === self.configPath;
}

/** The sentence a config watching itself gets, wherever it is refused. */
export function watchesItself(self: ProfilePaths): string {
  return `watch.profiles: profile "${self.label}" cannot watch itself; list the other profiles (e.g. "main").`;
}

/**
 * The profiles a config watches, each with its own derived paths (never this shell's
 * EPILOOP_* overrides), and why any entry is refused: watching yourself, or twice.
 */
export function watchTargets(config: Config | undefined, self: ProfilePaths, home: string): { targets: ProfilePaths[]; problems: string[] } {
  const targets: ProfilePaths[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of config?.watch?.profiles ?? []) {
    const paths = pathsOfProfile(name, home);
    if (isSelf(paths, self)) {
      problems.push(watchesItself(self));
    } else if (seen.has(paths.label)) {
      problems.push(`watch.profiles: "${name}" is listed twice.`);
    } else {
      seen.add(paths.label);
      targets.push(paths);
    }
  }
  return { targets, problems };
}
