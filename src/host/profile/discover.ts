import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../store/store';
import type { Config } from '../../core/config/schema';
import { configBase, footprint, isBasePort, type Footprint } from '../../core/ports/footprint';
import { isProfileName } from '../../core/profile/name';
import { derivedPaths, type ProfilePaths } from '../../core/profile/paths';
import { profileOfLaunchdPlist, profileOfStateDirName, profileOfSystemdUnit, stateFile, type Profile } from '../../core/profile/identity';
import { launchAgentsDir, readLaunchdPlist } from '../../core/service/launchd';
import type { InstalledView } from '../../core/service/spec';
import { readSystemdUnit, systemdUnitDir } from '../../core/service/systemd';
import { type LoadedConfig } from '../../core/config/parse';

export interface KnownProfile {
  paths: ProfilePaths;
  loaded: LoadedConfig;
  /** The base this profile's own config gives (never --port or an env port of this run). */
  base: number | null;
  footprint: Footprint | null;
  /** How we found it. */
  via: 'state-dir' | 'service' | 'current';
}


/** A best-effort footprint for an invalid config: the port if it is a number, else none. */
function baseOf(loaded: LoadedConfig): number | null {
  if (loaded.state === 'ok') return configBase(loaded.config).port;
  if (loaded.state === 'invalid') {
    const port = (loaded.raw?.gateway as { port?: unknown } | undefined)?.port;
    return typeof port === 'number' && isBasePort(port) ? port : null;
  }
  return null;
}

export function knownFrom(paths: ProfilePaths, loaded: LoadedConfig, via: KnownProfile['via']): KnownProfile {
  const base = baseOf(loaded);
  const config: Config | undefined = loaded.state === 'ok' ? loaded.config : undefined;
  return { paths, loaded, base, footprint: base === null ? null : footprint(config, base), via };
}

const NO_EXPLICIT = { stateDir: false, configPath: false };

async function fromStateDirs(home: string): Promise<ProfilePaths[]> {
  let entries: string[];
  try {
    entries = await readdir(home);
  } catch {
    return [];
  }
  const found: ProfilePaths[] = [];
  for (const entry of entries.sort()) {
    const profile = profileOfStateDirName(entry);
    if (profile === undefined) continue;
    const derived = derivedPaths(profile, home);
    found.push({ ...derived, explicit: NO_EXPLICIT });
    // An instance set up with EPILOOP_CONFIG_PATH elsewhere (the seed's "manual env") leaves a pointer.
    const pointed = await readConfigPointer(derived.stateDir);
    if (pointed !== null) found.push({ ...derived, configPath: pointed, explicit: { stateDir: false, configPath: true } });
  }
  return found;
}

async function readConfigPointer(stateDir: string): Promise<string | null> {
  const text = await readFile(stateFile(stateDir, 'configPointer'), 'utf8').catch(() => null);
  const target = text?.trim();
  return target && path.isAbsolute(target) ? target : null;
}

/** Installed services whose environment points at a config somewhere else. */
async function fromServices(home: string): Promise<ProfilePaths[]> {
  // The service modules' own readers: paths with spaces, quotes, % or & come back exactly as written.
  const places: [string, (file: string) => Profile | undefined, (text: string) => InstalledView][] = [
    [systemdUnitDir(home), profileOfSystemdUnit, readSystemdUnit],
    [launchAgentsDir(home), profileOfLaunchdPlist, readLaunchdPlist],
  ];
  const found: ProfilePaths[] = [];
  for (const [dir, profileOfFile, readService] of places) {
    let files: string[];
    try {
      files = (await readdir(dir)).filter((f) => profileOfFile(f) !== undefined);
    } catch {
      continue;
    }
    for (const file of files) {
      const text = await readFile(path.join(dir, file), 'utf8').catch(() => '');
      const env = readService(text).env;
      const configPath = env.EPILOOP_CONFIG_PATH;
      if (!configPath) continue;
      const profile = env.EPILOOP_PROFILE !== undefined && isProfileName(env.EPILOOP_PROFILE) ? env.EPILOOP_PROFILE : null;
      const derived = derivedPaths(profile, home);
      const stateDir = env.EPILOOP_STATE_DIR || path.dirname(configPath);
      found.push({ ...derived, stateDir, configPath, explicit: { stateDir: Boolean(env.EPILOOP_STATE_DIR), configPath: true } });
    }
  }
  return found;
}

/**
 * Every profile on this host: the default and each ~/.epiloop-* with a config, any
 * installed service pointing elsewhere, and the current one (which may not exist yet).
 */
export async function discoverProfiles(home: string, current?: ProfilePaths): Promise<KnownProfile[]> {
  const candidates: [ProfilePaths, KnownProfile['via']][] = [
    ...(await fromStateDirs(home)).map((p) => [p, 'state-dir'] as [ProfilePaths, KnownProfile['via']]),
    ...(await fromServices(home)).map((p) => [p, 'service'] as [ProfilePaths, KnownProfile['via']]),
  ];
  const seen = new Set<string>();
  const result: KnownProfile[] = [];
  for (const [paths, via] of candidates) {
    const key = path.resolve(paths.configPath);
    if (seen.has(key)) continue;
    seen.add(key);
    const isCurrent = current !== undefined && path.resolve(current.configPath) === key;
    const loaded = await loadConfig(paths.configPath);
    if (loaded.state === 'missing' && !isCurrent) continue;
    result.push(knownFrom(isCurrent ? current : paths, loaded, isCurrent ? 'current' : via));
  }
  if (current !== undefined && !seen.has(path.resolve(current.configPath))) {
    result.push(knownFrom(current, await loadConfig(current.configPath), 'current'));
  }
  return result;
}

export function isSameProfile(a: ProfilePaths, b: ProfilePaths): boolean {
  return path.resolve(a.configPath) === path.resolve(b.configPath);
}

