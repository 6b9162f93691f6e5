/**
 * The config keys doctor reads and rewrites: keys the schema rejects, pinned ports and
 * URLs. Pure: every function takes a raw config and returns or edits a copy's keys.
 */
import { checkConfig, describeIssue, type Config, type SchemaProblem } from './schema';
import type { PortSlot } from '../ports/footprint';
import { formatKeyPath } from './keypath';

export type Raw = Record<string, unknown>;

/** A key the schema rejected, with the problem in words. */
export interface InvalidKey {
  keys: string[];
  problem: SchemaProblem;
  /** A port written as text ("18789") is read as the number it says: nothing is guessed, nothing moves. */
  coerced?: number;
  /** The list entry its fix removes whole: the key is one its entry needs (a webhook's url), so the entry cannot stay without it. */
  removes?: string[];
}

const PORT_KEY = /^(gateway\.port|canvasHost\.port|browser\.profiles\.[^.]+\.cdpPort)$/;

/** The number a port key written as a string means, when it is a whole number in range; else undefined. */
export function portFromText(keys: readonly string[], value: unknown): number | undefined {
  if (!PORT_KEY.test(dotted(keys)) || typeof value !== 'string' || !/^\s*\d{1,5}\s*$/.test(value)) return undefined;
  const port = Number(value);
  return port >= 1024 && port <= 65535 ? port : undefined;
}

function isObject(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function dotted(keys: readonly string[]): string {
  return keys.join('.');
}

/** The value at a key path, through objects and list entries (an entry by its index); undefined where there is none (no config too). */
export function getAt(raw: Raw | undefined, keys: readonly string[]): unknown {
  let current: unknown = raw;
  for (const key of keys) {
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (isObject(current)) current = current[key];
    else return undefined;
  }
  return current;
}

/** A key path as config set takes it ("watch.alerts[1].type"): a key of digits is an index where `raw` holds a list, else a key (a browser profile "2"). */
export function keyPathIn(raw: Raw | undefined, keys: readonly string[]): string {
  return formatKeyPath(keys.map((key, i) => (/^\d+$/.test(key) && Array.isArray(getAt(raw, keys.slice(0, i))) ? Number(key) : key)));
}

/** Removes one key, or one entry of a list (the later entries move up); the objects around it stay, even when emptied. */
export function deleteAt(raw: Raw, keys: readonly string[]): void {
  const parent = getAt(raw, keys.slice(0, -1));
  const last = keys[keys.length - 1]!;
  if (Array.isArray(parent) && /^\d+$/.test(last)) parent.splice(Number(last), 1);
  else if (isObject(parent)) delete parent[last];
}

/** Sets one key, creating the objects on its way (replacing a non-object in the way). */
export function setAt(raw: Raw, keys: readonly string[], value: unknown): void {
  let current = raw;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(current[key])) current[key] = {};
    current = current[key] as Raw;
  }
  current[keys[keys.length - 1]!] = value;
}

/**
 * Every key the schema rejects, removed from a copy (or emptied, when it is to be replaced);
 * everything else (unknown keys too) kept.
 * A few passes at most: removing a key never makes another one invalid, but an invalid
 * object hides what is inside it.
 */
