/** One listening TCP socket, as the kernel lists it in /proc/net/tcp and /proc/net/tcp6. */
export interface Listener {
  port: number;
  /** Text form: '127.0.0.1', '0.0.0.0', '::1', '::', '::ffff:1.2.3.4'. */
  address: string;
  family: 4 | 6;
  /** The socket's inode; findOwners maps it to the process that holds it. */
  inode: number;
}

const LISTEN_STATE = '0A';
/** No other field of a line is the two characters 0A alone (the rest are longer hex, a:b pairs or decimals). */
const LISTEN_FIELD = /\s0A\s/;
const HEX_ADDRESS = { 4: /^[0-9A-F]{8}$/i, 6: /^[0-9A-F]{32}$/i } as const;
const HEX_PORT = /^[0-9A-F]{4}$/i;

/** The LISTEN sockets in the text of /proc/net/tcp (family 4) or /proc/net/tcp6 (family 6). */
export function parseProcNetTcp(text: string, family: 4 | 6): Listener[] {
  const listeners: Listener[] = [];
  for (const line of text.split('\n')) {
    // Most lines of a busy host are connections: a state field "0A" is looked for before any line is split.
    if (!LISTEN_FIELD.test(line)) continue;
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
    const fields = line.trim().split(/\s+/);
    if (fields[3] !== LISTEN_STATE) continue;
    const [hexAddress = '', hexPort = ''] = (fields[1] ?? '').split(':');
    const inode = Number(fields[9]);
    if (!HEX_ADDRESS[family].test(hexAddress) || !HEX_PORT.test(hexPort) || !Number.isSafeInteger(inode)) continue;
    const bytes = addressBytes(hexAddress);
    listeners.push({
      port: parseInt(hexPort, 16),
      address: family === 4 ? bytes.join('.') : formatIPv6(bytes),
      family,
      inode,
    });
  }
  return listeners;
}

/** The kernel prints each 32-bit word of an address with %08X in host order, little-endian here. */
function addressBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8) {
    for (let at = word + 6; at >= word; at -= 2) bytes.push(parseInt(hex.slice(at, at + 2), 16));
  }
  return bytes;
}

/** RFC 5952 text form: lower case, no leading zeros, the longest run of zero groups as '::'. */
function formatIPv6(bytes: number[]): string {
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  let runStart = -1;
  let runLength = 1; // a single zero group is written as '0', not '::'
  for (let start = 0; start < 8; ) {
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > runLength) [runStart, runLength] = [start, end - start];
    start = Math.max(end, start + 1);
  }
  const text = groups.map((group) => group.toString(16));
  if (runStart < 0) return text.join(':');
  return `${text.slice(0, runStart).join(':')}::${text.slice(runStart + runLength).join(':')}`;
}

/** Who holds a port, and the process when /proc tells us. */
export interface PortHolder {
  /** The listener's address from /proc, or, when only a bind showed the port busy, the host that refused. */
  address: string;
  pid?: number;
  /** /proc/<pid>/comm, e.g. 'node' or 'nginx'. */
  command?: string;
  /** The profile whose running gateway this pid is (attributed by the host model), so messages name it. */
  gateway?: string;
  /** The profile whose gateway started this process (a browser), so messages name it. */
  browserOf?: string;
}

export type PortState = { state: 'free' } | { state: 'bound'; holders: PortHolder[] };

/** The host's TCP listeners at one moment; callers check thousands of ports against `bound` for free. */
export interface ListenerSnapshot {
  bound: ReadonlySet<number>;
  listeners: readonly Listener[];
  /** Both /proc tables were read: every TCP listener of this network namespace is listed. */
  complete: boolean;
}
