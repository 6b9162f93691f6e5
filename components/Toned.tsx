import type { Tone } from '../src/core/wizard/words';

/** Colour only adds to what the words say; with NO_COLOR (FORCE_COLOR=0) every tone draws plain. */
export const TONE: Record<Tone, { color?: string; dimColor?: boolean; bold?: boolean }> = {
  plain: {},
  dim: { dimColor: true },
  heading: { bold: true },
  good: { color: 'green' },
  bad: { color: 'red' },
  warn: { color: 'yellow' },
  accent: { color: 'cyan' },
  added: { color: 'green' },
  removed: { color: 'red' },
};
