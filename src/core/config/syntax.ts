/**
 * A lossless JSON5 syntax tree: every character of the file belongs to exactly one token
 * (whitespace, line ends and comments included), so joining the tokens' texts gives the
 * file back byte for byte, and an edit is a change of some tokens' texts. The tree over
 * the tokens knows where each member, key, value and comma is. Pure.
 *
 * Our own scanner rather than a package's: the lossless JSON5 parsers on npm lost files of
 * the test corpus (reserved words as keys, JSON5 string escapes) or took seconds on a
 * 200 KB config (README, "Config").
 */

export type TokenKind =
  | '{'
  | '}'
  | '['
  | ']'
  | ':'
  | ','
  | 'string'
  /** Numbers, with sign, hex, Infinity and NaN. */
  | 'number'
  /** Identifier names: unquoted keys, and true / false / null as values. */
  | 'word'
  /** A run of whitespace other than line ends (a BOM included). */
  | 'space'
  | 'newline'
  | 'line-comment'
  | 'block-comment';

export interface Token {
  readonly kind: TokenKind;
  /** Mutable: an edit changes texts; '' marks a token the edit removed. */
  text: string;
}

export type SyntaxNode = ObjectNode | ArrayNode | ScalarNode;

export interface ScalarNode {
  kind: 'scalar';
  /** Token indexes: a scalar is one token. */
  first: number;
  last: number;
}

export interface ObjectNode {
  kind: 'object';
  /** The indexes of "{" and "}". */
  first: number;
  last: number;
  members: Member[];
}

export interface ArrayNode {
  kind: 'array';
  first: number;
  last: number;
  members: Member[];
}

/** An object's property or an array's element. */
export interface Member {
  /** The decoded key; null for an array element. */
  key: string | null;
  /** The key's token, or the value's first token for an array element. */
  first: number;
  value: SyntaxNode;
  /** The comma after the value, or -1. */
  comma: number;
}

export interface SyntaxDoc {
  tokens: Token[];
  root: ObjectNode;
}

const LINE_ENDS = new Set(['\n', '\r', '\u2028', '\u2029']);
const SPACE_ASCII = new Set([' ', '\t', '\v', '\f', '\u00a0', '\ufeff']);
const SPACE_SEPARATOR = /\p{Zs}/u;
const ID_START = /[\p{L}\p{Nl}$_]/u;
const ID_PART = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$_\u200c\u200d]/u;
const PUNCT = new Set(['{', '}', '[', ']', ':', ',']);
/** Names that are values: elsewhere a name is only a key. */
const WORD_VALUES = new Set(['true', 'false', 'null', 'Infinity', 'NaN']);

class SyntaxError5 extends Error {}

function isSpace(c: string): boolean {
  return SPACE_ASCII.has(c) || (c > '\u007f' && !LINE_ENDS.has(c) && SPACE_SEPARATOR.test(c));
}

function isAsciiIdStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 36 || code === 95;
}

/** Splits the text into tokens, or throws SyntaxError5 at a character JSON5 does not allow there. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const start = i;
    const c = text[i]!;
    const code = text.charCodeAt(i);
    let kind: TokenKind;
    if (PUNCT.has(c)) {
      kind = c as TokenKind;
      i++;
    } else if (c === '\n' || c === '\u2028' || c === '\u2029') {
      kind = 'newline';
      i++;
    } else if (c === '\r') {
      kind = 'newline';
      i += text[i + 1] === '\n' ? 2 : 1;
    } else if (isSpace(c)) {
      kind = 'space';
      while (i < n && isSpace(text[i]!)) i++;
    } else if (c === '/' && text[i + 1] === '/') {
      kind = 'line-comment';
      while (i < n && !LINE_ENDS.has(text[i]!)) i++;
    } else if (c === '/' && text[i + 1] === '*') {
      kind = 'block-comment';
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new SyntaxError5('unterminated comment');
      i = end + 2;
    } else if (c === '"' || c === "'") {
      kind = 'string';
      i = scanString(text, i);
    } else if ((code >= 48 && code <= 57) || c === '-' || c === '+' || c === '.') {
      kind = 'number';
      i = scanNumber(text, i);
    } else if (isAsciiIdStart(code) || c === '\\' || code > 127) {
      kind = 'word';
      i = scanWord(text, i);
    } else {
      throw new SyntaxError5(`unexpected ${JSON.stringify(c)}`);
    }
    tokens.push({ kind, text: text.slice(start, i) });
  }
  return tokens;
}

function scanString(text: string, i: number): number {
  const quote = text[i];
  for (i++; i < text.length; i++) {
    const c = text[i]!;
    if (c === quote) return i + 1;
    if (c === '\n' || c === '\r') throw new SyntaxError5('line end inside a string');
    if (c === '\\') i += text[i + 1] === '\r' && text[i + 2] === '\n' ? 2 : 1;
  }
  throw new SyntaxError5('unterminated string');
}

const DIGITS = /[0-9]*/y;
const HEX = /[0-9a-fA-F]+/y;

