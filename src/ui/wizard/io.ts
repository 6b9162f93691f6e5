/** The wizard's I/O edge: what it reads before the first frame, and what its steps ask the host to do. */
import { stat } from 'node:fs/promises';
import { diagnose } from '../../host/doctor/diagnose';
import { hostAddresses } from '../../host/ports/addresses';
import { applyRepair, planRepair } from '../../host/doctor/repair';
import type { FindingKind } from '../../core/doctor/findings';
import { HostError, UsageError } from '../../core/errors';
import { nextCommand } from '../../core/profile/identity';
import { BaseRefused, chooseBase } from '../../host/ports/choose';
import { footprintSlots, type Footprint } from '../../core/ports/footprint';
import { confirmFree, proposeLive, readHost, refreshHost } from '../../host/model';
import { resolvedPath } from '../../host/profile/resolve';
import { currentOf, type HostProfile, type HostView } from '../../core/host/view';
import { writeProfile } from '../../host/profile/apply';
import { tildify, type ProfilePaths } from '../../core/profile/paths';
import { detectServiceManager } from '../../host/service/manager';
import { installService } from '../../host/service/install';
import { gatewayRole, shapeOf } from '../../core/wizard/answers';
import { othersOf, WIZARD_ROLES, type Answers, type Proposals, type ServiceSupport, type WizardFacts, type WizardRole } from '../../core/wizard/facts';
import { profilePlan } from '../../core/wizard/plan';
import { workspaceOf } from '../../core/profile/plan';
import { refusedBind, restartDue } from '../../core/wizard/questions';
import { refusedStart } from '../../core/wizard/words';
import { type LoadedConfig } from '../../core/config/parse';
import { type RepairPlan } from '../../core/doctor/repair-plan';
import { type ApplyOutcome, type ProbeAnswer } from '../../core/wizard/model';

