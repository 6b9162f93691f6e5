/**
 * `onboard --plain`: the wizard's questions one line at a time with @inquirer/prompts, for
 * dumb terminals and screen readers. Same checks, same summary, same write as the wizard.
 */
import { Cancelled, EXIT, exitFor, type ExitCode } from '../../core/errors';
import { currentOf, portMap, type HostView } from '../../core/host/view';
import { tildify } from '../../core/profile/paths';
import { parseBase, proposedBase, shapeOf } from '../../core/wizard/answers';
import type { WizardFacts } from '../../core/wizard/facts';
import { choicesOf, givenTo, offerOf, QUESTIONS, withAnswer, type ChoiceQuestion, type Known, type PortQuestion, type Question } from '../../core/wizard/questions';
import { ApplyRefused, hostIO, loadFacts, type LoadOptions, type WizardIO } from './io';
import { spacingNote } from '../../core/wizard/portview';
import { printLines } from './print';
import { checkBase, findings, initialState, probedView, selectedKinds } from '../../core/wizard/state';
import { doneLines, leftLines, reviewBody, summaryBody } from '../../core/wizard/summary';
import { writesNothing } from '../../core/wizard/plan';
import { type WizardState } from '../../core/wizard/model';
import { type CommandContext } from '../context';
import { portMapLines } from '../portmap';
import { importEsm } from '../../host/esm';

/** The prompts --plain asks with (@inquirer/prompts); tests hand in their own. */
export type Prompts = Pick<typeof import('@inquirer/prompts'), 'confirm' | 'input' | 'select'>;

/** Ctrl-C in a prompt rejects with ExitPromptError (AbortPromptError when aborted): both are a cancel, exit 130. */
function isPromptExit(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}

export async function runPlain(ctx: CommandContext, load: LoadOptions): Promise<ExitCode> {
  const prompts = await importEsm<typeof import('@inquirer/prompts')>('@inquirer/prompts');
  const facts = await loadFacts(ctx.paths, load);
  return plainWizard(ctx, prompts, facts, hostIO(facts, ctx.env));
}

/** The answer that goes back a question: typed into a field, or chosen from a list. */
export const BACK_WORD = 'back';
const BACK = Symbol('back');

function isBack(text: string): boolean {
  return text.trim().toLowerCase() === BACK_WORD;
}

export async function plainWizard(ctx: CommandContext, prompts: Prompts, facts: WizardFacts, io: WizardIO): Promise<ExitCode> {
  ctx.out.line(ctx.out.bold(`epiloop onboard · profile ${facts.paths.label}`));
  try {
    if (facts.loaded.state !== 'missing') return await repair(ctx, prompts, io, initialState(facts));
    return await walk(ctx, prompts, io, initialState(facts));
  } catch (error) {
    if (isPromptExit(error)) throw new Cancelled();
    if (error instanceof ApplyRefused) throw error.error;
    throw error;
  }
}

async function repair(ctx: CommandContext, prompts: Prompts, io: WizardIO, state: WizardState): Promise<ExitCode> {
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
    return EXIT.ok;
  }
  if (facts.loaded.state === 'ok' && (await prompts.confirm({ message: 'Walk through its settings again?', default: false }))) {
    return walk(ctx, prompts, io, state);
  }
  printLines(out, leftLines(state));
  return EXIT.ok;
}

/** Every question of the table in turn, each prefilled with its flag or its default; then the summary and the write. */
async function walk(ctx: CommandContext, prompts: Prompts, io: WizardIO, start: WizardState): Promise<ExitCode> {
  const { out } = ctx;
  const { facts } = start;
  // The host's answers (free bases, the service manager) are looked up while the first questions are asked.
  const host = Promise.all([io.propose(), io.detectService()]);
  let known: Known = start;
  out.line(out.dim(`Answer "${BACK_WORD}" to go back a question.`));
  const prefilled = new Set<Question>();
  for (let i = 0; i < QUESTIONS.length; ) {
    const q = QUESTIONS[i]!;
    if (q.kind === 'port' || offerOf(q, known).state === 'pending') {
      const [proposals, service] = await host;
      known = { ...known, proposals, service };
    }
    // Prefilled once: going back shows the answer given, not the default again.
    if (!prefilled.has(q)) known = { ...known, answers: withAnswer(known.answers, q, givenTo(facts, q) ?? q.initial(known)) };
    prefilled.add(q);
    out.line('');
    out.line(out.dim(`Step ${i + 1}/${QUESTIONS.length} · ${q.title}`));
    const value = await ask(ctx, prompts, io, q, known, i > 0);
    if (value === BACK) {
      i = previousAsked(i, known);
      continue;
    }
    known = { ...known, answers: withAnswer(known.answers, q, value) };
    i++;
  }
  const state: WizardState = { ...start, ...known };
  out.line('');
  printLines(out, summaryBody(state));
  // Apply runs either way; where it writes nothing, the question says so (as the wizard's key line does).
  if (!(await prompts.confirm({ message: writesNothing(state) ? 'Nothing to write. Finish?' : 'Write it?', default: true }))) throw new Cancelled();
  const outcome = await io.apply(state.answers);
  out.line('');
  printLines(out, doneLines({ ...state, outcome }));
  return exitFor(outcome.service.ok);
}

