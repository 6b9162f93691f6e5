import { runGateway } from '../gateway/supervise';
import type { ExitCode } from '../core/errors';
import { type CommandContext } from '../ui/context';
import type { GATEWAY_FLAGS } from '../flags';

export async function run(ctx: CommandContext<typeof GATEWAY_FLAGS>): Promise<ExitCode> {
  return runGateway({
    paths: ctx.paths,
    home: ctx.home,
    env: ctx.env,
    port: ctx.flags.port,
    invocation: ctx.invocation,
    write: (line) => ctx.out.line(line),
  });
}
