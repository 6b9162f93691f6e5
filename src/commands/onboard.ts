import { UsageError, type ExitCode } from '../core/errors';
import { defaultRole } from '../core/wizard/answers';
import { givenAnswers } from '../core/wizard/questions';
import { canPrompt, noTerminalMessage, wantsLineMode } from '../core/wizard/terminal';
import { type CommandContext } from '../ui/context';
import { withoutFetch } from '../ui/ink-load';
import type { ONBOARD_FLAGS } from '../flags';

/**
 * The wizard, its line mode (--plain) and its flag mode (--non-interactive / --yes).
 * Ink loads only on the wizard's path, after the terminal check, so no other command
 * (and no run without a terminal) pays for it or meets its raw-mode error.
 */
export async function run(ctx: CommandContext<typeof ONBOARD_FLAGS>): Promise<ExitCode> {
  const given = givenAnswers(ctx.flags, { home: ctx.home, cwd: ctx.cwd, env: ctx.env, invocation: ctx.invocation });
  const load = { home: ctx.home, env: ctx.env, invocation: ctx.invocation, given };
  if (ctx.flags['non-interactive'] === true || ctx.flags.yes === true) {
    const { runNonInteractive } = await import('../ui/wizard/noninteractive');
    return runNonInteractive(ctx, load, ctx.flags.yes === true);
  }
  if (!canPrompt(process.stdin, process.stdout, ctx.env)) {
    throw new UsageError(noTerminalMessage(ctx.invocation, given.role ?? defaultRole(ctx.paths.profile), ctx.env));
  }
  if (wantsLineMode(ctx.flags.plain, ctx.env)) {
    const { runPlain } = await import('../ui/wizard/plain');
    return runPlain(ctx, load);
  }
  // chalk (inside Ink) reads FORCE_COLOR but not NO_COLOR, once, when it is first imported.
  if (!ctx.out.color) process.env.FORCE_COLOR = '0';
  const { loadFacts, hostIO } = await import('../ui/wizard/io');
  const [facts, { runWizard }] = await Promise.all([loadFacts(ctx.paths, load), withoutFetch(() => import('../../components/run'))]);
  return runWizard(facts, hostIO(facts, ctx.env));
}
