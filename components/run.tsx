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
  const instance = render(<App facts={facts} io={io} onExit={(c) => (code = c)} />, {
    exitOnCtrlC: false,
    patchConsole: false,
  });
  try {
    await instance.waitUntilExit();
  } finally {
    stopClearing();
  }
  return code;
}
