import { UsageError, HostError } from '../core/errors';
import { formatConfigError } from '../core/config/parse';
import { chooseBase } from '../host/ports/choose';
import { footprint, resolveBase } from '../core/ports/footprint';
import { loadConfig } from '../host/store/store';
import type { Proposal } from '../core/ports/propose';
import type { HostProfile, HostView } from '../core/host/view';
import { gatewayMismatch, restartWords, roleOf } from '../core/host/rules';
import { writeProfile } from '../host/profile/apply';
import { expandHome, tildify } from '../core/profile/paths';
import path from 'node:path';
import { type LoadedConfig } from '../core/config/parse';
import { workspaceOf, type ProfilePlan } from '../core/profile/plan';
import { type CommandContext } from '../ui/context';

export async function run(ctx: CommandContext): Promise<number> {
  const { paths, out, home } = ctx;
  const before = await loadConfig(paths.configPath);
  const workspaceFlag = ctx.flags.workspace as string | undefined;
  if (workspaceFlag !== undefined && workspaceFlag.trim() === '') throw new UsageError('--workspace needs a directory path.');
  let proposal: Proposal | null = null;
  let source = '';

  const decide = async (current: LoadedConfig, { view, self }: { view: HostView; self: HostProfile }): Promise<ProfilePlan> => {
    if (current.state === 'invalid' && ctx.flags.force !== true) {
      throw new HostError(
        `${formatConfigError(current.error, tildify(current.path, home))}\nThe config of profile "${paths.label}" is broken. Repair it with "${ctx.invocation} onboard" or "${ctx.invocation} doctor --fix", or replace it with "${ctx.invocation} setup --force" (a backup is kept).`,
      );
    }
    const config = current.state === 'ok' ? current.config : undefined;
    const resolved = resolveBase({ flag: ctx.flags.port as number | undefined, env: ctx.env, config });
    const workspace = workspaceFlag !== undefined ? path.resolve(expandHome(workspaceFlag, home)) : workspaceOf(current, paths);
    const chosen = await chooseBase({
      invocation: ctx.invocation,
      role: roleOf(self),
      view,
      self,
      config,
      requested: resolved,
      retry: (base) => `${ctx.invocation} setup --port ${base}`,
    });
    proposal = chosen.proposal;
    source = chosen.source;
    return { base: chosen.base, workspace };
  };

  const { result, plan, stateDirCreated, self } = await writeProfile(paths, before, decide, 'epiloop setup');
  const fp = footprint(before.state === 'ok' ? before.config : undefined, plan.base);
  const running = gatewayMismatch(self, fp, 'config');
  const verb = before.state === 'missing' ? 'Created' : result.written ? 'Updated' : 'Already set up:';
  out.line(`${out.green('✔')} ${verb} profile ${out.bold(paths.label)}`);
  out.line(`  config     ${tildify(paths.configPath, home)} (0600)${result.backupPath ? out.dim(`  backup: ${tildify(result.backupPath, home)}`) : ''}`);
  out.line(`  state dir  ${tildify(paths.stateDir, home)}${stateDirCreated ? ' (0700, created)' : ''}`);
  out.line(`  workspace  ${tildify(plan.workspace, home)}`);
  out.line(`  base port  ${plan.base} ${out.dim(`(${source})`)}`);
  const shown = proposal as Proposal | null;
  for (const skip of shown?.skipped ?? []) out.line(out.dim(`    skipped ${skip.base}: ${skip.reason}`));
  if (shown && shown.skippedCount > shown.skipped.length) out.line(out.dim(`    … and ${shown.skippedCount - shown.skipped.length} more candidates`));
  if (shown?.ephemeralWarning) out.line(out.yellow(`  warning: ${shown.ephemeralWarning}`));
  out.line(`  ports      gateway ${fp.gateway} · browser control ${fp.browserControl}${fp.canvas === null ? '' : ` · canvas ${fp.canvas}`} · CDP ${fp.cdp.from}–${fp.cdp.to}`);
  if (running !== null) out.line(out.yellow(`  note: the running gateway (pid ${running.pid}) serves ${running.serves} until it is restarted: ${restartWords(running.pid, ctx.invocation, false)}`));
  out.line('');
  out.line(`Next: ${out.cyan(`${ctx.invocation} gateway`)}   run the gateway in the foreground`);
  out.line(`      ${out.cyan(`${ctx.invocation} status`)}    check it`);
  return 0;
}
