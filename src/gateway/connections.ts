import http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ThrottledLog } from './log-throttle';

/** What clients may hold on one port; documented in the README. */
export const CONNECTION_LIMITS = {
  /** Open connections per port. At the cap the longest idle one makes room; with none idle the newcomer is dropped. */
  maxConnections: 512,
  /** Connections one address may keep idle (no request being answered) past idleGraceMs; beyond, its longest idle one is closed. */
  maxIdlePerAddress: 32,
  /** A burst of new connections is not idle yet: their requests are on the way. */
  idleGraceMs: 1_000,
  /** A connection that has sent nothing by then is closed: every real client speaks first. */
  silentMs: 3_000,
  /** Requests one connection may make: the last one's answer closes it (`Connection: close`). */
  maxRequestsPerConnection: 100,
  /** Requests one connection may have unanswered at once; one more (pipelined without reading the answers) closes it at once. No browser pipelines. */
  maxPipelined: 8,
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  /** How often Node enforces the two timeouts above; its default (30 s) let an idle socket stay 30 s past them. */
  connectionsCheckingInterval: 1_000,
} as const;

/** Sockets a WebSocket took over: busy for as long as they live, never closed to make room. */
const upgraded = new WeakSet<Duplex>();

/** Called for a socket that the WebSocket endpoint now serves. */
export function holdUpgraded(socket: Duplex): void {
  upgraded.add(socket);
}

/**
 * The request class of a guarded server. Node's parser runs over a whole read (up to 64 KiB,
 * some 1,400 pipelined requests) even after one of them closed the connection, building each
 * request and, at the close, an Error for each unanswered one: seconds of event loop beside
 * 150 such connections. So a request on a connection already closed says it is an upgrade,
 * the one answer on which the parser stops: Node hands the rest of the read to 'upgrade'
 * (dropped in ws.ts) and lets go of the connection without building those Errors.
 */
export class GuardedRequest extends http.IncomingMessage {
  declare private upgradeAsked: boolean | null;

  /** Node sets it from the request's headers, then reads it to choose between 'request' and 'upgrade'. */
  get upgrade(): boolean {
    return this.upgradeAsked === true || this.socket.destroyed;
  }

  set upgrade(asked: boolean | null) {
    this.upgradeAsked = asked;
  }
}

interface Connection {
  address: string;
  /** Requests being answered on it now. */
  requests: number;
  /** Requests it has made in all. */
  made: number;
  /** When its last request was answered, or when it connected. */
  idleSince: number;
}

/**
 * Caps the connections a server holds without letting idle ones lock out the next client: a
 * new connection closes the longest idle one (its own address's when that address keeps too
 * many idle, anyone's at the cap), so a flood of idle sockets never queues a request behind it.
 * What it closes or drops is logged through the throttled log: one line and one count a window.
 */
export function capConnections(server: http.Server, log: ThrottledLog): void {
  const open = new Map<Socket, Connection>();

  /** One pass over the open connections: how many idle ones `match`, and the one idle longest. */
  function idle(match: (c: Connection) => boolean): { count: number; longest: Socket | undefined } {
    let count = 0;
    let longest: Socket | undefined;
    let since = Infinity;
    for (const [socket, c] of open) {
      if (c.requests > 0 || upgraded.has(socket) || !match(c)) continue;
      count++;
      if (c.idleSince < since) [longest, since] = [socket, c.idleSince];
    }
    return { count, longest };
  }
  // Forgotten at once: its 'close' comes later, after more of a burst's connections have arrived.
  const close = (socket: Socket) => {
    open.delete(socket);
    socket.destroy();
  };

  /** It kept sending without reading the answers: what it queued would hold the event loop for every other client (GuardedRequest stops the rest of its read). */
  function closePipelining(socket: Socket, c: Connection): void {
    log.line('connections closed (pipelined too many)', `closed a connection from ${c.address}: it sent more than ${CONNECTION_LIMITS.maxPipelined} requests without waiting for their answers`);
    close(socket);
  }

  /** Makes room for one more connection from `address`; false when every open one is busy. */
  function makeRoom(address: string): boolean {
    const settledBefore = Date.now() - CONNECTION_LIMITS.idleGraceMs;
    const own = idle((c) => c.address === address && c.idleSince <= settledBefore);
    if (own.count >= CONNECTION_LIMITS.maxIdlePerAddress) {
      log.line('connections closed (too many idle from one address)', `closed an idle connection from ${address} for its new one: one address may keep ${CONNECTION_LIMITS.maxIdlePerAddress} idle`);
      close(own.longest!);
    }
    if (open.size < CONNECTION_LIMITS.maxConnections) return true;
    const { longest } = idle(() => true);
    if (longest === undefined) {
      log.line('connections dropped (all busy)', `dropped a connection from ${address}: all ${CONNECTION_LIMITS.maxConnections} open ones are answering requests`);
      return false;
    }
    log.line('connections closed (at the cap)', `closed an idle connection from ${open.get(longest)!.address} to make room: ${CONNECTION_LIMITS.maxConnections} were open`);
    close(longest);
    return true;
  }

  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'an unknown address';
    if (!makeRoom(address)) return void socket.destroy();
    open.set(socket, { address, requests: 0, made: 0, idleSince: Date.now() });
    const silent = setTimeout(() => {
      if (socket.bytesRead > 0 || !open.has(socket)) return;
      log.line('connections closed (sent nothing)', `closed a connection from ${address}: it sent nothing in ${CONNECTION_LIMITS.silentMs / 1000} s`);
      close(socket);
    }, CONNECTION_LIMITS.silentMs).unref();
    socket.once('close', () => {
      clearTimeout(silent);
      open.delete(socket);
    });
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket as Socket;
    const c = open.get(socket);
    if (c === undefined) return;
    if (c.requests >= CONNECTION_LIMITS.maxPipelined) return closePipelining(socket, c);
    if (++c.made === CONNECTION_LIMITS.maxRequestsPerConnection) res.setHeader('Connection', 'close');
    c.requests++;
    res.once('close', () => {
      c.requests--;
      c.idleSince = Date.now();
    });
  });
}
