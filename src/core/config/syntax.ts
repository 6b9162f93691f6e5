/**
 * A lossless JSON5 syntax tree: every character of the file belongs to exactly one token
 * (whitespace, line ends and comments included), so joining the tokens gives the file back
 * byte for byte, and an edit is a change of some tokens' texts. The tree over the tokens
 * knows where each member, key, value and comma is. Pure.
 *
 * Our own scanner rather than a package's: the lossless JSON5 parsers on npm lost files of
 * the test corpus (reserved words as keys, JSON5 string escapes) or took seconds on a
 * 200 KB config (README, "Config"). Tokens are two typed arrays, not objects: a 200 KB
 * config has ~90,000 of them, and the edit must stay within milliseconds.
 */

export const Kind = {
  Open: 1,
  Close: 2,
  OpenList: 3,
  CloseList: 4,
  Colon: 5,
  Comma: 6,
  String: 7,
  /** Numbers, with sign, hex, Infinity and NaN. */
  Number: 8,
  /** Identifier names: unquoted keys, and true / false / null / Infinity / NaN as values. */
  Word: 9,
  /**
   * What JSON5 cannot read, only in tokenizeForDisplay's tokens (the parser never sees one): a
   * string left open, from its quote to its line's end; a bad number, a stray character or a
   * name with a bad escape, up to the next blank, punctuation, quote or comment. A value, not trivia.
   */
  Broken: 10,
  /** A run of whitespace other than line ends (a BOM included). */
  Space: 11,
  Newline: 12,
  LineComment: 13,
  BlockComment: 14,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** The file as tokens; an edit replaces token texts ('' removes a token). */
export class Tokens {
  private readonly replaced = new Map<number, string>();

  constructor(
    readonly source: string,
    /** kinds[i]: the Kind of token i. */
    readonly kinds: Uint8Array,
    /** starts[i]: where token i begins in source; starts[length] = source.length. */
    readonly starts: Uint32Array,
    readonly length: number,
    /** The strings with a backslash in them: only their escapes can be wrong. */
    readonly escaped: ReadonlySet<number>,
  ) {}

  kind(i: number): Kind {
    return this.kinds[i] as Kind;
  }

  /** The token's text now. */
  text(i: number): string {
    return (this.replaced.size > 0 ? this.replaced.get(i) : undefined) ?? this.source.slice(this.starts[i], this.starts[i + 1]);
  }

  /** No edit has touched any token. */
  get pristine(): boolean {
    return this.replaced.size === 0;
  }

  /** The token's first character as the file has it (a quote, a sign, …). */
  firstChar(i: number): string {
    return this.source[this.starts[i]!]!;
  }

  setText(i: number, text: string): void {
    this.replaced.set(i, text);
  }

  /** An edit took it out. */
  isRemoved(i: number): boolean {
    return this.replaced.size > 0 && this.replaced.get(i) === '';
  }

  /** Whether the token's text now is `word`, compared without copying it. */
  is(i: number, word: string): boolean {
    if (this.replaced.size > 0 && this.replaced.has(i)) return this.replaced.get(i) === word;
    return this.starts[i + 1]! - this.starts[i]! === word.length && this.source.startsWith(word, this.starts[i]!);
  }

  /**
   * Whether key token i (a name or a string, as the file has it) surely reads as `name`,
   * compared on the source without copying it; false also where only decoding can tell (an
   * escape, an edited token).
   */
  spells(i: number, name: string): boolean {
    if (this.replaced.size > 0 && this.replaced.has(i)) return false;
    let start = this.starts[i]!;
    let length = this.starts[i + 1]! - start;
    if (this.kinds[i] === Kind.String) {
      if (this.escaped.has(i)) return false;
      start++;
      length -= 2;
    }
    // A name spelt with an escape (\u0061) reads as another: only one without a backslash reads as written.
    return length === name.length && this.source.startsWith(name, start) && !name.includes('\\');
  }

  /** Whether a scalar token stands for this value, decided without copying text where it can be. */
  holds(i: number, value: unknown): boolean {
    const kind = this.kinds[i];
    if (typeof value === 'string' && kind === Kind.String && !this.escaped.has(i) && (this.replaced.size === 0 || !this.replaced.has(i))) {
      const start = this.starts[i]! + 1;
      return this.starts[i + 1]! - start - 1 === value.length && this.source.startsWith(value, start);
    }
    if (kind === Kind.Word && (value === true || value === false || value === null)) return this.is(i, value === true ? 'true' : value === false ? 'false' : 'null');
    if (typeof value === 'number' && kind === Kind.Number && (this.replaced.size === 0 || !this.replaced.has(i))) {
      const read = plainNumber(this.source, this.starts[i]!, this.starts[i + 1]!);
      if (read !== undefined) return Object.is(read, value);
    }
    const decoded = decodeScalar(this, i);
    return typeof decoded === 'number' && typeof value === 'number' ? Object.is(decoded, value) : decoded === value;
  }

  /** The indexes of the tokens an edit changed, in order. */
  edited(): number[] {
    return [...this.replaced.keys()].sort((a, b) => a - b);
  }

  /** The tokens an edit changed (as edited()) and, for the k-th, where its new text starts and ends in print()'s text. */
  editedSpans(): { edited: number[]; newStart: Float64Array; newEnd: Float64Array } {
    const edited = this.edited();
    const newStart = new Float64Array(edited.length);
    const newEnd = new Float64Array(edited.length);
    let shift = 0;
    for (let k = 0; k < edited.length; k++) {
      const i = edited[k]!;
      const length = this.text(i).length;
      newStart[k] = this.starts[i]! + shift;
      newEnd[k] = newStart[k]! + length;
      shift += length - (this.starts[i + 1]! - this.starts[i]!);
    }
    return { edited, newStart, newEnd };
  }

  /** The text with every edit applied: the untouched stretches are copied whole. */
  print(): string {
    const at = this.edited();
    let out = '';
    let from = 0;
    for (const i of at) {
      out += this.source.slice(from, this.starts[i]) + this.replaced.get(i)!;
      from = this.starts[i + 1]!;
    }
    return out + this.source.slice(from);
  }
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
  /** Members a later one with the same key hides (JSON5 reads the last); null when every key is distinct. */
  shadowed: Set<Member> | null;
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
  readonly key: string | null;
  /** The key's token, or the value's first token for an array element. */
  first: number;
  value: SyntaxNode;
  /** The comma after the value, or -1. */
  comma: number;
}

export interface SyntaxDoc {
  tokens: Tokens;
  root: ObjectNode;
  /** Where each container closes; members read when first asked for. */
  tree: Tree;
}

import { countPresent, element, isContainer, isPlainObject, isPresent } from './json-value';

class SyntaxError5 extends Error {
  /** Where the text that cannot be read ends, when the scan knows (a string left open: its line's end). */
  constructor(
    message: string,
    readonly end?: number,
  ) {
    super(message);
  }
}

const LINE_ENDS = new Set(['\n', '\r', '\u2028', '\u2029']);
const SPACE_SEPARATOR = /\p{Zs}/u;
const ID_START = /[\p{L}\p{Nl}$_]/u;
const ID_PART = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$_\u200c\u200d]/u;
/** Names that are values: elsewhere a name is only a key. */
const WORD_VALUES = ['true', 'false', 'null', 'Infinity', 'NaN'];

