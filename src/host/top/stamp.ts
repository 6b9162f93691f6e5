/**
 * The stamp of every file and folder the profiles' discovery reads (host/profile/discover.ts):
 * the state dirs in HOME, each one's config and config-path pointer, the service files that
 * may point elsewhere, and each known profile's config, its folder (where its backups are)
 * and its gateway lock. Equal stamps mean a whole read would find the same profiles, configs
 * and locks; `top` takes these few stats each second instead of reading and validating every
 * config again (core/top/refresh.ts).
 */
import { lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { HostView } from '../../core/host/view';
import type { Stamp } from '../../core/top/refresh';
import { profileOfLaunchdPlist, profileOfStateDirName, profileOfSystemdUnit, stateFile } from '../../core/profile/identity';
import { derivedPaths } from '../../core/profile/paths';
import { launchAgentsDir } from '../../core/service/launchd';
import { systemdUnitDir } from '../../core/service/systemd';

/**
 * A file as the stamp sees it: which one (inode), how big, when it and its mode last changed;
 * or that there is none. Synchronous on purpose: a stat costs microseconds, and a missing
 * file throws no error.
 */
function fileStamp(file: string): string {
  try {
    const link = lstatSync(file, { throwIfNoEntry: false });
    if (link === undefined) return 'none';
    // A symlink is stamped with what it leads to as well: an edit of the target changes no link.
    const target = link.isSymbolicLink() ? statSync(file, { throwIfNoEntry: false }) : link;
    return `${statWords(link)}>${target === undefined ? 'dangling' : statWords(target)}`;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
}

function statWords(s: Stats): string {
  return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.mode}`;
}

function namesIn(dir: string, keep: (name: string) => boolean): string[] {
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory() !== true) return [];
  try {
    return readdirSync(dir).filter(keep).sort();
  } catch {
    return [];
  }
}

/** The discovery stamp of `home`, given the profiles the last read found there (their configs may live elsewhere). */
export function discoveryStamp(home: string, view: HostView | null): Stamp {
  const stateDirs = namesIn(home, (name) => profileOfStateDirName(name) !== undefined);
  const units = namesIn(systemdUnitDir(home), (name) => profileOfSystemdUnit(name) !== undefined);
  const agents = namesIn(launchAgentsDir(home), (name) => profileOfLaunchdPlist(name) !== undefined);
  const files = new Set<string>();
  for (const name of stateDirs) {
    const paths = derivedPaths(profileOfStateDirName(name)!, home);
    files.add(paths.stateDir).add(paths.configPath).add(stateFile(paths.stateDir, 'configPointer'));
  }
  for (const name of units) files.add(path.join(systemdUnitDir(home), name));
  for (const name of agents) files.add(path.join(launchAgentsDir(home), name));
  for (const p of view?.profiles ?? []) {
    files.add(p.paths.configPath).add(path.dirname(p.paths.configPath)).add(p.paths.stateDir).add(stateFile(p.paths.stateDir, 'gatewayLock'));
  }
  return new Map([...files].map((file) => [file, fileStamp(file)]));
}
