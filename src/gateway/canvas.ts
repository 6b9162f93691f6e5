import { createReadStream } from 'node:fs';
import { mkdir, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { requestToken, tokenMatches } from './auth';
import { canvasPath } from './canvas-path';
import { sendJson } from './http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

/** The canvas folder, created if absent, as a real path: every served file must resolve inside it. */
export async function prepareCanvasRoot(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return realpath(dir);
}

type Found = { file: string; size: number } | 'outside' | null;

/** Resolves symlinks and refuses anything that lands outside root; null when no file is there. */
async function servableFile(root: string, segments: string[], isIndex = false): Promise<Found> {
  let file: string;
  try {
    file = await realpath(path.join(root, ...segments));
  } catch {
    return null;
  }
  if (file !== root && !file.startsWith(root + path.sep)) return 'outside';
  const info = await stat(file).catch(() => null);
  if (info?.isDirectory() && !isIndex) return servableFile(root, [...segments, 'index.html'], true);
  return info?.isFile() ? { file, size: info.size } : null;
}

/**
 * Static files from the canvas folder: GET and HEAD only, a folder serves its index.html, never a listing.
 * With a token (a gateway other machines can reach) nothing is answered without it, as on the WebSocket.
 */
export function canvasHandler(root: string, options: { token: string | null }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (options.token !== null && !tokenMatches(requestToken(req.headers, req.url), options.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return sendJson(res, 401, { error: 'this needs the gateway token: "Authorization: Bearer <gateway.auth.token>" or ?token=' });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendJson(res, 405, { error: `${req.method} is not allowed here; the canvas host serves files with GET.` });
    }
    const parsed = canvasPath(req.url ?? '/');
    if (!parsed.ok) return sendJson(res, parsed.status, { error: `refused: ${parsed.reason}` });
    const found = await servableFile(root, parsed.segments);
    if (found === 'outside') return sendJson(res, 403, { error: 'refused: the path resolves outside the canvas folder' });
    if (found === null) return sendJson(res, 404, { error: 'not found' });
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': found.size,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(found.file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}
