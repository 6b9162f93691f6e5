import { Cancelled, exitFor, UsageError, type ExitCode } from '../core/errors';
import { diagnose } from '../host/doctor/diagnose';
import { isHealthy, type Finding } from '../core/doctor/findings';
import { applyRepair, planRepair } from '../host/doctor/repair';
import { checkProfileName, DEFAULT_LABEL } from '../core/profile/name';
import { tildify, type ProfilePaths } from '../core/profile/paths';
import type { Output } from '../ui/output';
import { pathsOfProfile, targetEnv } from '../core/watch/targets';
import { type Diagnosis } from '../core/doctor/diagnosis';
import { type RepairPlan } from '../core/doctor/repair-plan';
import { type CommandContext } from '../ui/context';
import type { DOCTOR_FLAGS } from '../flags';

/** --target P: P's own derived paths, never this shell's EPILOOP_* overrides; "default" names the profile without --profile. */
function targetPaths(name: string, home: string): ProfilePaths {
  return pathsOfProfile(name === DEFAULT_LABEL ? name : checkProfileName(name, '--target'), home);
}

function printFindings(out: Output, findings: readonly Finding[]): void {
  for (const f of findings) {
    out.line(`${f.severity === 'error' ? out.red('✖') : out.yellow('⚠')} ${f.summary}`);
    for (const line of f.detail) out.line(out.dim(`    ${line}`));
    out.line(`    ${f.fix === null ? out.dim('fix: none automatic') : `fix: ${f.fix}`}`);
  }
}

function countLine(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const fixable = findings.filter((f) => f.fixable).length;
  const parts = [`${errors} error${errors === 1 ? '' : 's'}`, `${warnings} warning${warnings === 1 ? '' : 's'}`];
  return `${findings.length} problem${findings.length === 1 ? '' : 's'} (${parts.join(', ')}), ${fixable} fixable`;
}

function printPlan(out: Output, d: Diagnosis, plan: RepairPlan): void {
  out.line('');
  out.line(out.bold('Plan:'));
  plan.actions.forEach((action, i) => out.line(`  ${i + 1}. ${action}`));
  if (plan.diff.length > 0) {
    out.line('');
    out.line(out.bold(`Change to ${tildify(d.paths.configPath, d.home)}:`));
    for (const line of plan.diff) out.line(`  ${line.startsWith('+') ? out.green(line) : line.startsWith('-') ? out.red(line) : out.dim(line)}`);
  }
  if (plan.impacts.length > 0) {
    out.line('');
    out.line(out.bold('What changes for clients:'));
    for (const impact of plan.impacts) out.line(out.yellow(`  ! ${impact}`));
  }
}

/** One line from a terminal; Ctrl-C cancels, end of input is "no". */
async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline');
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
  if (yes && !fix) throw new UsageError('--yes answers the question "Apply?" of --fix; use it with --fix.');
  const target = ctx.flags.target;
  const paths = target === undefined ? ctx.paths : targetPaths(target, home);
  const env = target === undefined ? ctx.env : targetEnv(ctx.env);
  const command = `${ctx.invocation} doctor${target === undefined ? '' : ` --target ${target}`}`;
  const d = await diagnose(paths, { home, env });
  const healthy = isHealthy(d.findings);
  const report = {
    profile: paths.profile,
    label: paths.label,
    ...(target === undefined ? {} : { from: ctx.paths.label }),
    configPath: paths.configPath,
    healthy,
    findings: d.findings,
  };

  if (!json) {
    const who = target === undefined ? `profile ${out.bold(paths.label)}` : `from ${out.bold(ctx.paths.label)} → target ${out.bold(paths.label)}`;
    out.line(`${out.bold('epiloop doctor')} · ${who} · ${tildify(paths.configPath, home)}`);
    out.line('');
    if (d.findings.length === 0) out.line(`${out.green('✔')} healthy: config valid, footprint clear of the other profiles and of foreign processes, dirs present and private.`);
    printFindings(out, d.findings);
  }
  if (!fix) {
    if (json) out.json(report);
    else if (d.findings.length > 0) {
      out.line('');
      out.line(`${countLine(d.findings)}.${d.findings.some((f) => f.fixable) ? ` Repair: ${out.cyan(`${command} --fix`)}` : ''}`);
    }
    return exitFor(healthy);
  }

  const plan = await planRepair(d);
  if (plan.steps.length === 0) {
    if (json) out.json({ ...report, plan: { actions: [], diff: [], fixes: [], impacts: [] }, applied: [], backupPath: null });
    else if (d.findings.length > 0) out.line(`\n${countLine(d.findings)}: nothing doctor can fix automatically.`);
    return exitFor(healthy);
  }
  if (!json) printPlan(out, d, plan);
  const shownPlan = { actions: plan.actions, diff: plan.diff, fixes: plan.fixes, impacts: plan.impacts };

  if (!yes) {
    if (json || !process.stdin.isTTY) {
      if (json) out.json({ ...report, plan: shownPlan, applied: [], backupPath: null });
      const why = json ? '--json never asks' : 'there is no terminal to ask on';
      throw new UsageError(`Nothing was written: ${why}. Check the plan above, then apply it with "${command} --fix --yes".`);
    }
    out.line('');
    if (!(await confirm('Apply? [y/N] '))) throw new Cancelled('Not applied. Nothing was written.');
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
  for (const line of result.applied) out.line(`  - ${line}`);
  if (result.backupPath !== null) out.line(`  backup of the old config: ${tildify(result.backupPath, home)}`);
  for (const note of plan.notes) out.line(out.yellow(`  note: ${note}`));
  for (const impact of plan.impacts) out.line(out.yellow(`  note: ${impact}`));
  out.line('');
  if (healthyAfter && after.findings.length === 0) out.line(`${out.green('✔')} Checked again: healthy.`);
  else {
    out.line(`Checked again: ${countLine(after.findings)}.`);
    printFindings(out, after.findings);
  }
  return exitFor(healthyAfter);
}
