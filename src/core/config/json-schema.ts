/**
 * The config's JSON Schema, for editors (completion, hover, checks): generated from the zod
 * schema, so it can never disagree with what epiloop accepts, plus a line of words per key.
 * Unknown keys stay allowed (additionalProperties), as they are kept by every write. Pure.
 */
import * as z from 'zod/mini';
import { MAX_CONTROL_PORT } from '../ports/footprint';
import { MIN_PORT } from '../ports/limits';
import { PROFILE_NAME_RULE } from '../profile/name';
import { configSchema } from './schema';
import { MAX_TOKEN_LENGTH, MIN_TOKEN_LENGTH } from './token';

/** Dotted paths; "*" stands for any name (a browser profile). */
const DESCRIPTIONS: Record<string, string> = {
  '': 'An epiloop gateway profile\'s config (JSON5: comments and trailing commas allowed). Keys epiloop does not know are kept.',
  $schema: 'Where an editor finds this schema (epiloop ignores the key).',
  gateway: 'The gateway: its base port, address and auth token.',
  'gateway.port': 'The base port: the gateway listens here, browser control on base + 2, the canvas host on base + 4, browser CDP ports on base + 11 … base + 110. Default 18789.',
  'gateway.bind': 'Where to listen: "loopback" or "localhost" (127.0.0.1, the default), "lan" or "all" (every interface), or an IP address.',
  'gateway.auth': 'How clients prove they may talk to the gateway.',
  'gateway.auth.token': `The token the WebSocket and browser control require (${MIN_TOKEN_LENGTH} to ${MAX_TOKEN_LENGTH} visible ASCII characters, no spaces). Keep this file at mode 0600.`,
  browser: 'Browsers the gateway drives over CDP.',
  'browser.controlUrl': `Pins browser control to this URL's port instead of base + 2: an http:// URL on a port from ${MIN_PORT} to ${MAX_CONTROL_PORT}, so that its CDP range (port + 9 … port + 108) fits.`,
  'browser.cdpUrl': 'A remote Chrome (its CDP URL) for the default browser profile.',
  'browser.profiles': `Browser profiles by name (${PROFILE_NAME_RULE}).`,
  'browser.profiles.*': 'One browser profile: a local Chrome on a CDP port, or a remote one.',
  'browser.profiles.*.cdpPort': 'Pins this profile\'s CDP port; without it the profile takes a free port of the CDP range.',
  'browser.profiles.*.cdpUrl': 'A remote Chrome (its CDP URL) for this browser profile.',
  canvasHost: 'The canvas host: serves <workspace>/canvas.',
  'canvasHost.enabled': 'Run the canvas host (default true).',
  'canvasHost.port': 'Pins the canvas host to this port instead of base + 4.',
  agents: 'Settings of the gateway\'s agents.',
  'agents.defaults': 'Defaults for every agent.',
  'agents.defaults.workspace': 'The agents\' workspace: an absolute path, ~/…, or a path relative to the state dir.',
  watch: 'Other profiles this gateway watches: the rescue gateway watching main.',
  'watch.profiles': 'The profiles to watch ("default" is the profile without --profile).',
  'watch.intervalMs': 'How often to check each watched profile, in milliseconds (200 … 3600000, default 10000).',
  'watch.restart': 'Restart a watched profile through its service when it is down twice in a row (default false).',
  'watch.maxRestartsPerHour': 'At most this many such restarts per hour (1 … 60, default 3).',
  logs: 'The gateway\'s own log, gateway.log in the state dir: one JSON event per line, rotated by size.',
  'logs.maxFileBytes': 'Rotate gateway.log before it grows past this many bytes (4096 … 1073741824, default 5242880).',
  'logs.keepFiles': 'How many rotated files to keep: gateway.log.1 … gateway.log.N (1 … 50, default 3).',
  'watch.rollback': '"auto": restore a watched profile\'s last-known-good config itself when a changed config keeps it down, once per bad config (default "off").',
};

type SchemaNode = Record<string, unknown> & { properties?: Record<string, SchemaNode>; additionalProperties?: unknown };

function describe(node: SchemaNode, path: string): void {
  const words = DESCRIPTIONS[path];
  if (words !== undefined) node.description = words;
  for (const [key, child] of Object.entries(node.properties ?? {})) describe(child, path === '' ? key : `${path}.${key}`);
  const each = node.additionalProperties;
  if (each !== null && typeof each === 'object' && 'properties' in each) describe(each as SchemaNode, `${path}.*`);
}

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema(), { io: 'input' }) as SchemaNode;
  schema.title = 'epiloop config';
  schema.properties = { $schema: { type: 'string' }, ...schema.properties };
  describe(schema, '');
  return schema;
}
