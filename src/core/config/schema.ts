import * as z from 'zod/mini';
import { PROFILE_NAME_PATTERN, PROFILE_NAME_RULE } from '../profile/name';
import { BASE_PORT_RULE, DEFAULT_BASE, footprint, MAX_BASE, MAX_CONTROL_PORT, ROLE_LABEL, selfOverlaps, type PortSlot } from '../ports/footprint';
import { MAX_PORT, MIN_PORT, PORT_RANGE_WORDS } from '../ports/limits';
import { maskUrlsIn, maskUrlValue } from './url-secrets';
import { formatValue } from './json5';
import { formatKeyPath } from './keypath';
import { maskValue } from './secrets';
import { BIND_RULE, isBindValue, namesThisHost } from '../gateway/plan';
import { systemDirOf } from '../profile/paths';
import { MAX_TOKEN_LENGTH, MIN_TOKEN_LENGTH, TOKEN_CHARACTERS, TOKEN_RULE, stringOfLength, tokenCharacterFault } from './token';

// zod/mini, not classic zod: the CLI answers in ~60 ms instead of ~80 ms (README, "Speed").

/**
 * The one validation: what each key accepts, in words. The schema refuses with these
 * words, and doctor, setup and the gateway read every config through this schema, so
 * what one accepts the others accept.
 */
const CONTROL_URL_RULE = `an http:// URL on a port from ${MIN_PORT} to ${MAX_CONTROL_PORT}, such as "http://127.0.0.1:18791" (its CDP range, port+9 … port+108, must fit below ${MAX_PORT + 1})`;
export const CDP_URL_RULE = `an http://, https://, ws:// or wss:// URL such as "http://127.0.0.1:18800", on a real port (not 0; from ${MIN_PORT} on this host)`;
const WORKSPACE_RULE = 'a directory path (absolute, ~/…, or relative to the state dir), never / or a system directory such as /etc';
const WATCHED_RULE = `a profile name (${PROFILE_NAME_RULE}), or "default", each listed once`;
const SINK_RULE = '{ "type": "command", "command": "…" } or { "type": "webhook", "url": "https://…" }';
/** What a watched profile listed a second time must be instead: it meets WATCHED_RULE's name rule, so the words say where it already is. */
function listedAlready(name: string, at: number): string {
  return `another profile: ${JSON.stringify(name)} is already listed at ${problemPath(['watch', 'profiles', at])}`;
}
const WATCHED_LIST_RULE = `a list of profile names (${PROFILE_NAME_RULE}) or "default", each listed once, such as ["main"]`;

/** The port a URL names (or its scheme's default), null when it names none. */
function urlPort(url: URL): number | null {
  if (url.port !== '') return Number(url.port);
  return ({ 'http:': 80, 'ws:': 80, 'https:': 443, 'wss:': 443 } as Record<string, number>)[url.protocol] ?? null;
}

function parsedUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** browser.controlUrl: this profile's own browser control service, so an http port whose CDP range fits. */
export function isControlUrl(text: string): boolean {
  const url = parsedUrl(text);
  const port = url === null ? null : urlPort(url);
  return url !== null && url.protocol === 'http:' && port !== null && port >= MIN_PORT && port <= MAX_CONTROL_PORT;
}

