/**
 * Word wrapping for the terminal: text is wrapped, never cut. A line's continuation keeps
 * its indent (the leading spaces, or a hanging indent the caller names, e.g. the column a
 * table cell or a list item's text starts at). A command to run stays on one line where one
 * holds it. Colour sequences count for nothing in width.
 */
import { PROFILE_ENV } from '../profile/identity';

const SGR = /\u001b\[[0-9;]*m/g;

/** The first word of a command a message names (invocationOf's), after an opening quote or parenthesis. */
const COMMAND_START = new RegExp(`^[("]*(?:epiloop|${PROFILE_ENV}=)$`);

export function visibleLength(text: string): number {
  return [...text.replace(SGR, '')].length;
}

/**
 * A word longer than the room is split: a path after its last slash that fits (never inside a
 * name when the name fits a line), else at the room.
 */
function pieces(word: string, room: number): string[] {
  if (visibleLength(word) <= room || word.includes("\u001b")) return [word];
  const chars = [...word];
  const out: string[] = [];
  for (let i = 0; i < chars.length; ) {
    let end = Math.min(chars.length, i + room);
    if (end < chars.length) {
      const slash = chars.lastIndexOf('/', end - 1);
      if (slash > i) end = slash + 1;
    }
    out.push(chars.slice(i, end).join(''));
    i = end;
  }
  return out;
}

/**
 * The last of `words` (each with the spaces before it) in the command that starts at `at`; `at`
 * itself where none starts there. A command in double quotes ends at its closing quote (none: no
 * command); one without quotes ends with the sentence: at a word that ends in punctuation, or
 * before "or", "and", a "(" or a table's gap. Inside its single-quoted arguments nothing ends it.
 */
function commandEnd(words: readonly string[], at: number): number {
  const first = words[at]!.trimStart().replace(SGR, '');
  if (!COMMAND_START.test(first)) return at;
  const quoted = /^[("]*/.exec(first)![0].includes('"');
  let single = false;
  for (let i = at; i < words.length; i++) {
    const word = words[i]!.trimStart().replace(SGR, '');
    if (i > at && !quoted && !single && (/^ {2,}/.test(words[i]!) || /^(?:or|and|·)$/.test(word) || word.startsWith('('))) return i - 1;
    for (const char of i === at ? word.replace(/^[("]*/, '') : word) {
      if (char === "'") single = !single;
      else if (char === '"' && quoted && !single) return i;
    }
    if (!quoted && !single && /[.,;:!?)]$/.test(word)) return i;
  }
  return quoted ? at : words.length - 1;
}

/**
 * The text in lines of at most `width` columns, broken between words. Continuation lines
 * start with `hang` spaces: by default as many as the text's own leading spaces.
 */
export function wrapText(text: string, width: number, hang?: number): string[] {
  const lead = /^ */.exec(text)![0];
  const indent = ' '.repeat(Math.min(hang ?? lead.length, Math.max(0, width - 8)));
  if (visibleLength(text) <= width) return [text];
  const room = Math.max(1, width - indent.length);
  // Each word with the spaces before it: a line keeps its own spacing (table columns), a break drops them.
  const words = text.slice(lead.length).match(/ *\S+/g) ?? [];
  // A command that fits a line is one word here: the line breaks before it, not inside it.
  const units: string[] = [];
  for (let at = 0; at < words.length; ) {
    const end = commandEnd(words, at);
    const command = words.slice(at, end + 1).join('');
    if (end > at && visibleLength(command.trimStart()) <= room) units.push(command);
    else units.push(...words.slice(at, end + 1));
    at = end + 1;
  }
  const lines: string[] = [];
  let current = lead;
  let empty = true;
  for (const spaced of units) {
    const gap = /^ */.exec(spaced)![0];
    for (const [i, piece] of pieces(spaced.slice(gap.length), room).entries()) {
      const joined = empty ? current + piece : current + (i === 0 ? gap : '') + piece;
      if (visibleLength(joined) <= width) current = joined;
      else {
        if (!empty) lines.push(current);
        current = indent + piece;
      }
      empty = false;
    }
  }
  lines.push(current);
  return lines;
}

/**
 * A message of several lines as one line to wrap: each line break, with the indent after it, one
 * space; a line that ends without punctuation of its own ends a sentence there ("." before a
 * capital, ";" before the rest), so "… on 127.0.0.1" and "Nothing was bound." stay two sentences.
 */
export function oneLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.reduce((joined, line) => {
    if (joined === '') return line;
    const mark = /[.,:;!?…]$/.test(joined) ? '' : /^[A-Z]/.test(line) ? '.' : ';';
    return `${joined}${mark} ${line}`;
  }, '');
}

/** Whether a value starting at `column` keeps room (20 columns) to wrap in: else a table's values go under their labels. */
export function leavesRoom(column: number, width: number): boolean {
  return column <= width - 20;
}

/**
 * Where a body line's continuation goes: under its value when the line is "label  value"
 * (two spaces or more after the label), under its text when it is a list item ("! …", "• …",
 * "note: …") or a finding after its mark ("✖ gateway.port is …"), when that keeps room; else
 * under its own start (a mark's text still under its text).
 */
export function hangOf(text: string, width: number): number {
  // Measured as seen: a line in colour ("note: …" in yellow) starts with a colour code.
  const seen = text.replace(SGR, '');
  const labelled = /^ *\S+(?: \S+)*? {2,}(?=\S)/.exec(seen) ?? /^ *(?:[!•]|note:) (?=\S)/.exec(seen);
  const lead = /^ */.exec(seen)![0].length;
  if (labelled !== null && leavesRoom(labelled[0].length, width)) return labelled[0].length;
  return /^ *[✖⚠✔✘!] \S/.test(seen) ? lead + 2 : lead;
}

/** Every line of a body wrapped, each continuation in its line's own tone, under its value. */
export function wrapAll<T extends { text: string }>(lines: readonly T[], width: number): T[] {
  return lines.flatMap((line) => wrapText(line.text, width, hangOf(line.text, width)).map((text) => ({ ...line, text })));
}

/**
 * Parts joined by " · ", broken only between parts where a line would pass `width`: the line
 * keeps the "·", the next starts under `hang`; a part wider than a line wraps between its words.
 */
export function wrapParts(parts: readonly string[], width: number, hang = 2): string[] {
  const lines: string[] = [];
  let current = '';
  for (const [i, part] of parts.entries()) {
    const joined = current === '' ? part : `${current} · ${part}`;
    // A line that goes on keeps room for its " ·".
    const room = i === parts.length - 1 ? width : width - 2;
    if (current === '' || visibleLength(joined) <= room) current = joined;
    else {
      lines.push(`${current} ·`);
      current = ' '.repeat(hang) + part;
    }
  }
  lines.push(current);
  return lines.flatMap((line) => wrapText(line, width, hang));
}
