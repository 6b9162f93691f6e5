/** The keys of `epiloop top`, in one table: the screen's handler, its hint line and its help read it. */
export const TOP_KEYS = [
  { key: 'up', shows: '↑/↓', does: 'select a profile; in a view (this one, details, doctor, the log): scroll it', hint: 'select', inView: 'scroll' },
  { key: 'enter', shows: 'Enter', does: 'the selected profile in detail', hint: 'info' },
  { key: 's', shows: 's', does: 'start its gateway, or stop it when it runs (asks first)', hint: 'start/stop' },
  { key: 'r', shows: 'r', does: 'restart its gateway (asks first)', hint: 'restart' },
  { key: 'l', shows: 'l', does: 'its full log', hint: 'log' },
  { key: 'd', shows: 'd', does: 'doctor: what is wrong with it, and the command that fixes it (changes nothing)', hint: 'doctor' },
  { key: '?', shows: '?', does: 'this help', hint: 'help' },
  { key: 'q', shows: 'q', does: 'quit; Esc goes back from a view', hint: 'quit' },
] as const;

export type TopKey = (typeof TOP_KEYS)[number]['key'] | 'down' | 'esc' | 'y' | 'n';

/**
 * The hint line, 79 columns: "↑↓ select  Enter info  s start/stop  …" ("↑↓ scroll" in a view).
 * Narrower, the keys alone, but for help and quit, which say how to learn the rest: "↑↓ Enter s r l d  ? help  q quit";
 * below its 32 columns, every key bare ("↑↓ Enter s r l d ? q"), rather than "q" and "quit" on two lines.
 */
export function hintLine(width = Number.POSITIVE_INFINITY, inView = false): string {
  const whole = TOP_KEYS.map((k) => `${k.shows.replace('/', '')} ${inView && 'inView' in k ? k.inView : k.hint}`).join('  ');
  if (whole.length <= width) return whole;
  const named = new Set<string>(['?', 'q']);
  const bare = TOP_KEYS.filter((k) => !named.has(k.key)).map((k) => k.shows.replace('/', ''));
  const short = [bare.join(' '), ...TOP_KEYS.filter((k) => named.has(k.key)).map((k) => `${k.shows} ${k.hint}`)].join('  ');
  return short.length <= width ? short : TOP_KEYS.map((k) => k.shows.replace('/', '')).join(' ');
}

/**
 * The key a press means, from what Ink reports; null for any other. Esc then a letter typed
 * fast arrives as one press, the letter with `meta` (Alt-letter): it is read as the letter,
 * so Esc-q quits as q does, from any view.
 */
export function topKeyOf(input: string, key: { upArrow?: boolean; downArrow?: boolean; return?: boolean; escape?: boolean; meta?: boolean }): TopKey | null {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  const lower = input.toLowerCase();
  return (['s', 'r', 'l', 'd', '?', 'q', 'y', 'n'] as const).find((k) => k === lower) ?? null;
}
