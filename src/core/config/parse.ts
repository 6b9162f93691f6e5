import JSON5 from 'json5';
import { validateConfig, type Config, type SchemaProblem } from './schema';

export type ConfigError =
  | { kind: 'syntax'; file: string; line: number; column: number; message: string }
  | { kind: 'schema'; file: string; problems: SchemaProblem[] };

export type ParsedConfig =
  | { ok: true; raw: Record<string, unknown>; config: Config }
  | { ok: false; raw?: Record<string, unknown>; error: ConfigError };

/** JSON5 in (comments, trailing commas), a validated config or an error with a location out. */
export function parseConfigText(text: string, file: string): ParsedConfig {
  let raw: unknown;
  try {
    raw = text.trim() === '' ? {} : JSON5.parse(text);
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

/** One or more lines, no stack trace: what is wrong, where, and what is allowed. */
export function formatConfigError(error: ConfigError, shownFile = error.file): string {
  if (error.kind === 'syntax') {
    return `${shownFile}:${error.line}:${error.column}: not valid JSON5: ${error.message}`;
  }
  return error.problems
    .map((p) => `${shownFile}: ${p.path} is ${p.value}, but must be ${p.allowed}`)
    .join('\n');
}

export type LoadedConfig =
  | { state: 'missing'; path: string }
  | { state: 'ok'; path: string; text: string; raw: Record<string, unknown>; config: Config }
  | { state: 'invalid'; path: string; text: string; raw?: Record<string, unknown>; error: ConfigError };

export function serializeConfig(raw: Record<string, unknown>): string {
  return JSON.stringify(raw, null, 2) + '\n';
}
