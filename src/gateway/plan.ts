import net from 'node:net';
import { HostError } from '../errors';
import type { Footprint, PortRole } from '../ports/footprint';
import { ROLE_LABEL } from '../ports/footprint';
import { describeClaim, type Claim } from '../ports/overlap';

/** A port the gateway process listens on itself (CDP ports belong to the browsers it starts). */
export interface Listening {
  role: Extract<PortRole, 'gateway' | 'browser-control' | 'canvas'>;
  port: number;
}

/** gateway.bind → the address to listen on. Loopback unless the user opened it up on purpose. */
export function bindHost(bind: string | undefined): string {
  if (bind === undefined || bind === 'loopback' || bind === 'localhost') return '127.0.0.1';
  if (bind === 'lan' || bind === 'all') return '0.0.0.0';
  if (net.isIP(bind) !== 0) return bind;
  throw new HostError(`gateway.bind is "${bind}": use "loopback" (the default), "lan" or "all" (every interface), or an IP address of this host.`);
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

/** One line per port the gateway would listen on that another profile reserves: "21002 (gateway) is inside main's browser control". */
export function claimConflicts(plan: readonly Listening[], claims: ReadonlyMap<number, readonly Claim[]>): string[] {
  return plan.flatMap(({ role, port }) => {
    const holders = claims.get(port);
    return holders?.length ? [`${port} (${ROLE_LABEL[role]}) is inside ${holders.map(describeClaim).join(' and ')}`] : [];
  });
}
