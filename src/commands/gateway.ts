import { startGateway } from '../gateway/runtime';
import { EXIT, type ExitCode } from '../core/errors';
import { type CommandContext } from '../ui/context';
import type { GATEWAY_FLAGS } from '../flags';

/** SIGTERM to exit: servers and browsers get this long, then the process exits regardless. */
const SHUTDOWN_MS = 1500;

export async function run(ctx: CommandContext<typeof GATEWAY_FLAGS>): Promise<ExitCode> {
  const log = (line: string) => ctx.out.line(`${new Date().toISOString()} ${line}`);
  // Listening before the start: a signal sent as soon as "ready" shows must stop the gateway
  // cleanly, not kill it with the lock left behind. (Signal listeners keep no process alive.)
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  const gateway = await startGateway({
    paths: ctx.paths,
    home: ctx.home,
    env: ctx.env,
    port: ctx.flags.port,
    invocation: ctx.invocation,
    log,
  });
  const signal = await stopSignal;
  log(`${signal} received, shutting down`);
  await gateway.stop(SHUTDOWN_MS);
  // Whatever a library may still hold open, the gateway has promised to be gone within 2 s.
  setTimeout(() => process.exit(EXIT.ok), 300).unref();
  return EXIT.ok;
}
