/** `epiloop config get|set|unset|validate|path|schema`: read the config, or edit it like every other writer. */
import { formatConfigError, unchangedProblemNotes } from '../core/config/parse';
import { formatValue } from '../core/config/json5';
import { brokenConfig } from '../core/messages';
import { formatKeyPath, getAtPath, parseKeyPath, parseValueText } from '../core/config/keypath';
import { meantKeyAdvice } from '../core/config/known-keys';
import { BIND_ON_THIS_HOST, gatewayReads, reachAdvice, restartAdvice, tokenAdvice } from '../core/config/effects';
import { bindAddressWarning } from '../core/gateway/plan';
import { refusalsInBrief } from '../core/config/profile-rules';
import { hostRefusalsInBrief } from '../core/host/start';
import { maskDiffSides, maskValueAt } from '../core/config/secrets';
import { writtenNumbers, writtenValueNumbers } from '../core/config/written';
import { errorLine, EXIT, HostError, type ExitCode } from '../core/errors';
import { tildify } from '../core/profile/paths';
import { formatDiff, lineDiff } from '../core/text/diff';
import { notSetUpHere } from '../host/profile/not-set-up';
import { loadConfig } from '../host/store/store';
import { type CommandContext } from '../ui/context';
import type { CONFIG_GET_FLAGS } from '../flags';

/** The config as read, and its text, or the reason it cannot be read. Schema problems do not stop a read. */
async function readRaw(ctx: CommandContext, command: string): Promise<{ raw: Record<string, unknown>; text: string }> {
  const { paths, home, invocation } = ctx;
  const loaded = await loadConfig(paths.configPath);
  if (loaded.state === 'missing') throw new HostError(await notSetUpHere(paths, home, invocation, command));
  if (loaded.state === 'invalid' && loaded.raw === undefined) throw new HostError(brokenConfig({ label: paths.label, invocation }, loaded.error, tildify(loaded.path, home)));
  return { raw: loaded.raw!, text: loaded.text };
}

export async function get(ctx: CommandContext<typeof CONFIG_GET_FLAGS>): Promise<ExitCode> {
  const path = parseKeyPath(ctx.positionals[0]!);
  const { raw, text } = await readRaw(ctx, `config get ${ctx.positionals[0]!}`);
  const found = getAtPath(raw, path);
  if (!found.found) {
    ctx.out.error(errorLine(`${found.reason}.`));
    return EXIT.unhealthy;
  }
  // The token and URL secrets reach a terminal (or its scrollback) only when asked for by name;
  // a number is masked, or shown by name, as the file writes it (a long token of digits reads rounded).
  const written = writtenNumbers(text, path);
  const bare = ctx.flags['show-secrets'] === true;
  const value = bare ? found.value : maskValueAt(found.value, path, written);
  if (ctx.flags.json === true) ctx.out.json(value);
  else if (typeof value === 'string') ctx.out.line(value);
  else if (typeof value === 'number' && bare) ctx.out.line(written(path) ?? String(value));
  else if (value !== null && typeof value === 'object') ctx.out.json(value, { numberWords: true });
  else ctx.out.line(String(value));
  return EXIT.ok;
}

export async function set(ctx: CommandContext): Promise<ExitCode> {
  return change(ctx, { path: parseKeyPath(ctx.positionals[0]!), value: parseValueText(ctx.positionals[1]!), text: ctx.positionals[1]!, unset: false });
}

export async function unset(ctx: CommandContext): Promise<ExitCode> {
  return change(ctx, { path: parseKeyPath(ctx.positionals[0]!), unset: true });
}

