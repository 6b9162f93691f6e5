import { errorLine, EXIT, UsageError, type ExitCode } from '../core/errors';
import { humanLines, sinceCutoff, timeFormFor, type LogEvent } from '../core/log/event';
import { collectLogs, followLogs, hostLogSources, type LogSource } from '../host/log/read';
import { noProfileOnHost } from '../core/messages';
import { notSetUpHere } from '../host/profile/not-set-up';
import { loadConfig } from '../host/store/store';
import type { LOGS_FLAGS } from '../flags';
import type { CommandContext } from '../ui/context';
import { tableWidth, wrappedLines } from '../ui/output';

type Ctx = CommandContext<typeof LOGS_FLAGS>;

/** Without -n or --since: the last this many events. */
const DEFAULT_LINES = 50;

function countOf(ctx: Ctx): number | undefined {
  const n = ctx.flags.lines;
  if (n !== undefined && (!Number.isInteger(n) || n < 0)) throw new UsageError(`-n takes a whole number of events, 0 or more, not ${n}. Example: -n 100`);
  return n ?? (ctx.flags.since === undefined ? DEFAULT_LINES : undefined);
}

export async function run(ctx: Ctx): Promise<ExitCode> {
  const { out, flags } = ctx;
  const cutoff = flags.since === undefined ? null : sinceCutoff(flags.since, Date.now());
  const count = countOf(ctx);
  const sources: LogSource[] = flags.all === true ? await hostLogSources(ctx.home) : [{ label: ctx.paths.label, stateDir: ctx.paths.stateDir }];
  const width = Math.max(0, ...sources.map((s) => s.label.length));
  const prefix = flags.all === true ? { width } : null;
  // A narrow terminal gets the clock alone, and continuations nearer its edge; a pipe, the full time.
  const columns = tableWidth(out);
  const time = timeFormFor(columns);
  const print = (event: LogEvent) => {
    if (flags.json === true) return out.jsonLine(event);
    for (const line of humanLines(event, prefix, time, columns)) for (const part of wrappedLines(out, line.text, line.hang)) out.line(part);
  };
  const { events, problems, ends, allRefused } = await collectLogs(sources, { cutoff, count, home: ctx.home });
  for (const problem of problems) out.error(errorLine(problem));
  // Nothing to show, and nothing that would ever write it: an error, with -f too (it would follow nothing until Ctrl-C).
  if (sources.length === 0) {
    out.error(errorLine(noProfileOnHost('there is no log to show')));
    return EXIT.unhealthy;
  }
  if (flags.all !== true && events.length === 0 && problems.length === 0 && (await loadConfig(ctx.paths.configPath)).state === 'missing') {
    // "epiloop logs" on a host of only main and rescue means the default profile: say which there are.
    out.error(errorLine(await notSetUpHere(ctx.paths, ctx.home, ctx.invocation, 'logs')));
    return EXIT.unhealthy;
  }
  if (events.length === 0 && problems.length === 0 && flags.follow !== true && flags.json !== true) out.error(`No events${cutoff === null ? '' : ' in that time'} in ${flags.all === true ? 'any profile\'s log' : `the log of profile "${ctx.paths.label}"`}.`);
  events.forEach(print);
  // A log refused is a failure: its events were not shown. -f follows the others, if any are left.
  const done = problems.length === 0 ? EXIT.ok : EXIT.unhealthy;
  if (flags.follow !== true || allRefused) return done;
  const stop = new AbortController();
  // Ctrl-C is how -f ends: the normal way out, not a cancelled action.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  await followLogs(sources, ends, (fresh) => fresh.forEach(print), stop.signal);
  return done;
}
