/** Clear the screen, cursor home: the terminal has re-wrapped the old frame, so erasing it line by line would leave copies. */
const CLEAR_SCREEN = '\u001b[2J\u001b[H';

/**
 * Blanks the screen on every resize until the returned function is called. Call it before Ink's
 * render, so this listener runs before Ink's own and the screen is blank when Ink redraws.
 */
export function clearOnResize(stdout: NodeJS.WriteStream = process.stdout): () => void {
  const cleared = () => stdout.write(CLEAR_SCREEN);
  stdout.on('resize', cleared);
  return () => stdout.off('resize', cleared);
}
