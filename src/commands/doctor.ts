import { Cancelled, exitFor, UsageError, type ExitCode } from '../core/errors';
import { diagnose } from '../host/doctor/diagnose';
import { isHealthy, type Finding } from '../core/doctor/findings';
import { applyRepair, planRepair } from '../host/doctor/repair';
import { checkProfileName, DEFAULT_LABEL } from '../core/profile/name';
import { tildify, type ProfilePaths } from '../core/profile/paths';
import { tableWidth, wrappedLines, type Output } from '../ui/output';
import { hangOf } from '../core/text/wrap';
import { pathsOfProfile, targetEnv } from '../core/watch/targets';
import { type Diagnosis } from '../core/doctor/diagnosis';
import { type RepairPlan } from '../core/doctor/repair-plan';
import { type CommandContext } from '../ui/context';
import type { DOCTOR_FLAGS } from '../flags';
import { applyRollback, planRollback, type RollbackPlan } from '../host/doctor/rollback';
import { invocationHere } from '../host/profile/invocation';
import { othersGateway } from '../core/messages';
import { importEsm } from '../host/esm';
import { startVerdict } from '../core/config/profile-rules';
import { gatewayProblem, liveOf } from '../host/gateway/live';
import { bindFacts } from '../host/ports/addresses';
import { readRolledBack } from '../host/watch/rolled-back';
import { rolledBackWords } from '../core/watch/rolled-back';
import { asSentence } from '../core/text/sentence';

/** --target P: P's own derived paths, never this shell's EPILOOP_* overrides; "default" names the profile without --profile. */
function targetPaths(name: string, home: string): ProfilePaths {
  return pathsOfProfile(name === DEFAULT_LABEL ? name : checkProfileName(name, '--target'), home);
}

/** Findings, plan steps and Applied lines printed in full; past them one line says how many more (a config with thousands of bad entries). */
const FINDINGS_SHOWN = 20;
/** Diff lines printed; the rest counted, the whole diff in --json and the old file kept as the backup. */
const DIFF_LINES_SHOWN = 40;

/** The first FINDINGS_SHOWN lines, then one that counts the rest ("steps", "applied"). */
function capped(lines: readonly string[], more: (n: number) => string): string[] {
  const rest = lines.length - FINDINGS_SHOWN;
  return rest > 0 ? [...lines.slice(0, FINDINGS_SHOWN), more(rest)] : [...lines];
}

function printFindings(out: Output, findings: readonly Finding[], command: string): void {
  for (const f of findings.slice(0, FINDINGS_SHOWN)) {
    out.line(`${f.severity === 'error' ? out.red('✖') : out.yellow('⚠')} ${f.summary}`);
    for (const line of f.detail) out.line(out.dim(`    ${line}`));
    out.line(`    ${f.fix === null ? out.dim('fix: none automatic') : `fix: ${f.fix}`}`);
  }
  const more = findings.length - FINDINGS_SHOWN;
  if (more > 0) out.line(`… and ${more} more finding${more === 1 ? '' : 's'} like these; "${command} --json" lists every one`);
}

function countLine(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const fixable = findings.filter((f) => f.fixable).length;
  const parts = [`${errors} error${errors === 1 ? '' : 's'}`, `${warnings} warning${warnings === 1 ? '' : 's'}`];
  return `${findings.length} problem${findings.length === 1 ? '' : 's'} (${parts.join(', ')}), ${fixable} fixable`;
}

function printPlan(out: Output, d: Diagnosis, plan: RepairPlan, command: string): void {
  out.line('');
  out.line(out.bold('Plan:'));
  const steps = plan.actions.map((action, i) => `  ${i + 1}. ${action}`);
  for (const line of capped(steps, (n) => `  … and ${n} more step${n === 1 ? '' : 's'}; "${command} --fix --json" lists every one`)) out.line(line);
  if (plan.diff.length > 0) {
    out.line('');
    out.line(out.bold(`Change to ${tildify(d.paths.configPath, d.home)}:`));
    printDiff(out, plan.diff);
  }
  printImpacts(out, plan.impacts);
}

