import { UsageError } from '../errors';

/** Names the profile you get without --profile (in watch.profiles, --target, labels); never a profile name. */
export const DEFAULT_LABEL = 'default';

export const PROFILE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const PROFILE_NAME_RULE =
  '1–32 characters of a-z, 0-9, "-" and "_", starting with a letter or digit';

export function isProfileName(name: string): boolean {
  return name !== DEFAULT_LABEL && PROFILE_NAME_PATTERN.test(name);
}

/** Why a name in capitals is not one: said wherever a profile is named ("did you mean" its lower-case name). */
export const LOWER_CASE_WHY = 'Names are lower case so that "Foo" and "foo" can never be two profiles.';

/** The lower-case name a name in capitals likely meant, when that is one ("default" included); else null. */
export function lowerCaseMeant(name: string): string | null {
  const lower = name.toLowerCase();
  return /[A-Z]/.test(name) && (lower === DEFAULT_LABEL || isProfileName(lower)) ? lower : null;
}

/** Returns the name unchanged, or throws a UsageError that says what is allowed. */
export function checkProfileName(name: string, source = '--profile'): string {
  if (name === DEFAULT_LABEL) {
    throw new UsageError(`${source}: "${DEFAULT_LABEL}" is reserved for the profile you get without --profile. Leave --profile out, or pick another name.`);
  }
  if (isProfileName(name)) return name;
  const shown = name === '' ? 'an empty name' : JSON.stringify(name);
  const lower = lowerCaseMeant(name);
  const hint = lower !== null && lower !== DEFAULT_LABEL ? ` Did you mean "${lower}"? ${LOWER_CASE_WHY}` : '';
  throw new UsageError(`${source}: ${shown} is not a valid profile name. Use ${PROFILE_NAME_RULE}.${hint}`);
}
