import { brokenConfigProblems, notSetUpAmong } from '../core/messages';
import { exitFor, type ExitCode } from '../core/errors';
import { describeGateway, formatUptime, gatewayProblem, liveOf, startedOnOtherConfig } from '../host/gateway/live';
import { footprint, resolveBase } from '../core/ports/footprint';
import { readHost } from '../host/model';
import { othersOf } from '../host/profile/not-set-up';
import { conflictRows, currentOf, portMap } from '../core/host/view';
import { gatewayMismatch, mismatchFix, type GatewayMismatch } from '../core/host/rules';
import { rowProblem, type PortMapRow } from '../core/ports/portmap';
import { serviceStatus } from '../host/service/install';
import { tildify } from '../core/profile/paths';
import { asSentence } from '../core/text/sentence';
import type { Output } from '../ui/output';
import { table, tableWidth, wrappedLines } from '../ui/output';
import { lastRollbackWords, type WatchReport } from '../core/watch/state';
import type { WatchSection } from '../host/watch/status';
import { refusedConfigProblems } from '../core/config/profile-rules';
import { hostFixes, hostRefusalProblems, hostStartVerdict, startRefusal } from '../core/host/start';
import { bindFacts } from '../host/ports/addresses';
import { rollbackOffer } from '../host/watch/last-good';
import { readRolledBack } from '../host/watch/rolled-back';
import { rolledBackWords } from '../core/watch/rolled-back';
import { serviceProblems, serviceSummary } from './gateway-service';
import { workspaceOf } from '../core/profile/plan';
import { type CommandContext } from '../ui/context';
import type { JSON_FLAGS } from '../flags';
import { portMapLines } from '../ui/portmap';

function watchStateCell(out: Output, report: WatchReport): string {
  const { state } = report;
  return (state === 'up' ? out.green : state === 'down' ? out.red : state === 'degraded' ? out.yellow : out.dim)(report.notAnswering ? `${state} (not answering)` : state);
}

/** A rollback offered, the last restart and rollback of each watched profile, and each alert sink's tally and last result, in words. */
function actionLines(out: Output, section: WatchSection, invocation: string): string[] {
  const lines = section.profiles.flatMap((r) => [
    ...(r.rollback === null ? [] : [`  ${r.profile} is ${r.state} on a config it was never healthy on; roll back to its last-known-good config: ${out.cyan(r.rollback)}`]),
    ...(r.lastRestart === null ? [] : [`  last restart of ${r.profile}: ${r.lastRestart.outcome} at ${r.lastRestart.time}`]),
    ...(r.lastRollback === null ? [] : [`  ${lastRollbackWords(r)}`]),
  ]);
  if (section.sinks.length === 0) {
    // Watching with nowhere to tell: said, or a rescue seems to alert when it only logs.
    if (section.profiles.length > 0) lines.push(`Alerts: none; a change of state is only written to watch.log ("${out.cyan(`${invocation} watch test`)}" shows how to add a sink)`);
    return lines;
  }
  lines.push(section.active ? 'Alerts:' : 'Alerts (sent and counted by the running gateway only; it is not running):');
  for (const s of section.sinks) {
    // While the watching gateway is down nothing is counted: no tally that reads as "nothing sent".
    if (!section.active) {
      lines.push(`  ${s.sink} · ${s.minLevel} and up`);
      continue;
    }
    const last =
      s.last === null ? 'nothing sent yet' : `last: ${s.last.ok ? out.green('sent') : out.red('failed')} at ${s.last.time} ("${s.last.title}")${s.last.ok ? '' : `: ${s.last.error}`}`;
    const tally = [`${s.sent} sent`, `${s.failed} failed`, ...(s.dropped > 0 ? [`${s.dropped} dropped`] : []), ...(s.limited > 0 ? [`${s.limited} held back by the limit`] : [])].join(', ');
    lines.push(`  ${s.sink} · ${s.minLevel} and up · ${tally} · ${last}`);
  }
  return lines;
}