export function stripInvalid(raw: Raw, more?: (config: Config) => InvalidKey[]): { raw: Raw; config: Config; invalid: InvalidKey[] } {
  const copy = structuredClone(raw);
  const invalid: InvalidKey[] = [];
  // Every path found so far: one lookup per key, where a search of the list made 5,000 bad entries take minutes.
  const seen = new Set<string>();
  for (let pass = 0; pass < 5; pass++) {
    const result = checkConfig(copy);
    // Rules beyond the schema (profileRuleProblems) count once the schema passes; a key already fixed is not found again.
    const extra = result.success ? (more?.(result.data) ?? []).filter((k) => !seen.has(dotted(k.keys))) : [];
    if (result.success && extra.length === 0) return { raw: copy, config: result.data, invalid };
    // Described before anything is removed.
    const found: InvalidKey[] = result.success
      ? extra.map(({ keys, problem }) => ({ keys, problem }))
      : result.issues
          .filter((issue) => issue.path.length > 0)
          .map((issue) => {
            // A key that is not there (one a webhook needs, removed by the pass before as invalid)
            // cannot be removed: what goes is the object that needs it, else this would never end.
            const path = issue.path.map(String);
            const keys = path.length > 1 && getAt(copy, path) === undefined ? path.slice(0, -1) : path;
            const coerced = portFromText(keys, getAt(copy, keys));
            // A rejected key its entry cannot do without (a webhook's url) takes the entry with it, now: found once, fixed once.
            return { keys, problem: describeIssue(issue, copy), coerced, removes: entryNeeding(keys) };
          });
    const inPass = new Set<string>();
    const unique = found.filter((f) => !inPass.has(dotted(f.keys)) && inPass.add(dotted(f.keys)) !== undefined);
    for (const key of inPass) seen.add(key);
    invalid.push(...unique);
    // List entries are dropped after the rest, each list once (a splice per entry moved 20,000 entries 20,000 times),
    // so every path keeps naming what it named, and an entry two findings take goes once.
    const dropped = new Map<unknown[], Set<number>>();
    for (const { keys: named, coerced, removes } of unique) {
      const keys = removes ?? named;
      // A key that will be replaced keeps its place (undefined is not written), so the diff shows it in place.
      const parent = getAt(copy, keys.slice(0, -1));
      const last = keys[keys.length - 1]!;
      if (coerced !== undefined) setAt(copy, keys, coerced);
      else if (invalidKeyFix(keys).replace !== null) setAt(copy, keys, undefined);
      else if (Array.isArray(parent)) dropped.set(parent, (dropped.get(parent) ?? new Set()).add(Number(last)));
      else deleteAt(copy, keys);
    }
    for (const [list, indexes] of dropped) {
      const kept = list.filter((_, i) => !indexes.has(i));
      list.length = 0;
      for (const entry of kept) list.push(entry);
    }
  }
  throw new Error('config still invalid after removing every rejected key');
}

/** The keys an alert sink cannot do without: which sink it is, and where it goes. */
const NEEDED_IN_SINK = new Set(['type', 'url', 'command']);

/** The list entry a key belongs to, when the entry is no sink without it (watch.alerts.1.url: watch.alerts.1); else undefined. */
function entryNeeding(keys: readonly string[]): string[] | undefined {
  return keys.length === 4 && keys[0] === 'watch' && keys[1] === 'alerts' && /^\d+$/.test(keys[2]!) && NEEDED_IN_SINK.has(keys[3]!) ? keys.slice(0, 3) : undefined;
}

export interface KeyFix {
  /** gateway.port gets a free base, the token a new one; every other rejected key is removed. */
  replace: 'base' | 'token' | null;
  /** What the fix does, in words. */
  words: string;
  /** For a removal: what takes the key's place. */
  after: string;
}

/** What a rejected (or conflicting pinned) key becomes when fixed. */
export function invalidKeyFix(keys: readonly string[]): KeyFix {
  const path = dotted(keys);
  const last = keys[keys.length - 1];
  const remove = (after: string): KeyFix => ({ replace: null, words: `remove it; ${after}`, after });
  if (path === 'gateway.port') return { replace: 'base', words: 'replace it with a free base port', after: '' };
  if (path === 'gateway.auth.token') return { replace: 'token', words: 'replace it with a new random token', after: '' };
  if (path === 'browser.controlUrl') return remove('browser control goes back to base + 2');
  if (path === 'canvasHost.port') return remove('the canvas host goes back to base + 4');
  if (path === 'agents.defaults.workspace') return remove('the default workspace is used');
  if (keys[0] === 'browser' && keys[1] === 'profiles' && keys.length === 3) return remove(`browser profile "${last}" is gone (its settings stay in the backup)`);
  if (last === 'cdpPort') return remove('the browser profile takes a port from the CDP range');
  if (last === 'cdpUrl') return remove('a local browser is used');
  if (/^\d+$/.test(last ?? '')) return remove(`the other entries of ${dotted(keys.slice(0, -1))} stay`);
  return remove('the default applies');
}

