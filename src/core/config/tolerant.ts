/**
 * A tolerant read of a config that JSON5 refuses: every member that still reads as a key and
 * a whole value is kept, a broken one is skipped up to the next "," or closing bracket at its
 * depth. What repair keeps of a broken file (the auth token above all) comes from here. Pure.
 */
import { parseJson5Text } from './json5';
import { decodeName, nameEnd } from './syntax';
import { MAX_CONFIG_DEPTH } from '../profile/files';

type Raw = Record<string, unknown>;

type Token =
  | { kind: 'punct'; text: '{' | '}' | '[' | ']' | ':' | ','; line: number }
  | { kind: 'string'; value: string; line: number }
  | { kind: 'number'; value: number; line: number }
  /** A name: `text` as written (a value word must be spelled out), `key` as the key it spells, its escapes decoded. */
  | { kind: 'word'; text: string; key: string; line: number }
  /** Anything that does not read: an unterminated string, a malformed number, a stray character. */
  | { kind: 'bad'; line: number };

export interface TolerantRead {
  raw: Raw;
  /** Dotted paths of the members that could not be read, with their line, e.g. "gateway.auth.token (line 4)". */
  lost: string[];
}

const PUNCT = new Set(['{', '}', '[', ']', ':', ',']);
/** Names that are values (a Map: "toString" is no value, as it would be `in` an object). */
const WORD_VALUES = new Map<string, unknown>([
  ['true', true],
  ['false', false],
  ['null', null],
  ['Infinity', Infinity],
  ['NaN', NaN],
]);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c) || c === '\uFEFF') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop;
    } else if (PUNCT.has(c)) {
      tokens.push({ kind: 'punct', text: c as '{', line });
      i++;
    } else if (c === '"' || c === "'") {
      let k = i + 1;
      let closed = false;
      while (k < text.length) {
        if (text[k] === '\\') k += 2;
        else if (text[k] === '\n') break;
        else if (text[k] === c) {
          closed = true;
          break;
        } else k++;
      }
      const startLine = line;
      for (let n = i; n < Math.min(k, text.length); n++) if (text[n] === '\n') line++;
      if (!closed) {
        tokens.push({ kind: 'bad', line: startLine });
        i = k;
        continue;
      }
      try {
        tokens.push({ kind: 'string', value: parseJson5Text(text.slice(i, k + 1)) as string, line: startLine });
      } catch {
        tokens.push({ kind: 'bad', line: startLine });
      }
      i = k + 1;
    } else if (/[-+.]/.test(c) && !/[\d.IN]/.test(text[i + 1] ?? '')) {
      // A sign or a dot that starts no number ("-token": a diff's stray mark) is one stray byte, the name after it read.
      tokens.push({ kind: 'bad', line });
      i++;
    } else if (/[-+.\d]/.test(c)) {
      let k = i + 1;
      while (k < text.length && /[\w.+-]/.test(text[k]!)) k++;
      try {
        const value = parseJson5Text(text.slice(i, k)) as unknown;
        tokens.push(typeof value === 'number' ? { kind: 'number', value, line } : { kind: 'bad', line });
      } catch {
        tokens.push({ kind: 'bad', line });
      }
      i = k;
    } else {
      const end = nameEnd(text, i);
      const name = text.slice(i, end);
      tokens.push(end > i ? { kind: 'word', text: name, key: decodeName(name), line } : { kind: 'bad', line });
      i = Math.max(end, i + 1);
    }
  }
  return tokens;
}

class Reader {
  private at = 0;
  /** Objects and lists open around the value being read: past the strict read's limit a value is lost, not read (10,000 levels overflowed the stack). */
  private depth = 0;
  readonly lost: string[] = [];
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private isPunct(token: Token | undefined, text: string): boolean {
    return token?.kind === 'punct' && token.text === text;
  }

  private isKeyLike(token: Token | undefined): boolean {
    return token?.kind === 'string' || token?.kind === 'word' || token?.kind === 'number';
  }

  /** Whether a value starts at token i (not one that is broken from its first token). */
  private startsValue(i: number): boolean {
    const token = this.tokens[i];
    return token?.kind === 'string' || token?.kind === 'number' || (token?.kind === 'word' && WORD_VALUES.has(token.text)) || this.isPunct(token, '{') || this.isPunct(token, '[');
  }

  /**
   * Skips a broken member or element: up to the next "," or closing bracket at this depth, or
   * a `key:` that starts a later line than the broken one's (a missing comma), none of them consumed.
   * After stray text where a key belongs, a `key:` with a value after it starts a member on the
   * same line too (`url http://x:80`: "http" is no key, nothing follows its colon that reads).
   */
  private skip(line: number, stray = false): void {
    let depth = 0;
    for (let token = this.peek(); token !== undefined; token = this.peek()) {
      const member = depth === 0 && this.isKeyLike(token) && this.isPunct(this.tokens[this.at + 1], ':');
      if (member && (token.line > line || (stray && this.startsValue(this.at + 2)))) return;
      if (token.kind === 'punct') {
        if (token.text === '{' || token.text === '[') depth++;
        else if (token.text === '}' || token.text === ']') {
          if (depth === 0) return;
          depth--;
        } else if (token.text === ',' && depth === 0) return;
      }
      this.at++;
    }
  }

