/** An outcome in `top`'s footer, pure: its lines at a width, within the rows the frame leaves it. */
import { oneLine, visibleLength, wrapText } from '../text/wrap';

/** A line cut to `width` between words, "…" where the rest would be (a word longer than the line is cut in it). */
function cutLine(line: string, width: number): string {
  if (visibleLength(line) <= width) return line;
  const room = [...line].slice(0, Math.max(0, width - 1)).join('');
  const lead = /^ */.exec(line)![0].length;
  const space = room.lastIndexOf(' ');
  return `${(space > lead ? room.slice(0, space) : room).trimEnd().replace(/[,:;]$/, '')}…`;
}

/** Past its room the last line holds the rest, cut between words. */
function cut(lines: string[], room: number, width: number): string[] {
  if (lines.length <= room) return lines;
  const rest = lines.slice(room - 1);
  return [...lines.slice(0, room - 1), cutLine([rest[0]!, ...rest.slice(1).map((l) => l.trim())].join(' '), width)];
}

/**
 * The message wrapped between words, continuations 2 columns in, its lines joined as sentences.
 * Taller than its `room`, a message of several lines keeps its first line and its last
 * (a refusal's repair advice) and says how many lines it leaves out between them.
 */
export function footerLines(text: string, width: number, room: number): string[] {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const whole = wrapText(oneLine(text), width, 2);
  if (whole.length <= room) return whole;
  const last = wrapText(`  ${lines.at(-1)!}`, width, 2);
  if (lines.length < 3 || last.length + 2 > room) return cut(whole, Math.max(1, room), width);
  const hidden = lines.length - 2;
  const first = cut(wrapText(lines[0]!, width, 2), room - 1 - last.length, width);
  return [...first, `  … ${hidden} more line${hidden === 1 ? '' : 's'}`, ...last];
}