function scanNumber(text: string, i: number): number {
  if (text[i] === '-' || text[i] === '+') i++;
  if (text.startsWith('Infinity', i)) return i + 8;
  if (text.startsWith('NaN', i)) return i + 3;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
    HEX.lastIndex = i + 2;
    if (!HEX.test(text)) throw new SyntaxError5('hex number without digits');
    return HEX.lastIndex;
  }
  const digitsFrom = (at: number): number => {
    DIGITS.lastIndex = at;
    DIGITS.test(text);
    return DIGITS.lastIndex;
  };
  const intEnd = text[i] === '0' ? i + 1 : digitsFrom(i);
  let end = intEnd;
  if (text[end] === '.') end = digitsFrom(end + 1);
  // A lone sign or dot is no number; a leading zero followed by digits fails in the parser.
  if (end === i || (end === i + 1 && text[i] === '.')) throw new SyntaxError5('number without digits');
  if (text[end] === 'e' || text[end] === 'E') {
    let exp = end + 1;
    if (text[exp] === '+' || text[exp] === '-') exp++;
    const expEnd = digitsFrom(exp);
    if (expEnd === exp) throw new SyntaxError5('exponent without digits');
    end = expEnd;
  }
  return end;
}

function scanWord(text: string, i: number): number {
  let first = true;
  while (i < text.length) {
    let c: string;
    let width: number;
    if (text[i] === '\\') {
      const hex = text.slice(i + 2, i + 6);
      if (text[i + 1] !== 'u' || !/^[0-9a-fA-F]{4}$/.test(hex)) throw new SyntaxError5('bad escape in a name');
      c = String.fromCharCode(parseInt(hex, 16));
      width = 6;
    } else {
      c = String.fromCodePoint(text.codePointAt(i)!);
      width = c.length;
    }
    if (!(first ? ID_START : ID_PART).test(c)) {
      if (first) throw new SyntaxError5(`unexpected ${JSON.stringify(c)}`);
      break;
    }
    first = false;
    i += width;
  }
  return i;
}

/** Token kinds that carry no value: the layout the user chose. */
export function isTrivia(kind: TokenKind): boolean {
  return kind === 'space' || kind === 'newline' || kind === 'line-comment' || kind === 'block-comment';
}

export function isComment(kind: TokenKind): boolean {
  return kind === 'line-comment' || kind === 'block-comment';
}

class TreeBuilder {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  /** The index of the next significant token, trivia skipped; tokens.length at the end. */
  private skip(): number {
    while (this.i < this.tokens.length && isTrivia(this.tokens[this.i]!.kind)) this.i++;
    return this.i;
  }

  private expect(kind: TokenKind): number {
    const at = this.skip();
    if (this.tokens[at]?.kind !== kind) throw new SyntaxError5(`expected ${kind}`);
    this.i++;
    return at;
  }

  document(): ObjectNode {
    const root = this.value();
    if (this.skip() !== this.tokens.length) throw new SyntaxError5('text after the top-level value');
    if (root.kind !== 'object') throw new SyntaxError5('the top level is not an object');
    return root;
  }

  private value(): SyntaxNode {
    const at = this.skip();
    const token = this.tokens[at];
    if (token === undefined) throw new SyntaxError5('unexpected end');
    if (token.kind === '{') return this.container('object');
    if (token.kind === '[') return this.container('array');
    const literal = token.kind === 'word' && WORD_VALUES.has(token.text);
    if (token.kind !== 'string' && token.kind !== 'number' && !literal) throw new SyntaxError5(`unexpected ${token.text}`);
    decodeScalar(token); // a bad escape or a leading zero is a syntax error here, as in the reader
    this.i++;
    return { kind: 'scalar', first: at, last: at };
  }

