import { DEFAULT_LABEL } from '../profile/name';

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
