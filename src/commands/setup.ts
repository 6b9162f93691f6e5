import { EXIT, HostError, UsageError, type ExitCode } from '../core/errors';
import { brokenConfig } from '../core/messages';
import { chooseBase } from '../host/ports/choose';
import { footprint, resolveBase } from '../core/ports/footprint';
import { loadConfig } from '../host/store/store';
import type { Proposal } from '../core/ports/propose';
import type { HostProfile, HostView } from '../core/host/view';
import { gatewayMismatch, restartWords, roleOf } from '../core/host/rules';
import { writeProfile } from '../host/profile/apply';
import { checkUserPath, tildify } from '../core/profile/paths';
import { nextCommand } from '../core/profile/identity';
import { stripInvalid } from '../core/config/edits';
import { type LoadedConfig } from '../core/config/parse';
import { onlyTokenInvalid, tokenChange, workspaceFor, type ProfilePlan } from '../core/profile/plan';
import { unwatchedProposal } from '../core/watch/propose';
import { commandOf } from '../core/config/set-command';
import { type CommandContext } from '../ui/context';
import type { SETUP_FLAGS } from '../flags';

export async function run(ctx: CommandContext<typeof SETUP_FLAGS>): Promise<ExitCode> {
  const { paths, out, home } = ctx;
  const before = await loadConfig(paths.configPath);
  const workspaceFlag = ctx.flags.workspace;
  if (workspaceFlag !== undefined && workspaceFlag.trim() === '') throw new UsageError('--workspace needs a directory path.');
  // Relative to where it was typed (as onboard reads it), ~/… expanded, never a system dir.
  const workspaceGiven = workspaceFlag === undefined ? undefined : checkUserPath(workspaceFlag, home, '--workspace', ctx.cwd);
  let proposal: Proposal | null = null;
  let source = '';
  let unwatched: string[] = [];

  const decide = async (current: LoadedConfig, { view, self }: { view: HostView; self: HostProfile }): Promise<ProfilePlan> => {
    // A token that is not one is setup's to replace (it says so); any other broken key is the user's.
    const tokenOnly = onlyTokenInvalid(current);
    if (current.state === 'invalid' && ctx.flags.force !== true && !tokenOnly) {
      throw new HostError(
        brokenConfig({ label: paths.label, invocation: ctx.invocation }, current.error, tildify(current.path, home), `replace it with "${ctx.invocation} setup --force" (a backup is kept)`),
      );
    }
    const config = current.state === 'ok' ? current.config : tokenOnly && current.state === 'invalid' ? stripInvalid(current.raw!).config : undefined;
    const resolved = resolveBase({ flag: ctx.flags.port, env: ctx.env, config });
    const workspace = workspaceGiven ?? workspaceFor(config, paths);
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
    // Setup writes no watch: a rescue of it watches nothing until told whom (the wizard proposes it).
    const others = view.profiles.filter((p) => p !== self && p.paths.label !== paths.label).map((p) => p.paths.label);
    unwatched = unwatchedProposal(paths.profile, config?.watch?.profiles, others);
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
  const token = tokenChange(before);
  // A file that could not be read at all was replaced whole (--force): no token of it to speak of.
  if (before.state !== 'missing' && before.raw !== undefined && token !== 'kept') {
    out.line(`  auth token ${token === 'added' ? 'added (the config had none)' : `replaced: gateway.auth.token was ${token.replaced}, not a valid token; clients need the new one from the config`}`);
  }
  const shown = proposal as Proposal | null;
  for (const skip of shown?.skipped ?? []) out.line(out.dim(`    skipped ${skip.base}: ${skip.reason}`));
  if (shown && shown.skippedCount > shown.skipped.length) out.line(out.dim(`    … and ${shown.skippedCount - shown.skipped.length} more candidates`));
  if (shown?.ephemeralWarning) out.line(out.yellow(`  warning: ${shown.ephemeralWarning}`));
  out.line(`  ports      gateway ${fp.gateway} · browser control ${fp.browserControl}${fp.canvas === null ? '' : ` · canvas ${fp.canvas}`} · CDP ${fp.cdp.from}–${fp.cdp.to}`);
  if (unwatched.length > 0) {
    const command = `${ctx.invocation} ${commandOf({ path: ['watch', 'profiles'], value: unwatched, unset: false })}`;
    out.line(`  watch      nothing; to watch ${unwatched.join(', ')}: ${out.cyan(command)}`);
  }
  if (running !== null) out.line(out.yellow(`  note: the running gateway (pid ${running.pid}) serves ${running.serves} until it is restarted: ${restartWords(running.pid, ctx.invocation, false)}`));
  out.line('');
  const next = [nextCommand(ctx.invocation, self.gateway?.pid ?? null, result.written), { command: `${ctx.invocation} status`, does: 'check it' }].filter((n) => n !== null);
  const width = Math.max(...next.map((n) => n.command.length));
  next.forEach((n, i) => out.line(`${i === 0 ? 'Next: ' : '      '}${out.cyan(n.command)}${' '.repeat(width - n.command.length + 3)}${n.does}`));
  return EXIT.ok;
}