  private container(kind: 'object' | 'array'): ObjectNode | ArrayNode {
    const close = kind === 'object' ? '}' : ']';
    const first = this.expect(kind === 'object' ? '{' : '[');
    const members: Member[] = [];
    for (;;) {
      const at = this.skip();
      const token = this.tokens[at];
      if (token?.kind === close) break;
      let key: string | null = null;
      if (kind === 'object') {
        if (token?.kind !== 'string' && token?.kind !== 'word') throw new SyntaxError5('expected a key');
        key = decodeKey(token);
        this.i++;
        this.expect(':');
      }
      const value = this.value();
      const after = this.skip();
      const comma = this.tokens[after]?.kind === ',' ? after : -1;
      members.push({ key, first: at, value, comma });
      if (comma < 0) break;
      this.i++;
    }
    const last = this.expect(close);
    return { kind, first, last, members } as ObjectNode | ArrayNode;
  }
}

/** The tree of a JSON5 text whose top level is an object, or null when it is no such text. */
export function parseSyntax(text: string): SyntaxDoc | null {
  try {
    const tokens = tokenize(text);
    return { tokens, root: new TreeBuilder(tokens).document() };
  } catch (error) {
    // Deep nesting overflows the stack: no layout we could keep either.
    if (error instanceof SyntaxError5 || error instanceof RangeError) return null;
    throw error;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function decodeString(text: string): string {
  const body = text.slice(1, -1);
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i]!;
    if (e in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e];
    else if (e === '0') {
      if (/[0-9]/.test(body[i + 1] ?? '')) throw new SyntaxError5('octal escape');
      out += '\0';
    } else if (e === 'x' || e === 'u') {
      const width = e === 'x' ? 2 : 4;
      const hex = body.slice(i + 1, i + 1 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw new SyntaxError5('bad escape');
      out += String.fromCharCode(parseInt(hex, 16));
      i += width;
    } else if (e === '\r') {
      if (body[i + 1] === '\n') i++; // a line continuation: nothing
    } else if (LINE_ENDS.has(e)) {
      // a line continuation: nothing
    } else if (/[1-9]/.test(e)) {
      throw new SyntaxError5('digit escape');
    } else out += e;
  }
  return out;
}

function decodeNumber(text: string): number {
  const sign = text[0] === '-' ? -1 : 1;
  const body = text[0] === '-' || text[0] === '+' ? text.slice(1) : text;
  if (body === 'Infinity') return sign * Infinity;
  if (body === 'NaN') return NaN;
  if (body.length > 1 && body[0] === '0' && /[0-9]/.test(body[1]!)) throw new SyntaxError5('leading zero');
  return sign * (body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : Number(body));
}

export function decodeScalar(token: Token): string | number | boolean | null {
  switch (token.kind) {
    case 'string':
      return decodeString(token.text);
    case 'number':
      return decodeNumber(token.text);
    case 'word':
      if (token.text === 'true') return true;
      if (token.text === 'false') return false;
      if (token.text === 'null') return null;
      if (token.text === 'Infinity' || token.text === 'NaN') return decodeNumber(token.text);
      throw new SyntaxError5(`unexpected ${token.text}`);
    default:
      throw new SyntaxError5(`unexpected ${token.text}`);
  }
}

function decodeKey(token: Token): string {
  if (token.kind === 'string') return decodeString(token.text);
  return token.text.includes('\\') ? token.text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : token.text;
}

/** The value a node stands for, as the json5 package reads it (the last of two equal keys wins). */
export function decodeNode(tokens: readonly Token[], node: SyntaxNode): unknown {
  if (node.kind === 'scalar') return decodeScalar(tokens[node.first]!);
  if (node.kind === 'array') return node.members.map((m) => decodeNode(tokens, m.value));
  const out: Record<string, unknown> = {};
  for (const m of node.members) Object.defineProperty(out, m.key!, { value: decodeNode(tokens, m.value), enumerable: true, writable: true, configurable: true });
  return out;
}

/** The text the tokens stand for now. */
export function printTokens(tokens: readonly Token[]): string {
  let out = '';
  for (const token of tokens) out += token.text;
  return out;
}
