/**
 * The sentences several commands say about a profile, written once so that `status`,
 * `gateway`, `setup`, … tell a user the same thing and suggest the same commands.
 */
import { formatConfigError, type ConfigError } from './config/parse';

export interface Who {
  /** "rescue", or "default" for the profile without --profile. */
  label: string;
  /** "epiloop --profile rescue": the prefix of the commands a message suggests. */
  invocation: string;
}

/** A profile without a config. Without `who.invocation` (a watched profile's finding) it suggests nothing. */
export function notSetUp(who: Pick<Who, 'label'> & Partial<Who>, configShown: string): string {
  const fact = `profile "${who.label}" is not set up: no config at ${configShown}`;
  return who.invocation === undefined ? fact : `${fact}. Run "${who.invocation} setup" or "${who.invocation} onboard" first.`;
}

/** A config that does not parse or validate: where and why, then how to repair it; `orElse` adds a way out of this command's own. */
export function brokenConfig(who: Who, error: ConfigError, fileShown: string, orElse?: string): string {
  const repair = `Repair it with "${who.invocation} doctor --fix" or "${who.invocation} onboard"${orElse === undefined ? '' : `, or ${orElse}`}.`;
  return `${formatConfigError(error, fileShown, who.invocation)}\nThe config of profile "${who.label}" is broken. ${repair}`;
}