/** The question before `i` that asks something (one with nothing to choose answers itself and is skipped), or `i` itself. */
function previousAsked(i: number, known: Known): number {
  for (let j = i - 1; j >= 0; j--) {
    const q = QUESTIONS[j]!;
    if (q.kind !== 'choice' || offerOf(q, known).state !== 'closed') return j;
  }
  return i;
}

/** One question, its prefilled answer in known.answers; the answer, checked as the wizard checks it, or BACK. */
async function ask(ctx: CommandContext, prompts: Prompts, io: WizardIO, q: Question, known: Known, canGoBack: boolean): Promise<unknown> {
  const { facts, answers } = known;
  switch (q.kind) {
    case 'choice':
      return askChoice(ctx, prompts, q, known, canGoBack);
    case 'text': {
      const text = await prompts.input({
        message: q.prompt,
        default: q.text(known),
        validate: async (value) => (canGoBack && isBack(value)) || validation(await checkResolved(io, q, value, facts)),
      });
      return canGoBack && isBack(text) ? BACK : (q.check(text, facts) as { value: unknown }).value;
    }
    case 'port':
      return askBase(ctx, prompts, io, q, facts, proposedBase(facts, known.proposals, answers.role), answers.base, canGoBack);
  }
}

/** A text answer as the wizard checks it; the workspace again with its symlinks resolved (a link into another profile's workspace, or to /etc). */
async function checkResolved(io: WizardIO, q: Extract<Question, { kind: 'text' }>, value: string, facts: WizardFacts): Promise<{ ok: true } | { ok: false; reason: string }> {
  const checked = q.check(value, facts);
  if (!checked.ok || q.resolvedCheck === undefined) return checked;
  return q.resolvedCheck(value, facts, await io.resolve(String(checked.value)));
}

async function askChoice(ctx: CommandContext, prompts: Prompts, q: ChoiceQuestion, known: Known, canGoBack: boolean): Promise<unknown> {
  const offer = offerOf(q, known);
  if (offer.state === 'closed') {
    printLines(ctx.out, offer.say);
    return offer.answer;
  }
  printLines(ctx.out, q.note?.(known) ?? []);
  const choices = choicesOf(q, known);
  const word = await prompts.select({
    message: q.prompt,
    default: q.wordOf(known.answers),
    choices: [
      ...choices.map((c) => ({ value: c.word, name: c.word, description: c.detail(known) })),
      ...(canGoBack ? [{ value: BACK_WORD, name: BACK_WORD, description: 'to the previous question' }] : []),
    ],
  });
  if (word === BACK_WORD) return BACK;
  const option = choices.find((c) => c.word === word)!;
  if (!('field' in option)) return option.value;
  const { field } = option;
  const text = await prompts.input({ message: field.label, default: field.text(known.answers) || undefined, validate: (value) => validation(field.check(value, known.facts, known.answers)) });
  return (field.check(text, known.facts, known.answers) as { value: unknown }).value;
}

/** A check as a prompt's validate answers it: true, or the reason shown under the prompt. */
function validation(checked: { ok: true } | { ok: false; reason: string }): true | string {
  return checked.ok || checked.reason;
}

/**
 * Asks until the base's whole footprint is free: the field refuses a taken base itself (probed
 * as the wizard probes it), so nothing is confirmed before it is checked; then its port map and "Use it?".
 */
async function askBase(ctx: CommandContext, prompts: Prompts, io: WizardIO, q: PortQuestion, facts: WizardFacts, proposal: number, first: number, canGoBack: boolean): Promise<number | typeof BACK> {
  const { out } = ctx;
  const look = async (text: string): Promise<{ ok: false; reason: string } | { ok: true; base: number; view: HostView }> => {
    const syntax = q.check(text.trim());
    if (!syntax.ok) return syntax;
    const base = (parseBase(text.trim()) as { base: number }).base;
    const view = probedView(facts, await io.probe(shapeOf(facts, base)));
    const check = checkBase(facts, proposal, base, view);
    return check.kind === 'refused' ? { ok: false, reason: check.reason } : { ok: true, base, view };
  };
  let suggestion = first;
  for (;;) {
    let seen: Awaited<ReturnType<typeof look>> | null = null;
    const text = await prompts.input({
      message: q.prompt,
      default: String(suggestion),
      validate: async (value) => {
        if (canGoBack && isBack(value)) return true;
        seen = await look(value);
        return validation(seen);
      },
    });
    if (canGoBack && isBack(text)) return BACK;
    const looked: Awaited<ReturnType<typeof look>> = seen ?? (await look(text));
    if (!looked.ok) {
      out.line(out.red(looked.reason));
      suggestion = proposal;
      continue;
    }
    const { base, view } = looked;
    for (const line of portMapLines(out, portMap(view, currentOf(view), shapeOf(facts, base)))) out.line(line);
    const spacing = spacingNote(base, facts.others);
    if (spacing) out.line(out.yellow(spacing));
    if (await prompts.confirm({ message: `Use base ${base}?`, default: true })) return base;
    suggestion = base;
  }
}