function isWordValue(tokens: Tokens, i: number): boolean {
  for (let w = 0; w < WORD_VALUES.length; w++) if (tokens.is(i, WORD_VALUES[w]!)) return true;
  return false;
}

function isSpaceCode(code: number): boolean {
  if (code === 32 || code === 9 || code === 11 || code === 12 || code === 0xa0 || code === 0xfeff) return true;
  return code > 127 && code !== 0x2028 && code !== 0x2029 && SPACE_SEPARATOR.test(String.fromCharCode(code));
}

function punctuation(code: number): Kind {
  switch (code) {
    case 123:
      return Kind.Open;
    case 125:
      return Kind.Close;
    case 91:
      return Kind.OpenList;
    case 93:
      return Kind.CloseList;
    case 58:
      return Kind.Colon;
    default:
      return Kind.Comma;
  }
}

function isLineEnd(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/** The first index at or after i that is not a digit. */
function digitsEnd(text: string, i: number): number {
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Every token JSON5 allows, in one sticky pattern: the class of a token follows from its
 * first character, as in the character scanner (tokenizeByChars) it stands in for. The
 * regexp engine runs it as native code, fast even on a first run, when a character loop in
 * JS is still interpreted: one call per token instead of one loop step per character.
 */
const TOKEN =
  /[{}[\]:,]|\r\n?|[\n\u2028\u2029]|[\t\v\f \u00a0\ufeff\p{Zs}]+|\/\/[^\n\r\u2028\u2029]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n\r]|\\(?:\r\n|[\s\S]))*"|'(?:[^'\\\n\r]|\\(?:\r\n|[\s\S]))*'|[+-]?(?:Infinity|NaN|0[xX][\da-fA-F]+|(?:0|[1-9]\d*)(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|(?:[\p{L}\p{Nl}$_]|\\u[\da-fA-F]{4})(?:[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$_\u200c\u200d]|\\u[\da-fA-F]{4})*/uy;

/** The kind of an ASCII token by its first character; 0 where more must be looked at. */
const KIND_BY_FIRST = (() => {
  const table = new Uint8Array(128).fill(Kind.Word);
  const set = (chars: string, kind: Kind) => {
    for (const c of chars) table[c.charCodeAt(0)] = kind;
  };
  set('{', Kind.Open);
  set('}', Kind.Close);
  set('[', Kind.OpenList);
  set(']', Kind.CloseList);
  set(':', Kind.Colon);
  set(',', Kind.Comma);
  set('\n\r', Kind.Newline);
  set(' \t\v\f', Kind.Space);
  set('0123456789+-.', Kind.Number);
  set('"\'/', 0 as Kind);
  return table;
})();

/** Where the run of blanks that goes on at `at` (with one other than a space or tab there) ends. */
function spaceEnd(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  re.test(text);
  return re.lastIndex;
}

/** The token arrays, twice as long, holding what they held: both tokenizers start small and grow. */
function grown(kinds: Uint8Array<ArrayBuffer>, starts: Uint32Array<ArrayBuffer>): [Uint8Array<ArrayBuffer>, Uint32Array<ArrayBuffer>] {
  const moreKinds = new Uint8Array(kinds.length * 2);
  moreKinds.set(kinds);
  const moreStarts = new Uint32Array(moreKinds.length + 1);
  moreStarts.set(starts);
  return [moreKinds, moreStarts];
}

/**
 * A container of an edit's printed text that is known to read right, as one token: only the
 * read-back of an edit makes them (matchEdited), and only its matcher accepts one.
 */
const VOUCHED = 0;

/**
 * Splits the text into tokens, or throws SyntaxError5 at a character JSON5 does not allow there.
 * `reuse` (matchEdited's): asked at each "{" or "[" that starts a token, where the tokens from
 * there end when they are known already (a container passed by as one VOUCHED token), else -1.
 */
