import type { Socket } from 'node:net';

/** timedOut: nothing answered within the deadline (unlike a refused connection or a bad answer). */
export type JsonAnswer = { ok: true; status: number; body: unknown } | { ok: false; error: string; timedOut?: true };

/**
 * The most of an answer's body kept: a gateway's /health (a rescue watching many profiles
 * included) is a few KB; a process on its port that streams more is not read further.
 */
export const MAX_BODY_BYTES = 256 * 1024;

/** The most interim (1xx) answers read before the real one. */
export const MAX_INTERIM = 8;

/** The most of an answer's status line and headers read: a gateway sends a few hundred bytes. */
export const MAX_HEAD_BYTES = 16 * 1024;

/**
 * GET (or POST) a JSON endpoint over plain HTTP/1.1 with a hard deadline. It speaks the little
 * of HTTP it needs over node:net itself (one request, `Connection: close`, a body by
 * Content-Length, chunked or until the close): node:http costs every `list` and `status`
 * several milliseconds to load, for a request of a few hundred bytes. node:net is loaded on
 * the first request: a command that asks no gateway never loads it.
 */
export function fetchJson(url: string, options: { timeoutMs: number; token?: string; method?: 'GET' | 'POST' }): Promise<JsonAnswer> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return void resolve({ ok: false, error: `${JSON.stringify(url)} is not a URL` });
    }
    if (target.protocol !== 'http:') return void resolve({ ok: false, error: `Protocol "${target.protocol}" not supported. Expected "http:"` });
    const lines = [`${options.method ?? 'GET'} ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`, 'Accept: application/json', 'Connection: close'];
    if (options.token !== undefined) {
      if (/[\r\n]/.test(options.token)) return void resolve({ ok: false, error: 'the token holds a line break' });
      lines.push(`Authorization: Bearer ${options.token}`);
    }
    if (options.method === 'POST') lines.push('Content-Length: 0');
    const reader = new AnswerReader();
    let settled = false;
    const settle = (answer: JsonAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    let socket: Socket;
    try {
      socket = process.getBuiltinModule('node:net').connect({ host: target.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(target.port || 80) });
    } catch (error) {
      return void resolve({ ok: false, error: (error as Error).message });
    }
    const timer = setTimeout(() => settle({ ok: false, error: `no answer within ${options.timeoutMs} ms`, timedOut: true }), options.timeoutMs);
    // Not end(): a server that sees the request's side close may drop the request unanswered (node:http does).
    socket.on('connect', () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      const answer = reader.push(chunk);
      if (answer !== null) settle(answer);
    });
    socket.on('end', () => settle(reader.end()));
    socket.on('close', () => settle(reader.end()));
    socket.on('error', (error: NodeJS.ErrnoException) => settle({ ok: false, error: error.code === 'ECONNREFUSED' ? 'connection refused' : error.message }));
  });
}

/**
 * An HTTP/1.x answer read as its bytes come: the head (status line and headers) up to
 * MAX_HEAD_BYTES, then the body up to MAX_BODY_BYTES, framed as its headers say. `push` and
 * `end` return the answer once it is known, else null (push only: more bytes are needed).
 */
export class AnswerReader {
  private head: Buffer = Buffer.alloc(0);
  /** Interim (1xx) answers read so far. */
  private interim = 0;
  private status = -1;
  /** The body's framing once the head is read: its length, chunked, or everything until the close. */
  private framing: { length: number } | 'chunked' | 'close' | null = null;
  private readonly body: Buffer[] = [];
  private bodyBytes = 0;
  /** Chunked framing: the data left of the chunk being read, the line being read, and whether a chunk's data just ended. */
  private chunkLeft = 0;
  private sizeLine = '';
  private afterData = false;

  push(chunk: Buffer): JsonAnswer | null {
    while (this.framing === null) {
      this.head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      const end = this.head.indexOf('\r\n\r\n');
      if (end < 0) return this.head.length > MAX_HEAD_BYTES ? { ok: false, error: `answered with headers larger than ${MAX_HEAD_BYTES / 1024} KB` } : null;
      if (end > MAX_HEAD_BYTES) return { ok: false, error: `answered with headers larger than ${MAX_HEAD_BYTES / 1024} KB` };
      const refused = this.readHead(this.head.toString('latin1', 0, end));
      if (refused !== null) return refused;
      chunk = this.head.subarray(end + 4);
      this.head = Buffer.alloc(0);
      // An interim answer (100 Continue): the real one follows; a server that sends them without end is refused.
      if (this.status >= 100 && this.status < 200) {
        if (++this.interim > MAX_INTERIM) return { ok: false, error: `answered with more than ${MAX_INTERIM} interim (1xx) answers` };
        this.framing = null;
        this.status = -1;
        if (chunk.length === 0) return null;
      }
    }
    if (this.framing === 'chunked') return this.pushChunked(chunk);
    const tooMuch = this.keep(chunk);
    if (tooMuch !== null) return tooMuch;
    if (this.framing !== 'close' && this.framing !== null && this.bodyBytes >= this.framing.length) return this.answer();
    return null;
  }

