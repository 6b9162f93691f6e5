import { render } from 'ink';
import { App } from './App';
import type { WizardFacts } from '../src/core/wizard/facts';
import type { WizardIO } from '../src/ui/wizard/io';
import { EXIT, type ExitCode } from '../src/core/errors';
import { clearOnResize } from './resize';

/** Draws the wizard on this terminal until it exits; resolves with the exit code (0, 1, 130). */
export async function runWizard(facts: WizardFacts, io: WizardIO): Promise<ExitCode> {
  let code: ExitCode = EXIT.cancelled;
  // Registered before Ink's own listener, so the screen is blank when Ink redraws at the new size.
  const stopClearing = clearOnResize();
  const { lineEnded, stopWatching } = watchLineEnd(process.stdout);
  const instance = render(<App facts={facts} io={io} onExit={(c) => (code = c)} />, {
    exitOnCtrlC: false,
    patchConsole: false,
  });
  try {
    await instance.waitUntilExit();
  } finally {
    stopClearing();
    if (!lineEnded()) process.stdout.write('\n');
    stopWatching();
  }
  return code;
}

const ESCAPES = /\u001b\[[0-9;?<>=]*[A-Za-z]/g;

/**
 * Watches what goes to the stream: whether its last visible text ended a line. A frame as tall
 * as the terminal is left by Ink without its newline, and the shell's prompt would follow it.
 */
function watchLineEnd(stream: NodeJS.WriteStream): { lineEnded: () => boolean; stopWatching: () => void } {
  let ended = true;
  const write = stream.write;
  stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    const visible = (typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString()).replace(ESCAPES, '');
    if (visible !== '') ended = visible.endsWith('\n');
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof stream.write;
  return { lineEnded: () => ended, stopWatching: () => void (stream.write = write) };
}
