import type { RepairPlan } from '../doctor/repair-plan';
import type { PortState } from '../ports/listeners';
import type { Answers, Proposals, ServiceSupport, WizardFacts } from './facts';
import type { KeyFlags } from './keys';
import type { QuestionStep } from './questions';
import type { ExitCode } from '../errors';

/** The questions' steps (questions.ts) between welcome and summary. */
export type Step = 'welcome' | QuestionStep | 'summary' | 'apply' | 'done' | 'repair' | 'cancelled';

export interface ApplyOutcome {
  configPath: string;
  backupPath: string | null;
  stateDirCreated: boolean;
  /** false when the config already held exactly this. */
  written: boolean;
  /** What the service step did, in words; ok false when it failed (the config is written all the same). */
  service: { ok: boolean; lines: string[] };
  /** The base written, when a proposal taken meanwhile by another writer was proposed again (onboard --non-interactive). */
  reproposed?: number;
}

export type RepairPhase = 'list' | 'planning' | 'review' | 'applying' | 'done' | 'failed';

export interface WizardState {
  step: Step;
  facts: WizardFacts;
  /** null until the service manager has answered (it takes a process spawn, off the first frame). */
  service: ServiceSupport | null;
  /** null until the proposal probe has answered (it binds a few hundred sockets, off the first frame). */
  proposals: Proposals | null;
  answers: Answers;
  view: { columns: number; rows: number };
  /** Cursor of the step's choice list (a choice question's, the repair findings). */
  cursor: number;
  /** First line shown of a scrolled body (summary, repair review). */
  scroll: number;
  /** The text field of the current step (a text question's, a choice's own field). */
  field: { text: string; error: string | null };
  port: {
    text: string;
    /** The next digit starts a new number (after a prefill or an arrow key). */
    fresh: boolean;
    /** The user changed the base: a role change no longer re-proposes it. */
    touched: boolean;
    probe: { base: number; states: ReadonlyMap<number, PortState> } | null;
    /** Enter was pressed before the probe answered: continue when it does, if the ports are free. */
    confirming: boolean;
    error: string | null;
  };
  /** The chosen option's own field is open (a remote Chrome → its CDP URL). */
  editing: boolean;
  apply: { running: boolean; error: string | null; backTo: Step };
  /** Ctrl-C came while a write was in flight: exit 130 as soon as it settles. */
  cancelRequested: boolean;
  outcome: ApplyOutcome | null;
  repair: {
    phase: RepairPhase;
    selected: boolean[];
    plan: RepairPlan | null;
    result: { backupPath: string | null; applied: string[] } | null;
    error: string | null;
  };
  exit: { code: ExitCode } | null;
}

export type WizardEvent =
  | { type: 'key'; input: string; key: KeyFlags }
  | { type: 'resize'; columns: number; rows: number }
  | { type: 'probed'; base: number; states: ReadonlyMap<number, PortState> }
  | { type: 'service'; support: ServiceSupport }
  | { type: 'proposed'; proposals: Proposals }
  | { type: 'applied'; outcome: ApplyOutcome }
  | { type: 'applyFailed'; message: string; backTo: Step }
  | { type: 'repairPlanned'; plan: RepairPlan }
  | { type: 'repaired'; result: { backupPath: string | null; applied: string[] } }
  | { type: 'repairFailed'; message: string };
