import { formatConfigError } from '../core/config/parse';
import { describeGateway, formatUptime, gatewayProblem, liveOf, staleLockWords } from '../host/gateway/live';
import { footprint, resolveBase } from '../core/ports/footprint';
import { readHost } from '../host/model';
import { conflictRows, currentOf, portMap } from '../core/host/view';
import { gatewayMismatch, mismatchFix, type GatewayMismatch } from '../core/host/rules';
import { portsText, type PortMapRow } from '../core/ports/portmap';
import { serviceStatus } from '../host/service/install';
import { tildify } from '../core/profile/paths';
import type { Output } from '../ui/output';
import { table } from '../ui/output';
import type { WatchReport } from '../core/watch/state';
import type { WatchSection } from '../host/watch/status';
import { watchTargets } from '../core/watch/targets';
import { serviceProblems, serviceSummary } from './gateway-service';
import { workspaceOf } from '../core/profile/plan';
import { type CommandContext } from '../ui/context';
import { portMapLines } from '../ui/portmap';

function watchStateCell(out: Output, state: WatchReport['state']): string {
  return (state === 'up' ? out.green : state === 'down' ? out.red : state === 'degraded' ? out.yellow : out.dim)(state);
}

/** The watched profiles: one row each, with how long the state has held where that is known. */
function watchLines(out: Output, section: WatchSection, now: number): string[] {
  const lines = [section.active ? 'Watching (by this gateway):' : out.yellow(`Watching: ${section.note}.`)];
  if (section.active && section.note !== null) lines.push(out.yellow(`  note: ${section.note}`));
  const since = (r: WatchReport) => (r.since === null ? '' : `for ${formatUptime(Math.max(0, now - Date.parse(r.since)))}`);
  lines.push(...table([[out.dim('PROFILE'), out.dim('STATE'), out.dim('SINCE'), out.dim('FINDING')], ...section.profiles.map((r) => [r.profile, watchStateCell(out, r.state), since(r), r.finding])]));
  return lines;
}

export async function run(ctx: CommandContext): Promise<number> {
  const { paths, out, home } = ctx;
  const [view, service] = await Promise.all([readHost({ home, current: paths, health: 'current' }), serviceStatus(paths, { env: ctx.env, home })]);
  const self = currentOf(view);
  const gateway = liveOf(self.gateway, self.gateway === null ? await staleLockWords(paths.stateDir) : null, Date.now());
  const loaded = self.loaded;
  const problems: string[] = [];
  const config = loaded.state === 'ok' ? loaded.config : undefined;
  let base: ReturnType<typeof resolveBase> | null = null;
  let rows: PortMapRow[] = [];
  let mismatch: GatewayMismatch | null = null;
  if (loaded.state === 'missing') {
    problems.push(`profile "${paths.label}" is not set up: no config at ${tildify(paths.configPath, home)}. Run "${ctx.invocation} setup" or "${ctx.invocation} onboard".`);
  } else {
    if (loaded.state === 'invalid') problems.push(...formatConfigError(loaded.error, tildify(loaded.path, home)).split('\n'));
    base = loaded.state === 'ok' ? resolveBase({ env: ctx.env, config }) : self.base === null ? null : { port: self.base, source: 'config' };
    if (base !== null) {
      const fp = footprint(self.readable.config, base.port);
      rows = portMap(view, self, fp);
      for (const row of conflictRows(rows)) problems.push(`${portsText(row)} (${row.label}): ${row.text}`);
      mismatch = gatewayMismatch(self, fp, base.source);
      if (mismatch !== null) problems.push(`${mismatch.text}: ${mismatchFix(mismatch, ctx.invocation, service.installed)}.`);
    }
    const notServing = gatewayProblem(gateway, ctx.invocation);
    if (notServing !== null) problems.push(notServing);
  }
  problems.push(...serviceProblems(service, ctx.invocation));
  problems.push(...watchTargets(config, paths, home).problems);
  // The checks load only for a profile that watches: `status` of any other profile stays as fast.
  const watch = config?.watch?.profiles?.length ? await (await import('../host/watch/status')).watchSection(config, paths, { home, env: ctx.env, gateway }) : null;
  const healthy = problems.length === 0;
  const workspace = workspaceOf(loaded, paths);

  if (ctx.flags.json === true) {
    out.json({
      profile: paths.profile,
      label: paths.label,
      paths: { stateDir: paths.stateDir, configPath: paths.configPath, workspace },
      config: loaded.state === 'invalid' ? { state: loaded.state, error: loaded.error } : { state: loaded.state },
      base,
      ports: rows,
      gateway,
      mismatch,
      service,
      watch,
      problems,
      healthy,
    });
    return healthy ? 0 : 1;
  }

  out.line(`${out.bold('Profile')} ${out.bold(paths.label)}`);
  out.line(`  config     ${tildify(paths.configPath, home)}  ${loaded.state === 'ok' ? out.green('ok') : out.red(loaded.state === 'missing' ? 'missing' : 'broken')}`);
  out.line(`  state dir  ${tildify(paths.stateDir, home)}`);
  out.line(`  workspace  ${tildify(workspace, home)}`);
  if (base !== null) out.line(`  base port  ${base.port} ${out.dim(`(from ${base.source})`)}`);
  out.line(`  gateway    ${(gateway.health === 'answered' && mismatch === null ? out.green : out.red)(describeGateway(gateway))}`);
  if (mismatch !== null) out.line(`             ${out.red(`serves ${mismatch.serves}, not ${mismatch.base}: ${mismatch.text}`)}`);
  out.line(`  service    ${serviceSummary(out, service)}`);
  if (rows.length > 0) {
    out.line('');
    for (const line of portMapLines(out, rows)) out.line(line);
  }
  if (watch !== null) {
    out.line('');
    for (const line of watchLines(out, watch, Date.now())) out.line(line);
  }
  if (!healthy) {
    out.line('');
    out.line(out.red(`✖ ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}:`));
    for (const problem of problems) out.line(`  ${problem.split('\n').join('\n  ')}`);
  }
  return healthy ? 0 : 1;
}
