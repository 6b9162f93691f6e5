/**
 * A config value as JSON sees it, shared by the editor and the read-back of its text. Pure.
 */

type Raw = Record<string, unknown>;

/** As JSON sees a value: undefined (and a function) is no value — a key left out, or null in a list. */
export function isPresent(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/** An array's element as JSON writes it: a missing one is null. */
export function element(value: unknown): unknown {
  return isPresent(value) ? value : null;
}

export function isPlainObject(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function isContainer(value: unknown): boolean {
  return value !== null && typeof value === 'object';
}

/** The keys JSON would write. Object.keys (its cached list) rather than for…in, which walks the prototype chain: this runs once per object of a config, twice per edit. */
export function countPresent(value: Raw): number {
  const keys = Object.keys(value);
  let count = keys.length;
  for (let i = 0; i < keys.length; i++) if (!isPresent(value[keys[i]!])) count--;
  return count;
}
