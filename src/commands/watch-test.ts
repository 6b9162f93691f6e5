import os from 'node:os';
import { formatConfigError } from '../core/config/parse';
import { errorLine, HostError, EXIT, exitFor, type ExitCode } from '../core/errors';
import { sinkLabel } from '../core/watch/alerts';
import { testEvent } from '../core/watch/events';
import { tildify } from '../core/profile/paths';
import { notSetUpHere } from '../host/profile/not-set-up';
import { loadConfig } from '../host/store/store';
import { deliver } from '../host/watch/sinks';
import { type CommandContext } from '../ui/context';
import type { JSON_FLAGS } from '../flags';

/** `epiloop watch test`: one test alert to every sink of this profile's watch.alerts, one attempt each, all at once. */
export async function run(ctx: CommandContext<typeof JSON_FLAGS>): Promise<ExitCode> {
  const { paths, out, home } = ctx;
  const loaded = await loadConfig(paths.configPath);
  if (loaded.state === 'missing') {
    // A profile not set up is the host's state, as status and config say it (exit 1), not a mistyped command.
    throw new HostError(await notSetUpHere(paths, home, ctx.invocation, 'watch test'));
  }
  if (loaded.state === 'invalid') throw new HostError(`${formatConfigError(loaded.error, tildify(loaded.path, home), ctx.invocation)}\nFix the config first: ${ctx.invocation} doctor --fix`);
  const sinks = loaded.config.watch?.alerts ?? [];
  const event = testEvent({ from: paths.label, host: os.hostname(), now: Date.now() }, ctx.invocation);
  if (sinks.length === 0) {
    if (ctx.flags.json === true) out.json({ profile: paths.label, event, results: [], ok: false });
    out.error(errorLine(`profile "${paths.label}" has no alert sinks. Add one to "watch.alerts" in ${tildify(paths.configPath, home)}, for example:`));
    // Text to paste: a line cut by the terminal width would paste as broken JSON.
    out.error(
      `  "alerts": [{ "type": "command", "command": "notify-send epiloop \\"$EPILOOP_EVENT_TITLE\\"" },\n` +
        `             { "type": "webhook", "url": "https://ntfy.sh/<your topic>", "preset": "ntfy" }]`,
      { wrap: false },
    );
    out.error(`then run "${ctx.invocation} watch test" again.`);
    return EXIT.usage;
  }
  const results = await Promise.all(
    sinks.map(async (sink, index) => ({ sink: sinkLabel(sink, index), type: sink.type, ...(await deliver(sink, event, { env: ctx.env, cwd: home })) })),
  );
  const ok = results.every((r) => r.ok);
  if (ctx.flags.json === true) {
    out.json({ profile: paths.label, event, results: results.map((r) => ({ sink: r.sink, type: r.type, ok: r.ok, error: r.ok ? null : r.error, ms: r.ms })), ok });
    return exitFor(ok);
  }
  out.line(`Sent a test alert to ${sinks.length === 1 ? 'the sink' : `each of the ${sinks.length} sinks`} of profile "${paths.label}" (one attempt each, no retry):`);
  for (const r of results) out.line(r.ok ? `  ${out.green('✔')} ${r.sink}: delivered in ${r.ms} ms` : `  ${out.red('✖')} ${r.sink}: ${r.error}`);
  if (!ok) out.line(`${results.filter((r) => !r.ok).length} of ${results.length} failed. The running gateway retries a failing sink with backoff and logs each attempt in ${tildify(paths.stateDir, home)}/watch.log.`);
  return exitFor(ok);
}
