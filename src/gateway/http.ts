import http, { type IncomingMessage, type ServerResponse } from 'node:http';

/** Bounds on what one client may hold: slow or idle connections are cut, and their count is capped per port. */
const SERVER_LIMITS = { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, maxConnections: 512 } as const;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** An HTTP server whose handler may be async: a thrown bug answers 500 (or cuts that one connection) instead of crashing the gateway. */
export function createGuardedServer(handler: Handler, onError: (error: unknown) => void): http.Server {
  const { maxConnections, ...timeouts } = SERVER_LIMITS;
  const server = http.createServer(timeouts, (req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        onError(error);
        try {
          if (!res.headersSent) sendJson(res, 500, { error: 'internal error; see the gateway log' });
          else res.destroy();
        } catch {
          res.destroy();
        }
      });
  });
  server.maxConnections = maxConnections;
  return server;
}
