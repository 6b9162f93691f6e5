import { UsageError, type ExitCode } from '../core/errors';
import { canPrompt, noTerminalReason } from '../core/wizard/terminal';
import { type CommandContext } from '../ui/context';
import { withoutFetch } from '../ui/ink-load';
import type { NO_FLAGS } from '../flags';

/**
 * The live screen. Like the wizard, Ink loads only here and only after the terminal check:
 * without one, the commands that print the same facts are named instead.
 */
export async function run(ctx: CommandContext<typeof NO_FLAGS>): Promise<ExitCode> {
  if (!canPrompt(process.stdin, process.stdout, ctx.env)) {
    throw new UsageError(
      `"epiloop top" draws a live screen in a terminal, and ${noTerminalReason(ctx.env)}. Instead, "epiloop ports" prints the port map and "epiloop list --json" every profile's state.`,
    );
  }
  // chalk (inside Ink) reads FORCE_COLOR but not NO_COLOR, once, when it is first imported.
  if (!ctx.out.color) process.env.FORCE_COLOR = '0';
  // The first read of the host runs while Ink loads.
  const { hostTopIO } = await import('../ui/top/io');
  const io = hostTopIO({ home: ctx.home, env: ctx.env });
  const { runTop } = await withoutFetch(() => import('../../components/top/run'));
  return runTop(io, ctx.home);
}
