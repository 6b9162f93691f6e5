/** Config text shown to a person (diffs, excerpts of a broken file) with the auth token and URL secrets masked. Pure. */
import { type KeyPath } from './keypath';
import { decodeKey, isComment, isTrivia, Kind, significantFrom, tokenizeForDisplay, type Tokens } from './syntax';
import { maskUrlsIn, maskUrlValue } from './url-secrets';
import { splitLines } from '../text/diff';
import { type WrittenNumbers } from './written';


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
  return maskConfigSides([[line]], named)[0]!.join('\n');
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
  if (Array.isArray(command)) return command.map((word, i) => maskWord(word, [...path, i], written));
  return maskCommandLine(command as string);
}

/** A word of a command list at `path` (its index last): the program as any value, every other word hidden. */
function maskWord(word: unknown, path: KeyPath, written: WrittenNumbers): unknown {
  return path[path.length - 1] === 0 ? maskIn(word, path, written) : hiddenWord(word, path, written);
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
export function maskConfigLines(lines: readonly string[], named: ReadonlyMap<string, string> = new Map()): string[] {
  return maskConfigSides([lines], named)[0]!;
}

/** A config text before and after a change as a diff shows them (lines, masked as maskConfigSides masks them). */
export function maskDiffSides(before: string | null, after: string | null, named: ReadonlyMap<string, string> = new Map()): [string[], string[]] {
  const [b, a] = maskConfigSides([splitLines(before), splitLines(after)], named);
  return [b!, a!];
}

/**
 * The two sides of a diff (or any texts shown together) masked as maskConfigLines masks each,
 * and a secret hidden on one side hidden wherever the other holds it too (a comment keeping
 * the old token beside the new one).
 */
export function maskConfigSides(sides: readonly (readonly string[])[], named: ReadonlyMap<string, string> = new Map()): string[][] {
  const seen = new Set<string>();
  const masked = sides.map((lines) => (lines.length === 0 ? null : maskText(lines.join('\n'), named, seen)));
  return masked.map((text) => (text === null ? [] : hideCopies(text, seen).split('\n').map((line) => maskUrlsIn(line))));
}

/**
 * The text with its secrets masked as its JSON5 tokens read, so a comment, a key name
 * written with escapes or a string continued on the next line hides none, and a "]" in a
 * comment or a string closes nothing. A broken file splits into tokens too, what JSON5
 * cannot read as Broken words (tokenizeForDisplay). The lines stay as many.
 */
function maskText(text: string, named: ReadonlyMap<string, string>, seen: Set<string>): string {
  return new TokenMasker(tokenizeForDisplay(text), { named, seen }, 0).masked();
}

/** A secret this long is hidden wherever else the text holds it too (a comment that repeats the token): a shorter one may be any word. */
const COPY_MIN = 8;

/** Every copy of a hidden value left in the masked text (in a comment, another string) hidden as the value is. */
function hideCopies(masked: string, seen: ReadonlySet<string>): string {
  let out = masked;
  for (const value of seen) if (value.length >= COPY_MIN && out.includes(value)) out = out.split(value).join(hidden(value));
  return out;
}

/** What every masker of one text shares: the values shown by a name, and the secrets hidden so far. */
interface MaskContext {
  named: ReadonlyMap<string, string>;
  seen: Set<string>;
}

/** A key a text ends with, its value past the text's end; `colon`: its colon is in the text too. */
interface OpenKey {
  name: string;
  colon: boolean;
}

/** Words of a token's value that are no secret. */
const NO_SECRET = /^(?:true|false|null)$/;
/** A stray character that holds no letter nor digit ("=", "+"): no part of a secret. */
const PUNCTUATION = /^[^\p{L}\p{N}]*$/u;
/** The keys whose values are masked; any other key's value is shown as it is. */
const MASKED_KEYS = new Set(['token', 'command', 'url']);
/** A masked key standing as a word in a longer key name. */
const MASKED_WORD = /\b(?:token|command|url)\b/;
/** Comments (and strings read as text) inside comments deeper than this are hidden whole: no file needs them, and the stack stays small. */
const COMMENT_DEPTH = 8;

function isScalar(kind: Kind): boolean {
  return kind === Kind.String || kind === Kind.Number || kind === Kind.Word || kind === Kind.Broken;
}

/** A string's quote, what it holds and its closing quote: '' for one left open (a Broken token from a quote to its line's end). */
function quoted(text: string, kind: Kind): { quote: string; inner: string; close: string } | null {
  const quote = text[0]!;
  if (kind === Kind.String) return { quote, inner: text.slice(1, -1), close: quote };
  return kind === Kind.Broken && (quote === '"' || quote === "'") ? { quote, inner: text.slice(1), close: '' } : null;
}

class TokenMasker {
  private out = '';
  /** Where the text not yet copied to `out` starts. */
  private from = 0;

  constructor(
    private readonly t: Tokens,
    private readonly context: MaskContext,
    /** How many comments (or strings read as text) this text is inside. */
    private readonly depth: number,
    /** A key whose colon starts the text: the text is a string a quote out of place made of the key's colon and value. */
    private readonly keyBefore: string | null = null,
  ) {}

  /** After masked(): the key the text ends with, its value past the end (a comment's text may swallow a key of the text around it). */
  open: OpenKey | null = null;

  /** A masked key a comment that ended rest() swallowed. */
  private restOpen: OpenKey | null = null;

  /** The key and the word read after rest() ended at token i: a key a comment swallowed, else `key`. */
  private afterRest(key: string | null, i: number): [string | null, string | null] {
    const open = this.restOpen;
    this.restOpen = null;
    if (open === null) return [key, null];
    const colon = open.colon || this.t.kind(this.next(i)) === Kind.Colon;
    return colon ? [open.name, null] : [null, open.name];
  }

  /** A masked key a comment swallowed inside a value left open to the text's end. */
  private swallowed: OpenKey | null = null;

  masked(): string {
    const t = this.t;
    let key = this.keyBefore;
    // The last token read, when it was a word and no key: a comment or quote out of place may stand between it and its colon.
    let word: string | null = null;
    // Where the words that run on from a token read end (a key may be several: "#token" is two).
    let run = -1;
    for (let i = 0; i < t.length; i++) {
      const kind = t.kind(i);
      if (isComment(kind)) {
        // A key the comment's text ends with: the comment may have swallowed a key ("/*" stuck before "token /* k */ :").
        const open = this.comment(i);
        if (open === null || !MASKED_KEYS.has(open.name)) continue;
        const colon = open.colon || t.kind(this.next(i)) === Kind.Colon;
        // A key before the comment keeps its value unless the comment ends with a token's key and colon (the value is then hidden whole).
        if (key !== null && MASKED_KEYS.has(key) && !(colon && open.name === 'token')) continue;
        key = colon ? open.name : null;
        word = colon ? null : open.name;
      } else if (kind === Kind.Colon || isTrivia(kind)) continue;
      else if (key !== null && MASKED_KEYS.has(key)) {
        const open = this.openIn(i);
        i = this.rest(this.value(key, i), true);
        [key, word] = this.afterRest(open?.colon === true ? open.name : null, i);
      } else if (i > run && isScalar(kind) && t.kind(this.next((run = this.wordEnd(i)))) === Kind.Colon) {
        key = this.keyName(i, run);
        word = null;
        i = run;
      } else if (this.isStrayAfterKey(i)) {
        // A masked key followed by no colon ("token junk:", "token ="): its member is hidden whole.
        i = this.rest(i, false);
        [key, word] = this.afterRest(null, i);
      } else {
        // No key: each word of the run on its own (a quote out of place may have made one a string holding keys).
        const open = this.asText(i, word);
        key = open?.colon === true ? open.name : null;
        // A stray character or quote (Broken) after a word leaves it the word before a colon.
        word = key !== null ? null : (open?.name ?? (kind === Kind.String || kind === Kind.Word ? this.keyName(i) : kind === Kind.Broken ? word : null));
      }
    }
    this.open = key !== null ? { name: key, colon: true } : word !== null ? { name: word, colon: false } : this.swallowed;
    return this.out + t.source.slice(this.from);
  }

  /**
   * In a broken file a quote may be out of place, the text around it read as a string: a string
   * that is no key nor a masked value (left open, or holding a colon) is masked as config text.
   * The key its text ends with is open after it; a colon it starts with is the colon of `word`.
   */
  private asText(i: number, word: string | null): OpenKey | null {
    const string = quoted(this.t.text(i), this.t.kind(i));
    // A closed string without a colon holds no key and value (nor a key whose colon follows: a key itself then).
    if (string === null || (string.close !== '' && !string.inner.includes(':'))) return null;
    const { quote, inner, close } = string;
    if (this.depth >= COMMENT_DEPTH) {
      this.put(i, i, quote + hidden(inner) + close);
      return null;
    }
    const tokens = tokenizeForDisplay(inner);
    const colonFirst = tokens.kind(significantFrom(tokens.kinds, 0, tokens.length)) === Kind.Colon;
    const inside = new TokenMasker(tokens, this.context, this.depth + 1, colonFirst ? word : null);
    this.put(i, i, quote + inside.masked() + close);
    return inside.open;
  }

  /** The value of `key` (a masked one) starting at token v masked as the key asks; the index of its last token masked (v for a value read on). */
  private value(key: string, v: number): number {
    const t = this.t;
    const kind = t.kind(v);
    // The token itself is never kept as a key: in a broken file a colon may follow it ("token: "K1": …").
    if (key === 'token') return this.hide(v, (i, last) => NO_SECRET.test(this.between(i, last)) || (i > v && this.isKey(i, last)));
    if (key === 'command' && kind === Kind.OpenList) {
      const program = this.next(v);
      return this.hide(v, (i, last) => i === program && last === i && t.kind(i) === Kind.String);
    }
    const string = quoted(t.text(v), kind);
    // Not one string (a word, or what a broken file runs together): hidden whole, as a token's word is.
    if (string === null || this.wordEnd(v) > v) return isScalar(kind) ? this.hide(v, (i, last) => NO_SECRET.test(this.between(i, last))) : v;
    const { quote, inner, close } = string;
    this.put(v, v, `${quote}${key === 'url' ? maskUrlValue(inner) : maskCommandLine(inner)}${close}`);
    return v;
  }

  /** The key a string left open at the end of the value at token i ends with (a quote out of place swallowed it: "command: \" [… token:"), its value on the next line. */
  private openIn(i: number): OpenKey | null {
    // The last word of the value's run: quotes out of place may close and open strings before it.
    const last = this.wordEnd(i);
    const string = quoted(this.t.text(last), this.t.kind(last));
    if (string === null || string.close !== '' || this.depth >= COMMENT_DEPTH) return null;
    const inside = new TokenMasker(tokenizeForDisplay(string.inner), this.context, this.depth + 1);
    inside.masked();
    return inside.open;
  }

  /** Token i is a masked key's name followed by something other than its colon. */
  private isStrayAfterKey(i: number): boolean {
    const kind = this.t.kind(i);
    if (kind !== Kind.String && kind !== Kind.Word) return false;
    const after = this.t.kind(this.next(i));
    if (!MASKED_KEYS.has(this.keyName(i)) || after === Kind.Colon || after === Kind.Comma || after === Kind.Close || after === Kind.CloseList || this.next(i) >= this.t.length) return false;
    // In a comment's prose ("the token is …") only a member with a colon after the stray is config text.
    return this.depth === 0 || this.colonInMember(i);
  }

  /** A colon follows token i before its member ends (a "," or a closing bracket, or the text's end). */
  private colonInMember(i: number): boolean {
    for (let j = this.next(i); j < this.t.length; j = this.next(j)) {
      const kind = this.t.kind(j);
      if (kind === Kind.Colon) return true;
      if (kind === Kind.Comma || kind === Kind.Close || kind === Kind.CloseList || kind === Kind.Open || kind === Kind.OpenList) return false;
    }
    return false;
  }

  /**
   * What follows token i in its member (up to the next "," or closing bracket at its depth),
   * every word of it hidden: a broken member holding a masked key may hold its value anywhere
   * ("token junk: …", "token: "K" + "K2""). `toLine`: stop at the line's end too (the next member, on its own line, may lack its comma).
   */
  private rest(i: number, toLine: boolean): number {
    const t = this.t;
    let depth = 0;
    let last = i;
    for (let j = i + 1; j < t.length; j++) {
      const kind = t.kind(j);
      if (kind === Kind.Newline && toLine && depth === 0) break;
      if (isComment(kind)) {
        // A comment may have swallowed a masked key: the member ends there, the key read on by masked().
        const open = this.comment(j);
        if (open !== null && MASKED_KEYS.has(open.name)) {
          this.restOpen = open;
          return j;
        }
      } else if (kind === Kind.Open || kind === Kind.OpenList) depth++;
      else if (kind === Kind.Close || kind === Kind.CloseList || kind === Kind.Comma) {
        if (depth === 0) break;
        if (kind !== Kind.Comma) depth--;
      } else if (isScalar(kind)) {
        const end = this.wordEnd(j);
        if (!NO_SECRET.test(this.between(j, end)) && !PUNCTUATION.test(this.between(j, end))) this.put(j, end, this.hidden(j, end));
        j = end;
      }
      if (!isTrivia(kind) || isComment(kind)) last = j;
    }
    return last;
  }

  /** The value at token v, a word or a whole list or object, every word in it hidden but those `kept`; the index of its last token. */
  private hide(v: number, kept: (first: number, last: number) => boolean): number {
    const t = this.t;
    let depth = 0;
    // A comment that swallowed a masked key ("[/* … token: */ "K"): nothing after it is kept.
    let swallowed: string | null = null;
    for (let i = v; i < t.length; i++) {
      const kind = t.kind(i);
      if (isComment(kind)) {
        const name = this.comment(i)?.name ?? '';
        if (MASKED_KEYS.has(name)) swallowed = name;
      }
      else if (kind === Kind.Open || kind === Kind.OpenList) depth++;
      else if (kind === Kind.Close || kind === Kind.CloseList) depth--;
      else if (isScalar(kind)) {
        const last = this.wordEnd(i);
        if (swallowed !== null || !kept(i, last)) this.put(i, last, this.hidden(i, last));
        i = last;
      }
      if (depth <= 0) return i;
    }
    // Left open to the text's end (a comment's text): the key swallowed is open, its value maybe past the end.
    if (swallowed !== null) this.swallowed = { name: swallowed, colon: true };
    return t.length - 1;
  }

  /** A string shown with its quotes, anything else (a word, a number, what a broken file runs together) hidden whole. */
  private hidden(i: number, last: number): string {
    const text = this.between(i, last);
    const string = last > i ? null : quoted(text, this.t.kind(i));
    if (string === null) {
      this.context.seen.add(text);
      return hidden(text);
    }
    const name = this.context.named.get(string.inner);
    if (name === undefined) this.context.seen.add(string.inner);
    return `${string.quote}${name === undefined ? hidden(string.inner) : `‹${name}›`}${string.close}`;
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

  /**
   * The key tokens i to last stand for; one a stray character made of a masked key (a broken
   * file's "[token" or "#token") is that key. What JSON5 cannot read as a name (a bad escape
   * stuck to it: "\\xtoken") is the masked key it holds, if any.
   */
  private keyName(i: number, last = i): string {
    const kind = this.t.kind(i);
    if (last === i && (kind === Kind.String || kind === Kind.Word)) {
      try {
        const name = decodeKey(this.t, i);
        return MASKED_KEYS.has(name) ? name : (MASKED_WORD.exec(name)?.[0] ?? name);
      } catch {
        // a bad escape: read as text below
      }
    }
    const text = this.between(i, last);
    return [...MASKED_KEYS].find((name) => text.includes(name)) ?? '';
  }

  /** A comment's text masked as config text (a token commented out is a secret all the same). */
  private comment(i: number): OpenKey | null {
    const text = this.t.text(i);
    const close = this.t.kind(i) === Kind.BlockComment && text.length >= 4 && text.endsWith('*/') ? '*/' : '';
    const body = text.slice(2, text.length - close.length);
    if (this.depth >= COMMENT_DEPTH) {
      this.put(i, i, text.slice(0, 2) + hidden(body) + close);
      return null;
    }
    const inside = new TokenMasker(tokenizeForDisplay(body), this.context, this.depth + 1);
    this.put(i, i, text.slice(0, 2) + inside.masked() + close);
    return inside.open;
  }
}

function lineEnds(text: string): number {
  return text.split('\n').length - 1;
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
  if (path[path.length - 2] === 'command' && typeof last === 'number') return maskWord(value, path, written);
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