  /** A whole value, or undefined when it does not read (the caller skips past it). */
  value(where: string): unknown {
    const token = this.peek();
    if (token === undefined) return undefined;
    if (token.kind === 'string' || token.kind === 'number') {
      this.at++;
      return token.value;
    }
    if (token.kind === 'word') {
      if (!WORD_VALUES.has(token.text)) return undefined;
      this.at++;
      return WORD_VALUES.get(token.text);
    }
    const open = this.isPunct(token, '{') ? '{' : this.isPunct(token, '[') ? '[' : null;
    if (open === null || this.depth >= MAX_CONFIG_DEPTH) return undefined;
    this.at++;
    this.depth++;
    try {
      return open === '{' ? this.object(where, '}') : this.array(where);
    } finally {
      this.depth--;
    }
  }

  /** Members up to `close` (or the end of the text); the opening brace is already read. */
  object(where: string, close: '}' | null): Raw {
    const result: Raw = {};
    for (;;) {
      while (this.isPunct(this.peek(), ',')) this.at++;
      const token = this.peek();
      if (token === undefined) return result;
      if (close !== null && this.isPunct(token, close)) {
        this.at++;
        return result;
      }
      if (close === null && (this.isPunct(token, '}') || this.isPunct(token, ']'))) {
        this.at++;
        continue;
      }
      const key = token.kind === 'string' ? token.value : token.kind === 'word' ? token.key : token.kind === 'number' ? String(token.value) : null;
      const path = key === null ? where : where === '' ? key : `${where}.${key}`;
      const stray = this.tokens[this.at + 1];
      if (key === 'token' && (stray?.kind === 'word' || stray?.kind === 'string') && this.isPunct(this.tokens[this.at + 2], ':')) {
        // A stray word after the token's key ("token junk:"): the member is the token, never the stray (a stray before a key loses only itself).
        this.lost.push(`${path} (line ${token.line})`);
        this.at++;
        this.tokens[this.at] = token;
      }
      if (key === null || !this.isPunct(this.tokens[this.at + 1], ':')) {
        // Stray text where a key belongs (a byte, a word): only it is lost, not the member after it.
        this.lost.push(`${key === null ? `unreadable text${where === '' ? '' : ` in ${where}`}` : path} (line ${token.line})`);
        this.at++;
        this.skip(token.line, true);
        continue;
      }
      this.at += 2;
      const start = this.at;
      const value = this.value(path);
      if (value === undefined || !this.endsMember()) {
        this.lost.push(`${path} (line ${(this.tokens[start] ?? token).line})`);
        this.skip((this.tokens[start] ?? token).line);
        continue;
      }
      // A key given twice: the last one wins, as JSON5 reads it; "__proto__" is a key like any other, as there.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }

  /**
   * Whether the member just read ends here: at a "," or "}", at the next key (a missing comma),
   * or at stray text that ends there itself (it is skipped next; "207\u000089" is no 207).
   */
  private endsMember(): boolean {
    let at = this.at;
    while (this.tokens[at]?.kind === 'bad') at++;
    const next = this.tokens[at];
    return next === undefined || this.isPunct(next, ',') || this.isPunct(next, '}') || next.kind === 'string' || next.kind === 'word';
  }

  private array(where: string): unknown[] {
    const result: unknown[] = [];
    for (;;) {
      while (this.isPunct(this.peek(), ',')) this.at++;
      const token = this.peek();
      if (token === undefined) return result;
      if (this.isPunct(token, ']')) {
        this.at++;
        return result;
      }
      if (this.isPunct(token, '}')) return result;
      const value = this.value(`${where}[${result.length}]`);
      if (value === undefined) {
        this.lost.push(`${where}[${result.length}] (line ${token.line})`);
        // A list or object too deep to read is skipped whole, its own brackets counted.
        if (!this.isPunct(token, '[') && !this.isPunct(token, '{')) this.at++;
        this.skip(token.line);
        continue;
      }
      result.push(value);
    }
  }

  top(): Raw {
    const first = this.peek();
    const keyFirst = first !== undefined && first.kind !== 'punct' && first.kind !== 'bad' && this.isPunct(this.tokens[1], ':');
    const brace = this.tokens.findIndex((t) => this.isPunct(t, '{'));
    // Stray text before the first brace (a merge marker, a pasted shell line): the object after it is the config.
    if (first !== undefined && !this.isPunct(first, '{') && !keyFirst && brace > 0) {
      this.lost.push(`text before the first "{" (line ${first.line})`);
      this.at = brace;
    }
    if (this.isPunct(this.peek(), '{')) this.at++;
    return this.object('', null);
  }
}

/** Everything of a broken config that still reads; an empty object when nothing does. */
export function readTolerant(text: string): TolerantRead {
  const reader = new Reader(tokenize(text));
  const raw = reader.top();
  return { raw, lost: reader.lost };
}
