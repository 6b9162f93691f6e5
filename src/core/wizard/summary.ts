/** The scrolled bodies (summary, repair review) and the done screen as lines: pure, so tests can read them. */
import { splitLines } from '../text/diff';
import { leavesRoom } from '../text/wrap';
import { maskConfigLines, maskDiffSides } from '../config/secrets';
import { tildify } from '../profile/paths';
import { configDiff, currentText, PREVIEW_TOKEN, previewConfig, writesNothing } from './plan';
import { QUESTIONS, refusedBind, restartDue } from './questions';
import { nextCommand } from '../profile/identity';
import { bindFixCommand } from '../gateway/plan';
import { dirLine, line, portsLine, refusedStart, type Line, type Tone } from './words';
import { type WizardState } from './model';

/** The files apply writes, then every question's own lines (questions.ts), then the config as it will be written (token hidden). */
export function summaryBody(state: WizardState): Line[] {
  const { facts, answers } = state;
  const { paths, home } = facts;
  const shown = (p: string) => tildify(p, home);
  const preview = previewConfig(answers, facts);
  const current = currentText(facts);
  // The token is drawn when the config is written: the preview names it instead of a fingerprint of a placeholder.
  const named = new Map([[PREVIEW_TOKEN, 'a new random token']]);
  // The whole text at once: a token's value may sit on the line after its key.
  const diff = configDiff(answers, facts, (before, after) => maskDiffSides(before, after, named));
  const configState = current === null ? 'create' : diff.length === 0 ? 'unchanged' : 'edit (comments and layout kept; the old file is kept as a backup)';
  const reported = { ...state, restartDue: restartDue(state, answers.base, diff.length > 0) };
  const lines = [
    line('Files', 'heading'),
    dirLine(facts, paths.stateDir, 'create'),
    line(`  ${shown(paths.configPath)}  file 0600  ${configState}`),
    ...QUESTIONS.flatMap((q) => q.summary(reported)),
  ];
  if (current === null) {
    lines.push(line(`Config ${shown(paths.configPath)} as it will be written (token hidden)`, 'heading'));
    for (const text of maskConfigLines(splitLines(preview), named)) lines.push(line(`  ${text}`, 'dim'));
    return lines;
  }
  if (diff.length === 0) {
    lines.push(line(`Config ${shown(paths.configPath)} stays as it is`, 'heading'));
    return lines;
  }
  lines.push(line(`Changes to ${shown(paths.configPath)} (token hidden)`, 'heading'));
  lines.push(...diffLines(diff));
  return lines;
}

function diffLines(diff: readonly string[]): Line[] {
  return diff.map((text) => line(`  ${text}`, text.startsWith('+') ? 'added' : text.startsWith('-') ? 'removed' : 'dim'));
}

/** The repair plan: the config diff (token hidden), then every step in words. */
export function reviewBody(state: WizardState): Line[] {
  const plan = state.repair.plan;
  if (plan === null) return [];
  const lines: Line[] = [];
  if (plan.diff.length > 0) {
    lines.push(line(`Changes to ${tildify(state.facts.paths.configPath, state.facts.home)} (the old file is kept as a backup)`, 'heading'));
    lines.push(...diffLines(plan.diff));
  }
  if (plan.impacts.length > 0) {
    lines.push(line('What changes for clients', 'heading'));
    for (const impact of plan.impacts) lines.push(line(`  ! ${impact}`, 'warn'));
  }
  lines.push(line('Steps', 'heading'));
  for (const action of plan.actions) lines.push(line(`  • ${action}`));
  for (const note of plan.notes) lines.push(line(`  note: ${note}`, 'warn'));
  return lines;
}

/** The apply step while it runs: what it writes, or, where it writes nothing (writesNothing), that it only checks. */
export function applyingLines(state: WizardState): Line[] {
  const { facts, answers } = state;
  if (writesNothing(state)) return [line('Checking the ports once more; nothing to write…')];
  return [
    line(`Writing ${tildify(facts.paths.configPath, facts.home)} (checking the ports once more first)…`),
    ...(answers.installService ? [line('Then installing and starting the service…')] : []),
  ];
}

/** What apply wrote and did, then what to run next: the wizard's last frame, and the line modes' last words. */
export function doneLines(state: WizardState): Line[] {
  const { facts, answers, outcome } = state;
  if (outcome === null) return [];
  const shown = (p: string) => tildify(p, facts.home);
  const serviceTone: Tone = outcome.service.ok ? 'plain' : 'warn';
  const due = outcome.runningPid !== null && restartDue(state, outcome.base, outcome.written);
  const lines = [
    outcome.service.ok
      ? line(`✔ Profile ${facts.paths.label} is ${outcome.written ? 'written' : 'unchanged (it already held exactly this)'}.`, 'good')
      : line(`! Profile ${facts.paths.label} is written, but its service is not installed.`, 'warn'),
    line(`  config   ${shown(outcome.configPath)} (0600)${outcome.backupPath ? `, backup ${shown(outcome.backupPath)}` : ''}`),
    line(`  state    ${shown(facts.paths.stateDir)} (0700${outcome.stateDirCreated ? ', created' : ''})`),
    line(`  ports    ${portsLine(outcome.base, facts)}`),
    ...(outcome.base === answers.base ? [] : [line(`  note     ${answers.base} was taken meanwhile: the first free base, ${outcome.base}, was written instead`, 'warn')]),
    ...QUESTIONS.flatMap((q) => q.done?.({ ...state, restartDue: due }) ?? []),
    ...outcome.service.lines.map((text) => line(`  service  ${text}`, serviceTone)),
  ];
  const installed = answers.installService && outcome.service.ok;
  // A bind this host has no address for: a start would be refused, so its fix comes first, not the start.
  const refused = refusedBind(state);
  const gateway = installed || refused !== null ? null : nextCommand(facts.invocation, outcome.runningPid, due);
  const next: [string, string][] = [
    ...(refused === null ? [] : ([[bindFixCommand(facts.invocation), `set an address of this host: ${refusedStart(refused)}`]] as [string, string][])),
    ...(gateway === null ? [] : ([[gateway.command, gateway.kind === 'start' ? `${gateway.does} (a detached process)` : gateway.does]] as [string, string][])),
    [`${facts.invocation} status`, 'check it'],
    ['epiloop ports', 'every gateway on this host'],
  ];
  const width = Math.max(...next.map(([command]) => command.length));
  // A command too long for a column beside it: each description goes under its command, where it wraps with room.
  const steps = leavesRoom(width + 4, state.view.columns)
    ? next.map(([command, what]) => line(`  ${command.padEnd(width)}  ${what}`))
    : next.flatMap(([command, what]) => [line(`  ${command}`), line(`      ${what}`)]);
  lines.push(line(''), line('Next steps', 'heading'), ...steps);
  return lines;
}

/** The scrolled body of the step: the summary, or the repair review. */
export function scrolledBody(state: WizardState): Line[] {
  return state.step === 'summary' ? summaryBody(state) : reviewBody(state);
}

/** The last words when the user leaves a profile as it is (q, or Enter with nothing to repair). */
export function leftLines(state: WizardState): Line[] {
  const { facts } = state;
  const count = state.facts.diagnosis?.findings.length ?? 0;
  if (count === 0) return [line(`Nothing to repair: profile ${facts.paths.label} is left as it is.`, 'good')];
  return [
    line(`Left profile ${facts.paths.label} as it is: nothing was written; ${count} problem${count === 1 ? '' : 's'} remain${count === 1 ? 's' : ''}.`, 'warn'),
    line(`See them again with: ${facts.invocation} doctor`),
  ];
}
