/** Config text shown to a person (diffs, excerpts of a broken file) with the auth token and URL secrets masked. Pure. */
import { maskUrlsIn, maskUrlValue } from './url-secrets';


// Anywhere in a line: JSON5 may hold the whole gateway object on one line. A broken file may
// leave the quote open: then the rest of the line is the secret.
const SECRET = /(\btoken["']?\s*:\s*)(["'])((?:\\.|(?!\2)[^\\])*)(\2|$)/g;
/** A webhook's url: one that is no URL may hold a secret all the same ("ntfy.sh/topic?auth=…"), so it is hidden whole. */
const URL_VALUE = /(\burl["']?\s*:\s*)(["'])((?:\\.|(?!\2)[^\\])*)(\2|$)/g;

/** FNV-1a, 32 bits: enough to tell two tokens apart on screen, far too little to learn one. */
export function fingerprint(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The auth token never reaches a terminal or a log: its length and a short fingerprint are
 * shown instead (nor does a webhook's secret reach one: watch.alerts), so a diff that replaces a token shows a changed line, never an unchanged one.
 * `named` shows a known value by a name instead ("a new random token" in a preview).
 */
export function maskSecrets(line: string, named: ReadonlyMap<string, string> = new Map()): string {
  const tokens = line.replace(SECRET, (_, key: string, quote: string, value: string, close: string) => {
    const name = named.get(value);
    return `${key}${quote}‹${name ?? `${value.length} characters hidden, #${fingerprint(value)}`}›${close}`;
  });
  return maskUrlsIn(tokens.replace(URL_VALUE, (_, key: string, quote: string, value: string, close: string) => `${key}${quote}${maskUrlValue(value)}${close}`));
}

/**
 * A config value as `config get` prints it: every `token` string and every URL secret inside
 * it masked as maskSecrets masks them in text; `key` is the last key of the path asked for
 * (a token asked for by its own path is masked too). Pure; the value is not changed.
 */
export function maskValue(value: unknown, key: string | number | undefined): unknown {
  if (typeof value === 'string') {
    if (key === 'token') return `‹${value.length} characters hidden, #${fingerprint(value)}›`;
    if (key === 'url') return maskUrlValue(value);
    return maskUrlsIn(value);
  }
  if (Array.isArray(value)) return value.map((item, i) => maskValue(item, i));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(v, k)]));
  return value;
}
