import { render } from 'ink';
import { EXIT, type ExitCode } from '../../src/core/errors';
import type { TopIO } from '../../src/ui/top/io';
import { Top } from './Top';

/** Draws `top` on this terminal until q; the screen is cleared on the way out. */
export async function runTop(io: TopIO, home: string): Promise<ExitCode> {
  const instance = render(<Top io={io} home={home} onExit={() => undefined} />, { exitOnCtrlC: false, patchConsole: false });
  await instance.waitUntilExit();
  return EXIT.ok;
}
