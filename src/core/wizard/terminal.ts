/** Whether the wizard may draw, decided before Ink is imported: Ink without a TTY dies on raw mode. */
import type { WizardRole } from './facts';
import { answerFlagsText } from './questions';

type Env = Record<string, string | undefined>;

/** The CI test of is-in-ci, which Ink itself uses: set and not "0" or "false". */
export function isCI(env: Env): boolean {
  return ['CI', 'CONTINUOUS_INTEGRATION'].some((key) => env[key] !== undefined && env[key] !== '0' && env[key] !== 'false');
}

export function canPrompt(stdin: { isTTY?: boolean }, stdout: { isTTY?: boolean }, env: Env): boolean {
  return stdin.isTTY === true && stdout.isTTY === true && !isCI(env);
}

/** Why canPrompt said no, in the words of every command that draws (onboard, top): CI first, as Ink tests it. */
export function noTerminalReason(env: Env): string {
  return isCI(env) ? 'CI is set' : 'stdin or stdout is not a terminal';
}

/** What to run instead, as a line that can be pasted. */
export function noTerminalMessage(invocation: string, role: WizardRole, env: Env): string {
  return [
    `"${invocation} onboard" asks its questions in a terminal, and ${noTerminalReason(env)}. Run it non-interactively instead, e.g.:`,
    `  ${invocation} onboard --non-interactive --role ${role} --yes`,
    `Every answer has a flag: ${answerFlagsText()}.`,
    'Without --yes it prints what it would write and writes nothing.',
  ].join('\n');
}

/** A terminal that cannot draw a full-screen frame (TERM=dumb: no cursor movement) gets the line mode, --plain. */
export function wantsLineMode(plainFlag: boolean | undefined, env: Env): boolean {
  return plainFlag === true || env.TERM === 'dumb';
}
