/**
 * The stamp of every file and folder the profiles' discovery reads (host/profile/discover.ts):
 * the state dirs in HOME, each one's config and config-path pointer, the service files that
 * may point elsewhere, and each known profile's config, its folder (where its backups are)
 * and its gateway lock. Equal stamps mean a whole read would find the same profiles, configs
 * and locks; `top` takes these few stats each second instead of reading and validating every
 * config again (core/top/refresh.ts).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { HostView } from '../../core/host/view';
import { isRacy, lookAt, signatureOf } from '../store/signature';
import type { Stamp } from '../../core/top/refresh';
import { profileOfLaunchdPlist, profileOfStateDirName, profileOfSystemdUnit, stateFile } from '../../core/profile/identity';
import { derivedPaths } from '../../core/profile/paths';
import { launchAgentsDir } from '../../core/service/launchd';
import { systemdUnitDir } from '../../core/service/systemd';

/**
 * A file as the stamp sees it: its signature (host/store/signature.ts), and a symlink's
 * target's as well (an edit of the target changes no link); or that there is none. A file
 * changed within RACY_MS is stamped with the time of the look too, so the next stamp differs
 * and its next change cannot hide inside the clock's granularity.
 */
function fileStamp(file: string, now: number): string {
  try {
    const seen = lookAt(file);
    if (seen === null) return 'none';
    const { self, target } = seen;
    const words = `${signatureOf(self)}>${target === undefined ? 'dangling' : signatureOf(target)}`;
    return isRacy(self, now) || (target !== undefined && isRacy(target, now)) ? `${words}@${now}` : words;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
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
export function discoveryStamp(home: string, view: HostView | null, now = Date.now()): Stamp {
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
  return new Map([...files].map((file) => [file, fileStamp(file, now)]));
}
