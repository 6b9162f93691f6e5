/**
 * A URL shown to a person (a webhook in a log line, a status report, an error) with its
 * secrets hidden: the user and password, every query value, the fragment, and every path
 * segment but a few that only name an API — an ntfy topic or a Slack hook path is the
 * secret itself. Scheme, host and port stay, so the reader still knows which sink it is.
 * Pure; the text keeps its shape (no normalisation), so an unchanged URL is byte for byte the same.
 */

const HIDDEN = '***';

/** Path segments that name an API and never carry a secret ("/services/…" of Slack, "/api/webhooks/…" of Discord). */
const PUBLIC_SEGMENTS = new Set(['api', 'services', 'hooks', 'webhooks', 'v1', 'v2', 'v3']);
/** A query key worth keeping ("token" in "?token=…"); anything else is hidden whole. */
const QUERY_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
const URL_SHAPE = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/is;
/** URLs inside free text: up to white space, a quote or a bracket. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`<>]+/gi;
/** Punctuation that ends a sentence rather than the URL in it. */
const TRAILING = /[.,;:!?)\]}]+$/;

/** The URL with its secrets hidden; a string that is not URL-shaped is returned as it is (see maskUrlValue). */
export function maskUrl(text: string): string {
  const parts = URL_SHAPE.exec(text);
  if (parts === null) return text;
  const [, scheme, authority = '', path = '', query, fragment] = parts;
  const at = authority.lastIndexOf('@');
  const host = at === -1 ? authority : `${HIDDEN}@${authority.slice(at + 1)}`;
  const segments = path
    .split('/')
    .map((segment) => (segment === '' || PUBLIC_SEGMENTS.has(segment.toLowerCase()) ? segment : HIDDEN))
    .join('/');
  const params =
    query === undefined
      ? ''
      : `?${query
          .slice(1)
          .split('&')
          .map((param) => {
            const eq = param.indexOf('=');
            return eq > 0 && QUERY_KEY.test(param.slice(0, eq)) ? `${param.slice(0, eq)}=${HIDDEN}` : param === '' ? '' : HIDDEN;
          })
          .join('&')}`;
  return `${scheme}${host}${segments}${params}${fragment === undefined ? '' : `#${HIDDEN}`}`;
}

/** A value given where a URL belongs (it may be malformed): masked as a URL, or hidden whole when it is not one. */
export function maskUrlValue(value: string): string {
  return URL_SHAPE.test(value) ? maskUrl(value) : `‹${value.length} characters hidden›`;
}

/** Every URL inside a line of text masked, sentence punctuation after it kept. */
export function maskUrlsIn(text: string): string {
  return text.replace(URL_IN_TEXT, (match) => {
    const tail = TRAILING.exec(match)?.[0] ?? '';
    return maskUrl(match.slice(0, match.length - tail.length)) + tail;
  });
}

/** Shorter than this, a part of a URL is no secret worth hiding, and hiding it would mangle the words around it. */
const SHORTEST_SECRET = 3;
/** An Authorization value a server echoes back ("auth=Basic dXNl…"). */
const AUTHORIZATION = /\b(Basic|Bearer|Token)\s+[A-Za-z0-9+/=._~-]+/gi;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A sink's reply quoted to a person: a server may echo the request (its path and query, the
 * Authorization header), so every secret maskUrl hides of `url`, as sent and as decoded, and every
 * Authorization value is hidden wherever it appears in `text`. Pure.
 */
export function maskEchoedSecrets(text: string, url: string): string {
  const secrets: string[] = [];
  const parts = URL_SHAPE.exec(url);
  if (parts !== null) {
    const [, , authority = '', path = '', query, fragment] = parts;
    const at = authority.lastIndexOf('@');
    if (at !== -1) {
      const userinfo = authority.slice(0, at);
      const colon = userinfo.indexOf(':');
      const user = colon === -1 ? userinfo : userinfo.slice(0, colon);
      const password = colon === -1 ? '' : userinfo.slice(colon + 1);
      secrets.push(userinfo, user, password, btoa(String.fromCharCode(...new TextEncoder().encode(`${decoded(user)}:${decoded(password)}`))));
    }
    secrets.push(...path.split('/').filter((segment) => !PUBLIC_SEGMENTS.has(segment.toLowerCase())));
    for (const param of (query ?? '').slice(1).split('&')) {
      const eq = param.indexOf('=');
      secrets.push(eq > 0 && QUERY_KEY.test(param.slice(0, eq)) ? param.slice(eq + 1) : param);
    }
    if (fragment !== undefined) secrets.push(fragment.slice(1));
  }
  const hidden = [...new Set(secrets.flatMap((secret) => [secret, decoded(secret)]))].filter((secret) => secret.length >= SHORTEST_SECRET).sort((a, b) => b.length - a.length);
  let masked = text;
  for (const secret of hidden) masked = masked.split(secret).join(HIDDEN);
  return masked.replace(AUTHORIZATION, `$1 ${HIDDEN}`);
}

/**
 * A command sink's failure (its last stderr line) with the command's arguments masked out of
 * it: they may hold a key or a password, and a failing program often prints its arguments.
 * Each argument is hidden whole, each of its words, and the value of each `name=value` word;
 * the program itself stays.
 */
export function maskCommandEcho(text: string, command: string | readonly string[]): string {
  const words = typeof command === 'string' ? command.trim().split(/\s+/) : [...command];
  const secrets = words.slice(1).flatMap((arg) => [arg, ...arg.split(/\s+/), ...arg.split(/\s+/).map((word) => word.slice(word.indexOf('=') + 1))]);
  const hidden = [...new Set(secrets)].filter((secret) => secret.length >= SHORTEST_SECRET).sort((a, b) => b.length - a.length);
  let masked = text;
  for (const secret of hidden) masked = masked.split(secret).join(HIDDEN);
  return masked;
}
