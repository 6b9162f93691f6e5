/**
 * What a schema-valid config must also be for its profile's gateway to start: rules that
 * need the profile (a rescue watching itself) or a key that setup fills in (the token).
 * The gateway refuses on these, doctor reports them with a fix, status lists them: one
 * function, so none of them passes a config another refuses. Pure.
 */
import type { Config } from './schema';
import type { LoadedConfig } from './parse';
import { CONFIG_REPAIRED } from '../messages';
import type { InvalidKey } from './edits';
import { TOKEN_RULE } from './token';
import { pathsOfProfile, isSelf, watchesItself } from '../watch/targets';
import type { ProfilePaths } from '../profile/paths';

export interface ProfileRuleProblem extends InvalidKey {
  /** The sentence the gateway and status print. */
  sentence: string;
}

export function profileRuleProblems(config: Config, self: ProfilePaths, home: string): ProfileRuleProblem[] {
  const problems: ProfileRuleProblem[] = [];
  if (config.gateway?.auth?.token === undefined) {
    problems.push({
      keys: ['gateway', 'auth', 'token'],
      problem: { path: 'gateway.auth.token', value: 'missing', allowed: TOKEN_RULE },
      sentence: `profile "${self.label}" has no gateway.auth.token, so nothing could authenticate to it.`,
    });
  }
  (config.watch?.profiles ?? []).forEach((name, i) => {
    if (!isSelf(pathsOfProfile(name, home), self)) return;
    problems.push({
      keys: ['watch', 'profiles', String(i)],
      problem: { path: `watch.profiles.${i}`, value: JSON.stringify(name), allowed: `another profile than "${self.label}": a gateway cannot watch itself` },
      sentence: watchesItself(self),
    });
  });
  return problems;
}

/**
 * Whether the gateway refuses to start on this config (it does not parse or validate, or breaks a
 * rule above), as whenItStarts' blocker: CONFIG_REPAIRED, or null when nothing in it keeps a start
 * from going ahead (a missing config is not set up, which its own words say).
 */
export function configStartBlocker(loaded: LoadedConfig, self: ProfilePaths, home: string): string | null {
  if (loaded.state === 'missing') return null;
  return loaded.state === 'invalid' || profileRuleProblems(loaded.config, self, home).length > 0 ? CONFIG_REPAIRED : null;
}