/** The invalid keys a repair names, one step each: an entry that goes whole once, and no key inside it. */
export function repairTargets(invalid: readonly InvalidKey[]): InvalidKey[] {
  const id = (keys: readonly string[]) => keys.join('\0');
  const entries = new Set(invalid.flatMap((i) => (i.removes === undefined ? [] : [id(i.removes)])));
  const named = new Set<string>();
  return invalid.filter(({ keys, removes }) => {
    if (removes !== undefined) {
      if (named.has(id(removes))) return false;
      named.add(id(removes));
      return true;
    }
    return !keys.some((_, i) => entries.has(id(keys.slice(0, i + 1))));
  });
}

/** The fix of a key whose list entry goes with it, in words: "remove watch.alerts[1]; the other entries of watch.alerts stay". */
export function entryRemovalWords(entry: readonly string[]): string {
  // An entry is always one of a list: its last key is an index.
  const shown = formatKeyPath(entry.map((key, i) => (i === entry.length - 1 ? Number(key) : key)));
  return `remove ${shown}; ${invalidKeyFix(entry).after}`;
}

/** A pinned browser endpoint: a URL (compared normalized) or an explicit CDP port. */
export interface Pin {
  keys: string[];
  kind: 'url' | 'port';
  /** Normalized for comparison: URL href, or the port number as text. */
  value: string;
  /** As the user wrote it. */
  shown: string;
}

function urlPin(keys: string[], value: unknown): Pin[] {
  if (typeof value !== 'string') return [];
  try {
    return [{ keys, kind: 'url', value: new URL(value).href, shown: value }];
  } catch {
    return [];
  }
}

/** The pins the seed warns must never be shared: browser.controlUrl, browser.cdpUrl, browser.profiles.*.cdpUrl|cdpPort. */
export function pinsOf(raw: Raw | undefined): Pin[] {
  const pins = [
    ...urlPin(['browser', 'controlUrl'], getAt(raw, ['browser', 'controlUrl'])),
    ...urlPin(['browser', 'cdpUrl'], getAt(raw, ['browser', 'cdpUrl'])),
  ];
  const profiles = getAt(raw, ['browser', 'profiles']);
  if (isObject(profiles)) {
    for (const [name, profile] of Object.entries(profiles)) {
      if (!isObject(profile)) continue;
      pins.push(...urlPin(['browser', 'profiles', name, 'cdpUrl'], profile.cdpUrl));
      if (Number.isInteger(profile.cdpPort)) {
        pins.push({ keys: ['browser', 'profiles', name, 'cdpPort'], kind: 'port', value: String(profile.cdpPort), shown: String(profile.cdpPort) });
      }
    }
  }
  return pins;
}

/**
 * The config key that fixes a footprint slot where it is, or null when the slot follows
 * the base: a conflict there is fixed by removing the pin, not by moving the base.
 */
export function pinOfSlot(config: Config | undefined, slot: PortSlot): string[] | null {
  const controlPinned = config?.browser?.controlUrl !== undefined;
  switch (slot.role) {
    case 'gateway':
      return null;
    case 'browser-control':
    case 'cdp':
      return controlPinned ? ['browser', 'controlUrl'] : null;
    case 'canvas':
      return config?.canvasHost?.port !== undefined ? ['canvasHost', 'port'] : null;
    case 'cdp-pinned':
      return ['browser', 'profiles', slot.detail!, 'cdpPort'];
  }
}

/** What removing a pin leaves in its place, in words. */
export function pinRemovalWords(keys: readonly string[]): string {
  return invalidKeyFix(keys).after;
}
