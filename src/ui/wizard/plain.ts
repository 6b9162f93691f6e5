/**
 * `onboard --plain`: the wizard's questions one line at a time with @inquirer/prompts, for
 * dumb terminals and screen readers. Same checks, same summary, same write as the wizard.
 */
import { Cancelled } from '../../core/errors';
import { currentOf, portMap } from '../../core/host/view';
import { tildify } from '../../core/profile/paths';
import { checkCdpUrl, checkWorkspace, parseBase, proposedBase, shapeOf, watchedLabels, type Answers } from '../../core/wizard/answers';
import { WIZARD_ROLES, type WizardFacts } from '../../core/wizard/facts';
import { ApplyRefused, hostIO, loadFacts, type LoadOptions, type WizardIO } from './io';
import { spacingNote } from '../../core/wizard/portview';
import { printLines } from './print';
import { checkBase, findings, followsProposal, initialState, probedView, selectedKinds } from '../../core/wizard/state';
import { doneLines, gatewayCommand, reviewBody, serviceName, summaryBody } from '../../core/wizard/summary';
import { type WizardState } from '../../core/wizard/model';
import { type CommandContext } from '../context';
import { portMapLines } from '../portmap';

type Prompts = typeof import('@inquirer/prompts');

/** Ctrl-C in a prompt rejects with ExitPromptError (AbortPromptError when aborted): both are a cancel, exit 130. */
function isPromptExit(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}

export async function runPlain(ctx: CommandContext, load: LoadOptions): Promise<number> {
  const prompts = await import('@inquirer/prompts');
  const facts = await loadFacts(ctx.paths, load);
  const io = hostIO(facts, ctx.env);
  try {
    if (facts.loaded.state !== 'missing') return await repair(ctx, prompts, io, initialState(facts));
    return await walk(ctx, prompts, io, initialState(facts));
  } catch (error) {
    if (isPromptExit(error)) throw new Cancelled();
    if (error instanceof ApplyRefused) throw error.error;
    throw error;
  }
}

async function repair(ctx: CommandContext, prompts: Prompts, io: WizardIO, state: WizardState): Promise<number> {
  const { out } = ctx;
  const { facts } = state;
  const list = findings(state);
  out.line(`Profile ${facts.paths.label} already has a config: ${tildify(facts.paths.configPath, facts.home)}`);
  if (list.length === 0) out.line(out.green('Nothing to repair: its ports, paths and permissions are in order.'));
  for (const f of list) {
    out.line(`${f.severity === 'error' ? out.red('error') : out.yellow('warning')}: ${f.summary}`);
    for (const d of f.detail) out.line(out.dim(`  ${d}`));
    out.line(`  fix: ${f.fix ?? 'none automatic: edit the file by hand'}`);
  }
  if (selectedKinds(state).length > 0 && (await prompts.confirm({ message: 'Plan the fixes (nothing is written yet)?', default: true }))) {
    const plan = await io.planRepair(selectedKinds(state));
    printLines(out, reviewBody({ ...state, repair: { ...state.repair, plan } }));
    if (!(await prompts.confirm({ message: 'Apply these changes?', default: true }))) throw new Cancelled('Nothing was changed.');
    const result = await io.applyRepair(plan);
    out.line(out.green(`Repaired profile ${facts.paths.label}.`));
    if (result.backupPath) out.line(`  backup of the old config: ${tildify(result.backupPath, facts.home)}`);
    return 0;
  }
  if (facts.loaded.state === 'ok' && (await prompts.confirm({ message: 'Walk through its settings again?', default: false }))) {
    return walk(ctx, prompts, io, state);
  }
  return 0;
}

