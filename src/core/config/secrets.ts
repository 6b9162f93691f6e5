/** Config text shown to a person (diffs, excerpts of a broken file) with the auth token and URL secrets masked. Pure. */
import { type KeyPath } from './keypath';
import { decodeKey, isComment, isTrivia, Kind, significantFrom, tokenize, type Tokens } from './syntax';
import { maskUrlsIn, maskUrlValue } from './url-secrets';
import { type WrittenNumbers } from './written';


/** Blanks and block comments: what may stand between a key, its colon and its value. */
const GAP = String.raw`(?:\s|/\*.*?\*/)*`;
// Anywhere in a line: JSON5 may hold the whole gateway object on one line. A broken file may
// leave the quote open: then the rest of the line is the secret.
const SECRET = new RegExp(String.raw`(\btoken["']?${GAP}:${GAP})(["'])((?:\\.|(?!\2)[^\\])*)(\2|$)`, 'g');
/** A webhook's url: one that is no URL may hold a secret all the same ("ntfy.sh/topic?auth=…"), so it is hidden whole. */
const URL_VALUE = new RegExp(String.raw`(\burl["']?${GAP}:${GAP})(["'])((?:\\.|(?!\2)[^\\])*)(\2|$)`, 'g');

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
  const masked = maskByTokens(line, named);
  return masked === null ? maskStringSecrets(maskTokensIn(line, { depth: 0 }), named) : maskUrlsIn(masked);
}

/** maskSecrets without the token values that are no string (maskConfigLines masks those across lines). */
function maskStringSecrets(line: string, named: ReadonlyMap<string, string> = new Map()): string {
  const tokens = line.replace(SECRET, (_, key: string, quote: string, value: string, close: string) => {
    const name = named.get(value);
    return `${key}${quote}‹${name ?? `${value.length} characters hidden, #${fingerprint(value)}`}›${close}`;
  });
  return maskUrlsIn(tokens.replace(URL_VALUE, (_, key: string, quote: string, value: string, close: string) => `${key}${quote}${maskUrlValue(value)}${close}`));
}

function hidden(value: string): string {
  return `‹${value.length} characters hidden, #${fingerprint(value)}›`;
}

/** A value that is no string as its text writes it: a number as the file holds it (a long one reads rounded). */
function textOf(word: unknown, path: KeyPath, written: WrittenNumbers): string {
  if (typeof word === 'number') return written(path) ?? String(word);
  return typeof word === 'string' ? word : JSON.stringify(word);
}

/** A command list's word after the program, whatever it is: a number may be a PIN (the schema refuses it, doctor and config get still show it). */
function hiddenWord(word: unknown, path: KeyPath, written: WrittenNumbers): string {
  return hidden(textOf(word, path, written));
}

/**
 * A command sink's command line (watch.alerts[].command) as shown: its program, its arguments
 * hidden (they may hold a key or a password), as status shows the sink by its program only.
 */
function maskCommand(command: string | readonly unknown[], path: KeyPath, written: WrittenNumbers): unknown {
  if (Array.isArray(command)) return command.map((word, i) => (i === 0 ? maskIn(word, [...path, i], written) : hiddenWord(word, [...path, i], written)));
  return maskCommandLine(command as string);
}

/** A command string: its program kept, the rest hidden whole. */
function maskCommandLine(text: string): string {
  const program = /^\s*\S*/.exec(text)![0];
  const rest = text.slice(program.length).trim();
  return rest === '' ? maskUrlsIn(text) : `${maskUrlsIn(program)} ${hidden(rest)}`;
}

/**
 * Config text lines as shown (set's diff): maskSecrets on each, and every command sink's
 * arguments hidden, whether its command is a string or a list, on one line or over several.
 */
export function maskConfigLines(lines: readonly string[]): string[] {
  const masked = lines.length === 0 ? null : maskByTokens(lines.join('\n'), new Map());
  return masked === null ? scanLines(lines) : masked.split('\n').map((line) => maskUrlsIn(line));
}

/**
 * The text with its secrets masked as its JSON5 tokens read, so a comment, a key name
 * written with escapes or a string continued on the next line hides none, and a "]" in a
 * comment or a string closes nothing; null when the text does not split into tokens (a
 * broken file: the line scanner reads it). The lines stay as many; a comment is masked as
 * the line scanner masks text (a token commented out is a secret all the same).
 */
