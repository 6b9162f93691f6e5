/** How `top` shares the terminal's rows among its parts, pure: nothing is drawn past the last row. */

export interface TopLayout {
  /** Profile rows shown, from `first`: a window that keeps the selected one in sight. */
  first: number;
  shown: number;
  /** Port map rows shown (0: the part is left out). */
  ports: number;
  /** The lines those rows take as drawn, and the line saying how many more there are when the map is cut. */
  portLines: number;
  /** Log lines shown (0: the part is left out). */
  log: number;
  /** Whether the host strip (its `stripLines`) fits. */
  strip: boolean;
  /** A view's body lines under its title (details, help, doctor, the full log); 0 on the main view. */
  body: number;
}

export interface TopParts {
  /** A view (details, help, doctor, the full log) in place of the port map and the log. */
  view?: boolean;
  /** The footer's lines: one for the hints, more for an outcome wrapped between words. */
  footer?: number;
  /** The lines the port map's first `count` rows take as drawn (a row wraps on a narrow terminal); one each unless told. */
  portLines?: (count: number) => number;
  /** The host strip's lines: its axis and its labels, and the legend where a label does not fit (2 unless told). */
  stripLines?: number;
}

/** A view's body keeps this many lines before the table shows more than the selected profile. */
const VIEW_BODY = 5;

/** The frame's lines but the profile rows and the parts below them: the title, the table's heading. */
const HEAD = 2;

/** The lines a footer may take: what is left with the title, the table's heading, one profile and (in a view) its margin and title drawn. */
export function footerRoom(rows: number, view: boolean): number {
  return Math.max(1, rows - HEAD - 1 - (view ? 2 : 0));
}

export function topLayout(rows: number, profiles: number, selected: number, portRows: number, parts: TopParts = {}): TopLayout {
  let left = Math.max(1, rows - HEAD - (parts.footer ?? 1));
  const firstOf = (shown: number) => Math.min(Math.max(0, selected - shown + 1), Math.max(0, profiles - shown));
  if (parts.view === true) {
    // A blank line and the view's title, then its body: the table keeps half the rows at most, and gives
    // up more, down to the selected one, for VIEW_BODY lines. No host strip: it is the port map's context.
    const shown = Math.min(profiles, Math.max(1, Math.min(left - 2 - VIEW_BODY, Math.floor((left - 2) / 2))));
    return { first: firstOf(shown), shown, ports: 0, portLines: 0, log: 0, strip: false, body: Math.max(0, left - shown - 2) };
  }
  const stripLines = parts.stripLines ?? 2;
  const strip = left - Math.min(profiles, 3) >= 4 + stripLines;
  if (strip) left -= stripLines;
  const shown = Math.min(profiles, Math.max(1, strip ? left - 4 : left));
  left -= shown;
  // The port map (a blank line and its heading first), then the log (the same) in what is left.
  // Cut, the map keeps a line to say how many rows are out of sight.
  const linesOf = parts.portLines ?? ((count: number) => count);
  const room = left >= 4 ? left - 2 : 0;
  let ports = portRows;
  if (linesOf(ports) > room) do ports -= 1; while (ports > 0 && linesOf(ports) + 1 > room);
  const portLines = ports === 0 ? 0 : linesOf(ports) + (ports < portRows ? 1 : 0);
  left -= ports === 0 ? 0 : portLines + 2;
  // The log only below a whole port map: it gives way first.
  const log = ports === portRows && left >= 3 ? left - 2 : 0;
  return { first: firstOf(shown), shown, ports, portLines, log, strip, body: 0 };
}

/** "↑ 3 more lines", "↓ 1 more line": what a scrolled body has out of sight on that side (the wizard's words). */
export function moreLines(arrow: '↑' | '↓', count: number): string {
  return `${arrow} ${count} more line${count === 1 ? '' : 's'}`;
}

/** How far a body of `count` lines scrolls in `room` lines (scrolledLog, scrolledView): each step shows one more line; 0 when it fits. */
export function scrollLimit(count: number, room: number): number {
  return count <= room || room < 2 ? 0 : count - room + 1;
}

/**
 * The full log's `room` lines, `scroll` lines up from its end (it opens there, on the newest):
 * what is out of sight above is said in the first line, what is below (once scrolled) in the last.
 */
export function scrolledLog(lines: readonly string[], room: number, scroll: number): string[] {
  if (lines.length <= room) return [...lines];
  const end = Math.max(1, lines.length - Math.max(0, scroll));
  if (room <= 0) return [];
  if (room === 1) return [moreLines('↑', lines.length)];
  if (room === 2) return end === 1 ? [lines[0]!, moreLines('↓', lines.length - 1)] : [moreLines('↑', end - 1), lines[end - 1]!];
  if (end === lines.length) return [moreLines('↑', lines.length - room + 1), ...lines.slice(lines.length - room + 1)];
  // Scrolled up: the last line says what is below; with more than one above too, room − 2 lines of the log.
  const start = end - (room - 2);
  if (start <= 1) return [...lines.slice(0, room - 1), moreLines('↓', lines.length - room + 1)];
  return [moreLines('↑', start), ...lines.slice(start, end), moreLines('↓', lines.length - end)];
}

/**
 * A view read from its top (help, details, doctor): its `room` lines, `down` lines scrolled down
 * (no further than its last line); what is out of sight is said as the full log says it.
 */
export function scrolledView(lines: readonly string[], room: number, down: number): string[] {
  if (room === 1 && lines.length > 1) return [moreLines('↓', lines.length)];
  const limit = scrollLimit(lines.length, room);
  return scrolledLog(lines, room, limit - Math.min(Math.max(0, down), limit));
}
