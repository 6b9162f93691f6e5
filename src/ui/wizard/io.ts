/** The wizard's I/O edge: what it reads before the first frame, and what its steps ask the host to do. */
import { stat } from 'node:fs/promises';
import { diagnose } from '../../host/doctor/diagnose';
import { pinsOf } from '../../core/config/edits';
import { applyRepair, planRepair } from '../../host/doctor/repair';
import type { FindingKind } from '../../core/doctor/findings';
import { HostError, UsageError } from '../../core/errors';
import { chooseBase } from '../../host/ports/choose';
import type { Footprint } from '../../core/ports/footprint';
import { loadHostProfiles, probeFootprint, proposeLive } from '../../host/ports/host';
import type { Claim } from '../../core/ports/overlap';
import { writeProfile } from '../../host/profile/apply';
import { tildify, type ProfilePaths } from '../../core/profile/paths';
import { detectServiceManager } from '../../host/service/manager';
import { installService } from '../../host/service/install';
import { shapeOf } from '../../core/wizard/answers';
import { WIZARD_ROLES, type Answers, type OtherProfile, type Proposals, type ServiceSupport, type WizardFacts } from '../../core/wizard/facts';
import { profilePlan } from '../../core/wizard/plan';
import { gatewayCommand } from '../../core/wizard/words';
import { type PortState } from '../../core/ports/listeners';
import { type LoadedConfig } from '../../core/config/parse';
import { workspaceOf } from '../../core/profile/plan';
import { type RepairPlan } from '../../core/doctor/repair-plan';
import { type ApplyOutcome } from '../../core/wizard/model';

export interface LoadOptions {
  home: string;
  env: Record<string, string | undefined>;
  invocation: string;
  given: WizardFacts['given'];
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** Host profiles and (for an existing config) the doctor's diagnosis: what the first frame needs. */
export async function loadFacts(paths: ProfilePaths, options: LoadOptions): Promise<WizardFacts> {
  const host = await loadHostProfiles(paths, options.home);
  const loaded = host.current.loaded;
  const [diagnosis, stateDirExists] = await Promise.all([
    loaded.state === 'missing' ? null : diagnose(paths, { home: options.home, env: options.env }),
    exists(paths.stateDir),
  ]);
  const others: OtherProfile[] = host.others.map((k) => ({
    label: k.paths.label,
    base: k.base,
    footprint: k.footprint,
    workspace: k.loaded.state === 'missing' ? null : workspaceOf(k.loaded, k.paths),
    pinnedUrls: pinsOf(k.loaded.state === 'missing' ? undefined : k.loaded.raw)
      .filter((p) => p.kind === 'url')
      .map((p) => p.value),
  }));
  return {
    paths,
    home: options.home,
    invocation: options.invocation,
    loaded,
    stateDirExists,
    others,
    claims: host.claims,
    diagnosis,
    given: options.given,
  };
}

/** A free base for each role, from a live probe: off the first frame, it binds a few hundred sockets. */
export async function loadProposals(facts: WizardFacts): Promise<Proposals> {
  const shape = (base: number) => shapeOf(facts, base);
  const [main, rescue] = await Promise.all(WIZARD_ROLES.map((role) => proposeLive({ role, claims: facts.claims, shape })));
  return { main: main!, rescue: rescue! };
}

/** What the wizard's steps ask the host to do. The Ink app and the line modes share it; tests hand it a temp HOME. */
export interface WizardIO {
  propose(): Promise<Proposals>;
  probe(fp: Footprint): Promise<ReadonlyMap<number, PortState>>;
  detectService(): Promise<ServiceSupport>;
  apply(answers: Answers): Promise<ApplyOutcome>;
  planRepair(only: FindingKind[]): Promise<RepairPlan>;
  applyRepair(plan: RepairPlan): Promise<{ backupPath: string | null; applied: string[] }>;
}

/** A refusal of apply, with the user's error inside and the step that fixes it: a port problem is fixed on the port step. */
export class ApplyRefused extends Error {
  constructor(
    readonly error: UsageError | HostError,
    readonly backTo: 'port' | 'summary',
  ) {
    super(error.message);
  }
}

export function hostIO(facts: WizardFacts, env: Record<string, string | undefined>): WizardIO {
  return {
    propose: () => loadProposals(facts),
    probe: probeFootprint,
    detectService: () => detectServiceManager(env),
    apply: (answers) => applyAnswers(facts, answers, { env, source: 'the wizard', retry: (base) => `Esc, then base ${base}` }),
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
    repropose?: boolean;
  },
): Promise<ApplyOutcome> {
  const { paths, home } = facts;
  const decide = async (current: LoadedConfig, claims: ReadonlyMap<number, readonly Claim[]>) => {
    if (current.state === 'invalid') {
      const changed = `${tildify(paths.configPath, home)} became unreadable since the wizard read it; nothing was written. Run "${facts.invocation} onboard" again.`;
      throw new ApplyRefused(new HostError(changed), 'summary');
    }
    try {
      const chosen = await chooseBase({
        invocation: facts.invocation,
        label: paths.label,
        role: answers.role,
        claims,
        config: current.state === 'ok' ? current.config : undefined,
        requested: options.repropose ? { port: answers.base, source: 'default' } : { port: answers.base, source: options.source },
        retry: options.retry,
      });
      return profilePlan({ ...answers, base: chosen.base }, facts);
    } catch (error) {
      if (error instanceof UsageError || error instanceof HostError) throw new ApplyRefused(error, 'port');
      throw error;
    }
  };
  let written;
  try {
    written = await writeProfile(paths, facts.loaded, decide, `${facts.invocation} onboard`);
  } catch (error) {
    if (error instanceof ApplyRefused) throw error;
    if (error instanceof HostError || error instanceof UsageError) throw new ApplyRefused(error, 'summary');
    throw error;
  }
  const outcome: ApplyOutcome = {
    configPath: written.result.path,
    backupPath: written.result.backupPath,
    stateDirCreated: written.stateDirCreated,
    written: written.result.written,
    service: { ok: true, lines: [] },
    ...(written.plan.base === answers.base ? {} : { reproposed: written.plan.base }),
  };
  if (!answers.installService) {
    outcome.service.lines.push(`not installed; run the gateway with: ${gatewayCommand(facts)}`);
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