function maskByTokens(text: string, named: ReadonlyMap<string, string>): string | null {
  try {
    return new TokenMasker(tokenize(text), named).masked();
  } catch {
    return null;
  }
}

function isScalar(kind: Kind): boolean {
  return kind === Kind.String || kind === Kind.Number || kind === Kind.Word;
}

class TokenMasker {
  private out = '';
  /** Where the text not yet copied to `out` starts. */
  private from = 0;

  constructor(
    private readonly t: Tokens,
    private readonly named: ReadonlyMap<string, string>,
  ) {}

  masked(): string {
    const t = this.t;
    let key: string | null = null;
    for (let i = 0; i < t.length; i++) {
      const kind = t.kind(i);
      if (isComment(kind)) this.comment(i);
      else if (kind === Kind.Colon || isTrivia(kind)) continue;
      else if (key !== null) {
        i = this.value(key, i);
        key = null;
      } else if (this.isKey(i, i)) key = decodeKey(t, i);
    }
    return this.out + t.source.slice(this.from);
  }

  /** The value of `key` starting at token v masked as the key asks; the index of its last token masked (v for a value read on). */
  private value(key: string, v: number): number {
    const t = this.t;
    const kind = t.kind(v);
    if (key === 'token') return this.hide(v, (i, last) => NO_SECRET.test(this.between(i, last)) || this.isKey(i, last));
    if (key === 'command' && kind === Kind.OpenList) {
      const program = this.next(v);
      return this.hide(v, (i, last) => i === program && last === i && t.kind(i) === Kind.String);
    }
    if (kind !== Kind.String || (key !== 'command' && key !== 'url')) return v;
    const text = t.text(v);
    const inner = text.slice(1, -1);
    this.put(v, v, `${text[0]}${key === 'url' ? maskUrlValue(inner) : maskCommandLine(inner)}${text[0]}`);
    return v;
  }

  /** The value at token v, a word or a whole list or object, every word in it hidden but those `kept`; the index of its last token. */
  private hide(v: number, kept: (first: number, last: number) => boolean): number {
    const t = this.t;
    let depth = 0;
    for (let i = v; i < t.length; i++) {
      const kind = t.kind(i);
      if (isComment(kind)) this.comment(i);
      else if (kind === Kind.Open || kind === Kind.OpenList) depth++;
      else if (kind === Kind.Close || kind === Kind.CloseList) depth--;
      else if (isScalar(kind)) {
        const last = this.wordEnd(i);
        if (!kept(i, last)) this.put(i, last, this.hidden(i, last));
        i = last;
      }
      if (depth <= 0) return i;
    }
    return t.length - 1;
  }

  /** A string shown with its quotes, anything else (a word, a number, what a broken file runs together) hidden whole. */
  private hidden(i: number, last: number): string {
    const text = this.between(i, last);
    if (last > i || this.t.kind(i) !== Kind.String) return hidden(text);
    const inner = text.slice(1, -1);
    const name = this.named.get(inner);
    return `${text[0]}${name === undefined ? hidden(inner) : `‹${name}›`}${text[0]}`;
  }

  /** The last of the words that run on from token i with nothing between them ("1.2.3" is two numbers to the tokenizer, one word to a reader). */
  private wordEnd(i: number): number {
    while (i + 1 < this.t.length && isScalar(this.t.kind(i + 1))) i++;
    return i;
  }

  private isKey(i: number, last: number): boolean {
    const kind = this.t.kind(i);
    return (kind === Kind.String || kind === Kind.Word) && this.t.kind(this.next(last)) === Kind.Colon;
  }

  private next(i: number): number {
    return significantFrom(this.t.kinds, i + 1, this.t.length);
  }

  private between(i: number, last: number): string {
    return this.t.source.slice(this.t.starts[i], this.t.starts[last + 1]);
  }

  /** Tokens i to last shown as `shown`, followed by the line ends they held that it lacks (a string continued on the next line). */
  private put(i: number, last: number, shown: string): void {
    const breaks = lineEnds(this.between(i, last)) - lineEnds(shown);
    this.out += this.t.source.slice(this.from, this.t.starts[i]) + shown + '\n'.repeat(breaks);
    this.from = this.t.starts[last + 1]!;
  }

  private comment(i: number): void {
    this.put(i, i, scanLines(this.t.text(i).split('\n')).join('\n'));
  }
}

function lineEnds(text: string): number {
  return text.split('\n').length - 1;
}