/** A cdpUrl: a remote Chrome may listen on 443; one on this host is a user's process, so 1024 and up. */
export function isCdpUrl(text: string): boolean {
  const url = parsedUrl(text);
  if (url === null || !['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return false;
  const port = urlPort(url);
  // No upper bound to check: the URL parser refuses a port past 65535.
  if (port === null || port < 1) return false;
  return !namesThisHost(url.hostname) || port >= MIN_PORT;
}

/** A workspace as written: a path that is not, as written, the root or a system directory (the disk is checked again, through symlinks). */
export function isWorkspaceText(text: string): boolean {
  return text.trim() !== '' && !text.includes('\0') && !(text.startsWith('/') && systemDirOf(text) !== null);
}

// abort: a refused value never reaches the footprint check below. Ranges, lengths and patterns as zod
// checks (not refinements) wherever they can be, so the JSON Schema editors get (`config schema`) shows them.
const ABORT = { abort: true } as const;
const refined = <T>(ok: (value: T) => boolean, rule: string) => z.refine<T>(ok, { message: rule, abort: true });

/** What every alert sink takes besides its target (defaults: SINK_DEFAULTS in core/watch/alerts.ts). */
function sinkOptions() {
  return {
    minLevel: z.optional(z.enum(['info', 'warning', 'critical'])),
    maxPerHour: z.optional(z.int().check(z.minimum(1), z.maximum(3600))),
    timeoutMs: z.optional(z.int().check(z.minimum(100), z.maximum(120_000))),
    retries: z.optional(z.int().check(z.minimum(0), z.maximum(10))),
  };
}

/** Where the rescue tells someone: a command (the event on stdin and in EPILOOP_EVENT_*), or an HTTP(S) webhook. */
function alertSinkSchema() {
  const options = sinkOptions();
  return z.discriminatedUnion('type', [
    z.looseObject({
      type: z.literal('command'),
      command: z.union([z.string().check(z.minLength(1)), z.array(z.string()).check(z.minLength(1))]),
      ...options,
    }),
    z.looseObject({
      type: z.literal('webhook'),
      url: z.url({ protocol: /^https?$/ }),
      preset: z.optional(z.enum(['json', 'ntfy', 'slack'])),
      ...options,
    }),
  ]);
}

/** The key a self-overlap is fixed at: the pin that put its later role there. */
function pinKeys(slot: PortSlot, config: { canvasHost?: { port?: number | undefined } | undefined }): PropertyKey[] {
  if (slot.role === 'cdp-pinned') return ['browser', 'profiles', slot.detail!, 'cdpPort'];
  if (slot.role === 'canvas' && config.canvasHost?.port !== undefined) return ['canvasHost', 'port'];
  // The rest moved only because browser control was pinned: its range moves with it.
  return ['browser', 'controlUrl'];
}

/** Loose objects everywhere: keys we do not know are the user's and survive every write. */
function buildConfigSchema() {
  const port = z.int().check(z.minimum(MIN_PORT, ABORT), z.maximum(MAX_PORT, ABORT));
  const cdpUrl = z.url(ABORT).check(refined(isCdpUrl, CDP_URL_RULE));
  const browserProfile = z.looseObject({
    cdpPort: z.optional(port),
    cdpUrl: z.optional(cdpUrl),
  });
  return z
    .looseObject({
      gateway: z.optional(
        z.looseObject({
          port: z.optional(z.int().check(z.minimum(MIN_PORT, ABORT), z.maximum(MAX_BASE, ABORT))),
          bind: z.optional(z.string().check(z.minLength(1, ABORT), refined(isBindValue, BIND_RULE))),
          auth: z.optional(
            z.looseObject({ token: z.optional(z.string().check(z.minLength(MIN_TOKEN_LENGTH, ABORT), z.maxLength(MAX_TOKEN_LENGTH, ABORT), z.regex(TOKEN_CHARACTERS, ABORT))) }),
          ),
        }),
      ),
      browser: z.optional(
        z.looseObject({
          controlUrl: z.optional(z.url(ABORT).check(refined(isControlUrl, CONTROL_URL_RULE))),
          cdpUrl: z.optional(cdpUrl),
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
          defaults: z.optional(z.looseObject({ workspace: z.optional(z.string().check(z.minLength(1, ABORT), refined(isWorkspaceText, WORKSPACE_RULE))) })),
        }),
      ),
      /** Other profiles this gateway watches (the rescue bot watching main). "default" is the no-profile one. */
      watch: z.optional(
        z.looseObject({
          profiles: z.optional(
            z.array(z.string().check(z.regex(PROFILE_NAME_PATTERN))).check(
              z.superRefine((names, ctx) => {
                // A set of the names seen, not a search of the list per name: 20,000 entries took seconds.
                const first = new Map<string, number>();
                names.forEach((name, i) => {
                  const at = first.get(name);
                  if (at !== undefined) ctx.addIssue({ code: 'custom', message: listedAlready(name, at), path: [i], input: name });
                  else first.set(name, i);
                });
              }),
            ),
          ),
          intervalMs: z.optional(z.int().check(z.minimum(200), z.maximum(3_600_000))),
          restart: z.optional(z.boolean()),
          maxRestartsPerHour: z.optional(z.int().check(z.minimum(1), z.maximum(60))),
          hungAfterChecks: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
          /** "auto": the watcher itself restores a watched profile's last-known-good config, once per bad config. */
          rollback: z.optional(z.enum(['off', 'auto'])),
          alerts: z.optional(z.array(alertSinkSchema())),
        }),
      ),
      /** The gateway's own log (gateway.log in the state dir): rotated past maxFileBytes, keepFiles older files kept. */
      logs: z.optional(
        z.looseObject({
          maxFileBytes: z.optional(z.int().check(z.minimum(4096), z.maximum(1024 * 1024 * 1024))),
          keepFiles: z.optional(z.int().check(z.minimum(1), z.maximum(50))),
        }),
      ),
    })
    .check(
      // The footprint the config's own base gives must not run into itself (the canvas pinned on the base).
      z.superRefine((config, ctx) => {
        const fp = footprint(config, config.gateway?.port ?? DEFAULT_BASE);
        const byKey = new Map<string, { keys: PropertyKey[]; port: number; clear: string[] }>();
        for (const overlap of selfOverlaps(fp)) {
          const keys = pinKeys(overlap.pinned, config);
          const entry = byKey.get(keys.join('.')) ?? { keys, port: overlap.port, clear: [] };
          const inRange = overlap.first.role === 'cdp';
          // Blamed on browser control when its CDP range moved over another role; else on the role that moved.
          entry.clear.push(inRange && keys[1] === 'controlUrl' ? `${roleWords(overlap.pinned)} ${overlap.port}` : inRange ? `the CDP range ${fp.cdp.from}–${fp.cdp.to}` : `${roleWords(overlap.first)} ${overlap.port}`);
          byKey.set(keys.join('.'), entry);
        }
        for (const { keys, port, clear } of byKey.values()) {
          const what = keys[1] === 'controlUrl' ? 'a browser control port whose CDP range (port+9 … port+108) and own port stay clear of' : 'a port clear of';
          ctx.addIssue({ code: 'custom', message: `${what} this profile's other roles: here ${clear.join(' and ')}`, path: keys, input: port });
        }
      }),
    );
}

type ConfigSchemaType = ReturnType<typeof buildConfigSchema>;
let built: ConfigSchemaType | undefined;

/**
 * The one schema, built on its first use: every start imports this module (through the
 * questions table's rules), and zod's construction of it costs about as much CPU as the
 * rest of `--version`; a command that validates nothing never pays it.
 */
export function configSchema(): ConfigSchemaType {
  return (built ??= buildConfigSchema());
}

function roleWords(slot: PortSlot): string {
  return slot.role === 'cdp-pinned' ? `browser profile "${slot.detail}"'s CDP port` : `the ${ROLE_LABEL[slot.role]}`;
}

export type Config = z.infer<ConfigSchemaType>;
export type AlertSink = z.infer<ReturnType<typeof alertSinkSchema>>;

/**
 * What each key accepts, in words, for type errors (a refused value carries its rule as the message). By path first
 * (a list's item as "[]": one sink, not the list), then by the last segment.
 */
const ALLOWED_AT: Record<string, string> = {
  'gateway.port': BASE_PORT_RULE,
  'watch.alerts[]': `a sink: ${SINK_RULE}`,
  'browser.profiles': 'an object of browser profiles by name, such as { "work": { "cdpPort": 18800 } }',
  'watch.profiles': WATCHED_LIST_RULE,
};
const ALLOWED: Record<string, string> = {
  port: PORT_RANGE_WORDS,
  cdpPort: PORT_RANGE_WORDS,
  controlUrl: CONTROL_URL_RULE,
  cdpUrl: CDP_URL_RULE,
  bind: BIND_RULE,
  token: TOKEN_RULE,
  enabled: 'true or false',
  workspace: WORKSPACE_RULE,
  intervalMs: 'a whole number of milliseconds from 200 to 3600000',
  restart: 'true or false',
  maxRestartsPerHour: 'a whole number from 1 to 60',
  hungAfterChecks: 'a whole number of checks from 1 to 100',
  rollback: '"off" or "auto"',
  alerts: `a list of sinks: ${SINK_RULE}`,
  type: '"command" or "webhook"',
  command: 'a command line, or a list of the program and its arguments',
  url: 'an http:// or https:// URL, such as "https://ntfy.sh/<topic>"',
  preset: '"json", "ntfy" or "slack"',
  minLevel: '"info", "warning" or "critical"',
  maxPerHour: 'a whole number from 1 to 3600',
  timeoutMs: 'a whole number of milliseconds from 100 to 120000',
  retries: 'a whole number from 0 to 10',
  maxFileBytes: 'a whole number of bytes from 4096 to 1073741824 (1 GiB)',
  keepFiles: 'a whole number of files from 1 to 50',
};

export interface SchemaProblem {
  /** Dotted key path, e.g. "gateway.port". */
  path: string;
  /** The offending value as JSON, or "missing"; a token's value never: only its length. */
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

/** A secret, valid or not, is shown by its shape only (and the kind of a character it may not hold): a rejected token may be most of a real one. */
function secretShape(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value !== 'string') return `a value of type ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`;
  const fault = tokenCharacterFault(value);
  return `${stringOfLength(value.length)}${fault === null ? '' : ` with ${fault}`}`;
}

/**
 * A problem's key path as config set takes it (formatKeyPath): "watch.alerts[0].url", `plugins["a.b"]`,
 * so that no two key paths read the same and the one printed can be given back.
 */
export function problemPath(keys: readonly PropertyKey[]): string {
  return formatKeyPath(keys.map((k) => (typeof k === 'symbol' ? String(k) : k)));
}

/** A key path as ALLOWED_AT names it: "watch.alerts[]" for every item of the list. */
function shapeOf(keys: readonly PropertyKey[]): string {
  return keys.map((k) => (typeof k === 'number' ? '[]' : `.${String(k)}`)).join('').replace(/^\./, '');
}

export function describeIssue(issue: z.core.$ZodIssue, input: unknown): SchemaProblem {
  const keys = issue.path;
  // The last key the schema names: no list index, and no browser profile's name (a profile may be called "port").
  const last = keys.findLast((k, i) => typeof k === 'string' && !(i === 2 && keys[0] === 'browser' && keys[1] === 'profiles')) as string | undefined;
  const value = valueAt(input, keys);
  if (keys[0] === 'watch' && keys[1] === 'profiles' && keys.length === 3) {
    return { path: problemPath(keys), value: formatValue(value), allowed: issue.code === 'custom' && issue.message !== '' ? issue.message : WATCHED_RULE };
  }
  // A bad key name (record key regex) is reported on the key itself. A refinement carries its rule as
  // its message; one without words falls back to the key's rule, never to an empty "but must be ".
  const keyIssue = issue.code === 'invalid_key';
  // A webhook URL may hold a secret (a token, an ntfy topic): never echo it; a token is never echoed either.
  // A command's arguments may hold a key or a PIN: shown by its program, as config get shows it.
  const shownValue = (v: unknown) =>
    keys[0] === 'watch' && keys[1] === 'alerts' ? (typeof v === 'string' && last === 'url' ? JSON.stringify(maskUrlValue(v)) : maskUrlsIn(formatValue(maskValue(v, last)))) : formatValue(v);
  const shown = keyIssue ? JSON.stringify(keys[keys.length - 1]) : last === 'token' ? secretShape(value) : value === undefined ? 'missing' : shownValue(value);
  return {
    path: problemPath(keys) || '(top level)',
    value: shown,
    allowed: keyIssue
      ? `a browser profile name (${PROFILE_NAME_RULE})`
      : issue.code === 'custom' && issue.message !== ''
        ? issue.message
        : ALLOWED_AT[shapeOf(keys)] ?? ((last !== undefined && ALLOWED[last]) || (issue.code === 'invalid_type' && issue.expected === 'object' ? 'an object ({ … })' : describeExpected(issue))),
  };
}

/** Why a "__proto__" key is refused where no name rule applies: a key JavaScript reads as an object's prototype. */
export const PROTO_KEY_RULE = 'a key other than "__proto__" (JavaScript reads it as an object\'s prototype, so epiloop cannot check or keep it)';

/**
 * An issue for every own "__proto__" key in the input, at any depth. JSON5 reads one as an
 * ordinary key, but zod skips it in records and objects alike, so without this a browser
 * profile called "__proto__" was never checked. As a browser profile it breaks the name
 * rule (as "_x" does); anywhere else it is refused by PROTO_KEY_RULE.
 */
function protoKeyIssues(input: unknown): z.core.$ZodIssue[] {
  const issues: z.core.$ZodIssue[] = [];
  // A stack, not recursion: a hostile file may nest deep.
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: input, path: [] }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path } = next;
    if (value === null || typeof value !== 'object') continue;
    if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) {
      const at = [...path, '__proto__'];
      const profileName = path.length === 2 && path[0] === 'browser' && path[1] === 'profiles';
      issues.push(
        profileName
          ? ({ code: 'invalid_key', origin: 'record', issues: [], input: '__proto__', path: at, message: '' } as z.core.$ZodIssue)
          : ({ code: 'custom', input: (value as Record<string, unknown>)['__proto__'], path: at, message: PROTO_KEY_RULE } as z.core.$ZodIssue),
      );
    }
    for (const [key, child] of Object.entries(value)) if (key !== '__proto__') stack.push({ value: child, path: [...path, Array.isArray(value) ? Number(key) : key] });
  }
  return issues;
}

export type CheckResult = { success: true; data: Config } | { success: false; issues: z.core.$ZodIssue[] };

/** The schema's verdict on a config as read, "__proto__" keys included (zod alone never sees them). Pure. */
export function checkConfig(input: unknown): CheckResult {
  const result = configSchema().safeParse(input);
  const proto = protoKeyIssues(input);
  if (result.success && proto.length === 0) return { success: true, data: result.data };
  return { success: false, issues: [...proto, ...(result.success ? [] : result.error.issues)] };
}

export type ValidateResult = { ok: true; config: Config } | { ok: false; problems: SchemaProblem[] };

export function validateConfig(input: unknown): ValidateResult {
  const result = checkConfig(input);
  if (result.success) return { ok: true, config: result.data };
  // One problem per key, the first zod finds (as doctor's stripInvalid counts them): zod still measures a value
  // of the wrong type (a list's length against a token's limits), which said the same problem twice.
  const seen = new Set<string>();
  const first = result.issues.filter((issue) => {
    const key = issue.path.map(String).join('.');
    return !seen.has(key) && seen.add(key) !== undefined;
  });
  return { ok: false, problems: first.map((issue) => describeIssue(issue, input)) };
}
