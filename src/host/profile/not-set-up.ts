import { notSetUpAmong } from '../../core/messages';
import { invocationHere } from './invocation';
import { tildify, type ProfilePaths } from '../../core/profile/paths';
import { discoverProfiles, isSameProfile, type KnownProfile } from './discover';

/** The set-up profiles of `known` other than `paths`, as `notSetUpAmong` names them. */
export function othersOf(known: readonly Pick<KnownProfile, 'paths' | 'loaded'>[], paths: ProfilePaths): { label: string; invocation: string }[] {
  return known
    .filter((k) => !isSameProfile(k.paths, paths) && k.loaded.state !== 'missing')
    .map((k) => ({ label: k.paths.label, invocation: invocationHere(k.paths.profile) }));
}

/**
 * "profile X is not set up", and which profiles this host has instead: "epiloop config get
 * gateway.port" with no --profile means the default profile, which a user of only main and
 * rescue may not know. For a command that has not read the host otherwise.
 */
export async function notSetUpHere(paths: ProfilePaths, home: string, invocation: string, command: string): Promise<string> {
  return notSetUpAmong({ label: paths.label, invocation }, tildify(paths.configPath, home), othersOf(await discoverProfiles(home), paths), command);
}
