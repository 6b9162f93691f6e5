import { runGateway } from '../gateway/supervise';
import type { CommandContext } from './context';

export async function run(ctx: CommandContext): Promise<number> {
  return runGateway({
    paths: ctx.paths,
    home: ctx.home,
    env: ctx.env,
    port: ctx.flags.port as number | undefined,
    invocation: ctx.invocation,
    write: (line) => ctx.out.line(line),
  });
}
