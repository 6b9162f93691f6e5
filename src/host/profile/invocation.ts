import { invocationOf, type Profile } from '../../core/profile/identity';
import { envSelectsProfile } from '../../core/profile/paths';

/**
 * The prefix of a command a message tells the user to run on `profile`, for a shell like this
 * process's: an EPILOOP_PROFILE set here (a rescue's shell, its service) is emptied before the
 * default profile's commands. Read from process.env, not from an env handed down: those are
 * often targetEnv()'s, with EPILOOP_PROFILE removed.
 */
export function invocationHere(profile: Profile): string {
  return invocationOf(profile, envSelectsProfile(process.env));
}
