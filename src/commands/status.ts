import { formatConfigError } from '../config/parse';
import { footprint, resolveBase } from '../ports/footprint';
import { conflictRows, loadHostProfiles, mapFootprint } from '../ports/host';
import { portsText, type PortMapRow } from '../ports/portmap';
import { workspaceOf } from '../profile/apply';
import { tildify } from '../profile/paths';
import type { Output } from '../ui/output';
import { table } from '../ui/output';
import type { CommandContext } from './context';

export function stateCell(out: Output, row: PortMapRow): string {
  if (row.state === 'free') return out.green(row.text);
  if (row.state === 'unknown') return out.dim(row.text);
  return (row.state === 'claimed' ? out.red : out.yellow)(row.text);
}

export function portMapLines(out: Output, rows: readonly PortMapRow[]): string[] {
  return table([
    [out.dim('PORT'), out.dim('ROLE'), out.dim('STATE')],
    ...rows.map((r) => [portsText(r), r.label, stateCell(out, r)]),
  ]);
}

export async function run(ctx: CommandContext): Promise<number> {
  const { paths, out, home } = ctx;
  const host = await loadHostProfiles(paths, home);
  const loaded = host.current.loaded;
  const problems: string[] = [];
  const config = loaded.state === 'ok' ? loaded.config : undefined;
  let base: ReturnType<typeof resolveBase> | null = null;
  let rows: PortMapRow[] = [];
  if (loaded.state === 'missing') {
    problems.push(`profile "${paths.label}" is not set up: no config at ${tildify(paths.configPath, home)}. Run "${ctx.invocation} setup" or "${ctx.invocation} onboard".`);
  } else {
    if (loaded.state === 'invalid') problems.push(formatConfigError(loaded.error, tildify(loaded.path, home)));
    base = loaded.state === 'ok' ? resolveBase({ env: ctx.env, config }) : host.current.base === null ? null : { port: host.current.base, source: 'config' };
    if (base !== null) {
      rows = await mapFootprint(footprint(config, base.port), host.claims, { live: true });
      for (const row of conflictRows(rows)) problems.push(`${portsText(row)} (${row.label}): ${row.text}`);
    }
  }
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
  if (rows.length > 0) {
    out.line('');
    for (const line of portMapLines(out, rows)) out.line(line);
  }
  if (!healthy) {
    out.line('');
    out.line(out.red(`✖ ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}:`));
    for (const problem of problems) out.line(`  ${problem.split('\n').join('\n  ')}`);
  }
  return healthy ? 0 : 1;
}
