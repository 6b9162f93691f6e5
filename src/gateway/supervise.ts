import { EXIT, isUserFacing, type ExitCode } from '../core/errors';
import { escapeControl } from '../core/text/escape';
import { createThrottledLog } from './log-throttle';
import type { LogLevel } from '../core/log/event';
import { openGatewayLog } from '../host/log/event-log';
import { emptyHoldings, releaseHoldings, releaseHoldingsNow, startGateway, type GatewayOptions } from './runtime';

/** A stop signal: servers and browsers get this long, then the process exits regardless. */
const SHUTDOWN_MS = 1500;
/** After a bug: the browsers get this long to stop before they and the process are killed. */
const FATAL_GRACE_MS = 1000;
/** Per reason, at most one line (and one count of those left out) in this window: a flood would rotate the useful events away. */
const THROTTLE_WINDOW_MS = 10_000;
/** SIGHUP too: a closed terminal must not leave the browsers and the lock behind. */
const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

export interface SupervisedOptions extends Omit<GatewayOptions, 'log' | 'throttled'> {
  /** Where human log lines go (stdout); every event also goes to the profile's gateway.log, as JSON. */
  write: (line: string) => void;
}

function describeError(error: unknown): string {
  try {
    return (error instanceof Error ? (error.stack ?? error.message) : String(error)).split('\n').join(' | ');
  } catch {
    return 'an error that cannot be shown';
  }
}

/**
 * Runs one gateway in this process until a stop signal, and owns every way it can end. Signal
 * and crash handlers are in place before start-up begins: a signal during start-up aborts it;
 * an uncaught exception or unhandled rejection anywhere stops the browsers, releases the lock
 * and exits 70; any exit at all (even process.exit elsewhere) kills the browsers and releases
 * the lock on its way out.
 */
export async function runGateway(options: SupervisedOptions): Promise<ExitCode> {
  // One line per event, and nothing a client or a file put in a value can drive the terminal.
  const events = await openGatewayLog(options.paths, (message) => options.write(`${new Date().toISOString()} ${message}`));
  const log = (line: string, level: LogLevel = 'info') => {
    const text = escapeControl(line);
    options.write(`${new Date().toISOString()} ${text}`);
    events.write(level, text);
  };
  const throttled = createThrottledLog(log, THROTTLE_WINDOW_MS);
  const held = emptyHoldings();
  const abort = new AbortController();
  const exitNow = (code: number): never => {
    throttled.flush();
    releaseHoldingsNow(held);
    process.exit(code);
  };

  let stopSignal: NodeJS.Signals | null = null;
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
    for (const signal of STOP_SIGNALS) {
      process.on(signal, () => {
        // A second signal does not wait for the first stop.
        if (stopSignal !== null) exitNow(EXIT.ok);
        stopSignal = signal;
        abort.abort(new Error(`${signal} received`));
        setTimeout(() => exitNow(EXIT.ok), SHUTDOWN_MS + 500).unref();
        resolve(signal);
      });
    }
  });

  let failing = false;
  const fatal = (error: unknown) => {
    if (failing) exitNow(EXIT.internal);
    failing = true;
    abort.abort(error);
    log(`internal error — this is a bug, please report it; stopping: ${describeError(error)}`, 'error');
    setTimeout(() => exitNow(EXIT.internal), FATAL_GRACE_MS + 500);
    void releaseHoldings(held, FATAL_GRACE_MS).finally(() => exitNow(EXIT.internal));
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  process.on('exit', () => {
    throttled.flush();
    releaseHoldingsNow(held);
  });

  events.write('info', `gateway of profile "${escapeControl(options.paths.label)}" starting (pid ${process.pid})`);
  try {
    await startGateway({ ...options, log, throttled }, held, abort.signal);
  } catch (error) {
    await releaseHoldings(held, SHUTDOWN_MS);
    if (failing) return new Promise<never>(() => undefined);
    if (stopSignal !== null) {
      log(`${stopSignal} received during start-up; stopped before serving, nothing is bound`);
      return EXIT.ok;
    }
    // Messages quote config values and host facts: printed as they are, not as terminal codes.
    if (isUserFacing(error)) error.message = escapeControl(error.message, { keepNewlines: true });
    events.write('error', `not started: ${error instanceof Error ? error.message : String(error)}`);
    events.close();
    throw error;
  }
  const signal = await stopRequested;
  log(`${signal} received, shutting down`);
  await releaseHoldings(held, SHUTDOWN_MS);
  throttled.flush();
  log(`gateway of profile "${options.paths.label}" stopped`);
  // Whatever a library may still hold open, the gateway has promised to be gone within 2 s.
  setTimeout(() => process.exit(EXIT.ok), 300).unref();
  return EXIT.ok;
}