export function tokenize(text: string, reuse: Reuse | null = null): Tokens {
  const n = text.length;
  const re = TOKEN;
  // About one token per two characters, to start with; a read-back that jumps makes few: it
  // starts small. (One sum for both: a first call runs before V8 keeps any notes on this
  // function, and a sum only that call made was never noted, so the optimised code threw
  // itself away at the third edit's parse.)
  const room = reuse === null ? n : 2048;
  let kinds = new Uint8Array((room >> 1) + 16);
  let starts = new Uint32Array(kinds.length + 1);
  const escaped = new Set<number>();
  let escapedNames: number[] | null = null;
  // The next backslash at or after i: a token holds one when it is before the token's end.
  let backslash = -1;
  let count = 0;
  let i = 0;
  while (i < n) {
    if (count === kinds.length) [kinds, starts] = grown(kinds, starts);
    const code = text.charCodeAt(i);
    let kind = code < 128 ? KIND_BY_FIRST[code]! : code === 0x2028 || code === 0x2029 ? Kind.Newline : isSpaceCode(code) ? Kind.Space : Kind.Word;
    let end: number;
    // One-character tokens and runs of ASCII blanks (a third of a config's tokens) take no call.
    if (reuse !== null && (code === 123 || code === 91) && (end = reuse.jump(i, count)) >= 0) kind = VOUCHED as Kind;
    else if (kind <= Kind.Comma && kind !== 0) end = i + 1;
    else if (code === 32 || code === 9) {
      end = i + 1;
      while (end < n && (text.charCodeAt(end) === 32 || text.charCodeAt(end) === 9)) end++;
      if (end < n && isSpaceCode(text.charCodeAt(end))) end = spaceEnd(re, text, end);
    } else if (code === 10) end = i + 1;
    else {
      re.lastIndex = i;
      // No token here: the scanner finds the character and words the error.
      if (!re.test(text)) return reuse === null ? tokenizeByChars(text) : refuse();
      end = re.lastIndex;
      if (kind === 0) kind = code === 47 ? (text.charCodeAt(i + 1) === 47 ? Kind.LineComment : Kind.BlockComment) : Kind.String;
    }
    if (kind === Kind.String || kind === Kind.Word) {
      if (backslash < i) backslash = text.indexOf('\\', i) >>> 0;
      if (backslash < end) {
        if (kind === Kind.String) escaped.add(count);
        else (escapedNames ??= []).push(count);
      }
    }
    kinds[count] = kind;
    starts[count++] = i;
    i = end;
  }
  starts[count] = n;
  // An escaped name: what each escape stands for must be a name's character too.
  for (const at of escapedNames ?? []) if (scanWord(text, starts[at]!) !== starts[at + 1]) return reuse === null ? tokenizeByChars(text) : refuse();
  return new Tokens(text, kinds, starts, count, escaped);
}

function refuse(): never {
  throw new SyntaxError5('no token here');
}

/**
 * The tokens of a text shown to a person (masked before it is): tokenize's where the text
 * reads, else the character scanner's with each part it cannot read as one Broken token
 * (an unterminated block comment a comment to the end of the text), so any text splits.
 */
export function tokenizeForDisplay(text: string): Tokens {
  try {
    return tokenize(text);
  } catch (error) {
    if (!(error instanceof SyntaxError5)) throw error;
    return tokenizeByChars(text, true);
  }
}

/** The end of a Broken token at i that reads no further: the next blank, punctuation, quote or comment. */
function brokenEnd(text: string, i: number): number {
  let end = i + (text.codePointAt(i)! > 0xffff ? 2 : 1);
  while (end < text.length && !BROKEN_STOP.test(text[end]!) && !text.startsWith('//', end) && !text.startsWith('/*', end)) end++;
  return end;
}

const BROKEN_STOP = /[\s{}[\]:,"']/;

/**
 * The tokens character by character: the reference, and the one that finds the error in a
 * text that has one; `broken` (tokenizeForDisplay's): no error, a Broken token instead.
 */
export function tokenizeByChars(text: string, broken = false): Tokens {
  const n = text.length;
  // About one token per 2–3 characters: start there and grow, rather than zero a slot per character.
  let kinds = new Uint8Array((n >> 1) + 16);
  let starts = new Uint32Array(kinds.length + 1);
  const escaped = new Set<number>();
  let count = 0;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (count === kinds.length) [kinds, starts] = grown(kinds, starts);
    starts[count] = i;
    let kind: Kind;
    const at = i;
    try {
      if (code === 123 || code === 125 || code === 91 || code === 93 || code === 58 || code === 44) {
        kind = punctuation(code);
        i++;
      } else if (code === 10 || code === 0x2028 || code === 0x2029) {
        kind = Kind.Newline;
        i++;
      } else if (code === 13) {
        kind = Kind.Newline;
        i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
      } else if (isSpaceCode(code)) {
        kind = Kind.Space;
        do i++;
        while (i < n && isSpaceCode(text.charCodeAt(i)));
      } else if (code === 47 && text.charCodeAt(i + 1) === 47) {
        kind = Kind.LineComment;
        i += 2;
        while (i < n && !isLineEnd(text.charCodeAt(i))) i++;
      } else if (code === 47 && text.charCodeAt(i + 1) === 42) {
        kind = Kind.BlockComment;
        const end = text.indexOf('*/', i + 2);
        if (end < 0 && !broken) throw new SyntaxError5('unterminated comment');
        i = end < 0 ? n : end + 2;
      } else if (code === 34 || code === 39) {
        kind = Kind.String;
        const end = scanString(text, i, code);
        if (end < 0) escaped.add(count);
        i = Math.abs(end);
      } else if ((code >= 48 && code <= 57) || code === 45 || code === 43 || code === 46) {
        kind = Kind.Number;
        i = scanNumber(text, i);
      } else {
        kind = Kind.Word;
        const ascii = scanAsciiWord(text, i);
        i = ascii > 0 ? ascii : scanWord(text, i);
      }
    } catch (error) {
      if (!broken || !(error instanceof SyntaxError5)) throw error;
      kind = Kind.Broken;
      i = error.end ?? brokenEnd(text, at);
    }
    kinds[count++] = kind;
  }
  starts[count] = n;
  return new Tokens(text, kinds, starts, count, escaped);
}

/** The end of the string starting at i; negative (-end) when it holds a backslash. */
function scanString(text: string, i: number, quote: number): number {
  let escapes = false;
  for (let j = i + 1; j < text.length; j++) {
    const code = text.charCodeAt(j);
    if (code === quote) return escapes ? -(j + 1) : j + 1;
    if (code === 92) {
      escapes = true;
      j += text.charCodeAt(j + 1) === 13 && text.charCodeAt(j + 2) === 10 ? 2 : 1;
    } else if (code === 10 || code === 13) {
      throw new SyntaxError5('a line end inside a string', j);
    }
  }
  throw new SyntaxError5('unterminated string', text.length);
}

