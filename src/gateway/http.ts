import http, { type IncomingMessage, type ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** An HTTP server whose handler may be async: a thrown bug answers 500 instead of crashing the gateway. */
export function createGuardedServer(handler: Handler, onError: (error: unknown) => void): http.Server {
  return http.createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        onError(error);
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error; see the gateway log' });
        else res.destroy();
      });
  });
}
