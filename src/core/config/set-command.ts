/** The `config set` / `config unset` command lines a message offers, as a shell takes them back. Pure. */
import { formatValue } from './json5';
import { formatKeyPath, type KeyPath } from './keypath';

/** A key path as one shell word: bare when it has no character a shell reads ("watch.profiles[1]" is quoted: [ globs). */
export function keyWord(path: KeyPath): string {
  const key = formatKeyPath(path);
  return /^[\w.-]+$/.test(key) ? key : `'${key.replaceAll("'", "'\\''")}'`;
}

/** The command line that makes a change ("config set gateway.bind lan"), after the profile's invocation. */
export function commandOf(change: { path: KeyPath; value?: unknown; unset: boolean }): string {
  const key = keyWord(change.path);
  if (change.unset) return `config unset ${key}`;
  const text = formatValue(change.value);
  // A bare word stays a string on the way back in (parseValueText), a bare number or boolean stays one; anything else is quoted JSON.
  const bare = typeof change.value === 'string' ? /^[A-Za-z][\w.:/@-]*$/.test(change.value) && !/^(true|false|null|Infinity|NaN)\b/.test(change.value) : /^[\w.+-]+$/.test(text);
  const value = typeof change.value === 'string' && bare ? change.value : bare ? text : `'${text.replaceAll("'", "'\\''")}'`;
  // A value starting with "-" would be read as an option.
  return `config set ${key} ${value.startsWith('-') ? '-- ' : ''}${value}`;
}
