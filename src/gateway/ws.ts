import type http from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { escapeControl, quoteValue } from '../core/text/escape';
import { requestToken, tokenMatches } from './auth';
import { isAllowedHost, isAllowedOrigin, listHosts } from './hosts';
import { holdUpgraded } from './connections';
import { wrongHost } from './http';
import type { ThrottledLog } from './log-throttle';
import type { HealthReport } from '../core/gateway/health';
import { createTokenBucket } from './rate';

export const WS_PATH = '/ws';

/** What one client may send; documented in the README. A status request is ~40 bytes. */
export const MESSAGE_LIMITS = {
  /** Bytes per message; ws closes the connection with 1009 beyond it. */
  maxBytes: 64 * 1024,
  /** Arrays and objects inside one another: deeper JSON is refused before it is parsed. */
  maxDepth: 32,
  maxIdLength: 128,
  /** Messages per second per connection, sustained and in a burst; beyond: closed with 1008. */
  perSecond: 20,
  burst: 40,
} as const;

/** A client that does not read its answers is dropped before they pile up in memory. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Open connections at once; one more is refused with 503. */
const MAX_CLIENTS = 128;

const CLOSE = { policy: 1008, internal: 1011 } as const;

/**
 * ws is CommonJS: required as such it costs about half of what import() does (no ESM
 * resolution, no export scan of its ten files). Either way it is synchronous work of tens of
 * milliseconds, so it is done after start-up has answered its first requests (WARM_AFTER_MS),
 * or at the first upgrade, whichever comes first.
 */
const requireWs = () => createRequire(import.meta.url)('ws') as typeof import('ws');
/** Long enough for whoever waits for the ports (start, the bench, a supervisor's health check) to have had its answers. */
export const WARM_AFTER_MS = 1000;