async function change(ctx: CommandContext, wanted: import('../host/config/change').ConfigChange): Promise<ExitCode> {
  const { out, paths, home } = ctx;
  const { applyConfigChange, planConfigChange, runningFacts } = await import('../host/config/change');
  const shown = formatKeyPath(wanted.path);
  const file = tildify(paths.configPath, home);
  const dryRun = ctx.flags['dry-run'] === true;
  const plan = dryRun ? await planConfigChange(ctx, wanted) : (await applyConfigChange(ctx, wanted)).plan;
  const diff = formatDiff(lineDiff(...maskDiffSides(plan.before, plan.after)));
  const typed = writtenValueNumbers(wanted.text ?? '', wanted.path);
  if (!plan.changed) {
    out.line(wanted.unset ? `${shown} is not set in ${file}: nothing changed.` : `${shown} is already ${formatValue(maskValueAt(wanted.value, wanted.path, typed))} in ${file}: nothing changed.`);
    return EXIT.ok;
  }
  const what = wanted.unset ? `Unset ${shown}` : `Set ${shown}${isScalar(wanted.value) ? ` to ${formatValue(maskValueAt(wanted.value, wanted.path, typed))}` : ''}`;
  out.line(dryRun ? `Dry run: nothing is written. This would change ${file}:` : `${out.green('✔')} ${what} in ${file} (the old file is kept as a backup):`);
  for (const line of diff) out.line(`  ${line.startsWith('+') ? out.green(line) : line.startsWith('-') ? out.red(line) : out.dim(line)}`);
  // The masks read the same before and after: the bytes changed only in a secret part.
  if (diff.length === 0) out.line(`  ${hiddenChangeWords(shown, ctx.invocation)}`);
  for (const note of unchangedProblemNotes(plan.otherProblems, ctx.invocation)) out.line(out.yellow(`  note: ${note}`));
  const notHere = plan.bind.is === plan.bind.was ? null : bindAddressWarning(plan.bind.is, (await import('../host/ports/addresses')).hostAddresses(), ctx.invocation);
  // One warning: who could reach a gateway that will not start with this bind is beside the point.
  const reach = notHere ?? reachAdvice(plan.bind.was, plan.bind.is, { dryRun });
  if (reach !== null) out.line(reach.startsWith('!') ? out.yellow(reach) : reach);
  if (plan.tokenReplaced) out.line(out.yellow(tokenAdvice({ dryRun })));
  for (const words of plan.watchedNotSetUp) out.line(out.yellow(`! ${words}`));
  const running = gatewayReads(wanted.path) ? await runningFacts(ctx, plan.baseMoved) : null;
  // Still broken or refused after the change (hostStartVerdict, as status judges it): a start would be
  // refused; a bind this change put on no address here says so in its own words.
  const blocker = notHere !== null ? BIND_ON_THIS_HOST : plan.blocker;
  out.line(restartAdvice(wanted.path, running, { dryRun, blocker }).text);
  if (plan.meant !== null) out.line(out.yellow(meantKeyAdvice(wanted, plan.meant, ctx.invocation, { dryRun })));
  // What to repair and how, as status says it (the warning above already said a bind this change made).
  const refused = notHere === null ? refusalsInBrief(plan.refusals, ctx.invocation) : null;
  if (refused !== null) out.line(out.yellow(refused));
  for (const line of hostRefusalsInBrief(plan.host)) out.line(out.yellow(line));
  return EXIT.ok;
}

/** Why a written change shows no diff, and how to see it. */
function hiddenChangeWords(shown: string, invocation: string): string {
  return `the change is to a secret part of ${shown}, hidden here; see it with: ${invocation} config get '${shown.replaceAll("'", "'\\''")}' --show-secrets`;
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

export async function validate(ctx: CommandContext): Promise<ExitCode> {
  const { paths, home, out } = ctx;
  const file = tildify(paths.configPath, home);
  const loaded = await loadConfig(paths.configPath);
  if (loaded.state === 'missing') throw new HostError(await notSetUpHere(paths, home, ctx.invocation, 'config validate'));
  if (loaded.state === 'invalid') {
    out.line(formatConfigError(loaded.error, file, ctx.invocation, { shown: Infinity }));
    return EXIT.unhealthy;
  }
  out.line(`${out.green('✔')} ${file} is valid`);
  return EXIT.ok;
}

export async function path(ctx: CommandContext): Promise<ExitCode> {
  ctx.out.line(ctx.paths.configPath);
  return EXIT.ok;
}

export async function schema(ctx: CommandContext): Promise<ExitCode> {
  // zod's JSON Schema writer loads for this subcommand only.
  const { configJsonSchema } = await import('../core/config/json-schema');
  ctx.out.json(configJsonSchema());
  return EXIT.ok;
}