  /** The connection ended: the answer, if what came is whole. */
  end(): JsonAnswer {
    if (this.framing === null) return { ok: false, error: this.status === -1 && this.head.length === 0 ? 'the connection closed without an answer' : 'the connection closed in the middle of the answer' };
    if (this.framing === 'close') return this.answer();
    if (this.framing !== 'chunked' && this.bodyBytes >= this.framing.length) return this.answer();
    // (A chunked body is answered at its last chunk, before the connection ends.)
    return { ok: false, error: `answered ${this.status}, but the connection closed in the middle of the body` };
  }

  private readHead(text: string): JsonAnswer | null {
    const [statusLine = '', ...fields] = text.split('\r\n');
    const status = /^HTTP\/1\.[01] ([1-9][0-9]{2})(?: |$)/.exec(statusLine);
    if (status === null) return { ok: false, error: 'answered with something that is not HTTP' };
    this.status = Number(status[1]);
    let length: number | null = null;
    let chunked = false;
    for (const field of fields) {
      const colon = field.indexOf(':');
      if (colon <= 0) return { ok: false, error: `answered ${this.status} with a malformed header` };
      const name = field.slice(0, colon).trim().toLowerCase();
      const value = field.slice(colon + 1).trim();
      if (name === 'content-length') {
        if (!/^[0-9]{1,15}$/.test(value) || (length !== null && length !== Number(value))) return { ok: false, error: `answered ${this.status} with a bad Content-Length` };
        length = Number(value);
      } else if (name === 'transfer-encoding') chunked = value.toLowerCase().split(',').some((coding) => coding.trim() === 'chunked');
    }
    if (this.status === 204 || this.status === 304) this.framing = { length: 0 };
    else if (chunked) this.framing = 'chunked';
    else if (length !== null) {
      if (length > MAX_BODY_BYTES) return this.tooLarge();
      this.framing = { length };
    } else this.framing = 'close';
    return null;
  }

  /** Keeps body bytes, up to the framing's length; past MAX_BODY_BYTES, the refusal. */
  private keep(bytes: Buffer): JsonAnswer | null {
    const framing = this.framing;
    const take = framing !== null && typeof framing === 'object' ? bytes.subarray(0, Math.max(0, framing.length - this.bodyBytes)) : bytes;
    if (take.length === 0) return null;
    this.bodyBytes += take.length;
    if (this.bodyBytes > MAX_BODY_BYTES) return this.tooLarge();
    this.body.push(take);
    return null;
  }

  /**
   * Chunked bodies, `<hex size>[;ext]\r\n<data>\r\n` … `0\r\n…`, decoded as the bytes come
   * (a body sent a byte at a time costs no more than one sent whole).
   */
  private pushChunked(chunk: Buffer): JsonAnswer | null {
    let at = 0;
    while (at < chunk.length) {
      if (this.chunkLeft > 0) {
        const take = chunk.subarray(at, at + this.chunkLeft);
        const tooMuch = this.keep(take);
        if (tooMuch !== null) return tooMuch;
        this.chunkLeft -= take.length;
        at += take.length;
        if (this.chunkLeft === 0) this.sizeLine = '';
        continue;
      }
      // A size line, or (after a chunk's data) the empty line that closes the data.
      const eol = chunk.indexOf(10, at);
      this.sizeLine += chunk.toString('latin1', at, eol < 0 ? chunk.length : eol + 1);
      if (this.sizeLine.length > 1024) return this.malformed();
      if (eol < 0) return null;
      at = eol + 1;
      const line = this.sizeLine;
      this.sizeLine = '';
      if (this.afterData) {
        if (line !== '\r\n') return this.malformed();
        this.afterData = false;
        continue;
      }
      const size = /^([0-9a-fA-F]{1,8})(?:;[^\r\n]*)?\r\n$/.exec(line);
      if (size === null) return this.malformed();
      const bytes = parseInt(size[1]!, 16);
      // The last chunk: what follows is trailers, which nothing here reads.
      if (bytes === 0) return this.answer();
      if (this.bodyBytes + bytes > MAX_BODY_BYTES) return this.tooLarge();
      this.chunkLeft = bytes;
      this.afterData = true;
    }
    return null;
  }

  private malformed(): JsonAnswer {
    return { ok: false, error: `answered ${this.status} with a malformed chunked body` };
  }

  private tooLarge(): JsonAnswer {
    return { ok: false, error: `answered ${this.status} with a body larger than ${MAX_BODY_BYTES / 1024} KB` };
  }

  private answer(): JsonAnswer {
    const text = Buffer.concat(this.body).toString('utf8');
    try {
      return { ok: true, status: this.status, body: text === '' ? null : JSON.parse(text) };
    } catch {
      return { ok: false, error: `answered ${this.status} with something that is not JSON` };
    }
  }
}