async function walk(ctx: CommandContext, prompts: Prompts, io: WizardIO, start: WizardState): Promise<number> {
  const { out } = ctx;
  const { facts } = start;
  const watched = watchedLabels(facts, 'rescue');
  const role = await prompts.select({
    message: 'Role of this gateway',
    default: start.answers.role,
    choices: WIZARD_ROLES.map((value) => ({
      value,
      name: value,
      description: value === 'main' ? 'the everyday gateway' : `a second gateway that ${watched.length > 0 ? `watches ${watched.join(', ')}` : 'would watch main, once there is one'}`,
    })),
  });
  const workspaceText = await prompts.input({
    message: 'Workspace',
    default: tildify(start.answers.workspace, facts.home),
    // Checked again with its symlinks resolved: a link into another profile's workspace is refused here too.
    validate: async (text) => {
      const typed = checkWorkspace(text, facts);
      if (!typed.ok) return typed.reason;
      const checked = checkWorkspace(text, facts, await io.resolve(typed.path));
      return checked.ok || checked.reason;
    },
  });
  const workspace = (checkWorkspace(workspaceText, facts) as { path: string }).path;
  const proposals = await io.propose();
  const first = followsProposal(start) ? proposedBase(facts, proposals, role) : start.answers.base;
  const base = await askBase(ctx, prompts, io, facts, proposedBase(facts, proposals, role), first);
  const browser = await prompts.select({
    message: 'Chrome for this gateway',
    default: start.answers.browser.kind,
    choices: [
      { value: 'local' as const, name: 'local', description: `CDP ports from this profile's range (${shapeOf(facts, base).cdp.from}–${shapeOf(facts, base).cdp.to})` },
      { value: 'remote' as const, name: 'remote', description: 'a Chrome you run yourself, at a CDP URL' },
    ],
  });
  let answers: Answers = { ...start.answers, role, workspace, base, browser: { kind: 'local' } };
  if (browser === 'remote') {
    const url = await prompts.input({
      message: 'CDP URL',
      default: start.answers.browser.kind === 'remote' ? start.answers.browser.cdpUrl : undefined,
      validate: (text) => {
        const checked = checkCdpUrl(text, facts);
        return checked.ok || checked.reason;
      },
    });
    answers = { ...answers, browser: { kind: 'remote', cdpUrl: url.trim() } };
  }
  const service = await io.detectService();
  if (service.usable) {
    const install = await prompts.confirm({ message: `Install ${serviceName(facts, service.kind)} and start it?`, default: facts.given.installService ?? true });
    answers = { ...answers, installService: install };
  } else {
    out.line(`No service will be installed: ${service.reason}`);
    out.line(`Run the gateway by hand with: ${gatewayCommand(facts)}`);
    answers = { ...answers, installService: false };
  }
  const state: WizardState = { ...start, answers, service };
  out.line('');
  printLines(out, summaryBody(state));
  if (!(await prompts.confirm({ message: 'Write it?', default: true }))) throw new Cancelled();
  const outcome = await io.apply(answers);
  out.line('');
  printLines(out, doneLines({ ...state, outcome }));
  return outcome.service.ok ? 0 : 1;
}

/** Asks until the base's whole footprint is free, printing its port map each time. */
async function askBase(ctx: CommandContext, prompts: Prompts, io: WizardIO, facts: WizardFacts, proposal: number, first: number): Promise<number> {
  const { out } = ctx;
  let suggestion = first;
  for (;;) {
    const text = await prompts.input({
      message: 'Base port',
      default: String(suggestion),
      validate: (value) => {
        const parsed = parseBase(value.trim());
        return parsed.ok || parsed.reason;
      },
    });
    const base = (parseBase(text.trim()) as { base: number }).base;
    const view = probedView(facts, await io.probe(shapeOf(facts, base)));
    for (const line of portMapLines(out, portMap(view, currentOf(view), shapeOf(facts, base)))) out.line(line);
    const spacing = spacingNote(base, facts.others);
    if (spacing) out.line(out.yellow(spacing));
    const check = checkBase(facts, proposal, base, view);
    if (check.kind === 'ok' && (await prompts.confirm({ message: `Use base ${base}?`, default: true }))) return base;
    if (check.kind === 'refused') out.line(out.red(check.reason));
    suggestion = check.kind === 'refused' ? proposal : base;
  }
}
