/**
 * The sentences several commands say about a profile, written once so that `status`,
 * `gateway`, `setup`, … tell a user the same thing and suggest the same commands.
 */
import { configErrorEntries, type ConfigError } from './config/parse';
import { isReplaceable } from './profile/files';
import { asSentence } from './text/sentence';

export interface Who {
  /** "rescue", or "default" for the profile without --profile. */
  label: string;
  /** "epiloop --profile rescue": the prefix of the commands a message suggests. */
  invocation: string;
}

/** A profile without a config. Without `who.invocation` (a watched profile's finding) it suggests nothing. */
/** A host-wide command (`--all`) on a host with no profile: what it could not do, and what to run. */
export function noProfileOnHost(outcome: string): string {
  return `No profile is set up on this host: ${outcome}. Set one up with "epiloop setup" or "epiloop onboard".`;
}

export function notSetUp(who: Pick<Who, 'label'> & Partial<Who>, configShown: string): string {
  const fact = `profile "${who.label}" is not set up: no config at ${configShown}`;
  return who.invocation === undefined ? fact : `${fact}. Run "${who.invocation} setup" or "${who.invocation} onboard" first.`;
}

/**
 * For a profile that is not set up while others are: the ones this host has, and how to name
 * one ("epiloop status" with no --profile means the default profile, which a new user may not know).
 */
export function otherProfilesHint(labels: readonly string[], example: string): string | null {
  if (labels.length === 0) return null;
  const shown = labels.slice(0, 5).join(', ') + (labels.length > 5 ? ', …' : '');
  return `This host has ${labels.length === 1 ? 'profile' : 'profiles'} ${shown}: name one with --profile, e.g. "${example}".`;
}

/**
 * `notSetUp` for a command the user ran, with the host's other set-up profiles when there
 * are (`otherProfilesHint`): the two lines every command says for a profile without a config.
 * `others` are their invocations, `command` what follows the example's --profile, `outcome` a
 * sentence for the first line ("Nothing was installed.").
 */
export function notSetUpAmong(
  who: Who,
  configShown: string,
  others: readonly { label: string; invocation: string }[],
  command: string,
  outcome?: string,
): string {
  const fact = outcome === undefined ? notSetUp(who, configShown) : `${notSetUp(who, configShown)} ${outcome}`;
  const hint = otherProfilesHint(others.map((o) => o.label), `${others[0]?.invocation ?? who.invocation} ${command}`);
  return hint === null ? fact : `${fact}\n${hint}`;
}

/**
 * When a stopped gateway can start, as status and top's doctor view say it: `start` (how to
 * start it) when nothing keeps it from starting; while something does, once `blocker` is (e.g.
 * "the config is repaired"), with no way to start it before: a start then would only be refused.
 */
/** Another profile's gateway, where "this gateway" would be the speaker's own (doctor --target, a rescue's alerts). */
export function othersGateway(label: string): string {
  return `${label}'s gateway`;
}

/** What a start of a gateway whose config is broken waits for (whenItStarts' blocker). */
export const CONFIG_REPAIRED = 'the config is repaired';

export function whenItStarts(start: string, blocker: string | null): string {
  return blocker === null ? `start it: ${start}` : `it can start once ${blocker}`;
}

/** Why `top`'s s tries no start of a stopped gateway while `blocker` keeps it from starting (whenItStarts), with `fix`: the refusal's own (ruleFixWords), as status names it. */
export function startNotTried(who: Pick<Who, 'label'>, blocker: string, fix: string): string {
  return `✘ ${who.label}: not started: ${whenItStarts('press s', blocker)}. ${fix}.`;
}

/** Why `top`'s r tries no restart of a running gateway while `blocker` keeps a start from going ahead: the restart would stop it for nothing. `fix` as startNotTried. */
export function restartNotTried(who: Pick<Who, 'label'>, blocker: string, fix: string): string {
  return `✘ ${who.label}: not restarted: it can restart once ${blocker}; its gateway keeps running. ${fix}.`;
}

/** whenItStarts as a sentence of its own: "Start it: …." or "It can start once …". */
export function whenItStartsSentence(start: string, blocker: string | null): string {
  return asSentence(whenItStarts(start, blocker));
}

/**
 * A config that does not parse or validate: where and why, then how to repair it; `orElse` adds a way out of this command's own.
 * `running` onboard: onboard itself is not advised (it was just run, and refused).
 */
export function brokenConfig(who: Who, error: ConfigError, fileShown: string, orElse?: string, running?: 'onboard'): string {
  return brokenConfigProblems(who, error, fileShown, { orElse, running }).join('\n');
}

/**
 * brokenConfig as a list of problems (status counts them): one entry per problem, the repair
 * advice said once, on the last entry's last line: it is advice, not another problem. Past
 * `shown` problems (configErrorEntries' cap unless said) the last entry counts the rest.
 */
export function brokenConfigProblems(who: Who, error: ConfigError, fileShown: string, options: { orElse?: string; running?: 'onboard'; shown?: number } = {}): string[] {
  const { orElse, running } = options;
  const onboard = running === 'onboard' ? '' : ` or "${who.invocation} onboard"`;
  const repair = `Repair it with "${who.invocation} doctor --fix"${onboard}${orElse === undefined ? '' : `, or ${orElse}`}.`;
  // A file doctor --fix does not replace (a directory, a FIFO, a link out, unreadable): its Fix line is by hand.
  const advice = byHandOnly(error)
    ? `The config of profile "${who.label}" was not read: fix it by hand as above${orElse === undefined ? '' : `, or ${orElse}`}.`
    : `The config of profile "${who.label}" is broken. ${repair}`;
  const entries = configErrorEntries(error, fileShown, who.invocation, { shown: options.shown });
  const last = entries.pop();
  return [...entries, last === undefined ? advice : `${last}\n${advice}`];
}

/** A config not read that doctor --fix leaves alone (isReplaceable: only too large or too deep): only a person can fix it. */
export function byHandOnly(error: ConfigError): boolean {
  return error.kind === 'refused' && !isReplaceable(error.refusal);
}
