/** `onboard --non-interactive`: the wizard's answers from flags and defaults, the same summary, the same write. */
import { formatConfigError } from '../../core/config/parse';
import { EXIT, HostError, UsageError } from '../../core/errors';
import { tildify } from '../../core/profile/paths';
import { detectServiceManager } from '../../host/service/manager';
import { resolveReal } from '../../host/model';
import { checkWorkspace } from '../../core/wizard/answers';
import { ApplyRefused, applyAnswers, loadFacts, loadProposals, type LoadOptions } from './io';
import { printLines } from './print';
import { followsProposal, initialState, reduce } from '../../core/wizard/state';
import { doneLines, gatewayCommand, summaryBody } from '../../core/wizard/summary';
import { type WizardState } from '../../core/wizard/model';
import { type CommandContext } from '../context';

export async function runNonInteractive(ctx: CommandContext, load: LoadOptions, yes: boolean): Promise<number> {
  const { out, home, paths } = ctx;
  const facts = await loadFacts(paths, load);
  if (facts.loaded.state === 'invalid') {
    throw new HostError(
      `${formatConfigError(facts.loaded.error, tildify(facts.loaded.path, home))}\nThe config of profile "${paths.label}" is broken. Repair it with "${ctx.invocation} doctor --fix", or run "${ctx.invocation} onboard" in a terminal.`,
    );
  }
  const proposals = await loadProposals(facts);
  const start = reduce(initialState(facts), { type: 'proposed', proposals });
  const answers = start.answers;
  if (followsProposal(start) && proposals[answers.role] === null) {
    throw new HostError('no free base port was found on this host for a whole footprint (111 ports); free some ports or pass --port.');
  }
  const workspace = checkWorkspace(answers.workspace, facts, await resolveReal(answers.workspace));
  if (!workspace.ok) throw new UsageError(`--workspace ${answers.workspace}: ${workspace.reason}.`);
  const asked = facts.given.installService;
  // The service manager is asked only when a service may be installed.
  const service = asked === false ? null : await detectServiceManager(ctx.env);
  if (asked === true && service !== null && !service.usable) {
    throw new HostError(`--install-service: ${service.reason} Nothing was written. Use --no-install-service and run "${gatewayCommand(facts)}" by hand.`);
  }
  const state: WizardState = {
    ...start,
    service,
    answers: { ...answers, workspace: workspace.path, installService: asked ?? service?.usable === true },
  };
  printLines(out, summaryBody(state));
  if (!yes) {
    out.error(`\nNothing was written. Add --yes to write it: ${ctx.invocation} onboard --non-interactive --yes${passed(ctx)}`);
    return EXIT.usage;
  }
  try {
    const proposed = followsProposal(start);
    const outcome = await applyAnswers(facts, state.answers, {
      env: ctx.env,
      source: ctx.flags.port !== undefined ? '--port' : facts.given.port !== undefined ? 'EPILOOP_GATEWAY_PORT' : 'the proposal',
      // Nobody chose a proposed base: one taken since it was proposed is proposed again.
      proposed,
      retry: (base) => `${ctx.invocation} onboard --non-interactive --port ${base} --yes`,
    });
    out.line('');
    printLines(out, doneLines({ ...state, outcome }));
    return outcome.service.ok ? EXIT.ok : EXIT.unhealthy;
  } catch (error) {
    if (error instanceof ApplyRefused) throw error.error;
    throw error;
  }
}

/** The flags of this run, to repeat in the --yes hint. */
function passed(ctx: CommandContext): string {
  const { flags } = ctx;
  const parts: string[] = [];
  if (flags.role !== undefined) parts.push(`--role ${String(flags.role)}`);
  if (flags.port !== undefined) parts.push(`--port ${String(flags.port)}`);
  if (flags.workspace !== undefined) parts.push(`--workspace ${String(flags.workspace)}`);
  if (flags['install-service'] !== undefined) parts.push(flags['install-service'] ? '--install-service' : '--no-install-service');
  return parts.map((p) => ` ${p}`).join('');
}