function scanNumber(text: string, i: number): number {
  if (text[i] === '-' || text[i] === '+') i++;
  if (text.startsWith('Infinity', i)) return i + 8;
  if (text.startsWith('NaN', i)) return i + 3;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
    let end = i + 2;
    while (end < text.length && isHexDigit(text.charCodeAt(end))) end++;
    if (end === i + 2) throw new SyntaxError5('hex number without digits');
    return end;
  }
  // A leading zero ends the number: "01" is two tokens, which the tree refuses.
  let end = text[i] === '0' ? i + 1 : digitsEnd(text, i);
  if (text[end] === '.') end = digitsEnd(text, end + 1);
  if (end === i || (end === i + 1 && text[i] === '.')) throw new SyntaxError5('number without digits');
  if (text[end] === 'e' || text[end] === 'E') {
    let exp = end + 1;
    if (text[exp] === '+' || text[exp] === '-') exp++;
    end = digitsEnd(text, exp);
    if (end === exp) throw new SyntaxError5('exponent without digits');
  }
  return end;
}

function isAsciiNameCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 36 || code === 95;
}

/** The end of an all-ASCII name at i, or -1 when it is none (scanWord then checks it properly). */
function scanAsciiWord(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (!isAsciiNameCode(first) || (first >= 48 && first <= 57)) return -1;
  let j = i + 1;
  while (j < text.length && isAsciiNameCode(text.charCodeAt(j))) j++;
  // Non-ASCII letters or an escape go on: the careful scan takes the whole name.
  return j < text.length && (text.charCodeAt(j) > 127 || text.charCodeAt(j) === 92) ? -1 : j;
}

/** A name with non-ASCII letters or \u escapes, checked character by character. */
function scanWord(text: string, i: number): number {
  const end = nameEnd(text, i);
  const next = end < text.length ? nameCharAt(text, end) : '';
  if (next === null) throw new SyntaxError5('bad escape in a name');
  if (end === i) throw new SyntaxError5(`unexpected ${JSON.stringify(next)}`);
  return end;
}

/**
 * Where the name starting at i ends: before the first character a name may not hold there (an
 * escape read as what it stands for) or a backslash that is no \uXXXX; i when none starts there.
 * The tolerant read (tolerant.ts) reads names by it too.
 */
export function nameEnd(text: string, i: number): number {
  for (let first = true; i < text.length; first = false) {
    const c = nameCharAt(text, i);
    if (c === null || !(first ? ID_START : ID_PART).test(c)) return i;
    i += text[i] === '\\' ? 6 : c.length;
  }
  return i;
}

