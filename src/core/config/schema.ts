import * as z from 'zod/mini';
import { PROFILE_NAME_PATTERN } from '../profile/name';
import { MAX_PORT, MIN_PORT, PORT_RANGE_WORDS } from '../ports/limits';
import { maskUrlsIn, maskUrlValue } from './url-secrets';

// zod/mini, not classic zod: the CLI answers in ~60 ms instead of ~80 ms (README, "Speed").
const port = z.int().check(z.minimum(MIN_PORT), z.maximum(MAX_PORT));
const url = z.url();

const browserProfile = z.looseObject({
  cdpPort: z.optional(port),
  cdpUrl: z.optional(url),
});

/** What every alert sink takes besides its target (defaults: SINK_DEFAULTS in core/watch/alerts.ts). */
const sinkOptions = {
  minLevel: z.optional(z.enum(['info', 'warning', 'critical'])),
  maxPerHour: z.optional(z.int().check(z.minimum(1), z.maximum(3600))),
  timeoutMs: z.optional(z.int().check(z.minimum(100), z.maximum(120_000))),
  retries: z.optional(z.int().check(z.minimum(0), z.maximum(10))),
};

/** Where the rescue tells someone: a command (the event on stdin and in EPILOOP_EVENT_*), or an HTTP(S) webhook. */
const alertSink = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('command'),
    command: z.union([z.string().check(z.minLength(1)), z.array(z.string()).check(z.minLength(1))]),
    ...sinkOptions,
  }),
  z.looseObject({
    type: z.literal('webhook'),
    url: z.url({ protocol: /^https?$/ }),
    preset: z.optional(z.enum(['json', 'ntfy', 'slack'])),
    ...sinkOptions,
  }),
]);

/** Loose objects everywhere: keys we do not know are the user's and survive every write. */
export const ConfigSchema = z.looseObject({
  gateway: z.optional(
    z.looseObject({
      port: z.optional(port),
      bind: z.optional(z.string().check(z.minLength(1))),
      auth: z.optional(z.looseObject({ token: z.optional(z.string().check(z.minLength(16))) })),
    }),
  ),
  browser: z.optional(
    z.looseObject({
      controlUrl: z.optional(url),
      cdpUrl: z.optional(url),
      profiles: z.optional(z.record(z.string().check(z.regex(PROFILE_NAME_PATTERN)), browserProfile)),
    }),
  ),
  canvasHost: z.optional(
    z.looseObject({
      enabled: z.optional(z.boolean()),
      port: z.optional(port),
    }),
  ),
  agents: z.optional(
    z.looseObject({
      defaults: z.optional(z.looseObject({ workspace: z.optional(z.string().check(z.minLength(1))) })),
    }),
  ),
  /** Other profiles this gateway watches (the rescue bot watching main). "default" is the no-profile one. */
  watch: z.optional(
    z.looseObject({
      profiles: z.optional(z.array(z.string().check(z.regex(PROFILE_NAME_PATTERN)))),
      intervalMs: z.optional(z.int().check(z.minimum(200), z.maximum(3_600_000))),
      restart: z.optional(z.boolean()),
      maxRestartsPerHour: z.optional(z.int().check(z.minimum(1), z.maximum(60))),
      hungAfterChecks: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
      alerts: z.optional(z.array(alertSink)),
    }),
  ),
});

export type Config = z.infer<typeof ConfigSchema>;
export type AlertSink = z.infer<typeof alertSink>;

/** What each key accepts, in words, for schema errors. Keyed by the last path segment. */
const ALLOWED: Record<string, string> = {
  port: PORT_RANGE_WORDS,
  cdpPort: PORT_RANGE_WORDS,
  controlUrl: 'a URL such as "http://127.0.0.1:18791"',
  cdpUrl: 'a URL such as "http://127.0.0.1:18800"',
  bind: 'a non-empty address such as "127.0.0.1" or "loopback"',
  token: 'a string of at least 16 characters',
  enabled: 'true or false',
  workspace: 'a non-empty directory path',
  intervalMs: 'a whole number of milliseconds from 200 to 3600000',
  restart: 'true or false',
  maxRestartsPerHour: 'a whole number from 1 to 60',
  hungAfterChecks: 'a whole number of checks from 1 to 100',
  alerts: 'a list of sinks: { "type": "command", "command": "…" } or { "type": "webhook", "url": "https://…" }',
  type: '"command" or "webhook"',
  command: 'a command line, or a list of the program and its arguments',
  url: 'an http:// or https:// URL, such as "https://ntfy.sh/<topic>"',
  preset: '"json", "ntfy" or "slack"',
  minLevel: '"info", "warning" or "critical"',
  maxPerHour: 'a whole number from 1 to 3600',
  timeoutMs: 'a whole number of milliseconds from 100 to 120000',
  retries: 'a whole number from 0 to 10',
};

export interface SchemaProblem {
  /** Dotted key path, e.g. "gateway.port". */
  path: string;
  /** The offending value as JSON, or "missing". */
  value: string;
  allowed: string;
}

function valueAt(input: unknown, keys: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeExpected(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `a value of type ${issue.expected === 'int' ? 'whole number' : issue.expected}`;
  if (issue.code === 'too_small' || issue.code === 'too_big') return 'a value within the allowed range';
  if (issue.code === 'invalid_format') return `a valid ${issue.format}`;
  return 'a valid value';
}

export function describeIssue(issue: z.core.$ZodIssue, input: unknown): SchemaProblem {
  const keys = issue.path;
  const last = [...keys].reverse().find((k) => typeof k === 'string') as string | undefined;
  if (keys[0] === 'watch' && keys[1] === 'profiles' && keys.length === 3) {
    return { path: keys.map(String).join('.'), value: JSON.stringify(valueAt(input, keys)), allowed: 'a profile name (1–32 of a-z, 0-9, "-", "_"), or "default"' };
  }
  // A bad key name (record key regex) is reported on the key itself.
  const keyIssue = issue.code === 'invalid_key';
  const value = valueAt(input, keys);
  // A webhook URL may hold a secret (a token, an ntfy topic): never echo it.
  const shown = (v: unknown) =>
    keys[0] === 'watch' && keys[1] === 'alerts' ? (typeof v === 'string' && last === 'url' ? JSON.stringify(maskUrlValue(v)) : maskUrlsIn(JSON.stringify(v))) : JSON.stringify(v);
  return {
    path: keys.map(String).join('.') || '(top level)',
    value: keyIssue ? JSON.stringify(keys[keys.length - 1]) : value === undefined ? 'missing' : shown(value),
    allowed: keyIssue
      ? 'a browser profile name of a-z, 0-9, "-" and "_"'
      : (last !== undefined && ALLOWED[last]) || (issue.code === 'invalid_type' && issue.expected === 'object' ? 'an object ({ … })' : describeExpected(issue)),
  };
}

export type ValidateResult = { ok: true; config: Config } | { ok: false; problems: SchemaProblem[] };

export function validateConfig(input: unknown): ValidateResult {
  const result = ConfigSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, problems: result.error.issues.map((issue) => describeIssue(issue, input)) };
}
