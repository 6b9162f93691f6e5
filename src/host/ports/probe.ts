import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parseProcNetTcp, type Listener } from '../../core/ports/listeners';
import type { PortHolder, PortState, ListenerSnapshot } from '../../core/ports/listeners';

/** bindProbe's name for Node's default host: '::' dual-stack, or '0.0.0.0' on a host without IPv6. */
export const DEFAULT_HOST = '*';

/** Together these catch IPv4-only, IPv6-only and wildcard listeners on Linux and macOS alike. */
export const PROBE_HOSTS: readonly string[] = [DEFAULT_HOST, '0.0.0.0', '127.0.0.1', '::1'];

const REFUSED = new Set(['EADDRINUSE', 'EACCES']);
const HOST_ABSENT = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EINVAL']);
const MACOS_EPHEMERAL = { from: 49152, to: 65535 };
/**
 * Another command's probe holds a port for a moment: a refused port is tried again after
 * these waits, and called busy only when every try is refused.
 */
const RETRY_MS = [20, 60];
/** findOwners gives the event loop a turn this often, so a drawn UI stays live. */
const SLICE_MS = 5;
const PAGE = 4096;
/** Lines of /proc/net/tcp6 are 178 bytes, of /proc/net/tcp 150. */
const LONGEST_LINE = 256;

/** Reads /proc/net/tcp and /proc/net/tcp6 once each. Without /proc the snapshot is empty. */
export async function snapshotListeners(): Promise<ListenerSnapshot> {
  const [tcp, tcp6] = await Promise.all([readSocketTable('/proc/net/tcp'), readSocketTable('/proc/net/tcp6')]);
  const listeners = [...parseProcNetTcp(tcp, 4), ...parseProcNetTcp(tcp6, 6)];
  return { bound: new Set(listeners.map((listener) => listener.port)), listeners, complete: tcp !== '' && tcp6 !== '' };
}

/**
 * Tries to listen on every port on every host, closing each server at once.
 * Returns the busy ports, each with the hosts that refused it; free ports are absent.
 */
export async function bindProbe(
  ports: readonly number[],
  options: { hosts?: string[]; concurrency?: number; retry?: boolean } = {},
): Promise<Map<number, string[]>> {
  const hosts = options.hosts ?? PROBE_HOSTS;
  const unique = [...new Set(ports)];
  const refusedBy = new Map<number, string[]>();
  const probe = async (port: number) => {
    const refusing: string[] = [];
    // One host after another: two probes of one port at once would refuse each other.
    for (const host of hosts) if (await isRefused(port, host)) refusing.push(host);
    if (refusing.length > 0) refusedBy.set(port, refusing);
    else refusedBy.delete(port);
  };
  await forEachLimited(unique, options.concurrency ?? 32, probe);
  for (const wait of options.retry === false ? [] : RETRY_MS) {
    const again = [...refusedBy.keys()];
    if (again.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, wait));
    await forEachLimited(again, options.concurrency ?? 32, probe);
  }
  return new Map(unique.filter((port) => refusedBy.has(port)).map((port) => [port, refusedBy.get(port)!]));
}

/**
 * Maps socket inodes to the first process found holding them; unreadable processes are skipped.
 * Plain syscalls in slices of a few ms: a thread-pool hop per readlink costs more than the
 * readlink, the more so on a busy host.
 */
export async function findOwners(
  inodes: readonly number[],
  /** Processes likely to hold them (running gateways), looked at first: on a busy host the walk then stops early. */
  likely: readonly number[] = [],
): Promise<Map<number, { pid: number; command: string }>> {
  const wanted = new Map(inodes.filter((inode) => inode > 0).map((inode) => [`socket:[${inode}]`, inode]));
  const owners = new Map<number, { pid: number; command: string }>();
  if (wanted.size === 0) return owners;
  const first = likely.map(String);
  const pids = [...first, ...tryOr([], () => readdirSync('/proc')).filter((name) => /^\d+$/.test(name) && !first.includes(name))];
  // Date.now, not performance.now: the global `performance` loads node:perf_hooks (~1 ms) on first use.
  let sliceStart = Date.now();
  for (const pid of pids) {
    if (owners.size === wanted.size) break;
    if (Date.now() - sliceStart > SLICE_MS) {
      await nextTurn();
      sliceStart = Date.now();
    }
    const fdDir = `/proc/${pid}/fd`;
    for (const fd of tryOr([], () => readdirSync(fdDir))) {
      const inode = wanted.get(tryOr('', () => readlinkSync(`${fdDir}/${fd}`)));
      if (inode === undefined || owners.has(inode)) continue;
      const command = tryOr('', () => readFileSync(`/proc/${pid}/comm`, 'utf8')).trim();
      owners.set(inode, { pid: Number(pid), command });
    }
  }
  return owners;
}

