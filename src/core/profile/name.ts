import { UsageError } from '../errors';

/** Names the profile you get without --profile (in watch.profiles, --target, labels); never a profile name. */
export const DEFAULT_LABEL = 'default';

export const PROFILE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const PROFILE_NAME_RULE =
  '1–32 characters of a-z, 0-9, "-" and "_", starting with a letter or digit';

export function isProfileName(name: string): boolean {
  return name !== DEFAULT_LABEL && PROFILE_NAME_PATTERN.test(name);
}

/** Returns the name unchanged, or throws a UsageError that says what is allowed. */
export function checkProfileName(name: string, source = '--profile'): string {
  if (name === DEFAULT_LABEL) {
    throw new UsageError(`${source}: "${DEFAULT_LABEL}" is reserved for the profile you get without --profile. Leave --profile out, or pick another name.`);
  }
  if (isProfileName(name)) return name;
  const shown = name === '' ? 'an empty name' : JSON.stringify(name);
  const hint = /[A-Z]/.test(name) && isProfileName(name.toLowerCase())
    ? ` Did you mean "${name.toLowerCase()}"? Names are lower case so that "Foo" and "foo" can never be two profiles.`
    : '';
  throw new UsageError(`${source}: ${shown} is not a valid profile name. Use ${PROFILE_NAME_RULE}.${hint}`);
}
