import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { quoteValue } from '../core/text/escape';
import { capConnections, CONNECTION_LIMITS, GuardedRequest } from './connections';
import { isAllowedHost, listHosts } from './hosts';
import type { ThrottledLog } from './log-throttle';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

/** The 421 answer and log line for a Host this server does not serve; shared with the WebSocket upgrade. */
export function wrongHost(host: string | undefined, allowed: readonly string[]): { error: string; allowed: readonly string[] } {
  return { error: `this server answers only to Host ${listHosts(allowed)}; this request named ${host === undefined ? 'no Host' : quoteValue(host)}`, allowed };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface ServerGuard {
  /** The Host values this server answers to (allowedHosts); any other is answered 421 before the handler runs. */
  hosts: readonly string[];
  onError: (error: unknown) => void;
  log: ThrottledLog;
}

/**
 * An HTTP server that answers only for its own names, and whose handler may be async: a
 * thrown bug answers 500 (or cuts that one connection) instead of crashing the gateway, and
 * whose connections are bounded in time and number (capConnections).
 */
export function createGuardedServer(handler: Handler, guard: ServerGuard): http.Server {
  const { headersTimeout, requestTimeout, keepAliveTimeout, connectionsCheckingInterval } = CONNECTION_LIMITS;
  const server = http.createServer({ IncomingMessage: GuardedRequest, headersTimeout, requestTimeout, keepAliveTimeout, connectionsCheckingInterval });
  // First, so the request on which it closes a connection for pipelining too many gets no answer.
  capConnections(server, guard.log);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.socket.destroyed) return;
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const host = req.headers.host;
    if (!isAllowedHost(host, guard.hosts)) {
      guard.log.line('refused (wrong Host)', `refused ${req.method} from ${req.socket.remoteAddress}: Host ${host === undefined ? 'missing' : quoteValue(host)} is not this gateway`);
      return sendJson(res, 421, wrongHost(host, guard.hosts));
    }
    Promise.resolve()
      // After the rest of the read was parsed: a request of it may have closed this connection for pipelining (capConnections), and an answer would reach no one.
      .then(() => (req.socket.destroyed ? undefined : handler(req, res)))
      .catch((error: unknown) => {
        guard.onError(error);
        try {
          if (!res.headersSent) sendJson(res, 500, { error: 'internal error; see the gateway log' });
          else res.destroy();
        } catch {
          res.destroy();
        }
      });
  });
  return server;
}
