export type CanvasPath = { ok: true; segments: string[] } | { ok: false; status: 400; reason: string };

/**
 * The path segments a request may read below the canvas folder, decided on the URL alone.
 * Refused: encoded slashes or backslashes (%2f, %5c), raw backslashes, NUL, undecodable
 * escapes, and any segment starting with "." once decoded ("..", "%2e%2e", dotfiles).
 * Symlinks are the server's to check, on the disk.
 */
export function canvasPath(rawUrl: string): CanvasPath {
  const end = rawUrl.search(/[?#]/);
  const raw = end === -1 ? rawUrl : rawUrl.slice(0, end);
  if (!raw.startsWith('/')) return { ok: false, status: 400, reason: 'the path must start with "/"' };
  if (/%(2f|5c|00)|\\|\0/i.test(raw)) return { ok: false, status: 400, reason: 'encoded slashes, backslashes and NUL are not allowed' };
  const segments: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '') continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      return { ok: false, status: 400, reason: 'the path is not valid percent-encoding' };
    }
    if (decoded.startsWith('.')) return { ok: false, status: 400, reason: 'path segments may not start with "."' };
    if (/[\\/\0]/.test(decoded)) return { ok: false, status: 400, reason: 'encoded slashes, backslashes and NUL are not allowed' };
    segments.push(decoded);
  }
  return { ok: true, segments };
}
