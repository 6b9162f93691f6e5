/** The scrolled bodies (summary, repair review) as lines: pure, so the reducer can clamp their scroll and tests can read them. */
import { splitLines } from '../text/diff';
import { maskSecrets } from '../config/secrets';
import { tildify } from '../profile/paths';
import { PREVIEW_TOKEN, previewConfig, shapeOf } from './answers';
import type { ServiceSupport, WizardFacts } from './facts';
import { type WizardState } from './model';

export type Tone = 'plain' | 'dim' | 'heading' | 'good' | 'bad' | 'warn' | 'accent' | 'added' | 'removed';

export interface Line {
  text: string;
  tone: Tone;
}

const line = (text: string, tone: Tone = 'plain'): Line => ({ text, tone });

/** "epiloop-gateway-rescue.service (systemd user unit)" */
export function serviceName(facts: WizardFacts, kind: ServiceSupport['kind']): string {
  return kind === 'launchd' ? `${facts.paths.launchdLabel} (launchd agent)` : `${facts.paths.systemdUnit} (systemd user unit)`;
}

export function gatewayCommand(facts: WizardFacts, base?: number): string {
  return `${facts.invocation} gateway${base === undefined ? '' : ` --port ${base}`}`;
}

/** "19789 gateway · 19791 browser control · 19793 canvas · 19800–19899 CDP": one line under 80 columns. */
export function portsLine(base: number, facts: WizardFacts): string {
  const fp = shapeOf(facts, base);
  return [
    `${fp.gateway} gateway`,
    `${fp.browserControl} browser control`,
    ...(fp.canvas === null ? [] : [`${fp.canvas} canvas`]),
    `${fp.cdp.from}–${fp.cdp.to} CDP`,
  ].join(' · ');
}

/** Everything apply will write and run, then the config as it will be written (token hidden). */
export function summaryBody(state: WizardState): Line[] {
  const { facts, answers } = state;
  const { paths, home } = facts;
  const shown = (p: string) => tildify(p, home);
  const configState = facts.loaded.state === 'missing' ? 'create' : 'replace (the current file is kept as a backup)';
  const lines = [
    line('Files', 'heading'),
    line(`  ${shown(paths.stateDir)}/  directory 0700  ${facts.stateDirExists ? 'exists, kept' : 'create'}`),
    line(`  ${shown(paths.configPath)}  file 0600  ${configState}`),
    line(`  ${shown(answers.workspace)}/  directory 0700  create if missing`),
    line(`Ports (${answers.role} profile)`, 'heading'),
    line(`  ${portsLine(answers.base, facts)}`),
    line('Service', 'heading'),
  ];
  if (state.service?.usable && answers.installService) {
    lines.push(line(`  install and start ${serviceName(facts, state.service.kind)}, which runs`), line(`    ${gatewayCommand(facts, answers.base)}`, 'accent'));
  } else {
    lines.push(line('  none installed; run the gateway by hand with'), line(`    ${gatewayCommand(facts)}`, 'accent'));
  }
  if (answers.browser.kind === 'remote') lines.push(line('Browser', 'heading'), line(`  remote Chrome at ${answers.browser.cdpUrl}`));
  lines.push(line(`Config ${shown(paths.configPath)} as it will be written (token hidden)`, 'heading'));
  const named = new Map([[PREVIEW_TOKEN, 'a new random token']]);
  for (const text of splitLines(previewConfig(answers, facts))) lines.push(line(`  ${maskSecrets(text, named)}`, 'dim'));
  return lines;
}

/** The repair plan: the config diff (token hidden), then every step in words. */
export function reviewBody(state: WizardState): Line[] {
  const plan = state.repair.plan;
  if (plan === null) return [];
  const lines: Line[] = [];
  if (plan.diff.length > 0) {
    lines.push(line(`Changes to ${tildify(state.facts.paths.configPath, state.facts.home)} (the old file is kept as a backup)`, 'heading'));
    for (const text of plan.diff) lines.push(line(`  ${text}`, text.startsWith('+') ? 'added' : text.startsWith('-') ? 'removed' : 'dim'));
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

/** What apply wrote and did, then what to run next: the wizard's last frame, and the line modes' last words. */
export function doneLines(state: WizardState): Line[] {
  const { facts, answers, outcome } = state;
  if (outcome === null) return [];
  const shown = (p: string) => tildify(p, facts.home);
  const serviceTone: Tone = outcome.service.ok ? 'plain' : 'warn';
  const lines = [
    outcome.service.ok
      ? line(`✔ Profile ${facts.paths.label} is ${outcome.written ? 'written' : 'unchanged (it already held exactly this)'}.`, 'good')
      : line(`! Profile ${facts.paths.label} is written, but its service is not installed.`, 'warn'),
    line(`  config   ${shown(outcome.configPath)} (0600)${outcome.backupPath ? `, backup ${shown(outcome.backupPath)}` : ''}`),
    line(`  state    ${shown(facts.paths.stateDir)} (0700${outcome.stateDirCreated ? ', created' : ''})`),
    line(`  ports    ${portsLine(outcome.base, facts)}`),
    ...(outcome.base === answers.base ? [] : [line(`  note     ${answers.base} was taken meanwhile: the first free base, ${outcome.base}, was written instead`, 'warn')]),
    ...outcome.service.lines.map((text) => line(`  service  ${text}`, serviceTone)),
  ];
  const installed = answers.installService && outcome.service.ok;
  const next: [string, string][] = [
    ...(installed ? [] : ([[gatewayCommand(facts), 'run the gateway in the foreground']] as [string, string][])),
    [`${facts.invocation} status`, 'check it'],
    ['epiloop ports', 'every gateway on this host'],
  ];
  const width = Math.max(...next.map(([command]) => command.length));
  lines.push(line(''), line('Next steps', 'heading'), ...next.map(([command, what]) => line(`  ${command.padEnd(width)}  ${what}`)));
  return lines;
}
