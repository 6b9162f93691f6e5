import { tildify } from '../core/profile/paths';
import { EXIT, exitFor, type ExitCode } from '../core/errors';
import { stateFile } from '../core/profile/identity';
import { installService, restartService, serviceStatus, uninstallService } from '../host/service/install';
import { detectServiceManager } from '../host/service/manager';
import type { Output } from '../ui/output';
import { type ManagerKind } from '../core/service/spec';
import { notInstalledWords, shownUnit, type ServiceStatus } from '../core/service/spec';
import { type CommandContext } from '../ui/context';
import type { INSTALL_FLAGS, JSON_FLAGS, NO_FLAGS, UNINSTALL_FLAGS } from '../flags';

const KIND_WORDS: Record<ManagerKind, string> = { systemd: 'systemd user unit', launchd: 'launchd agent' };

function options(ctx: CommandContext<typeof INSTALL_FLAGS | typeof UNINSTALL_FLAGS | typeof NO_FLAGS>) {
  return { env: ctx.env, home: ctx.home, dryRun: ctx.flags['dry-run'] === true };
}

/** Healthy: installed, running (or about to), and matching the config. */
export function serviceHealthy(status: ServiceStatus): boolean {
  return status.installed && (status.state === 'active' || status.state === 'activating') && status.mismatches.length === 0;
}

/** "active (pid 1234), enabled" / "not installed" / "failed": one phrase for status lines. */
export function stateWords(out: Output, status: ServiceStatus): string {
  if (!status.installed) return out.dim(notInstalledWords(status));
  const paint = status.state === 'active' ? out.green : status.state === 'failed' || status.state === 'unknown' ? out.red : out.yellow;
  const pid = status.pid === null ? '' : ` (pid ${status.pid})`;
  const enabled = status.enabled === null ? '' : status.enabled ? ', enabled' : ', not enabled';
  return `${paint(status.state)}${pid}${enabled}`;
}

/** The one-line service summary of `epiloop status`: the unit and its state, the state alone where no manager could install one. */
export function serviceSummary(out: Output, status: ServiceStatus): string {
  if (status.kind === null) return out.dim('no service manager on this platform');
  const unit = shownUnit(status);
  return unit === null ? stateWords(out, status) : `${unit}: ${stateWords(out, status)}`;
}

/**
 * What fixes a service file the config no longer matches: reinstalling it, where its manager
 * is usable; else (systemd did not boot this host) no install can work, and nothing runs the file.
 */
function mismatchFix(status: ServiceStatus, invocation: string): string {
  if (status.usable) return `Update it: ${invocation} gateway install`;
  return `No service manager runs it on this host: start it without one (${invocation} start), and delete the file if the service should go`;
}

/** What `epiloop status` counts as a problem: a failed service, or a file the config no longer matches. */
export function serviceProblems(status: ServiceStatus, invocation: string): string[] {
  const problems: string[] = [];
  if (status.state === 'failed') problems.push(`The service ${status.name} has failed. See its log and "${invocation} gateway status".`);
  if (status.mismatches.length > 0) {
    problems.push(`The service ${status.name} disagrees with the config: ${status.mismatches.join('; ')}. ${mismatchFix(status, invocation)}`);
  }
  return problems;
}

export async function install(ctx: CommandContext<typeof INSTALL_FLAGS>): Promise<ExitCode> {
  const { out, paths, home } = ctx;
  const result = await installService(paths, options(ctx));
  const file = tildify(result.file, home);
  if (result.status === 'dry-run') {
    // stdout is exactly the file, so "… --dry-run > unit" works; the narration goes to stderr.
    out.error(`Dry run: nothing is written or run. ${ctx.invocation} gateway install would write ${file}:`);
    out.line(result.text.replace(/\n$/, ''));
    out.error(result.commands.length === 0 ? 'It is already installed and up to date: nothing would run.' : `and then run:\n${result.commands.map((c) => `  ${c}`).join('\n')}`);
    const availability = await detectServiceManager(ctx.env);
    if (!availability.usable) out.error(out.yellow(`Note: installing would fail on this host: ${availability.reason}`));
    return EXIT.ok;
  }
  if (result.status === 'unchanged') {
    out.line(`${out.green('✔')} ${file} is already installed, up to date and enabled: nothing to do.`);
  } else {
    out.line(`${out.green('✔')} ${result.status === 'installed' ? 'Installed' : 'Updated'} ${file}`);
    for (const command of result.commands) out.line(out.dim(`  ran ${command}`));
  }
  const status = await serviceStatus(paths, { env: ctx.env, home });
  out.line(`  state  ${stateWords(out, status)}`);
  if (status.state === 'inactive' || status.state === 'failed') out.line(`Start it: ${out.cyan(`${ctx.invocation} gateway restart`)}`);
  out.line(`Its log: ${out.cyan(`${ctx.invocation} logs`)} (${tildify(stateFile(paths.stateDir, 'gatewayLog'), home)}). Check it: ${out.cyan(`${ctx.invocation} gateway status`)}`);
  return EXIT.ok;
}

