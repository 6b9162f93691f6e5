/**
 * Ink hands over a burst of plain keys read in one chunk (Enter pressed twice quickly,
 * "19\r", Ctrl-C after a letter) as one input string. Split it back into keys so none is
 * lost; runs of printable text stay together, so a paste into a field stays one edit.
 * A lone "\n" is Enter too: typed before raw mode is on, the terminal turned "\r" into it.
 */
const CONTROL: Record<string, { input: string; key: KeyFlags }> = {
  '\r': { input: '\r', key: { return: true } },
  '\n': { input: '\r', key: { return: true } },
  '\t': { input: '\t', key: { tab: true } },
  '\u0003': { input: 'c', key: { ctrl: true } },
  '\u0015': { input: 'u', key: { ctrl: true } },
  '\u007f': { input: '', key: { backspace: true } },
  '\b': { input: '', key: { backspace: true } },
};

const CONTROL_CHARS = /([\r\n\t\u0003\u0015\u007f\b])/;

export function splitKeys(input: string, key: KeyFlags): { input: string; key: KeyFlags }[] {
  if (Object.values(key).some(Boolean) || !CONTROL_CHARS.test(input)) return [{ input, key }];
  return input
    .split(CONTROL_CHARS)
    .filter((part) => part !== '')
    .map((part) => CONTROL[part] ?? { input: part, key: {} });
}

/** Printable text typed into a field (a paste arrives whole; splitKeys already made its line breaks Enter). */
export function typed(input: string, key: KeyFlags): string {
  if (key.ctrl || key.meta) return '';
  return input.replace(/[\u0000-\u001f\u007f]/g, '');
}

export interface KeyFlags {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
}
