import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../store/store';
import { readProfileFile } from '../store/read';
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
    return isBasePort(port) ? port : null;
  }
  return null;
}

export function knownFrom(paths: ProfilePaths, loaded: LoadedConfig, via: KnownProfile['via']): KnownProfile {
  const base = baseOf(loaded);
  const config: Config | undefined = loaded.state === 'ok' ? loaded.config : undefined;
  return { paths, loaded, base, footprint: base === null ? null : footprint(config, base), via };
}

const NO_EXPLICIT = { stateDir: false, configPath: false };

/** Each ~/.epiloop-* state dir's derived config, and the configs elsewhere their pointers name (after them: a pointer never takes a derived config's label). */
async function fromStateDirs(home: string): Promise<ProfilePaths[]> {
  let entries: string[];
  try {
    entries = await readdir(home);
  } catch {
    return [];
  }
  const derived: ProfilePaths[] = [];
  const pointed: ProfilePaths[] = [];
  for (const entry of entries.sort()) {
    const profile = profileOfStateDirName(entry);
    if (profile === undefined) continue;
    // A state dir is a directory (or a link to one): a FIFO or a file named ~/.epiloop-x is no profile.
    if ((await stat(path.join(home, entry)).catch(() => null))?.isDirectory() !== true) continue;
    const paths = derivedPaths(profile, home);
    derived.push({ ...paths, explicit: NO_EXPLICIT });
    // An instance set up with EPILOOP_CONFIG_PATH elsewhere (the seed's "manual env") leaves a pointer.
    const target = await readConfigPointer(paths.stateDir);
    if (target !== null) pointed.push({ ...paths, configPath: target, explicit: { stateDir: false, configPath: true } });
  }
  return [...derived, ...pointed];
}

/** A pointer holds one absolute path. */
const MAX_POINTER_BYTES = 4096;

async function readConfigPointer(stateDir: string): Promise<string | null> {
  const read = await readProfileFile(stateFile(stateDir, 'configPointer'), { within: [stateDir], maxBytes: MAX_POINTER_BYTES });
  const target = read.state === 'ok' ? read.text.trim() : '';
  return target !== '' && path.isAbsolute(target) && !target.includes('\n') ? target : null;
}

/**
 * The profile (other than the one in `stateDir`) whose config `configPath` already is: its
 * derived config, or the config its pointer or its service names. A second profile's
 * pointer to it would relabel it (a stray EPILOOP_CONFIG_PATH in the shell).
 */
export async function configOwner(configPath: string, stateDir: string, home: string): Promise<string | null> {
  const key = path.resolve(configPath);
  const candidates = [...(await fromStateDirs(home)), ...(await fromServices(home))];
  const owner = candidates.find((c) => path.resolve(c.configPath) === key && path.resolve(c.stateDir) !== path.resolve(stateDir));
  return owner?.label ?? null;
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
      const read = await readProfileFile(path.join(dir, file), { within: [dir] });
      const env = readService(read.state === 'ok' ? read.text : '').env;
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

