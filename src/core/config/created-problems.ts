/**
 * Which schema problems an edit makes: a problem the edit creates refuses the edit, while one
 * that was there before is left as it was (a note, doctor --fix repairs it).
 */
import { formatKeyPath, getAtPath, type KeyPath } from './keypath';
import type { Raw } from './edits';
import { problemPath, type SchemaProblem } from './schema';

export interface Edit {
  path: KeyPath;
  unset: boolean;
}

/** True when a problem is about the key at `path` or something inside it (problemPath names a key with a dot unmistakably). */
export function isUnder(problem: SchemaProblem, path: KeyPath): boolean {
  return problem.path === problemPath(path) || insideOf(problem.path, path) !== null;
}

/** What follows `path` in a problem's path inside it (".url", '["a.b"].x'), else null. */
function insideOf(problemAt: string, path: KeyPath): string | null {
  const at = problemPath(path);
  const rest = problemAt.slice(at.length);
  return problemAt.startsWith(at) && (rest.startsWith('.') || rest.startsWith('[')) ? rest : null;
}

/**
 * The problems of `after` the edit is answerable for: those about the key it sets, and those
 * that were not there before. Unsetting a list item renumbers the items after it, so a
 * problem that was there before keeps its identity under its new index.
 */
export function problemsMadeBy(edit: Edit, before: readonly SchemaProblem[], after: readonly SchemaProblem[]): SchemaProblem[] {
  const key = (p: SchemaProblem) => `${p.path}\0${p.allowed}`;
  const had = new Set(before.flatMap((p) => renumbered(p, edit)).map(key));
  // After an unset, what is under its path is what moved there, not what it set.
  return after.filter((p) => (!edit.unset && isUnder(p, edit.path)) || !had.has(key(p)));
}

/** Where a problem that was there before sits after the edit ([] when the edit removes its item). */
function renumbered(problem: SchemaProblem, edit: Edit): SchemaProblem[] {
  const index = edit.path[edit.path.length - 1];
  if (!edit.unset || typeof index !== 'number') return [problem];
  const list = edit.path.slice(0, -1);
  const match = /^\[(\d+)\]([.[].*)?$/.exec(insideOf(problem.path, list) ?? '');
  if (match === null) return [problem];
  const at = Number(match[1]);
  if (at === index) return [];
  return [at < index ? problem : { ...problem, path: `${problemPath([...list, at - 1])}${match[2] ?? ''}` }];
}

/**
 * When a set creates a new item (`watch.alerts[1].url` one past the end of the list) and the
 * item lacks keys it needs, the way to add it: the whole item in one set, as a value config
 * set takes. A list it creates is not the item: its entry is (`watch.alerts[0]`, never
 * `{ 0: … }`). A "__proto__" key is refused whatever it holds, so no hint offers it. null otherwise,
 * and null when every problem is in the value set: the user set the whole item, or its key's value is wrong.
 */
export function wholeItemHint(edit: Edit, raw: Raw, made: readonly SchemaProblem[], invocation: string): string | null {
  if (edit.unset) return null;
  let depth = edit.path.findIndex((_, i) => !getAtPath(raw, edit.path.slice(0, i + 1)).found) + 1;
  if (depth === 0) return null;
  while (typeof edit.path[depth] === 'number') depth++;
  if (depth >= edit.path.length) return null;
  const item = edit.path.slice(0, depth);
  // A problem in the value set (the whole item, or a key of it) is the value's: setting the item again would not help.
  const inside = made.filter((p) => !isUnder(p, edit.path)).flatMap((p) => {
    // The first key below the item: ".type", or a quoted one ('["a.b"]').
    const key = /^\.([^.[]+)|^\[("(?:[^"\\]|\\.)*")\]/.exec(insideOf(p.path, item) ?? '');
    return key === null ? [] : [key[1] ?? (JSON.parse(key[2]!) as string)];
  });
  const keys = [...new Set([...inside, String(edit.path[depth])])].filter((k) => k !== '__proto__');
  if (inside.length === 0 || keys.length === 0) return null;
  return `Set the whole item at once: ${invocation} config set '${formatKeyPath(item)}' '{ ${keys.map((k) => `${json5Key(k)}: …`).join(', ')} }'`;
}

/** A key as JSON5 takes it in an object: bare when it is an identifier, else quoted. */
function json5Key(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}
