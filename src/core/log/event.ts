import type { Config } from '../config/schema';
import { UsageError } from '../errors';
import { escapeControl } from '../text/escape';

/** How bad an event is: `logs` shows the word, and a watched profile going down is a warn. */
export const LOG_LEVELS = ['info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Who wrote an event into a profile's log: its gateway, or a CLI command acting on it (start, stop, restart). */
export type LogSource = 'gateway' | 'cli';

/** One line of gateway.log, as written and as `logs --json` prints it (documented in the README). */
export interface LogEvent {
  /** ISO 8601, UTC, milliseconds. */
  time: string;
  level: LogLevel;
  /** The profile's label ("default" for the profile without --profile). */
  profile: string;
  source: LogSource;
  message: string;
  /** The writing process. */
  pid?: number;
}

/** Size-based rotation: gateway.log plus `keepFiles` older files (gateway.log.1 … .N). Config: `logs.maxFileBytes`, `logs.keepFiles`. */
export interface Rotation {
  maxFileBytes: number;
  keepFiles: number;
}

export const DEFAULT_ROTATION: Rotation = { maxFileBytes: 5 * 1024 * 1024, keepFiles: 3 };

/** The rotation a profile's config asks for (`logs`), defaults for what it leaves out or cannot say. */
export function rotationOf(config: Config | undefined): Rotation {
  return {
    maxFileBytes: config?.logs?.maxFileBytes ?? DEFAULT_ROTATION.maxFileBytes,
    keepFiles: config?.logs?.keepFiles ?? DEFAULT_ROTATION.keepFiles,
  };
}

export function eventLine(event: LogEvent): string {
  return `${JSON.stringify(event)}\n`;
}

const ISO_PREFIX = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) (.*)$/;

function isLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * One line of a log file back into an event. Lines from before the JSON log ("<ISO time>
 * text", as the service appended the gateway's output) and any other text are kept, as info,
 * timed like the line before them: `logs` never drops what is in the file.
 */
export function parseEventLine(line: string, profile: string, previousTime: string): LogEvent | null {
  if (line.trim() === '') return null;
  if (line.startsWith('{')) {
    try {
      const value = JSON.parse(line) as Partial<LogEvent>;
      if (typeof value.time === 'string' && typeof value.message === 'string') {
        return {
          time: value.time,
          level: isLevel(value.level) ? value.level : 'info',
          profile: typeof value.profile === 'string' ? value.profile : profile,
          source: value.source === 'cli' ? 'cli' : 'gateway',
          message: value.message,
          ...(Number.isInteger(value.pid) ? { pid: value.pid } : {}),
        };
      }
    } catch {
      // not JSON after all: kept as text below
    }
  }
  const legacy = ISO_PREFIX.exec(line);
  return { time: legacy ? legacy[1]! : previousTime, level: 'info', profile, source: 'gateway', message: legacy ? legacy[2]! : line };
}

/** The events of several logs in time order; events of one time keep the order they had (a stable merge). */
export function mergeByTime(lists: readonly (readonly LogEvent[])[]): LogEvent[] {
  return lists
    .flatMap((list, which) => list.map((event, index) => ({ event, which, index })))
    .sort((a, b) => (a.event.time < b.event.time ? -1 : a.event.time > b.event.time ? 1 : a.which - b.which || a.index - b.index))
    .map((entry) => entry.event);
}

/** The last `count` events (all of them for count undefined). */
export function lastEvents(events: readonly LogEvent[], count: number | undefined): LogEvent[] {
  return count === undefined ? [...events] : count === 0 ? [] : events.slice(-count);
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since 10m` (s, m, h, d) or an ISO date → the earliest time shown, in ms since the epoch. */
export function sinceCutoff(text: string, now: number): number {
  const relative = /^(\d+)([smhd])$/.exec(text.trim());
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2]!]!;
  const absolute = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isNaN(absolute)) return absolute;
  throw new UsageError(`--since takes a duration such as 30s, 10m, 2h or 1d, or a date such as 2026-11-30T18:00:00Z; "${text}" is neither.`);
}

export function isSince(event: LogEvent, cutoff: number | null): boolean {
  return cutoff === null || Date.parse(event.time) >= cutoff;
}

/** How a human line shows its time: the ISO date-time, or the clock alone ("10:00:00.000", UTC as the ISO form). */
export type TimeForm = 'iso' | 'clock';

/** Below 80 columns the ISO date-time (and the --all prefix) left a message some 20: the clock alone there. */
export function timeFormFor(width: number): TimeForm {
  return width < 80 ? 'clock' : 'iso';
}

/** The event's time in that form; a time that does not parse is shown as written. */
function timeWords(time: string, form: TimeForm): string {
  const at = Date.parse(time);
  return form === 'iso' || Number.isNaN(at) ? time : new Date(at).toISOString().slice(11, 23);
}

/** One line of an event as a person reads it, and the column its continuation starts at when it wraps. */
export interface HumanLine {
  text: string;
  hang: number;
}

/** The fewest columns the message column may leave a continuation; with fewer, continuations start at CONTINUED instead. */
const MESSAGE_ROOM = 30;
/** Where continuations start on a terminal too narrow for the message column: in from the time, under nothing. */
const CONTINUED = 2;

/**
 * An event as a person reads it: `<time> <level> <message>`, prefixed with the profile (padded
 * to `width`) under --all, its time in the form given, control characters escaped. A message of several lines (a gateway's
 * refusal) gives a line each, under the message column, each keeping its own indent. Wrapped, the
 * first continues under its message whatever the level, past the --all gutter (a short profile's
 * padded name is not a "label  value" line's label); the others under their own text.
 * On a terminal of `columns` where the message column would leave fewer than MESSAGE_ROOM (40
 * columns left 21), they all start CONTINUED columns in instead; without `columns` (a pipe), under the message.
 */
export function humanLines(event: LogEvent, prefix: { width: number } | null, time: TimeForm = 'iso', columns = Number.POSITIVE_INFINITY): HumanLine[] {
  const head = humanHead(event, prefix, time);
  const [first = '', ...rest] = event.message.replace(/\s+$/, '').split(/\r?\n/).map((line) => escapeControl(line));
  const source = event.source === 'cli' ? 'cli: ' : '';
  const under = columns - head.length >= MESSAGE_ROOM ? head.length : CONTINUED;
  return [
    { text: `${head}${source}${first}`, hang: under },
    ...rest.map((line) => ({ text: `${' '.repeat(under)}${line}`, hang: under + /^ */.exec(line)![0].length })),
  ];
}

function humanHead(event: LogEvent, prefix: { width: number } | null, time: TimeForm): string {
  const gutter = prefix === null ? '' : `${event.profile.padEnd(prefix.width)} │ `;
  return `${gutter}${timeWords(event.time, time)} ${event.level.padEnd(5)} `;
}
