import { errorLine, EXIT, exitFor, HostError, UsageError, type ExitCode } from '../core/errors';
import { noProfileOnHost } from '../core/messages';
import { allOutcomesWords, lifecycleOrder, outcomeHead, orderWords, targetLine, waitMs, type LifecycleAction, type LifecycleOutcome } from '../core/lifecycle/plan';
import { actInOrder, notSetUpFor } from '../host/lifecycle/act';
import { allTargets, currentTarget, type ResolvedTarget } from '../host/lifecycle/target';
import type { LIFECYCLE_FLAGS } from '../flags';
import type { CommandContext } from '../ui/context';

type Ctx = CommandContext<typeof LIFECYCLE_FLAGS>;

/** --profile on the command line (not an EPILOOP_PROFILE left in the shell) beside --all: which one was meant? */
function profileFlagGiven(ctx: Ctx): boolean {
  return ctx.paths.profile !== null && ctx.env.EPILOOP_PROFILE !== ctx.paths.profile;
}

async function targetsOf(ctx: Ctx, action: LifecycleAction): Promise<ResolvedTarget[]> {
  if (ctx.flags.all !== true) return [await currentTarget(ctx.paths, { home: ctx.home, env: ctx.env })];
  if (profileFlagGiven(ctx)) {
    throw new UsageError(`--all acts on every profile and --profile names one. Run "epiloop ${action} --all" or "${ctx.invocation} ${action}".`);
  }
  return allTargets({ home: ctx.home, env: ctx.env });
}

async function run(action: LifecycleAction, ctx: Ctx): Promise<ExitCode> {
  const { out, home } = ctx;
  const wait = waitMs(ctx.flags.wait);
  const json = ctx.flags.json === true;
  const targets = await targetsOf(ctx, action);
  if (targets.length === 0) {
    if (json) out.json({ action, order: [], profiles: [], ok: false });
    else out.error(errorLine(noProfileOnHost(`nothing to ${action}`)));
    return EXIT.unhealthy;
  }
  // One profile, not set up: nothing was tried, so no target line and no duration; the sentence says what to run.
  const notSetUp = json || ctx.flags.all === true ? null : await notSetUpFor(targets[0]!, home, action);
  if (notSetUp !== null) throw new HostError(notSetUp);
  if (!json && ctx.flags.all === true) out.line(orderWords(lifecycleOrder(targets.map((t) => t.target), action), action));
  const results = await actInOrder(action, targets, { home, waitMs: wait, by: `epiloop ${action}${ctx.flags.all === true ? ' --all' : ''}` }, {
    before: (resolved) => {
      // A terminal gets it broken between its parts, never inside one; a pipe gets one line.
      if (!json) out.line(out.bold(targetLine(resolved.target, home, out.isTTY ? out.columns : undefined)));
    },
    after: (_resolved, outcome) => {
      if (!json) out.line(outcomeLine(ctx, outcome));
    },
  });
  const ok = results.every((r) => r.outcome.ok);
  if (json) {
    out.json({ action, order: results.map((r) => r.resolved.target.label), profiles: results.map((r) => ({ target: r.resolved.target, outcome: jsonOutcome(r.outcome) })), ok });
  } else if (results.length > 1) {
    const words = allOutcomesWords(action, results.map((r) => ({ label: r.resolved.target.label, outcome: r.outcome })));
    out.line(ok ? out.green(words) : out.red(words));
  }
  return exitFor(ok);
}

/** The outcome as --json (stable) gives it: its state, never the words' "refused". */
function jsonOutcome(outcome: LifecycleOutcome): Omit<LifecycleOutcome, 'refused'> {
  const { refused: _refused, ...rest } = outcome;
  return rest;
}

function outcomeLine(ctx: Ctx, outcome: LifecycleOutcome): string {
  const { out } = ctx;
  const mark = outcome.ok ? out.green('✔') : out.red('✘');
  const head = outcomeHead(outcome);
  // A detail of several lines (a broken config's place and repair) stays under its outcome.
  return `  ${mark} ${outcome.ok ? head : out.red(head)}: ${outcome.detail.replaceAll('\n', '\n    ')}`;
}

export const start = (ctx: Ctx) => run('start', ctx);
export const stop = (ctx: Ctx) => run('stop', ctx);
export const restart = (ctx: Ctx) => run('restart', ctx);