export interface LoadOptions {
  home: string;
  env: Record<string, string | undefined>;
  invocation: string;
  given: WizardFacts['given'];
  /** This host's interface addresses; read from the host when absent (the one seam tests give a host of their own). */
  addresses?: readonly string[];
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** The host view and (for an existing config) the doctor's diagnosis of the same view: what the first frame needs. */
export async function loadFacts(paths: ProfilePaths, options: LoadOptions): Promise<WizardFacts> {
  const view = await readHost({ home: options.home, current: paths, health: 'none' });
  const loaded = currentOf(view).loaded;
  const addresses = options.addresses ?? hostAddresses();
  const dirs = [paths.stateDir, workspaceOf(loaded, paths)];
  const [diagnosis, found] = await Promise.all([
    loaded.state === 'missing' ? null : diagnose(paths, { home: options.home, env: options.env, view, addresses }),
    Promise.all(dirs.map(exists)),
  ]);
  // The steps read the listeners from their own probes: the load-time ones would be stale by then.
  const claimsOnly: HostView = { ...view, listeners: null };
  return {
    paths,
    home: options.home,
    invocation: options.invocation,
    loaded,
    dirsFound: dirs.filter((_, i) => found[i]),
    view: claimsOnly,
    others: othersOf(claimsOnly),
    diagnosis,
    given: options.given,
    addresses,
  };
}

/** A free base for each role, from a live probe (the one proposal every command makes): off the first frame, it binds a few hundred sockets. */
export async function loadProposals(facts: WizardFacts, start?: number): Promise<Proposals> {
  const shape = (base: number) => shapeOf(facts, base);
  const view = await refreshHost(facts.view, []);
  const self = currentOf(view);
  const proposeFor = async (role: WizardRole) => (await proposeLive(view, self, gatewayRole(facts, role), shape, start)).proposal;
  const [main, rescue] = await Promise.all(WIZARD_ROLES.map(proposeFor));
  return { main: main!, rescue: rescue! };
}

/**
 * The host as it is now around a footprint: listeners and running gateways; with `confirm`, the
 * free ports confirmed by a bind too (the periodic refresh of an unchanged base only reads /proc).
 */
export async function probeHost(facts: WizardFacts, fp: Footprint, options: { confirm?: boolean } = {}): Promise<ProbeAnswer> {
  const ports = footprintSlots(fp).map((s) => s.port);
  const read = await refreshHost(facts.view, ports);
  const view = options.confirm === false ? read : await confirmFree(read, null, ports);
  return { listeners: view.listeners ?? new Map(), profiles: view.profiles };
}

/** What the wizard's steps ask the host to do. The Ink app and the line modes share it; tests hand it a temp HOME. */
export interface WizardIO {
  propose(): Promise<Proposals>;
  probe(fp: Footprint, options?: { confirm?: boolean }): Promise<ProbeAnswer>;
  /** A path with its symlinks resolved, as far as it exists. */
  resolve(p: string): Promise<string>;
  detectService(): Promise<ServiceSupport>;
  apply(answers: Answers): Promise<ApplyOutcome>;
  planRepair(only: FindingKind[]): Promise<RepairPlan>;
  applyRepair(plan: RepairPlan): Promise<{ backupPath: string | null; applied: string[] }>;
}

/**
 * A refusal of apply, with the user's error inside and the step that fixes it: a port problem
 * is fixed on the port step, which then shows what the refusal saw and the base it offered.
 */
export class ApplyRefused extends Error {
  constructor(
    readonly error: UsageError | HostError,
    readonly backTo: 'port' | 'paths' | 'summary',
    readonly refusal?: { base: number; host: ProbeAnswer; suggestion: number | null },
  ) {
    super(error.message);
  }
}

export function hostIO(facts: WizardFacts, env: Record<string, string | undefined>): WizardIO {
  return {
    propose: () => loadProposals(facts),
    probe: (fp, options) => probeHost(facts, fp, options),
    resolve: resolvedPath,
    detectService: () => detectServiceManager(env),
    apply: (answers) => applyAnswers(facts, answers, { env, source: 'the wizard', retry: (base) => `press p for base ${base}` }),
    planRepair: (only) => planRepair(facts.diagnosis!, { only }),
    applyRepair: (plan) => applyRepair(facts.diagnosis!, plan),
  };
}

/**
 * Writes the profile through the foundation's writeProfile (lock, atomic, backup, unknown
 * keys kept), checking the base again exactly as setup does, then installs the service.
 */
export async function applyAnswers(
  facts: WizardFacts,
  answers: Answers,
  options: {
    env: Record<string, string | undefined>;
    source: string;
    retry: (base: number) => string;
    /** The base was only a proposal: if another writer took it meanwhile, propose again (as setup does) instead of refusing. */
    proposed?: boolean;
  },
): Promise<ApplyOutcome> {
  const { paths, home } = facts;
  const decide = async (current: LoadedConfig, host: { view: HostView; self: HostProfile }) => {
    if (current.state === 'invalid') {
      const changed = `${tildify(paths.configPath, home)} became unreadable since the wizard read it; nothing was written. Run "${facts.invocation} onboard" again.`;
      throw new ApplyRefused(new HostError(changed), 'summary');
    }
    try {
      const chosen = await chooseBase({
        invocation: facts.invocation,
        role: gatewayRole(facts, answers.role),
        view: host.view,
        self: host.self,
        config: current.state === 'ok' ? current.config : undefined,
        requested: { port: answers.base, source: options.source, ...(options.proposed ? { proposed: true } : {}) },
        retry: options.retry,
      });
      return profilePlan({ ...answers, base: chosen.base }, facts);
    } catch (error) {
      if (error instanceof BaseRefused) {
        const refusal = { base: error.base, host: { listeners: error.view.listeners ?? new Map(), profiles: error.view.profiles }, suggestion: error.alternative };
        throw new ApplyRefused(error, 'port', refusal);
      }
      if (error instanceof UsageError || error instanceof HostError) throw new ApplyRefused(error, 'port');
      throw error;
    }
  };
  let written;
  try {
    written = await writeProfile(paths, facts.loaded, decide, `${facts.invocation} onboard`);
  } catch (error) {
    if (error instanceof ApplyRefused) throw error;
    // The workspace is checked again with its symlinks resolved: one that leads into another profile's is fixed on the paths step.
    if (error instanceof UsageError && /^workspace /.test(error.message)) throw new ApplyRefused(error, 'paths');
    if (error instanceof HostError || error instanceof UsageError) throw new ApplyRefused(error, 'summary');
    throw error;
  }
  const outcome: ApplyOutcome = {
    configPath: written.result.path,
    base: written.plan.base,
    backupPath: written.result.backupPath,
    stateDirCreated: written.stateDirCreated,
    written: written.result.written,
    runningPid: written.self.gateway?.pid ?? null,
    service: { ok: true, lines: [] },
  };
  if (!answers.installService) {
    const next = nextCommand(facts.invocation, outcome.runningPid, restartDue({ facts, answers }, outcome.base, outcome.written));
    const refused = refusedBind({ facts, answers });
    outcome.service.lines.push(
      refused !== null
        ? `not installed; ${refusedStart(refused)} (see network)`
        : next === null
        ? `not installed; the gateway (pid ${outcome.runningPid}) runs`
        : next.kind === 'start'
          ? `not installed; start the gateway with: ${next.command}`
          : `not installed; the gateway (pid ${outcome.runningPid}) runs the old config: restart it to apply the change: ${next.command}`,
    );
    return outcome;
  }
  try {
    const result = await installService(paths, { env: options.env, home });
    outcome.service.lines.push(`${result.status === 'unchanged' ? 'already installed and running' : `${result.status} and started`}: ${tildify(result.file, home)}`);
  } catch (error) {
    if (!(error instanceof HostError)) throw error;
    outcome.service = { ok: false, lines: [`not installed: ${error.message}`] };
  }
  return outcome;
}