/** What changes for clients (clientImpacts), the same block under --fix's plan and --rollback's diff. */
function printImpacts(out: Output, impacts: readonly string[]): void {
  if (impacts.length === 0) return;
  out.line('');
  out.line(out.bold('What changes for clients:'));
  for (const impact of impacts) {
    // Wrapped before it is coloured: a colour code first would be read as the item's label (hangOf).
    const item = `  ! ${impact}`;
    for (const line of wrappedLines(out, item, hangOf(item, tableWidth(out)))) out.line(out.yellow(line));
  }
}

function printDiff(out: Output, diff: readonly string[]): void {
  for (const line of diff.slice(0, DIFF_LINES_SHOWN)) out.line(`  ${line.startsWith('+') ? out.green(line) : line.startsWith('-') ? out.red(line) : out.dim(line)}`);
  const changed = diff.slice(DIFF_LINES_SHOWN).filter((line) => line.startsWith('+') || line.startsWith('-')).length;
  if (changed > 0) out.line(`  … ${changed} more changed line${changed === 1 ? '' : 's'}; the old file is kept as a backup`);
}

/**
 * Asks on a terminal unless --yes; without one (or with --json) nothing is written and the command to run says --yes. `what`: "plan" or "diff".
 * False when answered no: the caller exits as its check does (a no is an answer, not a Ctrl-C: 130 is for Ctrl-C only).
 */
async function confirmOrRefuse(out: Output, flags: { yes: boolean; json: boolean }, ask: { question: string; what: string; again: string }, shown: () => void): Promise<boolean> {
  if (flags.yes) return true;
  if (flags.json || !process.stdin.isTTY) {
    if (flags.json) shown();
    const why = flags.json ? '--json never asks' : 'there is no terminal to ask on';
    throw new UsageError(`Nothing was written: ${why}. Check the ${ask.what} above, then apply it with "${ask.again}".`);
  }
  out.line('');
  return confirm(ask.question);
}

/**
 * --rollback: the diff from the config back to the last-known-good one a watching rescue
 * recorded, asked (or --yes), restored through the store, and the service restarted.
 */
async function rollback(ctx: CommandContext<typeof DOCTOR_FLAGS>, paths: ProfilePaths, env: Record<string, string | undefined>, command: string): Promise<ExitCode> {
  const { out, home } = ctx;
  const json = ctx.flags.json === true;
  const targeted = ctx.flags.target !== undefined;
  const plan = await planRollback(paths, { home, env, ...(targeted ? { gateway: othersGateway(paths.label) } : {}) });
  const { lastGood } = plan;
  const report = {
    profile: paths.profile,
    label: paths.label,
    ...(targeted ? { from: ctx.paths.label } : {}),
    configPath: paths.configPath,
    lastGood: { recordedAt: lastGood.recordedAt, by: lastGood.by, sha256: lastGood.sha256 },
    diff: plan.diff,
    impacts: plan.impacts,
    service: plan.service,
  };
  const config = tildify(paths.configPath, home);
  if (!json) {
    const who = targeted ? `from ${out.bold(ctx.paths.label)} → target ${out.bold(paths.label)}` : `profile ${out.bold(paths.label)}`;
    out.line(`${out.bold('epiloop doctor --rollback')} · ${who} · ${config}`);
    out.line('');
    out.line(`Last-known-good config: recorded at ${lastGood.recordedAt} by ${lastGood.by}, while the gateway of ${paths.label} was healthy on it (sha256 ${lastGood.sha256.slice(0, 12)}).`);
  }
  if (plan.same) {
    if (json) out.json({ ...report, rolledBack: false, backupPath: null, restarted: null });
    else out.line(`${out.green('✔')} ${config} already holds it: nothing to roll back.`);
    return exitFor(true);
  }
  if (!json) {
    out.line('');
    out.line(out.bold(`Change to ${config} (back to the last-known-good config):`));
    if (plan.diff.length > 0) printDiff(out, plan.diff);
    else out.line(out.dim('  (the lines are the same; the files differ in line ends or a byte-order mark)'));
    printImpacts(out, plan.impacts);
    out.line('');
    out.line(`The replaced config is kept as a backup${plan.service === null ? '.' : `; then ${plan.service} is restarted.`}`);
  }
  const rollingBack = await confirmOrRefuse(out, { yes: ctx.flags.yes === true, json }, { question: 'Roll back? [y/N] ', what: 'diff', again: `${command} --rollback --yes` }, () =>
    out.json({ ...report, rolledBack: false, backupPath: null, restarted: null }),
  );
  if (!rollingBack) {
    // The config stays the one that is not the last-known-good: what the rollback was offered for remains.
    out.line('Not rolled back. Nothing was written.');
    return exitFor(false);
  }
  const result = await applyRollback(plan, { home, env, what: `${command} --rollback`, ...(targeted ? { by: ctx.paths.label } : {}) });
  if (json) {
    out.json({ ...report, rolledBack: true, backupPath: result.backupPath, restarted: result.restarted });
    return exitFor(true);
  }
  out.line('');
  out.line(`${out.green('✔')} Rolled back: ${config} is the last-known-good config of ${lastGood.recordedAt} again.`);
  if (result.backupPath !== null) out.line(`  backup of the replaced config: ${tildify(result.backupPath, home)}`);
  const gateway = targeted ? othersGateway(paths.label) : 'the gateway';
  out.line(`  ${rollbackNext(plan, result.restarted, { gateway, invocation: invocationHere(paths.profile) })}`);
  return exitFor(true);
}

