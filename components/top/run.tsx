import { render } from 'ink';
import { EXIT, type ExitCode } from '../../src/core/errors';
import type { TopIO } from '../../src/ui/top/io';
import { clearOnResize } from '../resize';
import { Top } from './Top';

/** Draws `top` on this terminal until q; the screen is cleared on the way out. */
export async function runTop(io: TopIO, home: string): Promise<ExitCode> {
  // As the wizard does: a resize re-wraps the old frame, and Ink's line-by-line erase left parts of it on screen.
  const stopClearing = clearOnResize();
  try {
    const instance = render(<Top io={io} home={home} onExit={() => undefined} />, { exitOnCtrlC: false, patchConsole: false });
    await instance.waitUntilExit();
  } finally {
    stopClearing();
  }
  return EXIT.ok;
}
