import { render } from 'ink';
import { App } from './App';
import type { WizardFacts } from '../src/core/wizard/facts';
import type { WizardIO } from '../src/ui/wizard/io';
import { EXIT, type ExitCode } from '../src/core/errors';

/** Clear the screen, cursor home: the terminal has re-wrapped the old frame, so erasing it line by line would leave copies. */
const CLEAR_SCREEN = '\u001b[2J\u001b[H';

/** Draws the wizard on this terminal until it exits; resolves with the exit code (0, 1, 130). */
export async function runWizard(facts: WizardFacts, io: WizardIO): Promise<ExitCode> {
  let code: ExitCode = EXIT.cancelled;
  // Registered before Ink's own listener, so the screen is blank when Ink redraws at the new size.
  const cleared = () => process.stdout.write(CLEAR_SCREEN);
  process.stdout.on('resize', cleared);
  const instance = render(<App facts={facts} io={io} onExit={(c) => (code = c)} />, {
    exitOnCtrlC: false,
    patchConsole: false,
  });
  try {
    await instance.waitUntilExit();
  } finally {
    process.stdout.off('resize', cleared);
  }
  return code;
}
