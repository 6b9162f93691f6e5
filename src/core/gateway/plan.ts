import { HostError } from '../errors';
import type { BaseSource, Footprint, PortRole, ResolvedBase } from '../ports/footprint';
import { compactPorts, describeClaim, type Claim } from '../ports/overlap';
import { buildPortMap, factsFrom } from '../ports/portmap';

/** A port the gateway process listens on itself (CDP ports belong to the browsers it starts). */
export interface Listening {
  role: Extract<PortRole, 'gateway' | 'browser-control' | 'canvas'>;
  port: number;
}

export const BIND_RULE =
  '"loopback" (the default), "lan" or "all" (every interface), or an IP address of this host (an IPv4 one as IPv4: 127.0.0.1, not ::ffff:127.0.0.1)';

/** An IP address as Node reads one; node:net loads only when a bind is an address, not on every start. */
function isIP(text: string): boolean {
  return process.getBuiltinModule('node:net').isIP(text) !== 0;
}

/**
 * An IPv4 address mapped into IPv6 (::ffff:127.0.0.1, ::ffff:7f00:1): the WHATWG URL parser
 * normalizes every spelling to [::ffff:hhhh:hhhh]. Refused as a bind: one address with two
 * spellings would be judged as IPv6 (reach, interfaces) and seen as IPv4 (its Host header).
 */
function isMappedIPv4(address: string): boolean {
  if (!address.includes(':')) return false;
  try {
    return /^\[::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}\]$/.test(new URL(`http://[${address}]/`).hostname);
  } catch {
    return false;
  }
}

/** What gateway.bind may be: the schema and the gateway ask this one function. */
export function isBindValue(bind: string): boolean {
  return bind === 'loopback' || bind === 'localhost' || bind === 'lan' || bind === 'all' || (isIP(bind) && !isMappedIPv4(bind));
}

/**
 * An IPv6 address written as a URL writes it ("[::1]", "[::1]:18789"), which gateway.bind
 * refuses: the way to write it, with the command; null for anything else.
 */
export function bracketedBindHint(bind: unknown, invocation: string): string | null {
  const match = typeof bind === 'string' ? /^\[([^\]]+)\](:\d+)?$/.exec(bind) : null;
  if (match === null || !match[1]!.includes(':') || !isIP(match[1]!)) return null;
  const port = match[2] === undefined ? '' : ', and no port (gateway.port sets it)';
  return `Write an IPv6 address without brackets${port}: ${invocation} config set gateway.bind ${match[1]}`;
}

/** gateway.bind → the address to listen on. Loopback unless the user opened it up on purpose. */
export function bindHost(bind: string | undefined): string {
  if (bind === undefined || bind === 'loopback' || bind === 'localhost') return '127.0.0.1';
  if (bind === 'lan' || bind === 'all') return '0.0.0.0';
  if (isBindValue(bind)) return bind;
  throw new HostError(`gateway.bind is "${bind}": use ${BIND_RULE}.`);
}

/** Whether this host can listen on `address` (bindHost's answer), given its interfaces' addresses: the wildcards, 127/8 and ::1 always. */
export function isAddressOfHost(address: string, addresses: readonly string[]): boolean {
  if (address === '0.0.0.0' || address === '::' || isLoopbackHost(address)) return true;
  const lower = address.toLowerCase();
  return addresses.some((a) => a.toLowerCase() === lower);
}

/** The command that sets the safe gateway.bind: every fix of a bind this host has no interface for names it. */
export function bindFixCommand(invocation: string): string {
  return `${invocation} config set gateway.bind loopback`;
}

/** The fix for a gateway.bind this host has no interface for: the words it may say instead, and the command that sets the safe one. */
export function bindAddressFix(invocation: string, addresses: readonly string[]): string {
  // Loopback is offered by name; a link-local IPv6 needs a zone that gateway.bind cannot carry.
  const others = addresses.filter((a) => !isLoopbackHost(a) && !/^fe80:/i.test(a));
  const choices = others.length > 0 ? `"loopback", "lan", or one of: ${others.join(', ')}` : '"loopback" or "lan"';
  return `set gateway.bind to an address of this host (${choices}): ${bindFixCommand(invocation)}`;
}

/**
 * A gateway.bind written that names no address of this host (isAddressOfHost, as doctor): config set and the wizard say it: a
 * warning, not a refusal (the address may come up later), with the fix the start's refusal names.
 */
export function bindAddressWarning(bind: unknown, addresses: readonly string[], invocation: string): string | null {
  if (typeof bind !== 'string' || !isBindValue(bind) || isAddressOfHost(bindHost(bind), addresses)) return null;
  return `! gateway.bind ${JSON.stringify(bind)} is not an address of this host: the gateway will refuse to start with it. Fix: ${bindAddressFix(invocation, addresses)}`;
}

