import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { requestToken, tokenMatches } from './auth';
import type { HealthReport } from '../core/gateway/health';

export const WS_PATH = '/ws';
const MAX_PAYLOAD = 64 * 1024;

function refuse(socket: Duplex, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${status === 401 ? 'WWW-Authenticate: Bearer\r\n' : ''}\r\n${body}`,
  );
}

/** The reply to one client message: {"type":"status"} → the health report; anything else → an error that says what is known. */
export function answer(data: string, status: () => HealthReport): Record<string, unknown> {
  let request: { type?: unknown; id?: unknown };
  try {
    request = JSON.parse(data) as typeof request;
  } catch {
    return { type: 'error', error: 'messages are JSON, e.g. {"type":"status"}' };
  }
  const id = request !== null && typeof request === 'object' && request.id !== undefined ? { id: request.id } : {};
  if (request?.type === 'status') return { type: 'status', ...id, health: status() };
  return { type: 'error', ...id, error: `unknown request type ${JSON.stringify(request?.type)}; known: "status"` };
}

/**
 * The WebSocket endpoint on the gateway port: token checked before the upgrade, so a refused
 * client never holds a socket. The ws package loads after the ports are bound (warm), off the
 * start-up path; an upgrade that comes first waits for it.
 */
export function attachWebSocket(
  server: http.Server,
  options: { token: string; status: () => HealthReport; log: (line: string) => void },
) {
  let loading: Promise<WebSocketServer> | null = null;
  const load = () => (loading ??= import('ws').then(({ WebSocketServer }) => new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD })));
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    if ((req.url ?? '').split('?')[0] !== WS_PATH) return refuse(socket, 404, 'Not Found', `the WebSocket endpoint is ${WS_PATH}`);
    if (!tokenMatches(requestToken(req.headers, req.url), options.token)) {
      options.log(`ws refused from ${req.socket.remoteAddress}: missing or wrong token`);
      return refuse(socket, 401, 'Unauthorized', 'this needs the gateway token: "Authorization: Bearer <gateway.auth.token>" or ?token=');
    }
    void load().then((wss) => wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      options.log(`ws client connected from ${req.socket.remoteAddress} (${wss.clients.size} open)`);
      ws.on('error', () => undefined);
      ws.on('message', (data) => ws.send(JSON.stringify(answer(String(data), options.status))));
      ws.on('close', () => options.log(`ws client disconnected (${wss.clients.size} open)`));
    }));
  });
  return {
    warm(): void {
      void load();
    },
    async close(): Promise<void> {
      if (loading === null) return;
      const wss = await loading;
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
