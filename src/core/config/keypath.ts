/**
 * Key paths as `epiloop config` takes them: `gateway.port`, `browser.profiles.default.cdpPort`,
 * `watch.profiles[0]`, `plugins["my.key"]`. A dot separates object keys (a key of digits
 * after a dot is a key: browser profiles may be named "2"); `[N]` is an array index;
 * `["…"]` quotes a key that holds dots or brackets. Pure: values in, copies out.
 */
import { parseJson5Text } from './json5';
import { UsageError } from '../errors';

export type KeyPath = readonly (string | number)[];
type Raw = Record<string, unknown>;

export const KEY_PATH_RULE =
  'keys joined by dots, [N] for an array index, ["…"] for a key with dots or brackets: e.g. gateway.port, browser.profiles.default.cdpPort, watch.profiles[0]';

function bad(text: string, why: string): UsageError {
  return new UsageError(`"${text}" is not a key path: ${why}. Use ${KEY_PATH_RULE}.`);
}

export function parseKeyPath(text: string): KeyPath {
  const path: (string | number)[] = [];
  let i = 0;
  if (text.trim() === '') throw bad(text, 'it is empty');
  while (i < text.length) {
    if (text[i] === '[') {
      const close = text.indexOf(']', i);
      const inner = close < 0 ? '' : text.slice(i + 1, close);
      if (/^(0|[1-9]\d*)$/.test(inner)) {
        path.push(Number(inner));
        i = close + 1;
      } else if (inner.startsWith('"')) {
        const end = quotedEnd(text, i + 1);
        if (end < 0 || text[end] !== ']') throw bad(text, `a quoted key at ${i + 1} does not end in "]`);
        path.push(quotedKey(text, i + 1, end));
        i = end + 1;
      } else {
        throw bad(text, `[${inner}${close < 0 ? '' : ']'} is neither an index [0], [1], … nor a quoted key ["…"]`);
      }
    } else {
      if (path.length > 0) {
        if (text[i] !== '.') throw bad(text, `expected "." or "[" at ${i + 1}`);
        i++;
      }
      const match = /^[^.[\]]+/.exec(text.slice(i));
      if (match === null) throw bad(text, `an empty key at ${i + 1}`);
      path.push(match[0]);
      i += match[0].length;
    }
  }
  return path;
}

/** The key a quoted JSON string spells; a bad escape or a raw control character in it is a bad path. */
function quotedKey(text: string, start: number, end: number): string {
  try {
    return JSON.parse(text.slice(start, end)) as string;
  } catch {
    throw bad(text, `the quoted key at ${start} is not a JSON string (use \\\\ for a backslash, \\" for a quote, \\uXXXX for any other character)`);
  }
}

/** The end (after the closing quote) of a JSON string starting at `start`, or -1. */
function quotedEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}