export async function uninstall(ctx: CommandContext<typeof UNINSTALL_FLAGS>): Promise<ExitCode> {
  const { out, paths, home } = ctx;
  const result = await uninstallService(paths, options(ctx));
  const file = tildify(result.file, home);
  if (result.status === 'not-installed') {
    out.line(`No gateway service is installed for profile "${paths.label}" (no ${file}): nothing to remove.`);
  } else if (result.status === 'dry-run') {
    out.line(`Dry run: nothing is changed. ${ctx.invocation} gateway uninstall would run:`);
    for (const command of result.commands) out.line(`  ${command}`);
  } else {
    out.line(`${out.green('✔')} Removed the gateway service of profile "${paths.label}" (${file})`);
    for (const command of result.commands) out.line(out.dim(`  ran ${command}`));
  }
  return EXIT.ok;
}

export async function restart(ctx: CommandContext<typeof NO_FLAGS>): Promise<ExitCode> {
  const { out, paths, home } = ctx;
  await restartService(paths, options(ctx));
  const status = await serviceStatus(paths, { env: ctx.env, home });
  out.line(`${out.green('✔')} Restarted ${status.name}: ${stateWords(out, status)}`);
  for (const mismatch of status.mismatches) out.line(out.yellow(`  warning: ${mismatch}`));
  if (status.mismatches.length > 0) out.line(`  Update the service to match the config: ${out.cyan(`${ctx.invocation} gateway install`)}`);
  return EXIT.ok;
}

export async function status(ctx: CommandContext<typeof JSON_FLAGS>): Promise<ExitCode> {
  const { out, paths, home } = ctx;
  const service = await serviceStatus(paths, { env: ctx.env, home, probe: true });
  const healthy = serviceHealthy(service);
  if (ctx.flags.json === true) {
    out.json({ profile: paths.profile, label: paths.label, ...service, healthy });
    return exitFor(healthy);
  }
  const what = service.kind === null ? 'no service manager' : `${service.name} (${KIND_WORDS[service.kind]})`;
  out.line(`${out.bold('Service')} of profile ${out.bold(paths.label)}: ${what}`);
  if (service.file !== null) out.line(`  file    ${tildify(service.file, home)}${service.installed ? '' : out.dim(' (absent)')}`);
  out.line(`  state   ${stateWords(out, service)}`);
  if (service.reason !== undefined) out.line(`  ${out.yellow('note')}    ${service.reason}`);
  if (service.installed) {
    if (service.mismatches.length === 0) out.line(`  config  ${out.green('matches the installed file')}`);
    else {
      out.line(`  config  ${out.red('disagrees with the installed file:')}`);
      for (const mismatch of service.mismatches) out.line(`            ${mismatch}`);
      if (service.usable) out.line(`          Fix: ${out.cyan(`${ctx.invocation} gateway install`)}`);
      else out.line(`          No service manager runs it on this host: start it without one (${out.cyan(`${ctx.invocation} start`)}), and delete the file if the service should go.`);
    }
  } else if (service.usable) out.line(`Install it: ${out.cyan(`${ctx.invocation} gateway install`)}`);
  else out.line(`Start it without a service instead: ${out.cyan(`${ctx.invocation} start`)}`);
  return exitFor(healthy);
}
