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
