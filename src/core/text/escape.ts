/**
 * C0 and C1 control characters, DEL, and the bidirectional overrides: a value that holds
 * one could move the cursor, recolour or clear a terminal, or make a log line read
 * differently from what it says.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/**
 * The colour (SGR) sequences epiloop adds itself (ui/output.ts paints bold, dim, red, green,
 * yellow, cyan and their resets): the only ones let through where `keepColor` is set, so a
 * value cannot conceal, blink or paint text black on black.
 */
const SGR = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function escapeOne(char: string): string {
  const code = char.charCodeAt(0);
  return NAMED[char] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

export interface EscapeOptions {
  /** Keep line breaks (a message of several lines); a single value keeps none. */
  keepNewlines?: boolean;
  /** Keep colour sequences: for a finished line of output, where colours are epiloop's own. */
  keepColor?: boolean;
}

/**
 * The text with every control character written out as an escape (ESC as "\e", others as
 * "\x1b" or "\u202e"), so it prints as what it is. For anything a client or a file supplied
 * before it reaches a log line or a message on a terminal.
 */
export function escapeControl(text: string, options: EscapeOptions = {}): string {
  const pattern = options.keepNewlines === true ? CONTROL_BUT_NEWLINE : CONTROL;
  if (options.keepColor !== true) return text.replace(pattern, escapeOne);
  let result = '';
  let last = 0;
  for (const match of text.matchAll(SGR)) {
    result += text.slice(last, match.index).replace(pattern, escapeOne) + match[0];
    last = match.index + match[0].length;
  }
  return result + text.slice(last).replace(pattern, escapeOne);
}

/** A value a client sent, for a message: quoted, escaped, and cut to `maxLength` characters. */
export function quoteValue(text: string, maxLength = 80): string {
  return `"${escapeControl(text.length > maxLength ? `${text.slice(0, maxLength)}…` : text)}"`;
}
