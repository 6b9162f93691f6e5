/** How `top` shares the terminal's rows among its parts, pure: nothing is drawn past the last row. */

export interface TopLayout {
  /** Profile rows shown, from `first`: a window that keeps the selected one in sight. */
  first: number;
  shown: number;
  /** Port map rows shown (0: the part is left out). */
  ports: number;
  /** Log lines shown (0: the part is left out). */
  log: number;
  /** Whether the host strip (two lines) fits. */
  strip: boolean;
}

/** Lines every frame has: the title, the table's heading, the message or hint line. */
const FIXED = 3;

export function topLayout(rows: number, profiles: number, selected: number, portRows: number): TopLayout {
  let left = Math.max(1, rows - FIXED);
  const strip = left - Math.min(profiles, 3) >= 6;
  if (strip) left -= 2;
  const shown = Math.min(profiles, Math.max(1, strip ? left - 4 : left));
  left -= shown;
  const first = Math.min(Math.max(0, selected - shown + 1), Math.max(0, profiles - shown));
  // The port map (a blank line and its heading first), then the log (the same) in what is left.
  const ports = left >= 4 ? Math.min(portRows, left - 2) : 0;
  left -= ports === 0 ? 0 : ports + 2;
  // The log only below a whole port map: it gives way first.
  const log = ports === portRows && left >= 3 ? left - 2 : 0;
  return { first, shown, ports, log, strip };
}
