/** What this host is called, for a server bound to every interface (read by the caller: os.networkInterfaces, os.hostname). */
export interface HostNames {
  addresses: readonly string[];
  hostname: string;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::']);
const LOOPBACK_BINDS = new Set(['127.0.0.1', '::1']);

/** An address as it stands in a Host header: IPv6 in brackets. Link-local IPv6 needs a zone, which no Host header carries. */
function hostForm(address: string): string | null {
  if (!address.includes(':')) return address;
  return /^fe80:/i.test(address) ? null : `[${address.toLowerCase()}]`;
}

/**
 * The Host values a gateway server on `port` answers to: the loopback names always; the bind
 * address when it is another one; for a wildcard bind, this host's addresses and name. Any
 * other Host is a page on a name that was made to resolve here (DNS rebinding), refused.
 */
export function allowedHosts(port: number, bind: string, names?: HostNames): string[] {
  const hosts = [...LOOPBACK_NAMES];
  if (WILDCARDS.has(bind)) {
    for (const address of names?.addresses ?? []) hosts.push(hostForm(address) ?? '');
    if (names?.hostname) hosts.push(names.hostname.toLowerCase());
  } else if (!LOOPBACK_BINDS.has(bind)) hosts.push(hostForm(bind) ?? '');
  return [...new Set(hosts.filter((host) => host !== ''))].map((host) => `${host}:${port}`);
}

export function isAllowedHost(host: string | undefined, allowed: readonly string[]): boolean {
  return host !== undefined && allowed.includes(host.toLowerCase());
}

/** No Origin: a client that is not a browser (the CLI, a script), which the token alone admits. */
export function isAllowedOrigin(origin: string | undefined, allowed: readonly string[]): boolean {
  return origin === undefined || allowed.some((host) => origin.toLowerCase() === `http://${host}`);
}

/** "127.0.0.1:18789, localhost:18789 or [::1]:18789". */
export function listHosts(allowed: readonly string[]): string {
  return allowed.length === 1 ? allowed[0]! : `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;
}
