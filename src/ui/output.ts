/** Colour and line output for the plain (non-Ink) commands. No dependency: chalk alone costs start-up time. */
import { escapeControl } from '../core/text/escape';
import { tableLines, type TableFit } from '../core/text/table';
import { hangOf, wrapText } from '../core/text/wrap';

export interface Output {
  color: boolean;
  isTTY: boolean;
  columns: number;
  line(text?: string): void;
  /** `wrap: false`: text to copy (a JSON example) goes out as written, never reflowed. */
  error(text: string, options?: { wrap?: boolean }): void;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  /** `numberWords`: Infinity, -Infinity and NaN as JSON5 (the config's own syntax) writes them, not JSON's null: for text output, never for --json. */
  json(value: unknown, options?: { numberWords?: boolean }): void;
  /** One JSON value on one line: for streams of events (`logs --json`, one per line). */
  jsonLine(value: unknown): void;
}

export interface OutputStreams {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
}

/** NO_COLOR (any value) and TERM=dumb switch colour off; FORCE_COLOR switches it on. */
export function colorEnabled(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function createOutput({ stdout, stderr, env }: OutputStreams, forceNoColor = false): Output {
  const color = !forceNoColor && colorEnabled(stdout, env);
  const paint = (open: number, close: number) => (text: string) => (color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  // Without colour no sequence is epiloop's own: a value's colour codes are shown, not obeyed.
  const lines = { keepNewlines: true, keepColor: color };
  return {
    color,
    isTTY: stdout.isTTY === true,
    columns: stdout.columns ?? 80,
    // Values in a line (a config's workspace, a unit's path) may hold control characters: only epiloop's own colours pass raw.
    // On a terminal a long line is wrapped between words, so a command in it is never split mid-word by the terminal.
    line: (text = '') => stdout.write(fitted(escapeControl(text, lines), stdout) + '\n'),
    error: (text, options) => stderr.write((options?.wrap === false ? escapeControl(text, lines) : fitted(escapeControl(text, lines), stderr)) + '\n'),
    bold: paint(1, 22),
    dim: paint(2, 22),
    red: paint(31, 39),
    green: paint(32, 39),
    yellow: paint(33, 39),
    cyan: paint(36, 39),
    json: (value, options) => stdout.write(jsonText(value, 2, options?.numberWords === true) + '\n'),
    jsonLine: (value) => stdout.write(jsonText(value, 0) + '\n'),
  };
}

/**
 * A line as a terminal of that stream shows it whole: each part wrapped between words at the
 * terminal's width, a "label  value" line's continuation under its value (hangOf). A pipe or a
 * file gets the line as it is (one line per record, for scripts).
 */
export function fitted(text: string, stream: { isTTY?: boolean; columns?: number }): string {
  const width = stream.isTTY === true ? stream.columns : undefined;
  if (width === undefined || width <= 0) return text;
  return text
    .split('\n')
    .flatMap((part) => wrapText(part, width, hangOf(part, width)))
    .join('\n');
}

/** JSON.stringify escapes C0 itself; DEL, C1 and the bidi and line separators it leaves raw inside strings, where \uXXXX is as valid. */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

function jsonText(value: unknown, indent = 2, numberWords = false): string {
  return (numberWords ? withNumberWords(value, indent, '') : JSON.stringify(value, null, indent)).replace(RAW_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSON.stringify(value, null, indent) of plain data (a parsed config), but a number JSON has no word for is written as JSON5 writes it. */
function withNumberWords(value: unknown, indent: number, pad: string): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = pad + ' '.repeat(indent);
  const entries = Array.isArray(value)
    ? value.map((v) => withNumberWords(v, indent, inner))
    : Object.entries(value)
        .filter(([, v]) => v !== undefined && typeof v !== 'function')
        .map(([k, v]) => `${JSON.stringify(k)}: ${withNumberWords(v, indent, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return entries.length === 0 ? open + close : `${open}\n${entries.map((e) => inner + e).join(',\n')}\n${pad}${close}`;
}

/** The width tables are fitted to: the terminal's, or none when the output goes to a pipe or a file (a line per row there). */
export function tableWidth(out: Pick<Output, 'isTTY' | 'columns'>): number {
  return out.isTTY ? out.columns : Number.POSITIVE_INFINITY;
}

/** Left-aligned columns fitted to `width` (core/text/table: narrowed, columns dropped in `fit.drop` order, the last wrapped); cells may carry colour codes. */
export function table(rows: string[][], width = Number.POSITIVE_INFINITY, fit: TableFit = {}): string[] {
  return tableLines(rows, width, fit);
}

/** A line as a terminal shows it whole: wrapped between words at its width, continuations under column `hang` (a pipe gets it as one line). */
export function wrappedLines(out: Pick<Output, 'isTTY' | 'columns'>, text: string, hang?: number): string[] {
  const width = tableWidth(out);
  return text.split('\n').flatMap((part) => (Number.isFinite(width) ? wrapText(part, width, hang) : [part]));
}
