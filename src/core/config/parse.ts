import { parseJson5Text } from './json5';
import { validateConfig, type Config, type SchemaProblem } from './schema';
import { MAX_CONFIG_DEPTH, MAX_FILE_BYTES, refusalWords, type FileRefusal } from '../profile/files';

export type ConfigError =
  | { kind: 'syntax'; file: string; line: number; column: number; message: string }
  | { kind: 'schema'; file: string; problems: SchemaProblem[] }
  /** The file was not read (or not parsed) at all: not a regular file, a symlink out, too large, too deep. */
  | { kind: 'refused'; file: string; refusal: FileRefusal };

/**
 * Where JSON5 text first nests deeper than `limit` (objects and arrays; strings and
 * comments skipped), or null. One pass, no recursion: it runs before any parser does.
 */
export function tooDeepAt(text: string, limit: number): { line: number; column: number } | null {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
    } else if (c === '"' || c === "'") {
      // A string: skip to its closing quote (an escaped newline counts as a line).
      for (i++; i < text.length && text[i] !== c; i++) {
        if (text[i] === '\\') i++;
        if (text[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
      }
    } else if (c === '/' && text[i + 1] === '/') {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      for (i += 2; i < text.length && !(text[i] === '*' && text[i + 1] === '/'); i++) {
        if (text[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      i++;
    } else if (c === '{' || c === '[') {
      if (++depth > limit) return { line, column: i - lineStart + 1 };
    } else if (c === '}' || c === ']') depth--;
  }
  return null;
}

export type ParsedConfig =
  | { ok: true; raw: Record<string, unknown>; config: Config }
  | { ok: false; raw?: Record<string, unknown>; error: ConfigError };

/**
 * JSON5 text as a value. Text that is plain JSON (what epiloop itself writes) reads the same
 * through JSON.parse, many times faster; anything else, and every error's words and place,
 * come from JSON5.
 */
function parseJson5(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return parseJson5Text(text);
  }
}

/**
 * Why the reader would refuse this text whole, before parsing it (larger than it reads,
 * nested deeper than it parses), or null. The one rule: the reader refuses by it, and the
 * store refuses to write any text it names.
 */
export function refusedText(text: string): Extract<FileRefusal, { kind: 'too-large' | 'too-deep' }> | null {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FILE_BYTES) return { kind: 'too-large', bytes };
  const deep = tooDeepAt(text, MAX_CONFIG_DEPTH);
  return deep === null ? null : { kind: 'too-deep', ...deep };
}

/** JSON5 in (comments, trailing commas), a validated config or an error with a location out. */
export function parseConfigText(text: string, file: string): ParsedConfig {
  const refused = refusedText(text);
  if (refused !== null) return { ok: false, error: { kind: 'refused', file, refusal: refused } };
  let raw: unknown;
  try {
    raw = text.trim() === '' ? {} : parseJson5(text);
  } catch (error) {
    const e = error as { lineNumber?: number; columnNumber?: number; message: string };
    return {
      ok: false,
      error: {
        kind: 'syntax',
        file,
        line: e.lineNumber ?? 1,
        column: e.columnNumber ?? 1,
        message: e.message.replace(/^JSON5: /, '').replace(/ at \d+:\d+$/, ''),
      },
    };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      error: { kind: 'schema', file, problems: [{ path: '(top level)', value: JSON.stringify(raw), allowed: 'an object ({ … })' }] },
    };
  }
  const record = raw as Record<string, unknown>;
  const checked = validateConfig(record);
  if (!checked.ok) return { ok: false, raw: record, error: { kind: 'schema', file, problems: checked.problems } };
  return { ok: true, raw: record, config: checked.config };
}

/** A broken config's problems shown in one message; `config validate` lists every one. */
export const PROBLEMS_SHOWN = 10;

/**
 * A config error in words, one entry per problem, no stack trace: what is wrong, where, and
 * what is allowed (a file not read is one problem of three lines, the last what to run:
 * `invocation` names its profile). Past `shown` problems (PROBLEMS_SHOWN unless said;
 * Infinity for `config validate`) one line counts the rest and names the command that lists them.
 */
export function configErrorEntries(error: ConfigError, shownFile: string, invocation: string, options: { shown?: number } = {}): string[] {
  if (error.kind === 'syntax') {
    return [`${shownFile}:${error.line}:${error.column}: not valid JSON5: ${error.message}`];
  }
  if (error.kind === 'refused') {
    const words = refusalWords(error.refusal, { absolute: error.file, shown: shownFile }, invocation);
    return [`${words.problem}.\nAllowed: ${words.allowed}.\nFix: ${words.fix}.`];
  }
  // Thousands of bad entries are one finding in a few lines, not a screen per entry.
  const limit = options.shown ?? PROBLEMS_SHOWN;
  const shown = error.problems.slice(0, limit);
  const lines = shown.map((p) => `${shownFile}: ${p.path} is ${p.value}, but must be ${p.allowed}`);
  const more = error.problems.length - shown.length;
  if (more > 0) lines.push(moreProblems(more, invocation));
  return lines;
}

/** The line that counts the problems past the cap, and names the command that lists them. */
function moreProblems(more: number, invocation: string): string {
  return `… and ${more} more problem${more === 1 ? '' : 's'}; "${invocation} config validate" lists every one`;
}

/** The problems a config change leaves as they were, capped as configErrorEntries caps them: a line each, then one that counts the rest. */
export function unchangedProblemNotes(problems: readonly SchemaProblem[], invocation: string): string[] {
  const lines = problems.slice(0, PROBLEMS_SHOWN).map((p) => `${p.path} is ${p.value}, but must be ${p.allowed} (unchanged; "${invocation} doctor --fix" repairs it)`);
  const more = problems.length - Math.min(problems.length, PROBLEMS_SHOWN);
  return more > 0 ? [...lines, moreProblems(more, invocation)] : lines;
}

/** configErrorEntries as one message, a line each. */
export function formatConfigError(error: ConfigError, shownFile: string, invocation: string, options: { shown?: number } = {}): string {
  return configErrorEntries(error, shownFile, invocation, options).join('\n');
}

export type LoadedConfig =
  | { state: 'missing'; path: string }
  | { state: 'ok'; path: string; text: string; raw: Record<string, unknown>; config: Config }
  | { state: 'invalid'; path: string; text: string; raw?: Record<string, unknown>; error: ConfigError };

/** A config file's text as every reader loads it (loadConfig, after its safe read; config set, the text it writes). */
export function loadedConfigOf(text: string, path: string): LoadedConfig {
  const parsed = parseConfigText(text, path);
  if (parsed.ok) return { state: 'ok', path, text, raw: parsed.raw, config: parsed.config };
  return { state: 'invalid', path, text, raw: parsed.raw, error: parsed.error };
}

export function serializeConfig(raw: Record<string, unknown>): string {
  return JSON.stringify(raw, null, 2) + '\n';
}
