/** Config text shown to a person (diffs, excerpts of a broken file) with the auth token and URL secrets masked. Pure. */
import { maskUrlsIn } from './url-secrets';


// Anywhere in a line: JSON5 may hold the whole gateway object on one line.
const SECRET = /(\btoken["']?\s*:\s*)(["'])((?:\\.|(?!\2)[^\\])*)\2/g;

/** The auth token never reaches a terminal or a log: only its length is shown. Nor does a webhook's secret (watch.alerts). */
export function maskSecrets(line: string): string {
  return maskUrlsIn(line.replace(SECRET, (_, key: string, quote: string, value: string) => `${key}${quote}‹${value.length} characters hidden›${quote}`));
}
