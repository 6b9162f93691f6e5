/**
 * What to do instead of a refused watch.profiles entry (listed twice, the rescue itself, a
 * name in capitals), wherever it sits in the list: the profile of that name in lower case,
 * another profile of this host it does not watch yet, or, when it watches all of them, how to
 * set one more up. Pure.
 */
import { problemPath, type SchemaProblem } from './schema';
import { commandOf } from './set-command';
import { LOWER_CASE_WHY, lowerCaseMeant } from '../profile/name';
import { invocationOf } from '../profile/identity';

export interface WatchHost {
  /** The list as the change leaves it (entries of any type, as written). */
  list: readonly unknown[];
  /** The labels of the other profiles set up on this host. */
  others: readonly string[];
  /** The watching profile's label. */
  self: string;
  /** "epiloop --profile rescue" */
  invocation: string;
}

/** The hints for the refused problems at watch.profiles[i], each once. */
export function watchHints(made: readonly SchemaProblem[], host: WatchHost): string[] {
  const hints = host.list.flatMap((name, i) => (made.some((p) => p.path === problemPath(['watch', 'profiles', i])) ? entryHints(name, i, host) : []));
  return [...new Set(hints)];
}

function entryHints(name: unknown, at: number, host: WatchHost): string[] {
  const listed = new Set(host.list.filter((n, i) => i !== at && typeof n === 'string'));
  const set = (label: string) => `${host.invocation} ${commandOf({ path: ['watch', 'profiles', at], value: label, unset: false })}`;
  const lower = typeof name === 'string' ? lowerCaseMeant(name) : null;
  const meant = lower !== null && lower !== host.self && !listed.has(lower) ? lower : null;
  if (meant !== null && host.others.includes(meant)) return [`Did you mean "${meant}"? ${LOWER_CASE_WHY} Watch it with: ${set(meant)}`];
  const guess = meant === null ? [] : [`Did you mean "${meant}"? ${LOWER_CASE_WHY}`];
  const unwatched = host.others.filter((label) => !listed.has(label));
  if (unwatched.length > 0) return [...guess, `Watch another profile of this host instead (${unwatched.join(', ')}): ${set(unwatched[0]!)}`];
  const more = `set it up first: ${invocationOf('<name>', false)} onboard`;
  if (host.others.length > 0) return [...guess, `It watches every other profile of this host already (${host.others.join(', ')}); to watch one more, ${more}`];
  return [...guess, `No other profile is set up on this host; to watch one, ${more}`];
}