function refuse(socket: Duplex, status: number, reason: string, message: string | Record<string, unknown>): void {
  const body = JSON.stringify(typeof message === 'string' ? { error: message } : message);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${status === 401 ? 'WWW-Authenticate: Bearer\r\n' : ''}\r\n${body}`,
  );
}

/**
 * Whether a JSON text nests arrays and objects deeper than `limit`. One pass, no recursion,
 * brackets inside strings skipped: for valid JSON this is the depth JSON.parse would build.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The request's type in the error, as a short quote or a kind: never the client's whole value. */
function describeType(type: unknown): string {
  if (typeof type === 'string') return type.length <= 64 ? `"${escapeControl(type)}"` : 'a long string';
  if (type === undefined || type === null) return 'none';
  return Array.isArray(type) ? 'a list' : typeof type === 'object' ? 'an object' : `a ${typeof type}`;
}

/**
 * The reply to one text message: {"type":"status"} → the health report; anything else → an
 * error that says what is allowed. Never throws, and a reply never holds more of the request
 * than an id that is a number or a short string.
 */
export function answer(data: string, status: () => HealthReport): Record<string, unknown> {
  if (nestsDeeperThan(data, MESSAGE_LIMITS.maxDepth)) {
    return { type: 'error', error: `messages may not be nested deeper than ${MESSAGE_LIMITS.maxDepth} levels` };
  }
  let request: unknown;
  try {
    request = JSON.parse(data);
  } catch {
    return { type: 'error', error: 'messages are JSON, e.g. {"type":"status"}' };
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    return { type: 'error', error: 'a message is a JSON object, e.g. {"type":"status","id":1}' };
  }
  const { type, id } = request as { type?: unknown; id?: unknown };
  const idOk = id === undefined || typeof id === 'number' || (typeof id === 'string' && id.length <= MESSAGE_LIMITS.maxIdLength);
  if (!idOk) return { type: 'error', error: `id must be a string of at most ${MESSAGE_LIMITS.maxIdLength} characters or a number` };
  const echo = id === undefined ? {} : { id };
  if (type === 'status') return { type: 'status', ...echo, health: status() };
  return { type: 'error', ...echo, error: `unknown request type ${describeType(type)}; known: "status"` };
}

export interface WebSocketOptions {
  token: string;
  /** The Host values of the gateway port: an upgrade naming another is refused (421), and so is a browser page whose Origin is not one of them (403). */
  hosts: readonly string[];
  status: () => HealthReport;
  /** Every line here is one a client can cause as often as it likes. */
  log: ThrottledLog;
  /** A failure of the gateway's own code while serving one client: logged, that client closed, the rest served on. */
  onError: (error: unknown) => void;
}

/** One authenticated client: bounded rate, bounded backlog; a failure answering it closes it alone. */
function serve(ws: WebSocket, options: WebSocketOptions): void {
  const bucket = createTokenBucket(MESSAGE_LIMITS);
  const overRate = () => {
    if (ws.readyState !== ws.OPEN) return;
    options.log.line('ws closed (too many messages)', `ws client closed: too many messages (more than ${MESSAGE_LIMITS.perSecond} a second)`);
    ws.close(CLOSE.policy, `too many messages: at most ${MESSAGE_LIMITS.perSecond} a second`);
  };
  ws.on('ping', () => bucket.take() || overRate());
  ws.on('message', (data, isBinary) => {
    if (ws.readyState !== ws.OPEN) return;
    if (!bucket.take()) return overRate();
    try {
      const reply = isBinary ? { type: 'error', error: 'messages are text frames holding JSON, e.g. {"type":"status"}' } : answer(String(data), options.status);
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return ws.terminate();
      ws.send(JSON.stringify(reply));
    } catch (error) {
      options.onError(error);
      ws.close(CLOSE.internal, 'internal error; see the gateway log');
    }
  });
}

/**
 * The WebSocket endpoint on the gateway port: token checked before the upgrade, so a refused
 * client never holds a socket. The ws package loads a while after the ports are bound (warm),
 * off the start-up path; an upgrade that comes first loads it and waits for it.
 */
export function attachWebSocket(server: http.Server, options: WebSocketOptions) {
  let loading: Promise<WebSocketServer> | null = null;
  const load = () => (loading ??= Promise.resolve().then(() => new (requireWs().WebSocketServer)({ noServer: true, maxPayload: MESSAGE_LIMITS.maxBytes })));
  let warming: NodeJS.Timeout | null = null;
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // The rest of a read from a connection closed for pipelining (GuardedRequest): nothing to answer.
    if (socket.destroyed) return;
    socket.on('error', () => undefined);
    try {
      const { host, origin } = req.headers;
      if (!isAllowedHost(host, options.hosts)) {
        options.log.line('ws refused (wrong Host)', `ws refused from ${req.socket.remoteAddress}: Host ${host === undefined ? 'missing' : quoteValue(host)} is not this gateway`);
        return refuse(socket, 421, 'Misdirected Request', wrongHost(host, options.hosts));
      }
      if ((req.url ?? '').split('?')[0] !== WS_PATH) return refuse(socket, 404, 'Not Found', `the WebSocket endpoint is ${WS_PATH}`);
      if (!isAllowedOrigin(origin, options.hosts)) {
        options.log.line('ws refused (wrong Origin)', `ws refused from ${req.socket.remoteAddress}: Origin ${quoteValue(origin ?? '')} is not this gateway`);
        return refuse(socket, 403, 'Forbidden', {
          error: `a page may open this WebSocket only from ${listHosts(options.hosts.map((h) => `http://${h}`))}; this one came from ${quoteValue(origin ?? '')}`,
          allowed: options.hosts.map((h) => `http://${h}`),
        });
      }
      if (!tokenMatches(requestToken(req.headers, req.url), options.token)) {
        options.log.line('ws refused (missing or wrong token)', `ws refused from ${req.socket.remoteAddress}: missing or wrong token`);
        return refuse(socket, 401, 'Unauthorized', 'this needs the gateway token: "Authorization: Bearer <gateway.auth.token>" or ?token=');
      }
    } catch (error) {
      options.onError(error);
      return refuse(socket, 500, 'Internal Server Error', 'internal error; see the gateway log');
    }
    load()
      .then((wss) => {
        if (wss.clients.size >= MAX_CLIENTS) {
          options.log.line('ws refused (too many clients)', `ws refused from ${req.socket.remoteAddress}: ${MAX_CLIENTS} WebSocket clients are open, the most this gateway serves`);
          return refuse(socket, 503, 'Service Unavailable', `this gateway serves at most ${MAX_CLIENTS} WebSocket clients at once`);
        }
        holdUpgraded(socket);
        wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
          options.log.line('ws clients connected', `ws client connected from ${req.socket.remoteAddress} (${wss.clients.size} open)`);
          ws.on('error', () => undefined);
          ws.on('close', () => options.log.line('ws clients disconnected', `ws client disconnected (${wss.clients.size} open)`));
          serve(ws, options);
        });
      })
      .catch((error: unknown) => {
        options.onError(error);
        socket.destroy();
      });
  });
  return {
    /** Loads ws WARM_AFTER_MS from now, off the path of the first HTTP answers; an upgrade before then loads it at once. */
    warm(): void {
      warming ??= setTimeout(() => void load().catch(options.onError), WARM_AFTER_MS).unref();
    },
    async close(): Promise<void> {
      if (warming !== null) clearTimeout(warming);
      const wss = await loading?.catch(() => null);
      if (!wss) return;
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