/** maskConfigLines by lines, for text that does not split into tokens: a line scanner. */
function scanLines(lines: readonly string[]): string[] {
  const list: CommandList = { depth: 0, first: false };
  const token = { depth: 0 };
  let key: string | undefined;
  return lines.map((line) => {
    // A key that ended a line (JSON5 allows it) has its value on the next line that is not blank or a comment: read there as if it followed the key.
    const prefix = key === undefined || list.depth > 0 || token.depth > 0 || NO_VALUE.test(line) ? '' : `${key}:`;
    if (prefix !== '') key = undefined;
    key = KEY_AT_END.exec(line)?.[1] ?? key;
    return maskStringSecrets(maskCommandsIn(maskTokensIn(prefix + line, token), list)).slice(prefix.length);
  });
}

/**
 * A word of a token's value that is no string: a number (sign, hex, Infinity, NaN) or, in a
 * broken file, a token written without quotes (doctor shows its line); true, false and null
 * are no secret.
 */
const WORD = /^[^\s,:'"[\]{}/]+/;
const NO_SECRET = /^(?:true|false|null)$/;
/** A token whose value is no string: a word, or a list or object opening (not a comment, nor the end of a value). */
const TOKEN_START = new RegExp(String.raw`\btoken["']?${GAP}:${GAP}(?=[^\s,:'"\]}/])`);

/**
 * One line: a token value that is no string (a number, a list, an object: the schema refuses
 * them, but the value may still be most of a real token) hidden, every string and word in
 * it; `token.depth` carries a list or object still open at the line's end. A string token is
 * maskStringSecrets' to hide.
 */
function maskTokensIn(line: string, token: { depth: number }): string {
  let out = '';
  let rest = line;
  for (;;) {
    if (token.depth > 0) {
      const part = maskTokenPart(rest, token);
      out += part.done;
      rest = part.rest;
    }
    const found = TOKEN_START.exec(rest);
    if (found === null) return out + rest;
    const at = found.index + found[0].length;
    out += rest.slice(0, at);
    rest = rest.slice(at);
    if (rest[0] === '[' || rest[0] === '{') {
      out += rest[0];
      rest = rest.slice(1);
      token.depth = 1;
    } else {
      const word = WORD.exec(rest)![0];
      out += NO_SECRET.test(word) ? word : hidden(word);
      rest = rest.slice(word.length);
    }
  }
}

/** A token's list or object up to its close: every string and word hidden but a key, true, false and null. */
function maskTokenPart(text: string, token: { depth: number }): { done: string; rest: string } {
  let done = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const comment = commentEnd(text, i);
    if (comment > i) {
      done += text.slice(i, comment);
      i = comment;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = closingQuote(text, i + 1, c);
      const value = text.slice(i + 1, end);
      done += `${c}${isKey(text, end + 1) ? value : hidden(value)}${end < text.length ? c : ''}`;
      i = end + 1;
      continue;
    }
    const word = WORD.exec(text.slice(i));
    if (word !== null) {
      done += isKey(text, i + word[0].length) || NO_SECRET.test(word[0]) ? word[0] : hidden(word[0]);
      i += word[0].length;
    } else {
      done += c;
      i++;
      if (c === '[' || c === '{') token.depth++;
      if ((c === ']' || c === '}') && --token.depth === 0) return { done, rest: text.slice(i) };
    }
  }
  return { done, rest: '' };
}

/** Where a comment starting at `i` ends (a line comment, or a block comment left open, at the end of the text); `i` when none starts there. A "]" in it closes nothing. */
function commentEnd(text: string, i: number): number {
  if (text.startsWith('//', i)) return text.length;
  if (!text.startsWith('/*', i)) return i;
  const close = text.indexOf('*/', i + 2);
  return close < 0 ? text.length : close + 2;
}

/** Whether the text at `from` is a colon (after blanks): what came before it is a key. */
function isKey(text: string, from: number): boolean {
  return /^\s*:/.test(text.slice(from));
}

