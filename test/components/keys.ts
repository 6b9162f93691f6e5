/** What a terminal sends for each key: the wizard's tests type these into Ink's stdin or a real PTY. */
export const KEYS = {
  enter: '\r',
  esc: '\u001b',
  up: '\u001b[A',
  down: '\u001b[B',
  pageUp: '\u001b[5~',
  pageDown: '\u001b[6~',
  ctrlC: '\u0003',
  ctrlU: '\u0015',
  space: ' ',
} as const;

export type KeyName = keyof typeof KEYS;