/** The character of a name at i, a \uXXXX escape decoded; null for a backslash that starts none. */
function nameCharAt(text: string, i: number): string | null {
  if (text[i] !== '\\') return String.fromCodePoint(text.codePointAt(i)!);
  const hex = text.slice(i + 2, i + 6);
  return text[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(hex) ? String.fromCharCode(parseInt(hex, 16)) : null;
}

/** The index of the first token at or after i that is no trivia; `length` when none is left. */
export function significantFrom(kinds: Uint8Array, i: number, length: number): number {
  while (i < length && kinds[i]! >= Kind.Space) i++;
  return i;
}

/** Token kinds that carry no value: the layout the user chose. */
export function isTrivia(kind: Kind): boolean {
  return kind >= Kind.Space;
}

export function isComment(kind: Kind): boolean {
  return kind === Kind.LineComment || kind === Kind.BlockComment;
}

class TreeBuilder {
  private i = 0;
  constructor(private readonly tokens: Tokens) {}

  /** The index of the first significant token from where the builder stands. */
  skipTrivia(): number {
    return this.skip();
  }

  /** The index of the next significant token, trivia skipped; tokens.length at the end. */
  private skip(): number {
    const { kinds, length } = this.tokens;
    while (this.i < length && kinds[this.i]! >= Kind.Space) this.i++;
    return this.i;
  }

  private expect(kind: Kind): number {
    const at = this.skip();
    if (at >= this.tokens.length || this.tokens.kinds[at] !== kind) throw new SyntaxError5('unexpected token');
    this.i++;
    return at;
  }

  /**
   * Parses the whole text, throwing SyntaxError5 where JSON5 refuses it, without building a
   * tree: it notes where each container closes, and the tree reads a container's members
   * from the tokens when first asked (an edit asks for few). The index of the top "{".
   */
  skimDocument(closeOf: Int32Array): number {
    const root = this.skip();
    this.skimValue(closeOf);
    if (this.skip() !== this.tokens.length) throw new SyntaxError5('text after the top-level value');
    if (this.tokens.kinds[root] !== Kind.Open) throw new SyntaxError5('the top level is not an object');
    return root;
  }

  /** Parses one value; closeOf (when given) learns where its containers close. */
  private skimValue(closeOf: Int32Array | null): void {
    const at = this.skip();
    if (at >= this.tokens.length) throw new SyntaxError5('unexpected end');
    const kind = this.tokens.kinds[at];
    if (kind === Kind.Open || kind === Kind.OpenList) this.skimContainer(kind === Kind.Open, closeOf);
    else this.scalar(at);
  }

  /** A container's members, nothing built: a key's escapes are checked as decoding it would. */
  private skimContainer(object: boolean, closeOf: Int32Array | null): void {
    const { tokens } = this;
    const { kinds, length } = tokens;
    const close = object ? Kind.Close : Kind.CloseList;
    const first = this.i++;
    for (;;) {
      const at = this.skip();
      if (at < length && kinds[at] === close) break;
      if (object) {
        const keyKind = at < length ? kinds[at] : undefined;
        if (keyKind !== Kind.String && keyKind !== Kind.Word) throw new SyntaxError5('expected a key');
        if (keyKind === Kind.String && tokens.escaped.has(at)) decodeString(tokens.text(at));
        this.i++;
        this.expect(Kind.Colon);
      }
      this.skimValue(closeOf);
      const after = this.skip();
      if (!(after < length && kinds[after] === Kind.Comma)) break;
      this.i++;
    }
    const last = this.expect(close);
    if (closeOf !== null) closeOf[first] = last;
  }

  /** Whether the (already parsed) value at token `first` stands for `wanted`; null when equal keys leave it undecided. */
  matchAt(first: number, wanted: unknown): boolean | null {
    this.i = first;
    this.undecided = false;
    const matched = this.match(wanted);
    return this.undecided ? null : matched;
  }

  /** Takes the scalar at token `at`, or throws where it is none. */
  private scalar(at: number): void {
    const kind = this.tokens.kinds[at];
    if (kind === Kind.Word) {
      if (!isWordValue(this.tokens, at)) throw new SyntaxError5('unexpected name');
    } else if (kind === Kind.String) {
      // Only escapes can be wrong in a string the scanner took: a bad one fails here, as in the reader.
      if (this.tokens.escaped.has(at)) decodeString(this.tokens.text(at));
    } else if (kind !== Kind.Number) {
      throw new SyntaxError5('unexpected token');
    }
    this.i++;
  }

  /** Set when an object has two equal keys: matchDocument cannot tell, the tree must. */
  undecided = false;
  /**
   * When set, a container it knows to stand for the value wanted of it (by its "{" or "[",
   * and that value) is passed by: the index after its closing bracket, else -1.
   */
  known: ((at: number, wanted: unknown) => number) | null = null;
  /** When set, it says whether a VOUCHED token stands for the value wanted of it (matchEdited's). */
  reuse: Reuse | null = null;
  /** When set, the match notes where each container closes (as skimDocument does)… */
  closeOf: Int32Array | null = null;
  /** …and each container that stands for the value it was matched with, by its "{" or "[": that value. */
  verified: Verified | null = null;
  /**
   * The keys of the objects being matched, innermost last: keys[0 … keyCount-1] (one array, not
   * one per object, and never shortened: a big object's keys would be trimmed off and grown again).
   * Born holding a string: born empty, each parse's array took another shape than the one V8
   * had optimised matchObject for ('wrong map' at the 2nd edit).
   */
  private readonly keys: string[] = [''];
  private keyCount = 0;

  /**
   * Parses the text exactly as skimDocument() does (the same errors) and says whether it
   * stands for `wanted`, as matching its tree would — without building the tree.
   */
  matchDocument(wanted: unknown): boolean {
    const at = this.skip();
    // Anything but an object on top is an error (or no object) for skimDocument() too.
    if (at >= this.tokens.length || this.tokens.kinds[at] !== Kind.Open) return false;
    const matched = this.match(wanted);
    if (this.skip() !== this.tokens.length) throw new SyntaxError5('text after the top-level value');
    return matched;
  }

  /** Parses one value as skimValue() does; whether it stands for `wanted`. */
  private match(wanted: unknown): boolean {
    const at = this.skip();
    if (at >= this.tokens.length) throw new SyntaxError5('unexpected end');
    const kind = this.tokens.kinds[at];
    // Only matchEdited's tokens hold one; anywhere else (skimmed, a scalar) it is an error.
    if (kind === VOUCHED && this.reuse !== null && this.reuse.vouched(at, wanted)) {
      this.i = at + 1;
      return true;
    }
    if ((kind === Kind.Open || kind === Kind.OpenList) && this.known !== null) {
      const after = this.known(at, wanted);
      if (after >= 0) {
        this.i = after;
        return true;
      }
    }
    if (kind === Kind.Open) {
      if (isPlainObject(wanted)) return this.matchObject(wanted);
      this.skimValue(this.closeOf);
      return false;
    }
    if (kind === Kind.OpenList) {
      if (Array.isArray(wanted)) return this.matchArray(wanted);
      this.skimValue(this.closeOf);
      return false;
    }
    this.scalar(at);
    return !isContainer(wanted) && this.tokens.holds(at, wanted);
  }

  private matchArray(wanted: unknown[]): boolean {
    const { tokens } = this;
    const first = this.expect(Kind.OpenList);
    const outer = this.enter();
    let matched = true;
    let count = 0;
    for (;;) {
      const at = this.skip();
      if (at < tokens.length && tokens.kinds[at] === Kind.CloseList) break;
      // Parsed whatever it holds: a mismatch early must not skip a syntax error later.
      if (count < wanted.length) {
        if (!this.match(element(wanted[count]))) matched = false;
      } else {
        this.skimValue(this.closeOf);
        matched = false;
      }
      count++;
      const after = this.skip();
      if (!(after < tokens.length && tokens.kinds[after] === Kind.Comma)) break;
      this.i++;
    }
    return this.leave(first, this.expect(Kind.CloseList), outer, wanted, matched && count === wanted.length);
  }

  /** A container's match begins: whether one around it was undecided already. */
  private enter(): boolean {
    const outer = this.undecided;
    this.undecided = false;
    return outer;
  }

  /** A container's match ends: where it closes, and (when decided) whether it stands for `wanted`, noted. */
  private leave(first: number, last: number, outer: boolean, wanted: unknown, matched: boolean): boolean {
    if (this.closeOf !== null) this.closeOf[first] = last;
    if (matched && !this.undecided && this.verified !== null) this.verified.set(first, wanted);
    this.undecided ||= outer;
    return matched;
  }

  private matchObject(wanted: Record<string, unknown>): boolean {
    const { tokens, keys } = this;
    const first = this.expect(Kind.Open);
    const outer = this.enter();
    const base = this.keyCount;
    // The wanted keys in their order, which is nearly always the file's (the config was read
    // from it): the next one is tried first, compared on the source, so a key that is spelt
    // as wanted costs no string of its own. `inOrder`: every key so far was the next one.
    const names = Object.keys(wanted);
    let inOrder = true;
    let matched = true;
    let lastKey = -1;
    for (;;) {
      const at = this.skip();
      if (at < tokens.length && tokens.kinds[at] === Kind.Close) break;
      lastKey = at;
      const keyKind = at < tokens.length ? tokens.kinds[at] : undefined;
      if (keyKind !== Kind.String && keyKind !== Kind.Word) throw new SyntaxError5('expected a key');
      const count = this.keyCount - base;
      let key: string;
      if (inOrder && count < names.length && tokens.spells(at, names[count]!)) key = names[count]!;
      else {
        inOrder = false;
        key = decodeKey(tokens, at);
      }
      this.i++;
      this.expect(Kind.Colon);
      // A key from Object.keys is wanted's own: no need to ask.
      const value = inOrder || Object.hasOwn(wanted, key) ? wanted[key] : undefined;
      if (isPresent(value)) {
        if (!this.match(value)) matched = false;
      } else {
        this.skimValue(this.closeOf);
        matched = false;
      }
      keys[this.keyCount++] = key;
      const after = this.skip();
      if (!(after < tokens.length && tokens.kinds[after] === Kind.Comma)) break;
      this.i++;
    }
    const last = this.expect(Kind.Close);
    const count = this.keyCount - base;
    // Keys taken one by one from Object.keys are distinct already.
    if (!inOrder && !distinct(keys, base, this.keyCount)) this.undecided = true;
    this.keyCount = base;
    // Distinct keys, each present in `wanted` and matching it: equal when the counts are —
    // surely when every wanted key was taken in order (each one's value was present, or
    // `matched` would be false), else counted.
    const equal = matched && ((inOrder && count === names.length) || count === countPresent(wanted));
    // Else, when every member stood for the next wanted key's value, all that is missing is
    // wanted keys after the last (a key added, as `config set` does).
    if (!equal && matched && inOrder && count > 0 && !this.undecided && this.verified !== null) this.verified.grown(first, lastKey, count);
    return this.leave(first, last, outer, wanted, equal);
  }

}

/** Whether keys[from … to-1] are all different. */
function distinct(keys: string[], from: number, to: number): boolean {
  const n = to - from;
  if (n <= 8) {
    for (let a = from; a < to; a++) for (let b = a + 1; b < to; b++) if (keys[a] === keys[b]) return false;
    return true;
  }
  return new Set(keys.slice(from, to)).size === n;
}

/** The members a later equal key hides; null (nothing allocated) when the keys are distinct, as they nearly always are. */
function shadowedOf(members: Member[]): Set<Member> | null {
  let distinct = true;
  if (members.length <= 8) {
    for (let a = 0; a < members.length && distinct; a++) for (let b = a + 1; b < members.length; b++) if (members[a]!.key === members[b]!.key) distinct = false;
  } else {
    distinct = new Set(members.map((m) => m.key)).size === members.length;
  }
  if (distinct) return null;
  const last = new Map<string, Member>();
  for (const m of members) last.set(m.key!, m);
  return new Set(members.filter((m) => last.get(m.key!) !== m));
}

/**
 * The tree over the tokens, read as it is walked: a container's members are read from the
 * tokens (where each nested container closes is known) the first time they are asked for.
 * An edit of a 200 KB config reads the few containers on its way, not its ~30,000 values.
 */
export class Tree {
  private matcher: TreeBuilder | null = null;

  constructor(
    readonly tokens: Tokens,
    /** closeOf[i]: for the "{" or "[" at token i, the index of its "}" or "]". */
    readonly closeOf: Int32Array,
  ) {}

  container(first: number): ObjectNode | ArrayNode {
    const node = new LazyContainer(this, this.tokens.kinds[first] === Kind.Open ? 'object' : 'array', first, this.closeOf[first]!);
    return node as unknown as ObjectNode | ArrayNode;
  }

  /** The members between a container's brackets: key, first token, value and comma of each. */
  readMembers(node: ObjectNode | ArrayNode): Member[] {
    const { kinds, length } = this.tokens;
    const members: Member[] = [];
    let i = node.first + 1;
    for (;;) {
      const at = significantFrom(kinds, i, length);
      if (at === node.last) break;
      const member = this.memberAt(node, at);
      members.push(member);
      if (member.comma < 0) break;
      i = member.comma + 1;
    }
    return members;
  }

  /** The member of the container whose first token (its key's, in an object) is `at`. */
  memberAt(node: ObjectNode | ArrayNode, at: number): Member {
    const { tokens, closeOf } = this;
    const { kinds, length } = tokens;
    const object = node.kind === 'object';
    const v = object ? significantFrom(kinds, significantFrom(kinds, at + 1, length) + 1, length) : at;
    const kind = kinds[v];
    let value: SyntaxNode;
    let end: number;
    if (kind === Kind.Open || kind === Kind.OpenList) {
      value = this.container(v);
      end = closeOf[v]!;
    } else {
      value = { kind: 'scalar', first: v, last: v };
      end = v;
    }
    const after = significantFrom(kinds, end + 1, length);
    return new ReadMember(tokens, object, at, value, kinds[after] === Kind.Comma ? after : -1);
  }

  /**
   * Whether a node stands for `wanted`, as a walk of its members would say, compared on the
   * tokens without reading its members; null when equal keys in one object leave it undecided.
   */
  holds(node: SyntaxNode, wanted: unknown): boolean | null {
    return (this.matcher ??= new TreeBuilder(this.tokens)).matchAt(node.first, wanted);
  }
}

/**
 * A member as a container's members are read: its key is decoded when first asked for, since
 * the edit compares most keys on the source (a big object's members need no string each).
 */
class ReadMember implements Member {
  private decoded: string | null | undefined = undefined;

  constructor(
    private readonly tokens: Tokens,
    private readonly object: boolean,
    readonly first: number,
    readonly value: SyntaxNode,
    public comma: number,
  ) {}

  get key(): string | null {
    if (this.decoded === undefined) this.decoded = this.object ? decodeKey(this.tokens, this.first) : null;
    return this.decoded;
  }
}

class LazyContainer {
  private list: Member[] | null = null;
  private hidden: Set<Member> | null | undefined = undefined;

  constructor(
    private readonly tree: Tree,
    readonly kind: 'object' | 'array',
    readonly first: number,
    readonly last: number,
  ) {}

  get members(): Member[] {
    return (this.list ??= this.tree.readMembers(this as unknown as ObjectNode | ArrayNode));
  }

  get shadowed(): Set<Member> | null {
    if (this.hidden === undefined) this.hidden = shadowedOf(this.members);
    return this.hidden;
  }
}

/** The tree of a JSON5 text whose top level is an object, or null when it is no such text. */
export function parseSyntax(text: string): SyntaxDoc | null {
  try {
    const tokens = tokenize(text);
    const closeOf = new Int32Array(tokens.length);
    const root = new TreeBuilder(tokens).skimDocument(closeOf);
    const tree = new Tree(tokens, closeOf);
    return { tokens, root: tree.container(root) as ObjectNode, tree };
  } catch (error) {
    // Deep nesting overflows the stack: no layout we could keep either.
    if (error instanceof SyntaxError5 || error instanceof RangeError) return null;
    throw error;
  }
}

/** The containers a match found standing for the value wanted of them: by the index of their "{" or "[", that value. */
export interface VerifiedParts {
  get(first: number): unknown;
  has(first: number): boolean;
  keys(): Iterable<number>;
  readonly size: number;
}

/**
 * VerifiedParts noted in the parse's closeOf, at each container's closing bracket: a slot
 * closeOf leaves unused (it notes where a container closes at its opening one). A parse notes
 * thousands (one per container of a big config): a Map's growth cost more than the match, and
 * an array of its own, a slot per token, cost each edit ~90 pages of fresh memory.
 */
export class Verified implements VerifiedParts {
  /**
   * values[slot]; slot 0 is none. Born holding a value, not empty: V8 optimised the noting for
   * one edit's array and threw that code away at the next edit's, born empty ('wrong map').
   */
  private readonly values: unknown[] = [undefined];
  private growing: Map<number, { lastKey: number; count: number }> | null = null;

  /** closeOf[first] for an opening bracket; closeOf[last] for a closing one: the slot of its value, 0 for none. */
  constructor(private readonly closeOf: Int32Array) {}

  /** Notes the container at `first`, once closeOf knows where it closes. */
  set(first: number, value: unknown): void {
    const last = this.closeOf[first]!;
    const at = this.closeOf[last]!;
    if (at > 0) this.values[at] = value;
    else this.closeOf[last] = this.values.push(value) - 1;
  }

  get(first: number): unknown {
    return this.values[this.slot(first)];
  }

  has(first: number): boolean {
    return this.slot(first) > 0;
  }

  keys(): Iterable<number> {
    const firsts: number[] = [];
    for (let first = 0; first < this.closeOf.length; first++) if (this.slot(first) > 0) firsts.push(first);
    return firsts;
  }

  get size(): number {
    return this.values.length - 1;
  }

  /**
   * Notes an object whose members all stand, in order, for the first `count` keys of the value
   * wanted of it, which has more: `lastKey` is its last member's first token. Few per edit
   * (where a key was added, and the objects around it that differ in nothing else).
   */
  grown(first: number, lastKey: number, count: number): void {
    (this.growing ??= new Map()).set(first, { lastKey, count });
  }

  /** An object noted by grown(): its last member's first token, and how many wanted keys its members stand for. */
  growth(first: number): { lastKey: number; count: number } | undefined {
    return this.growing?.get(first);
  }

  /**
   * The slot of the container at `first`; 0 for a token that opens none. There closeOf holds 0,
   * or, at a closing bracket, a slot: at most the number of containers closed by then, each of
   * two tokens or more before it, so never an index past its own.
   */
  private slot(first: number): number {
    const last = this.closeOf[first] ?? 0;
    return last > first ? this.closeOf[last]! : 0;
  }
}

/**
 * The tree of the text as parseSyntax gives it, parsed in the same pass that compares it
 * with `wanted` (as matchText does): the editor's first step. `verified` holds each
 * container that already stands for its part of `wanted` (by its "{" or "[": that part), so
 * the edit passes it by without reading its members or comparing it again.
 */
export function parseToward(text: string, wanted: unknown): { doc: SyntaxDoc; verified: Verified } | null {
  try {
    const tokens = tokenize(text);
    const builder = new TreeBuilder(tokens);
    const closeOf = (builder.closeOf = new Int32Array(tokens.length));
    const verified = (builder.verified = new Verified(closeOf));
    const root = builder.skipTrivia();
    // No object on top: parseSyntax refuses it too, whatever follows.
    if (root >= tokens.length || tokens.kinds[root] !== Kind.Open) return null;
    builder.matchDocument(wanted);
    const tree = new Tree(tokens, closeOf);
    return { doc: { tokens, root: tree.container(root) as ObjectNode, tree }, verified };
  } catch (error) {
    if (error instanceof SyntaxError5 || error instanceof RangeError) return null;
    throw error;
  }
}

/**
 * Whether the text parses (as parseSyntax) and reads as `wanted` (as a walk of its tree
 * would say), without building the tree: the editor's read-back of a whole config. null
 * when it cannot tell — equal keys in one object, or nesting too deep for the stack — and
 * the tree must decide. `known` (the editor's) may vouch for containers it verified and left alone.
 */
export function matchText(text: string, wanted: unknown, known?: (tokens: Tokens, at: number, wanted: unknown) => number): boolean | null {
  try {
    const tokens = tokenize(text);
    const builder = new TreeBuilder(tokens);
    if (known !== undefined) builder.known = (at, value) => known(tokens, at, value);
    const matched = builder.matchDocument(wanted);
    return builder.undecided ? null : matched;
  } catch (error) {
    if (error instanceof SyntaxError5) return false;
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/**
 * The read-back of an edit, the short way: true only when it proves that `text` — the
 * tokens of `old` as an edit left them, printed — parses as parseSyntax parses it and reads
 * as `wanted`, exactly as matchText(text, wanted) would answer true; false when it cannot
 * tell (the full read-back must then decide, and it decides every "no").
 *
 * What it skips, and why that proves the same. A container of `old` that the first parse
 * found standing for a part of the config (`verified`: by its "{" or "[", that part) and that
 * no edit touched (no edited token from its "{" to its "}") is copied into the new text
 * character for character, as one stretch between edits. Where the new text's tokens reach
 * such a stretch at a token boundary, the tokens from there to its closing bracket are the
 * old ones: a token's end depends on no character past a "}" or "]" that is not inside it
 * (no pattern reads on past one except strings and comments, which would have swallowed it),
 * so the same characters from the same boundary make the same tokens, and they parsed.
 * Those tokens are taken as one VOUCHED token, not scanned again; the matcher accepts it
 * only where the value wanted of it is the very part it was verified for (the same object)
 * — then it reads as that part, as it did. Everything else — the edited tokens, what is
 * between the untouched containers, every container an edit reached — is tokenized and
 * matched in full, as matchText does. Equal keys in one object, an error anywhere, a
 * VOUCHED token where something else is wanted (or skimmed): false, and the full read-back.
 */
export function matchEdited(text: string, wanted: unknown, old: Tokens, closeOf: Int32Array, verified: VerifiedParts): boolean {
  const reuse = new Reuse(old, closeOf, verified);
  try {
    const tokens = tokenize(text, reuse);
    const builder = new TreeBuilder(tokens);
    builder.reuse = reuse;
    return builder.matchDocument(wanted) && !builder.undecided;
  } catch (error) {
    if (error instanceof SyntaxError5 || error instanceof RangeError) return false;
    throw error;
  }
}

/**
 * matchEdited's passing by of untouched verified containers: the tokenizer asks it where the
 * tokens from a "{" or "[" end, the matcher whether a VOUCHED token stands for a value. A
 * class, not closures made per read-back: V8's optimised tokenizer and matcher then keep
 * calling the one same function, where a new closure each edit would undo them.
 */
class Reuse {
  private readonly edited: number[];
  private readonly newStart: Float64Array;
  private readonly newEnd: Float64Array;
  /** The VOUCHED tokens' indexes (ascending) and the old container each stands for. */
  private readonly vouchedAt: number[] = [];
  private readonly oldFirst: number[] = [];

  constructor(
    private readonly old: Tokens,
    private readonly closeOf: Int32Array,
    private readonly verified: VerifiedParts,
  ) {
    ({ edited: this.edited, newStart: this.newStart, newEnd: this.newEnd } = old.editedSpans());
  }

  /** For the "{" or "[" at `p` of the new text, token `index`: where its tokens end when they are an untouched verified container's, else -1. */
  jump(p: number, index: number): number {
    const { old, edited, newStart, newEnd } = this;
    // The edits whose new text ends at or before p; p must not fall inside the next one's.
    const k = firstAbove(newEnd, p);
    if (k < edited.length && newStart[k]! <= p) return -1;
    // Where p was in the old text, and the old token that started there (if one did).
    const q = k === 0 ? p : p - (newEnd[k - 1]! - old.starts[edited[k - 1]! + 1]!);
    const first = tokenAt(old, q);
    if (first < 0 || !this.verified.has(first)) return -1;
    // No edited token from its "{" to its "}": the edits from the k-th on all start after q.
    const last = this.closeOf[first]!;
    if (k < edited.length && edited[k]! <= last) return -1;
    this.vouchedAt.push(index);
    this.oldFirst.push(first);
    return p + (old.starts[last + 1]! - q);
  }

  /** Whether the VOUCHED token at `at` stands for `wanted`: the very part its container was verified for. */
  vouched(at: number, wanted: unknown): boolean {
    return this.verified.get(this.oldFirst[firstAbove(this.vouchedAt, at - 1)]!) === wanted;
  }
}

/** The index of the token that starts at `at`, else -1. */
function tokenAt(tokens: Tokens, at: number): number {
  const { starts } = tokens;
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo < tokens.length && starts[lo] === at ? lo : -1;
}

/** The first index k with values[k] > x (values ascending). */
export function firstAbove(values: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
      if (hex.length !== width || !/^[0-9a-fA-F]+$/.test(hex)) throw new SyntaxError5('bad escape');
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

/**
 * The number a plain decimal or hex token (source[start … end-1]) stands for, read without a
 * copy of its text, exactly as decodeNumber reads it; undefined where decodeNumber must say
 * (an exponent, Infinity, NaN, more digits than a double holds exactly). At most 15 digits
 * make an integer below 2^53, so exact, and 10^k (k ≤ 15) is exact too: the one rounding of
 * the division is the nearest double to the decimal, which is what Number() gives.
 */
export function plainNumber(source: string, start: number, end: number): number | undefined {
  let i = start;
  let sign = 1;
  let code = source.charCodeAt(i);
  if (code === 45 || code === 43) {
    if (code === 45) sign = -1;
    code = source.charCodeAt(++i);
  }
  if (code === 48 && (source.charCodeAt(i + 1) | 32) === 120) {
    // 13 hex digits are 52 bits.
    if (end - i - 2 > 13) return undefined;
    let value = 0;
    for (let j = i + 2; j < end; j++) {
      const digit = source.charCodeAt(j);
      value = value * 16 + (digit <= 57 ? digit - 48 : (digit | 32) - 87);
    }
    return sign * value;
  }
  let value = 0;
  let digits = 0;
  let scale = 1;
  let point = false;
  for (; i < end; i++) {
    code = source.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      value = value * 10 + (code - 48);
      digits++;
      if (point) scale *= 10;
    } else if (code === 46 && !point) point = true;
    else return undefined;
  }
  if (digits > 15) return undefined;
  return sign * (value / scale);
}

function decodeNumber(text: string): number {
  const sign = text[0] === '-' ? -1 : 1;
  const body = text[0] === '-' || text[0] === '+' ? text.slice(1) : text;
  if (body === 'Infinity') return sign * Infinity;
  if (body === 'NaN') return NaN;
  return sign * (body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : Number(body));
}

export function decodeScalar(tokens: Tokens, i: number): string | number | boolean | null {
  const text = tokens.text(i);
  switch (tokens.kind(i)) {
    case Kind.String:
      return decodeString(text);
    case Kind.Number:
      return decodeNumber(text);
    default:
      if (text === 'true') return true;
      if (text === 'false') return false;
      if (text === 'null') return null;
      return decodeNumber(text); // Infinity, NaN
  }
}

/** The key token i stands for, as the file has it (an edit's later change to its text is no other key). */
export function decodeKey(tokens: Tokens, i: number): string {
  const text = tokens.source.slice(tokens.starts[i], tokens.starts[i + 1]);
  return tokens.kinds[i] === Kind.String ? decodeString(text) : decodeName(text);
}

/** An unquoted name as the key it spells: its \uXXXX escapes decoded. */
export function decodeName(text: string): string {
  return text.includes('\\') ? text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

/** The value a node stands for, as the json5 package reads it (the last of two equal keys wins). */
export function decodeNode(tokens: Tokens, node: SyntaxNode): unknown {
  if (node.kind === 'scalar') return decodeScalar(tokens, node.first);
  if (node.kind === 'array') return node.members.map((m) => decodeNode(tokens, m.value));
  const out: Record<string, unknown> = {};
  for (const m of node.members) Object.defineProperty(out, m.key!, { value: decodeNode(tokens, m.value), enumerable: true, writable: true, configurable: true });
  return out;
}
