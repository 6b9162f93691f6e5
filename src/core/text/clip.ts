/** One long line shown in a window of a terminal's width. Pure. */

/**
 * `text` clipped to `width` characters around index `at` (about half before it), with … on a
 * side cut off; `offset` is where `at` lands in the clipped text. A line within `width` is whole.
 */
export function clipAround(text: string, at: number, width: number): { text: string; offset: number } {
  if (text.length <= width) return { text, offset: at };
  const start = Math.max(0, Math.min(at - Math.floor(width / 2), text.length - width));
  const end = Math.min(text.length, start + width);
  const head = start > 0 ? '…' : '';
  return { text: `${head}${text.slice(start, end)}${end < text.length ? '…' : ''}`, offset: head.length + at - start };
}