/**
 * The socket inodes one process holds, from its /proc/<pid>/fd: whether it owns given
 * listeners without walking every process. Empty when it cannot be read (gone, not ours, no /proc).
 */
export function socketInodesOf(pid: number): Set<number> {
  const fdDir = `/proc/${pid}/fd`;
  const inodes = new Set<number>();
  for (const fd of tryOr([], () => readdirSync(fdDir))) {
    const match = /^socket:\[(\d+)\]$/.exec(tryOr('', () => readlinkSync(`${fdDir}/${fd}`)));
    if (match !== null) inodes.add(Number(match[1]));
  }
  return inodes;
}

/**
 * The state of each port. Ports the snapshot lists are bound, with their listeners as holders;
 * the rest are confirmed with bindProbe, which also sees what /proc cannot (other OSes) and
 * what started listening after the snapshot. A view that only reads (status) may pass
 * `confirm: false`: with a complete /proc snapshot it then binds nothing (~20 ms saved).
 */
export async function probePorts(
  ports: readonly number[],
  options: { owners?: boolean; snapshot?: ListenerSnapshot; confirm?: boolean } = {},
): Promise<Map<number, PortState>> {
  const snapshot = options.snapshot ?? (await snapshotListeners());
  const unique = [...new Set(ports)];
  const listenersOf = new Map<number, Listener[]>(
    unique.filter((port) => snapshot.bound.has(port)).map((port) => [port, []]),
  );
  for (const listener of snapshot.listeners) listenersOf.get(listener.port)?.push(listener);
  const seen = [...listenersOf.values()].flat();
  const [owners, refusedBy] = await Promise.all([
    options.owners === false ? new Map<number, undefined>() : findOwners(seen.map((listener) => listener.inode)),
    options.confirm === false && snapshot.complete ? new Map<number, string[]>() : bindProbe(unique.filter((port) => !listenersOf.has(port))),
  ]);
  const states = new Map<number, PortState>();
  for (const port of unique) {
    const holders: PortHolder[] =
      listenersOf.get(port)?.map((listener) => ({ address: listener.address, ...owners.get(listener.inode) })) ??
      refusedBy.get(port)?.map((host) => ({ address: host === DEFAULT_HOST ? 'the default address' : host })) ??
      [];
    states.set(port, holders.length > 0 ? { state: 'bound', holders } : { state: 'free' });
  }
  return states;
}

/** The range the kernel picks outgoing ports from; a gateway port inside it can be taken at any time. */
export async function readEphemeralRange(): Promise<{ from: number; to: number } | null> {
  const text = await readOrEmpty('/proc/sys/net/ipv4/ip_local_port_range');
  const [from, to] = text.trim().split(/\s+/).map(Number);
  if (Number.isInteger(from) && Number.isInteger(to)) return { from: from!, to: to! };
  return process.platform === 'darwin' ? MACOS_EPHEMERAL : null;
}

function isRefused(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    // node:net loads with the first probe: `status` and `list` never bind.
    const server = process.getBuiltinModule('node:net').createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (REFUSED.has(error.code ?? '')) resolve(true);
      else if (HOST_ABSENT.has(error.code ?? '')) resolve(false);
      else reject(error);
    });
    server.listen({ port, host: host === DEFAULT_HOST ? undefined : host }, () => {
      server.close(() => resolve(false));
    });
  });
}

/**
 * Each read of /proc/net/tcp* walks the kernel's whole socket hash, the one that returns EOF too.
 * The kernel hands out at most a page per read, so a read with room left for another line was the
 * last: stopping there halves the cost. Were that ever wrong, bindProbe still sees the listeners.
 */
async function readSocketTable(path: string): Promise<string> {
  const handle = await open(path).catch(() => null);
  if (handle === null) return '';
  try {
    const chunks: Buffer[] = [];
    for (;;) {
      const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(PAGE), 0, PAGE, null);
      chunks.push(buffer.subarray(0, bytesRead));
      if (bytesRead <= PAGE - LONGEST_LINE) return Buffer.concat(chunks).toString('latin1');
    }
  } catch {
    return '';
  } finally {
    await handle.close();
  }
}

/** No /proc (macOS) or a process that just exited: nothing to read is not an error here. */
async function readOrEmpty(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => '');
}

function tryOr<T>(fallback: T, read: () => T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