/** A key whose value is masked, at the end of its line (a comment may follow). */
const KEY_AT_END = /\b(token|url|command)["']?\s*:\s*(?:\/\/.*)?$/;
const NO_VALUE = /^\s*(?:\/\/.*)?$/;

const COMMAND_START = new RegExp(String.raw`\bcommand["']?${GAP}:${GAP}(["'[])`);
/** A word of a list that is no string: a number, true, null (JSON5 has no bare strings). */
const BARE_WORD = /[^\s,:'"[\]{}]+/y;

/** A command list being read: how deep inside it (0: none open), and whether its program is still to come. */
interface CommandList {
  depth: number;
  first: boolean;
}

/** One line: each `command:` value masked; `list` carries a command list still open at the line's end. */
function maskCommandsIn(line: string, list: CommandList): string {
  let out = '';
  let rest = line;
  for (;;) {
    if (list.depth > 0) {
      const part = maskListPart(rest, list);
      out += part.done;
      rest = part.rest;
    }
    const found = COMMAND_START.exec(rest);
    if (found === null) return out + rest;
    const at = found.index + found[0].length;
    out += rest.slice(0, at);
    rest = rest.slice(at);
    if (found[1] === '[') {
      list.depth = 1;
      list.first = true;
      continue;
    }
    const end = closingQuote(rest, 0, found[1]!);
    out += maskCommandLine(rest.slice(0, end));
    rest = rest.slice(end);
  }
}

/** Where the string that starts just before `from` ends (its closing quote, or the end of the text). */
function closingQuote(text: string, from: number, quote: string): number {
  let j = from;
  while (j < text.length && text[j] !== quote) j += text[j] === '\\' ? 2 : 1;
  return Math.min(j, text.length);
}

/** The words of a command list up to its "]": the first string (the program) kept, every other word hidden, inside nested lists and objects too. */
function maskListPart(text: string, list: CommandList): { done: string; rest: string } {
  let done = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const comment = commentEnd(text, i);
    if (comment > i) {
      done += text.slice(i, comment);
      i = comment;
    } else if (c === '"' || c === "'") {
      const end = closingQuote(text, i + 1, c);
      const value = text.slice(i + 1, end);
      done += `${c}${list.first ? maskUrlsIn(value) : hidden(value)}${end < text.length ? c : ''}`;
      list.first = false;
      i = end + 1;
    } else if (c === '[' || c === '{') {
      list.depth++;
      list.first = false;
      done += c;
      i++;
    } else if (c === ']' || c === '}') {
      list.depth--;
      done += c;
      i++;
      if (list.depth === 0) return { done, rest: text.slice(i) };
    } else {
      BARE_WORD.lastIndex = i;
      const word = BARE_WORD.exec(text)?.[0];
      done += word === undefined ? c : hidden(word);
      if (word !== undefined) list.first = false;
      i += word?.length ?? 1;
    }
  }
  return { done, rest: '' };
}

/** No text to read numbers from: each as read. */
const AS_READ: WrittenNumbers = () => undefined;

/**
 * A config value as `config get` prints it: every `token` string and every URL secret inside
 * it masked as maskSecrets masks them in text; `key` is the last key of the path asked for
 * (a token asked for by its own path is masked too). Pure; the value is not changed.
 */
export function maskValue(value: unknown, key: string | number | undefined): unknown {
  return maskIn(value, key === undefined ? [] : [key], AS_READ);
}

/**
 * maskValue of the value at `path` (what `config get` prints, what `config set` echoes): a
 * word of a command list asked for by its index is shown as in the whole list — the program
 * as it is, every other word hidden. `written` gives the numbers as the text holds them, so a
 * mask's fingerprint is the one the diffs show.
 */
export function maskValueAt(value: unknown, path: KeyPath, written: WrittenNumbers = AS_READ): unknown {
  const last = path[path.length - 1];
  if (path[path.length - 2] === 'command' && typeof last === 'number') return last === 0 ? maskIn(value, path, written) : hiddenWord(value, path, written);
  return maskIn(value, path, written);
}

/** A token's value of any kind: every string and number in it hidden (true, false and null are no secret). */
function maskToken(value: unknown, path: KeyPath, written: WrittenNumbers): unknown {
  if (typeof value === 'string' || typeof value === 'number') return hidden(textOf(value, path, written));
  if (Array.isArray(value)) return value.map((item, i) => maskToken(item, [...path, i], written));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskToken(v, [...path, k], written)]));
  return value;
}

function maskIn(value: unknown, path: KeyPath, written: WrittenNumbers): unknown {
  const key = path[path.length - 1];
  if (key === 'token') return maskToken(value, path, written);
  if (key === 'command' && (typeof value === 'string' || Array.isArray(value))) return maskCommand(value, path, written);
  if (typeof value === 'string') {
    if (key === 'url') return maskUrlValue(value);
    return maskUrlsIn(value);
  }
  if (Array.isArray(value)) return value.map((item, i) => maskIn(item, [...path, i], written));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskIn(v, [...path, k], written)]));
  return value;
}
