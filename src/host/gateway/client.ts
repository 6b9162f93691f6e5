/** timedOut: nothing answered within the deadline (unlike a refused connection or a bad answer). */
export type JsonAnswer = { ok: true; status: number; body: unknown } | { ok: false; error: string; timedOut?: true };

/**
 * The most of an answer's body kept: a gateway's /health (a rescue watching many profiles
 * included) is a few KB; a process on its port that streams more is not read further.
 */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * GET (or POST) a JSON endpoint with a hard deadline; node:http only, so `status` stays light,
 * and loaded on the first request: a command that asks no gateway never loads it.
 */
export function fetchJson(
  url: string,
  options: { timeoutMs: number; token?: string; method?: 'GET' | 'POST' },
): Promise<JsonAnswer> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
    const req = process.getBuiltinModule('node:http').request(url, { method: options.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes <= MAX_BODY_BYTES) return void chunks.push(chunk);
        clearTimeout(timer);
        req.destroy();
        resolve({ ok: false, error: `answered ${res.statusCode} with a body larger than ${MAX_BODY_BYTES / 1024} KB` });
      });
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ ok: true, status: res.statusCode ?? 0, body: text === '' ? null : JSON.parse(text) });
        } catch {
          resolve({ ok: false, error: `answered ${res.statusCode} with something that is not JSON` });
        }
      });
      res.on('error', (error) => resolve({ ok: false, error: error.message }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ ok: false, error: `no answer within ${options.timeoutMs} ms`, timedOut: true });
    }, options.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ ok: false, error: error.code === 'ECONNREFUSED' ? 'connection refused' : error.message });
    });
    req.end();
  });
}
