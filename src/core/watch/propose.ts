import { DEFAULT_LABEL } from '../profile/name';
import { roleForProfile } from '../ports/propose';

/**
 * What the wizard's rescue role writes to watch.profiles: the main bot, which is the profile
 * "main" or, on a host set up as the seed describes ("epiloop onboard" without --profile), the
 * default one. Nothing when neither exists: a rescue of nothing watches nothing.
 */
export function proposeWatch(role: 'main' | 'rescue', otherLabels: readonly string[]): string[] {
  if (role !== 'rescue') return [];
  if (otherLabels.includes('main')) return ['main'];
  return otherLabels.includes(DEFAULT_LABEL) ? [DEFAULT_LABEL] : [];
}

/**
 * Whom a profile would watch had the wizard set it up in its default role, while its config
 * watches nothing: what setup (which asks no role and writes no watch) names in a hint.
 * Empty for a main, for a rescue that watches, and for a rescue with no main bot to watch.
 */
export function unwatchedProposal(profile: string | null, watching: readonly string[] | undefined, otherLabels: readonly string[]): string[] {
  if ((watching?.length ?? 0) > 0) return [];
  return proposeWatch(roleForProfile(profile) === 'rescue' ? 'rescue' : 'main', otherLabels);
}