/** After a rollback: the service restarted, or what the gateway that runs (or none) needs; `gateway` names it ("main's gateway" from another profile). */
function rollbackNext(plan: RollbackPlan, restarted: string | null, words: { gateway: string; invocation: string }): string {
  const { gateway, invocation } = words;
  if (restarted !== null) return `restarted ${restarted}`;
  if (plan.gateway === null) return `no service is installed: start ${gateway} with "${invocation} start"`;
  if (plan.gateway.runsRestored) return `${gateway} (pid ${plan.gateway.pid}) already runs this config: nothing to restart`;
  return `${gateway} (pid ${plan.gateway.pid}) reads the restored config when it restarts: ${invocation} restart`;
}

/**
 * After --fix, a gateway that is not running: how to start it, in status's words (gatewayProblem), with
 * the target's own command; while its config would still be refused, what its start waits for. Null while it runs.
 */
function stoppedGateway(after: Diagnosis): string | null {
  const live = liveOf(after.self, after.home, Date.now());
  if (live.running) return null;
  const { blocker } = startVerdict(after.loaded, after.paths, after.home, bindFacts(after.paths.profile));
  return gatewayProblem(live, invocationHere(after.paths.profile), after.service.usable, blocker);
}

/** One line from a terminal; Ctrl-C cancels, end of input is "no". */
async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await importEsm<typeof import('node:readline')>('node:readline');
  // The question goes where the person looks: stderr when stdout is redirected.
  const rl = createInterface({ input: process.stdin, output: process.stdout.isTTY ? process.stdout : process.stderr });
  return new Promise((resolve, reject) => {
    let settled = false;
    rl.on('SIGINT', () => {
      settled = true;
      rl.close();
      reject(new Cancelled('Cancelled. Nothing was written.'));
    });
    rl.on('close', () => {
      if (!settled) resolve(false);
    });
    rl.question(question, (answer) => {
      settled = true;
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
  });
}

export async function run(ctx: CommandContext<typeof DOCTOR_FLAGS>): Promise<ExitCode> {
  const { out, home } = ctx;
  const fix = ctx.flags.fix === true;
  const json = ctx.flags.json === true;
  const yes = ctx.flags.yes === true;
  const rollingBack = ctx.flags.rollback === true;
  if (fix && rollingBack) throw new UsageError('--fix and --rollback are two repairs: run one, then the other if needed.');
  if (yes && !fix && !rollingBack) throw new UsageError('--yes answers the question "Apply?" of --fix or --rollback; use it with one of them.');
  const target = ctx.flags.target;
  const paths = target === undefined ? ctx.paths : targetPaths(target, home);
  const env = target === undefined ? ctx.env : targetEnv(ctx.env);
  const command = `${ctx.invocation} doctor${target === undefined ? '' : ` --target ${target}`}`;
  if (rollingBack) return rollback(ctx, paths, env, command);
  const d = await diagnose(paths, { home, env });
  const healthy = isHealthy(d.findings);
  // A rollback to the last-known-good config, while the config is what it restored: a note, not a finding.
  const rolledBack = await readRolledBack(paths.stateDir, d.loaded);
  const report = {
    profile: paths.profile,
    label: paths.label,
    ...(target === undefined ? {} : { from: ctx.paths.label }),
    configPath: paths.configPath,
    healthy,
    findings: d.findings,
    rolledBack,
  };

  if (!json) {
    const who = target === undefined ? `profile ${out.bold(paths.label)}` : `from ${out.bold(ctx.paths.label)} → target ${out.bold(paths.label)}`;
    out.line(`${out.bold('epiloop doctor')} · ${who} · ${tildify(paths.configPath, home)}`);
    out.line('');
    if (d.findings.length === 0) out.line(`${out.green('✔')} healthy: config valid, footprint clear of the other profiles and of foreign processes, dirs present and private.`);
    printFindings(out, d.findings, command);
    if (rolledBack !== null) out.line(out.yellow(`note: ${asSentence(rolledBackWords(rolledBack, home))}`));
  }
  if (!fix) {
    if (json) out.json(report);
    else if (d.findings.length > 0) {
      out.line('');
      out.line(`${countLine(d.findings)}.${d.findings.some((f) => f.fixable) ? ` Repair: ${out.cyan(`${command} --fix`)}` : ''}`);
    }
    return exitFor(healthy);
  }

  const plan = await planRepair(d, target === undefined ? {} : { gateway: othersGateway(paths.label) });
  if (plan.steps.length === 0) {
    if (json) out.json({ ...report, plan: { actions: [], diff: [], fixes: [], impacts: [] }, applied: [], backupPath: null });
    else if (d.findings.length > 0) out.line(`\n${countLine(d.findings)}: nothing doctor can fix automatically.`);
    return exitFor(healthy);
  }
  if (!json) printPlan(out, d, plan, command);
  const shownPlan = { actions: plan.actions, diff: plan.diff, fixes: plan.fixes, impacts: plan.impacts };

  if (!(await confirmOrRefuse(out, { yes, json }, { question: 'Apply? [y/N] ', what: 'plan', again: `${command} --fix --yes` }, () => out.json({ ...report, plan: shownPlan, applied: [], backupPath: null })))) {
    out.line('Not applied. Nothing was written.');
    return exitFor(healthy);
  }

  const result = await applyRepair(d, plan);
  const after = await diagnose(paths, { home, env });
  const healthyAfter = isHealthy(after.findings);
  if (json) {
    out.json({ ...report, plan: shownPlan, applied: result.applied, backupPath: result.backupPath, after: { healthy: healthyAfter, findings: after.findings } });
    return exitFor(healthyAfter);
  }
  out.line('');
  out.line(`${out.green('✔')} Applied:`);
  for (const line of capped(result.applied.map((line) => `  - ${line}`), (n) => `  … and ${n} more applied`)) out.line(line);
  if (result.backupPath !== null) out.line(`  backup of the old config: ${tildify(result.backupPath, home)}`);
  // The restart still owed is said last, after the check: it is what remains to do.
  for (const note of plan.notes) if (note !== plan.pendingRestart) out.line(out.yellow(`  note: ${note}`));
  for (const impact of plan.impacts) out.line(out.yellow(`  note: ${impact}`));
  out.line('');
  if (healthyAfter && after.findings.length === 0) out.line(`${out.green('✔')} Checked again: healthy.`);
  else {
    out.line(`Checked again: ${countLine(after.findings)}.`);
    printFindings(out, after.findings, command);
  }
  const stopped = stoppedGateway(after);
  if (stopped !== null) for (const line of wrappedLines(out, stopped)) out.line(line);
  if (plan.pendingRestart !== undefined) out.line(out.yellow(`! ${plan.pendingRestart}`));
  return exitFor(healthyAfter);
}
