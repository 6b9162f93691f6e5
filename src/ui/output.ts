/** Colour and line output for the plain (non-Ink) commands. No dependency: chalk alone costs start-up time. */
import { escapeControl } from '../core/text/escape';

export interface Output {
  color: boolean;
  isTTY: boolean;
  columns: number;
  line(text?: string): void;
  error(text: string): void;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  json(value: unknown): void;
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
    line: (text = '') => stdout.write(escapeControl(text, lines) + '\n'),
    error: (text) => stderr.write(escapeControl(text, lines) + '\n'),
    bold: paint(1, 22),
    dim: paint(2, 22),
    red: paint(31, 39),
    green: paint(32, 39),
    yellow: paint(33, 39),
    cyan: paint(36, 39),
    json: (value) => stdout.write(jsonText(value) + '\n'),
  };
}

/** JSON.stringify escapes C0 itself; DEL, C1 and the bidi and line separators it leaves raw inside strings, where \uXXXX is as valid. */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(RAW_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleWidth(text: string): number {
  return text.replace(ANSI, '').length;
}

/** Left-aligned columns; cells may carry colour codes. */
export function table(rows: string[][], indent = '  ', gap = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell))));
  return rows.map((row) =>
    (indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleWidth(cell)))).join(gap)).trimEnd(),
  );
}
