import { render } from 'ink';
import { EXIT, type ExitCode } from '../../src/core/errors';
import type { TopIO } from '../../src/ui/top/io';
import { clearOnResize } from '../resize';
import { Top } from './Top';
import { SCREENFUL, type TopStart } from './use-top';

/**
 * How long the screen stays blank for the first read once Ink has loaded: a read done by then
 * is the first frame, whole (one draw, not "Reading the host…" and then the facts); a slower
 * one (a gateway that does not answer its /health) shows "Reading the host…" until it ends.
 */
export const FIRST_READ_WAIT_MS = 250;

/** The first read (and the first profile's log) if they come within `waitMs`; else the read still under way. */
export async function topStart(io: TopIO, waitMs: number): Promise<TopStart> {
  const reading = io.read();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(resolve, waitMs, null)));
  const facts = await Promise.race([reading, late]).catch(() => null);
  clearTimeout(timer);
  if (facts === null) return { reading };
  const first = facts.rows[0];
  const log = first === undefined ? [] : await io.log(first.label, SCREENFUL).catch(() => []);
  return { facts, log };
}

/** Draws `top` on this terminal until q; the screen is cleared on the way out. */
export async function runTop(io: TopIO, home: string): Promise<ExitCode> {
  const start = await topStart(io, FIRST_READ_WAIT_MS);
  // As the wizard does: a resize re-wraps the old frame, and Ink's line-by-line erase left parts of it on screen.
  const stopClearing = clearOnResize();
  try {
    const instance = render(<Top io={io} home={home} start={start} onExit={() => undefined} />, { exitOnCtrlC: false, patchConsole: false });
    await instance.waitUntilExit();
  } finally {
    stopClearing();
  }
  return EXIT.ok;
}
