/** `onboard --non-interactive`: every answer from its flag or its default (the questions table), the same summary, the same write. */
import { brokenConfig } from '../../core/messages';
import { EXIT, exitFor, HostError, UsageError, type ExitCode } from '../../core/errors';
import { tildify } from '../../core/profile/paths';
import { detectServiceManager } from '../../host/service/manager';
import { answerFlagsGiven, settleAnswers } from '../../core/wizard/questions';
import { checkWorkspace } from '../../core/wizard/answers';
import { resolvedPath } from '../../host/profile/resolve';
import { ApplyRefused, applyAnswers, loadFacts, loadProposals, type LoadOptions } from './io';
import { printLines } from './print';
import { initialState } from '../../core/wizard/state';
import { doneLines, summaryBody } from '../../core/wizard/summary';
import { type WizardState } from '../../core/wizard/model';
import { type CommandContext } from '../context';
import type { ONBOARD_FLAGS } from '../../flags';

export async function runNonInteractive(ctx: CommandContext<typeof ONBOARD_FLAGS>, load: LoadOptions, yes: boolean): Promise<ExitCode> {
  const { out, home, paths } = ctx;
  const facts = await loadFacts(paths, load);
  if (facts.loaded.state === 'invalid') {
    throw new HostError(brokenConfig({ label: paths.label, invocation: ctx.invocation }, facts.loaded.error, tildify(facts.loaded.path, home), undefined, 'onboard'));
  }
  const proposals = await loadProposals(facts);
  // The service manager is asked only when a service may be installed.
  const service = facts.given.installService === false ? null : await detectServiceManager(ctx.env);
  const state: WizardState = { ...initialState(facts), proposals, service, answers: settleAnswers(facts, { proposals, service }) };
  // Checked again with its symlinks resolved: a link into another profile's workspace, or to /etc, is refused too.
  const workspace = checkWorkspace(state.answers.workspace, facts, await resolvedPath(state.answers.workspace));
  if (!workspace.ok) throw new UsageError(`--workspace ${tildify(state.answers.workspace, home)}: ${workspace.reason}.`);
  printLines(out, summaryBody(state));
  if (!yes) {
    const again = ['--yes', ...answerFlagsGiven(ctx.flags)].join(' ');
    out.error(`\nNothing was written. Add --yes to write it: ${ctx.invocation} onboard --non-interactive ${again}`);
    return EXIT.usage;
  }
  try {
    // Nobody chose a proposed base: one taken since it was proposed (another setup or onboard) is proposed again, as setup does.
    const proposed = facts.given.base === undefined && facts.loaded.state === 'missing';
    const outcome = await applyAnswers(facts, state.answers, {
      env: ctx.env,
      source: ctx.flags.port !== undefined ? '--port' : facts.given.base !== undefined ? 'EPILOOP_GATEWAY_PORT' : 'the proposal',
      proposed,
      retry: (base) => `${ctx.invocation} onboard --non-interactive --port ${base} --yes`,
    });
    out.line('');
    printLines(out, doneLines({ ...state, outcome }));
    return exitFor(outcome.service.ok);
  } catch (error) {
    if (error instanceof ApplyRefused) throw error.error;
    throw error;
  }
}