export function formatKeyPath(path: KeyPath): string {
  return path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : /^[^.[\]"]+$/.test(k) ? `${i === 0 ? '' : '.'}${k}` : `[${JSON.stringify(k)}]`))
    .join('');
}

/** Sets an own property, even one named __proto__. */
function put(target: Raw, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isObject(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Where a path leads, or why it leads nowhere. */
export type Lookup = { found: true; value: unknown } | { found: false; reason: string };

export function getAtPath(raw: Raw, path: KeyPath): Lookup {
  let current: unknown = raw;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const here = formatKeyPath(path.slice(0, i)) || 'the config';
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return { found: false, reason: `${here} is ${kindOf(current)}, not a list` };
      if (key >= current.length) return { found: false, reason: `${here} has ${current.length} item${current.length === 1 ? '' : 's'}` };
      current = current[key];
    } else {
      if (!isObject(current)) return { found: false, reason: `${here} is ${kindOf(current)}, not an object` };
      if (!Object.hasOwn(current, key)) {
        // The whole path asked for is named; where it stops too, when that is above its end.
        const whole = formatKeyPath(path);
        return { found: false, reason: i === path.length - 1 ? `${whole} is not set` : `${whole} is not set (${here} has no ${formatKeyPath([key])})` };
      }
      current = current[key];
    }
  }
  return { found: true, value: current };
}

/**
 * A copy of `raw` with the value at `path` set. Missing objects on the way are created;
 * an index may point one past the end of a list (to append). Stepping through a value that
 * is not an object (or not a list, for an index) is a UsageError that says what is there,
 * and the command (`invocation` config set …) that replaces it whole.
 */
export function setAtPath(raw: Raw, path: KeyPath, value: unknown, invocation = 'epiloop'): Raw {
  if (path.length === 0) throw new UsageError('give a key path: the whole config cannot be set at once.');
  const copy = structuredClone(raw);
  let current: unknown = copy;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const last = i === path.length - 1;
    const here = formatKeyPath(path.slice(0, i)) || 'the config';
    if (typeof key === 'number') {
      if (!Array.isArray(current)) throw new UsageError(`${formatKeyPath(path)}: ${here} is ${kindOf(current)}, not a list, so it has no [${key}].`);
      if (key > current.length) throw new UsageError(`${formatKeyPath(path)}: ${here} has ${current.length} item${current.length === 1 ? '' : 's'}; set [${current.length}] to add one.`);
      if (last) current[key] = value;
      else current = current[key] ??= typeof path[i + 1] === 'number' ? [] : {};
    } else {
      // Set whole, never "unset first": an unset may be refused (the auth token is required).
      if (!isObject(current)) {
        const word = /^[\w.-]+$/.test(here) ? here : `'${here.replaceAll("'", "'\\''")}'`;
        throw new UsageError(`${formatKeyPath(path)}: ${here} is ${kindOf(current)}, not an object, so it has no key "${key}". Set ${here} as a whole instead: ${invocation} config set ${word} '<new value>'`);
      }
      if (last) put(current, key, value);
      else {
        if (!Object.hasOwn(current, key)) put(current, key, typeof path[i + 1] === 'number' ? [] : {});
        current = current[key];
      }
    }
  }
  return copy;
}

/** A copy of `raw` without the value at `path` (a list closes up), or null when nothing is there. */
export function unsetAtPath(raw: Raw, path: KeyPath): Raw | null {
  if (path.length === 0) throw new UsageError('give a key path: the whole config cannot be unset.');
  if (!getAtPath(raw, path).found) return null;
  const copy = structuredClone(raw);
  const parent = (getAtPath(copy, path.slice(0, -1)) as { value: unknown }).value;
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete (parent as Raw)[key as string];
  return copy;
}

/**
 * One bare token: letters, digits and . _ ~ : / @ % + - only (an address, an IPv6 address, a
 * host:port), or an IPv6 address in brackets with a port or not ([::1]:8080). No space,
 * quote, comma, brace or other bracket: text with those that is no JSON5 is broken JSON5.
 */
const BARE_TOKEN = /^(?:[\w.~:/@%+-]+|\[[\dA-Fa-f:.]+(?:%[\w.-]+)?\](?::\d+)?)$/;

/**
 * The value of `config set` as JSON5 (19789, true, "text", ["main"], { … }). Text that is no
 * JSON5 is that string when it does not start like a value (a bare word, a path such as ~/ws)
 * or is one bare token (0.0.0.0, 2001:db8::1, 18a89): the schema then says whether the key
 * takes it. `[main`, `{a:`, `"abc` are errors, not strings.
 */
export function parseValueText(text: string): unknown {
  try {
    return parseJson5Text(text);
  } catch (error) {
    const looksLikeValue = /^\s*[[{"'+\-.\d]/.test(text) || /^\s*(true|false|null|Infinity|NaN)\b/.test(text);
    if (!looksLikeValue || BARE_TOKEN.test(text)) return text;
    const why = (error as Error).message.replace(/^JSON5: /, '');
    throw new UsageError(
      `${JSON.stringify(text)} is not a JSON5 value (${why}). Give a number (19789), true, false, null, a string ('"text"'), a list ('["main"]') or an object ('{ "a": 1 }').`,
    );
  }
}