/**
 * What other machines meet on a gateway that reaches them, as the gateway does it (runtime: GET /health
 * answers anyone; the WebSocket, browser control and canvas demand the token): config set and the wizard say it.
 */
export function openPortsDemand(would = false): string {
  return `every port but /health ${would ? 'would demand' : 'demands'} the token`;
}

/** Who can reach a gateway: this machine only, or the network too (then every server it opens but /health demands the token: openPortsDemand). */
export type GatewayReach = 'loopback' | 'lan';

export function isLoopbackHost(host: string): boolean {
  return host === '::1' || host.startsWith('127.');
}

/** gateway.bind in words: "loopback", "lan" (any address other machines may reach), or null for one bindHost refuses. */
export function bindReach(bind: string | undefined): GatewayReach | null {
  try {
    return isLoopbackHost(bindHost(bind)) ? 'loopback' : 'lan';
  } catch {
    return null;
  }
}

// Every spelling of this host a URL normalizes to: localhost (also fully qualified), 127/8, ::1, the any-addresses, and 127/8 mapped into IPv6 ([::ffff:7fxx:xxxx]).
const THIS_HOST = /^(localhost\.?|127(\.\d{1,3}){3}|\[::1\]|::1|0\.0\.0\.0|\[::\]|::|\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\])$/i;

/** Whether a URL's hostname reaches this host: the schema's cdpUrl rule and doctor's endpoint conflicts ask this one function. */
export function namesThisHost(hostname: string): boolean {
  return THIS_HOST.test(hostname);
}

/** Where a client on this host reaches a server bound to `host`: a wildcard is reached on loopback. */
export function clientHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

export function urlOf(host: string, port: number): string {
  // Only an IPv6 literal holds a colon; net.isIPv6 would compile a large regex on the start-up path.
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function listenPlan(fp: Footprint): Listening[] {
  const plan: Listening[] = [
    { role: 'gateway', port: fp.gateway },
    { role: 'browser-control', port: fp.browserControl },
  ];
  if (fp.canvas !== null) plan.push({ role: 'canvas', port: fp.canvas });
  return plan;
}

/**
 * One line per role of this footprint and another profile's role it runs into, with the ports:
 * "CDP range 18800–18810 is inside main's CDP range". The whole footprint counts, not only
 * the three ports the gateway binds: a browser it starts would take a CDP port another
 * profile reserves.
 */
export function footprintConflicts(fp: Footprint, claims: ReadonlyMap<number, readonly Claim[]>): string[] {
  return buildPortMap(fp, false, factsFrom(null, claims)).flatMap((row) => {
    const portsByClaim = new Map<string, number[]>();
    for (const { port, claims: holders } of row.claimed) {
      for (const claim of holders) {
        const whose = describeClaim(claim);
        portsByClaim.set(whose, [...(portsByClaim.get(whose) ?? []), port]);
      }
    }
    return [...portsByClaim].map(([whose, ports]) => `${row.label} ${compactPorts(ports)} is inside ${whose}`);
  });
}

export interface BaseFixInput {
  /** Where the refused base came from. */
  source: BaseSource;
  invocation: string;
  /** The base the config gives (or the default), and whether its footprint is clear of other profiles. */
  own: ResolvedBase & { clear: boolean };
  /** A free base to offer, when one was looked for. */
  free: number | null;
}

/**
 * How to get a usable base, in words. A base from --port or EPILOOP_GATEWAY_PORT is fixed
 * where it came from: rewriting the config (onboard, doctor --fix) would not change it.
 */
export function baseFix({ source, invocation, own, free }: BaseFixInput): string {
  const move = `move this profile to a free base with "${invocation} onboard" (or "${invocation} doctor --fix")`;
  if (source === 'config' || source === 'default') return move;
  const [drop, set] = source === '--port' ? ['drop --port', `--port ${free}`] : ['unset EPILOOP_GATEWAY_PORT', `EPILOOP_GATEWAY_PORT=${free}`];
  const ownWords = `${own.source === 'config' ? "the config's" : 'the default'} base ${own.port}`;
  const ways: string[] = [];
  if (own.clear) ways.push(`${drop} to use ${ownWords}`);
  // The proposal often is the config's own base: offered once, as dropping the override.
  if (free !== null && !(own.clear && free === own.port)) ways.push(`pick a free base: ${set}`);
  if (!own.clear) ways.push(`${drop} after moving ${ownWords}, which collides too, with "${invocation} onboard" or "${invocation} doctor --fix"`);
  return ways.join(', or ');
}