/** The watched profiles: one row each, with how long the state has held where that is known. */
function watchLines(out: Output, section: WatchSection, now: number, invocation: string): string[] {
  const lines = [section.active ? 'Watching (by this gateway):' : out.yellow(`Watching: ${section.note}.`)];
  if (section.active && section.note !== null) lines.push(out.yellow(`  note: ${section.note}`));
  const since = (r: WatchReport) => (r.since === null ? '' : `for ${formatUptime(Math.max(0, now - Date.parse(r.since)))}`);
  lines.push(...table([[out.dim('PROFILE'), out.dim('STATE'), out.dim('SINCE'), out.dim('FINDING')], ...section.profiles.map((r) => [r.profile, watchStateCell(out, r), since(r), r.finding])], tableWidth(out)));
  return [...lines, ...actionLines(out, section, invocation)];
}

export async function run(ctx: CommandContext<typeof JSON_FLAGS>): Promise<ExitCode> {
  const { paths, out, home } = ctx;
  const [view, service] = await Promise.all([readHost({ home, current: paths, health: 'current' }), serviceStatus(paths, { env: ctx.env, home })]);
  const self = currentOf(view);
  const gateway = liveOf(self, home, Date.now());
  const loaded = self.loaded;
  const problems: string[] = [];
  const config = loaded.state === 'ok' ? loaded.config : undefined;
  const base = loaded.state === 'ok' ? resolveBase({ env: ctx.env, config }) : self.base === null ? null : { port: self.base, source: 'config' as const };
  // Whether the gateway would start, as start and restart judge it: the config's rules (no token, watching itself, a bind on
  // no address of this host), then the host's (another profile's ports, a remote browser on them, a lock no gateway takes).
  const verdict = hostStartVerdict(view, self, { home, bind: bindFacts(paths.profile), ...(base === null ? {} : { base }) });
  const refusals = verdict.config.refusals;
  // A config broken or refused: the last-known-good one a watching rescue recorded is a way back, as start offers it.
  const rollback = verdict.config.blocker !== null ? await rollbackOffer(paths, ctx.invocation) : null;
  // A rollback to the last-known-good config, said while the config is what it restored: a note, never a problem.
  const rolledBack = await readRolledBack(paths.stateDir, loaded);
  let rows: PortMapRow[] = [];
  let mismatch: GatewayMismatch | null = null;
  /** A broken config's problems, first in `problems`: every one, and those the text shows. */
  let broken: { every: string[]; shown: string[] } | null = null;
  if (loaded.state === 'missing') {
    // One problem: not set up, with the profiles this host has instead (a hint, not a second problem).
    problems.push(notSetUpAmong({ label: paths.label, invocation: ctx.invocation }, tildify(paths.configPath, home), othersOf(view.profiles, paths), 'status'));
  } else {
    if (loaded.state === 'invalid') {
      // Every problem is counted and in --json; the text shows the first few and counts the rest (configErrorEntries' cap).
      const who = { label: paths.label, invocation: ctx.invocation };
      const orElse = rollback ?? undefined;
      broken = { every: brokenConfigProblems(who, loaded.error, tildify(loaded.path, home), { shown: Infinity, orElse }), shown: brokenConfigProblems(who, loaded.error, tildify(loaded.path, home), { orElse }) };
      problems.push(...broken.every);
    }
    if (base !== null) {
      const fp = footprint(self.readable.config, base.port);
      rows = portMap(view, self, fp);
      for (const row of conflictRows(rows)) problems.push(rowProblem(row));
      mismatch = gatewayMismatch(self, fp, base.source);
      if (mismatch !== null) problems.push(asSentence(`${mismatch.text}: ${mismatchFix(mismatch, ctx.invocation, service.installed)}`));
    }
    // A gateway that runs keeps serving on the config it started with: only its restart meets a refusal.
    const serving = gateway.pid !== null && gateway.url !== null ? { pid: gateway.pid, url: gateway.url } : null;
    // Said first, with its fix (on the last one: advice, not another problem).
    problems.push(...refusedConfigProblems(refusals, ctx.invocation, rollback, serving));
    // Anything keeping it from starting, as start says: the repair comes first, "start it" would only meet the refusal.
    const notServing = gatewayProblem(gateway, ctx.invocation, service.usable, verdict.blocker, hostFixes(verdict.host));
    // What of the host refuses a start, but for what the port map and the gateway line say already.
    problems.push(...hostRefusalProblems(verdict.host, [...problems, ...(notServing === null ? [] : [notServing])], serving, verdict.blocker));
    if (notServing !== null) problems.push(notServing);
  }
  problems.push(...serviceProblems(service, ctx.invocation));
  // The checks load only for a profile that watches: `status` of any other profile stays as fast.
  const watch = config?.watch?.profiles?.length ? await (await import('../host/watch/status')).watchSection(config, paths, { home, env: ctx.env, gateway, report: self.gateway?.report }) : null;
  const healthy = problems.length === 0;
  const workspace = workspaceOf(loaded, paths);
  // A config changed since the running gateway read it (its lock's configSha256) waits for a restart; the base it moved
  // is the mismatch's to say, and a restart that would be refused is not advised.
  const restartDue = gateway.running && startedOnOtherConfig(self);
  const restartNote = restartDue && mismatch === null && verdict.blocker === null ? `started on an earlier config: restart it to apply the changes: "${ctx.invocation} restart"` : null;

  if (ctx.flags.json === true) {
    out.json({
      profile: paths.profile,
      label: paths.label,
      paths: { stateDir: paths.stateDir, configPath: paths.configPath, workspace },
      // A config that parses but that the gateway refuses (status's "needs a fix"): refused, with its problems.
      config: loaded.state === 'invalid' ? { state: loaded.state, error: loaded.error } : refusals.length > 0 ? { state: 'refused', problems: refusals.map((r) => r.sentence) } : { state: loaded.state },
      base,
      ports: rows,
      gateway,
      mismatch,
      restartDue,
      rolledBack,
      service,
      watch,
      problems,
      // What keeps the gateway from starting, as list and top mark it: the blocker and the fix; null when nothing does.
      refusal: startRefusal(verdict, ctx.invocation),
      healthy,
    });
    return exitFor(healthy);
  }

  // Each line wraps whole at the terminal's width, its continuation under the value's column.
  const row = (text: string) => wrappedLines(out, text, 13).forEach((l) => out.line(l));
  out.line(`${out.bold('Profile')} ${out.bold(paths.label)}`);
  row(`  config     ${tildify(paths.configPath, home)}  ${loaded.state === 'ok' && refusals.length === 0 ? out.green('ok') : out.red(loaded.state === 'missing' ? 'missing' : loaded.state === 'ok' ? 'needs a fix' : 'broken')}`);
  if (rolledBack !== null) row(`             ${out.yellow(rolledBackWords(rolledBack, home))}`);
  row(`  state dir  ${tildify(paths.stateDir, home)}`);
  row(`  workspace  ${tildify(workspace, home)}`);
  if (base !== null) row(`  base port  ${base.port} ${out.dim(`(from ${base.source})`)}`);
  row(`  gateway    ${(gateway.health === 'answered' && mismatch === null ? out.green : out.red)(describeGateway(gateway))}`);
  if (mismatch !== null) row(`             ${out.red(`serves ${mismatch.serves}, not ${mismatch.base}: ${mismatch.text}`)}`);
  if (restartNote !== null) row(`             ${out.yellow(restartNote)}`);
  row(`  service    ${serviceSummary(out, service)}`);
  if (rows.length > 0) {
    out.line('');
    for (const line of portMapLines(out, rows)) out.line(line);
  }
  if (watch !== null) {
    out.line('');
    for (const line of watchLines(out, watch, Date.now(), ctx.invocation)) out.line(line);
  }
  if (!healthy) {
    out.line('');
    out.line(out.red(`✖ ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}:`));
    const listed = broken === null ? problems : [...broken.shown, ...problems.slice(broken.every.length)];
    for (const problem of listed) for (const l of wrappedLines(out, `  ${problem.split('\n').join('\n  ')}`, 4)) out.line(l);
  }
  return exitFor(healthy);
}
