/**
 * The keys the schema names, at any depth (the keys the gateway reads), walked from the zod
 * schema itself so that a key added there is known here; and, for a key it does not name,
 * the known key a near miss meant (suggest's "did you mean", key by key). Pure.
 */
import type * as z from 'zod/mini';
import { configSchema, validateConfig } from './schema';
import { formatKeyPath, setAtPath, type KeyPath } from './keypath';
import { formatValue } from './json5';
import { isUnder } from './created-problems';
import type { Raw } from './edits';
import { maskValueAt } from './secrets';
import { commandOf, keyWord } from './set-command';
import { suggest } from '../text/suggest';

export type KeyKnowledge = { known: true } | { known: false; meant: KeyPath | null };

type Node = z.core.$ZodType;

/** What the schema takes below `node` for `key`: the child nodes, none when it names no such key; `names`: the keys it names there. */
function below(node: Node, key: string | number): { children: Node[]; names: string[] } {
  const def = node._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
      return below(def.innerType as Node, key);
    case 'object': {
      const shape = def.shape as Record<string, Node>;
      const names = Object.keys(shape);
      return { children: typeof key === 'string' && Object.hasOwn(shape, key) ? [shape[key]!] : [], names };
    }
    // Any name (a browser profile's): the name rule is the schema's to judge.
    case 'record':
      return { children: typeof key === 'string' ? [def.valueType as Node] : [], names: [] };
    case 'array':
      return { children: typeof key === 'number' ? [def.element as Node] : [], names: [] };
    case 'union': {
      // Either kind of sink, a command as a line or a list: a key any option names.
      const each = (def.options as Node[]).map((option) => below(option, key));
      return { children: each.flatMap((b) => b.children), names: [...new Set(each.flatMap((b) => b.names))] };
    }
    default:
      return { children: [], names: [] };
  }
}

/** Whether the schema names every key of `path`; if not, the path with each key it does not name replaced by the one it likely meant (null when one has none). */
export function schemaKeyAt(path: KeyPath): KeyKnowledge {
  let nodes: Node[] = [configSchema()];
  const meant: (string | number)[] = [];
  let known = true;
  for (const key of path) {
    const steps = nodes.map((node) => below(node, key));
    let children = steps.flatMap((s) => s.children);
    let next: string | number | null = key;
    if (children.length === 0) {
      known = false;
      const guess = typeof key === 'string' ? suggest(key, [...new Set(steps.flatMap((s) => s.names))]) : null;
      next = guess;
      children = guess === null ? [] : nodes.flatMap((node) => below(node, guess).children);
    }
    if (next === null || children.length === 0) return { known: false, meant: null };
    meant.push(next);
    nodes = children;
  }
  return known ? { known: true } : { known: false, meant };
}

/** The known key a set of an unknown one likely meant, and whether the value typed fits it (else what it takes, when the schema says). */
export interface MeantKey {
  path: KeyPath;
  fits: boolean;
  allowed: string | null;
}

/** For a set of a key the schema does not name: the key it likely meant, judged with the value typed set there instead; null otherwise. */
export function meantKey(change: { path: KeyPath; value?: unknown; unset: boolean }, raw: Raw): MeantKey | null {
  if (change.unset) return null;
  const at = schemaKeyAt(change.path);
  if (at.known || at.meant === null) return null;
  const meant = at.meant;
  let there: Raw;
  try {
    there = setAtPath(raw, meant, change.value);
  } catch {
    // The known key lies below a value that holds no keys: what it takes is for the user to see there.
    return { path: meant, fits: false, allowed: null };
  }
  const checked = validateConfig(there);
  const problem = checked.ok ? undefined : checked.problems.find((p) => isUnder(p, meant));
  return { path: meant, fits: problem === undefined, allowed: problem?.allowed ?? null };
}

/**
 * A MeantKey as config set says it after its restart advice: the key, what it takes when the
 * value typed does not fit, and the commands (the value as typed when it fits and is no secret).
 */
export function meantKeyAdvice(change: { path: KeyPath; value?: unknown }, meant: MeantKey, invocation: string, options: { dryRun?: boolean } = {}): string {
  const shown = formatKeyPath(meant.path);
  // A secret typed under a misspelt key is shown by no command line.
  const showable = meant.fits && formatValue(maskValueAt(change.value, meant.path)) === formatValue(change.value);
  const set = showable ? `${invocation} ${commandOf({ path: meant.path, value: change.value, unset: false })}` : `${invocation} config set ${keyWord(meant.path)} <value>`;
  const what = meant.fits || meant.allowed === null ? shown : `${shown} (${meant.allowed})`;
  if (options.dryRun === true) return `Did you mean ${what}? Set it instead: ${set}`;
  return `Did you mean ${what}? Set it, and unset ${formatKeyPath(change.path)}: ${set}; ${invocation} ${commandOf({ path: change.path, unset: true })}`;
}
