import path from 'node:path';
import { UsageError, type ExitCode } from '../core/errors';
import { expandHome } from '../core/profile/paths';
import { WIZARD_ROLES, type WizardFacts, type WizardRole } from '../core/wizard/facts';
import { defaultRole, givenPort } from '../core/wizard/answers';
import { canPrompt, noTerminalMessage } from '../core/wizard/terminal';
import { type CommandContext } from '../ui/context';
import type { ONBOARD_FLAGS } from '../flags';

function givenAnswers(ctx: CommandContext<typeof ONBOARD_FLAGS>): WizardFacts['given'] {
  const { flags } = ctx;
  const role = flags.role;
  if (role !== undefined && !WIZARD_ROLES.includes(role as WizardRole)) {
    throw new UsageError(`--role is "${role}"; use --role main or --role rescue.`);
  }
  const workspaceFlag = flags.workspace;
  if (workspaceFlag !== undefined && workspaceFlag.trim() === '') throw new UsageError('--workspace needs a directory path.');
  // As setup reads it: relative to where the command runs.
  const workspace = workspaceFlag === undefined ? undefined : path.resolve(expandHome(workspaceFlag, ctx.home));
  const port = givenPort(flags.port, ctx.env);
  return {
    ...(role === undefined ? {} : { role: role as WizardRole }),
    ...(port === undefined ? {} : { port }),
    ...(workspace === undefined ? {} : { workspace }),
    ...(flags['install-service'] === undefined ? {} : { installService: flags['install-service'] }),
  };
}

/**
 * The wizard, its line mode (--plain) and its flag mode (--non-interactive / --yes).
 * Ink loads only on the wizard's path, after the terminal check, so no other command
 * (and no run without a terminal) pays for it or meets its raw-mode error.
 */
export async function run(ctx: CommandContext<typeof ONBOARD_FLAGS>): Promise<ExitCode> {
  const given = givenAnswers(ctx);
  const load = { home: ctx.home, env: ctx.env, invocation: ctx.invocation, given };
  if (ctx.flags['non-interactive'] === true || ctx.flags.yes === true) {
    const { runNonInteractive } = await import('../ui/wizard/noninteractive');
    return runNonInteractive(ctx, load, ctx.flags.yes === true);
  }
  if (!canPrompt(process.stdin, process.stdout, ctx.env)) {
    throw new UsageError(noTerminalMessage(ctx.invocation, given.role ?? defaultRole(ctx.paths.profile), ctx.env));
  }
  if (ctx.flags.plain === true) {
    const { runPlain } = await import('../ui/wizard/plain');
    return runPlain(ctx, load);
  }
  // chalk (inside Ink) reads FORCE_COLOR but not NO_COLOR, once, when it is first imported.
  if (!ctx.out.color) process.env.FORCE_COLOR = '0';
  const { loadFacts, hostIO } = await import('../ui/wizard/io');
  const [facts, { runWizard }] = await Promise.all([loadFacts(ctx.paths, load), import('../../components/run')]);
  return runWizard(facts, hostIO(facts, ctx.env));
}
