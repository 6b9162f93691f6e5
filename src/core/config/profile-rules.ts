/**
 * What a schema-valid config must also be for its profile's gateway to start: rules that
 * need the profile (a rescue watching itself), a key that setup fills in (the token), or the
 * host (gateway.bind on one of its addresses, given the host's `BindFacts`).
 * The gateway refuses on these, doctor reports them with a fix, status lists them: one
 * function, so none of them passes a config another refuses. Pure.
 */
import { problemPath, type Config } from './schema';
import type { LoadedConfig } from './parse';
import { CONFIG_REPAIRED } from '../messages';
import type { InvalidKey } from './edits';
import { TOKEN_RULE } from './token';
import { pathsOfProfile, isSelf, watchesItself } from '../watch/targets';
import type { ProfilePaths } from '../profile/paths';
import { bindAddressFix, bindHost, isAddressOfHost, isBindValue } from '../gateway/plan';

export interface ProfileRuleProblem extends InvalidKey {
  /** The sentence the gateway and status print. */
  sentence: string;
  /** How to fix it by hand, for a problem "doctor --fix" does not fix (a bind only the user can choose). */
  byHand?: string;
}

/** What judging gateway.bind needs: this host's interface addresses (hostAddresses), and the command prefix its fix names the profile by. */
export interface BindFacts {
  addresses: readonly string[];
  invocation: string;
}

/**
 * `host`: without it the bind is not judged: doctor, which reports it as a finding of its own
 * that --fix leaves alone.
 */
export function profileRuleProblems(config: Config, self: ProfilePaths, home: string, host?: BindFacts): ProfileRuleProblem[] {
  const problems: ProfileRuleProblem[] = [];
  if (config.gateway?.auth?.token === undefined) {
    problems.push({
      keys: ['gateway', 'auth', 'token'],
      problem: { path: 'gateway.auth.token', value: 'missing', allowed: TOKEN_RULE },
      sentence: `Profile "${self.label}" has no gateway.auth.token, so nothing could authenticate to it.`,
    });
  }
  (config.watch?.profiles ?? []).forEach((name, i) => {
    if (!isSelf(pathsOfProfile(name, home), self)) return;
    problems.push({
      keys: ['watch', 'profiles', String(i)],
      problem: { path: problemPath(['watch', 'profiles', i]), value: JSON.stringify(name), allowed: `another profile than "${self.label}": a gateway cannot watch itself` },
      sentence: watchesItself(self),
    });
  });
  const bind = config.gateway?.bind;
  // The start would fail to listen (EADDRNOTAVAIL): a restart must not stop the running gateway for it.
  if (host !== undefined && bind !== undefined && isBindValue(bind) && !isAddressOfHost(bindHost(bind), host.addresses)) {
    const fix = bindAddressFix(host.invocation, host.addresses);
    problems.push({
      keys: ['gateway', 'bind'],
      problem: { path: 'gateway.bind', value: JSON.stringify(bind), allowed: 'an address of this host' },
      sentence: `gateway.bind is ${JSON.stringify(bind)}, not an address of this host.`,
      byHand: fix,
    });
  }
  return problems;
}

/** Whether the gateway would start on this config, and if not, why. */
export interface StartVerdict {
  /** What a start waits for (whenItStarts' blocker): CONFIG_REPAIRED, or null when nothing in the config keeps it from starting (a missing config is not set up, which its own words say). */
  blocker: string | null;
  /** The rules a schema-valid config breaks, each with its sentence (none for a config broken or missing). */
  refusals: ProfileRuleProblem[];
}

/**
 * The config's part of "would this gateway start", on this host's `addresses` (hostAddresses):
 * a config that does not parse or validate, or breaks a rule above, is refused. Every surface
 * asks it through hostStartVerdict (core/host/start.ts), which adds what the host refuses.
 */
export function startVerdict(loaded: LoadedConfig, self: ProfilePaths, home: string, host: BindFacts): StartVerdict {
  const refusals = loaded.state === 'ok' ? profileRuleProblems(loaded.config, self, home, host) : [];
  return { blocker: loaded.state === 'invalid' || refusals.length > 0 ? CONFIG_REPAIRED : null, refusals };
}

/**
 * The fix of a refusal by these rules, as one clause: `repair` ("Fix it with \"epiloop doctor
 * --fix\"") for the problems doctor fixes, then each by-hand fix.
 */
export function ruleFixWords(problems: readonly ProfileRuleProblem[], repair: string): string {
  const byHand = [...new Set(problems.flatMap((p) => (p.byHand === undefined ? [] : [p.byHand])))];
  if (byHand.length === 0) return repair;
  const hand = byHand.join('; ');
  return problems.every((p) => p.byHand !== undefined) ? `Fix: ${hand}` : `${repair}; and ${hand}`;
}

/** The repair ruleFixWords names for the problems doctor --fix fixes. */
function doctorRepair(invocation: string): string {
  return `Fix it with "${invocation} doctor --fix"`;
}

/**
 * The refusals of a config in brief, as config set says them beside its restart advice: each
 * sentence, then the fix status names (refusedConfigProblems); null when there are none.
 */
export function refusalsInBrief(refusals: readonly ProfileRuleProblem[], invocation: string): string | null {
  if (refusals.length === 0) return null;
  return `${refusals.map((r) => r.sentence).join(' ')} ${ruleFixWords(refusals, doctorRepair(invocation))}.`;
}

/**
 * A schema-valid config the gateway refuses (profileRuleProblems), as status says it: each
 * sentence a problem, the fix once, on the last (it is advice, not another problem), with the
 * rollback `offer` when a last-known-good config is recorded. `running`: the gateway that serves
 * now (it started on an earlier config, and only a restart would meet the refusal), or null.
 */
export function refusedConfigProblems(
  refusals: readonly ProfileRuleProblem[],
  invocation: string,
  offer: string | null = null,
  running: { pid: number; url: string } | null = null,
): string[] {
  if (refusals.length === 0) return [];
  const sentences = refusals.map((r) => r.sentence);
  const fix = ruleFixWords(refusals, doctorRepair(invocation));
  const refused =
    running === null
      ? 'The gateway refuses to start with this config.'
      : `The gateway (pid ${running.pid}) keeps serving on ${running.url}, the address it started with, but a restart would be refused with this config.`;
  return [...sentences.slice(0, -1), `${sentences.at(-1)}\n${refused} ${fix}${offer === null ? '' : `, or ${offer}`}.`];
}
