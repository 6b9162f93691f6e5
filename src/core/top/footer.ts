/** An outcome in `top`'s footer, pure: its lines at a width, within the rows the frame leaves it. */
import { oneLine, wrapText } from '../text/wrap';

/** Past its room the last line is cut (one line joins the rest: the terminal cuts it at the edge). */
function cut(lines: string[], room: number): string[] {
  return lines.length <= room ? lines : [...lines.slice(0, room - 1), lines.slice(room - 1).join(' ')];
}

/**
 * The message wrapped between words, continuations 2 columns in, its own line breaks read as
 * spaces. Taller than its `room`, a message of several lines keeps its first line and its last
 * (a refusal's repair advice) and says how many lines it leaves out between them.
 */
export function footerLines(text: string, width: number, room: number): string[] {
  const whole = wrapText(oneLine(text), width, 2);
  if (whole.length <= room) return whole;
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const last = wrapText(`  ${lines.at(-1)!.trim()}`, width, 2);
  if (lines.length < 3 || last.length + 2 > room) return cut(whole, Math.max(1, room));
  const hidden = lines.length - 2;
  const first = cut(wrapText(lines[0]!, width, 2), room - 1 - last.length);
  return [...first, `  … ${hidden} more line${hidden === 1 ? '' : 's'}`, ...last];
}
