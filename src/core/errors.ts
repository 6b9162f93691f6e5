/** Exit codes, documented in the README. One place maps errors to them: cli.ts. */
export const EXIT = {
  ok: 0,
  unhealthy: 1,
  usage: 2,
  /** `gateway` started while this profile's gateway already runs: not a failure to retry. */
  alreadyRunning: 3,
  cancelled: 130,
  /** A bug: anything thrown that is not a user-facing error (BSD's EX_SOFTWARE); the only exit that prints a stack trace. */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What a check (status, doctor, ports, …) exits with: ok when healthy, else unhealthy. */
export function exitFor(healthy: boolean): ExitCode {
  return healthy ? EXIT.ok : EXIT.unhealthy;
}

/** How an error reads on stderr, whichever command prints it (cli.ts for a thrown one, or the command itself). */
export function errorLine(message: string): string {
  return `epiloop: ${message}`;
}

/** A mistake the user can fix: bad flag, bad name, bad port. Exit 2, message includes the fix. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode: ExitCode = EXIT.usage;
}

/** Something on the host is wrong (port taken, config broken, service manager missing). Exit 1. */
export class HostError extends Error {
  override name = 'HostError';
  readonly exitCode: ExitCode = EXIT.unhealthy;
}

/** The user pressed Ctrl-C or declined. Exit 130; never reported as success. */
export class Cancelled extends Error {
  override name = 'Cancelled';
  readonly exitCode: ExitCode = EXIT.cancelled;
  constructor(message = 'Cancelled. Nothing was written.') {
    super(message);
  }
}

export class AlreadyRunning extends Error {
  override name = 'AlreadyRunning';
  readonly exitCode: ExitCode = EXIT.alreadyRunning;
}

export type UserFacingError = UsageError | HostError | Cancelled | AlreadyRunning;

export function isUserFacing(error: unknown): error is UserFacingError {
  return (
    error instanceof UsageError ||
    error instanceof HostError ||
    error instanceof Cancelled ||
    error instanceof AlreadyRunning
  );
}
