import type { RepairPlan } from '../doctor/repair-plan';
import type { PortHolder } from '../ports/listeners';
import type { HostProfile, HostView } from '../host/view';
import type { Answers, Proposals, ServiceSupport, WizardFacts } from './facts';
import type { KeyFlags } from './keys';
import type { QuestionStep } from './questions';
import type { ExitCode } from '../errors';

/** The questions' steps (questions.ts) between welcome and summary. */
export type Step = 'welcome' | QuestionStep | 'summary' | 'apply' | 'done' | 'repair' | 'cancelled';

export interface ApplyOutcome {
  configPath: string;
  /** The base written: the answer, or a new proposal when the proposed one was taken meanwhile. */
  base: number;
  backupPath: string | null;
  stateDirCreated: boolean;
  /** false when the config already held exactly this. */
  written: boolean;
  /** The profile's gateway running as the config was written (it still runs the old one), or null. */
  runningPid: number | null;
  /** What the service step did, in words; ok false when it failed (the config is written all the same). */
  service: { ok: boolean; lines: string[] };
}

/** What a probe of the host read: every listener (owners named), and the profiles with their running gateways read again. */
export interface ProbeAnswer {
  listeners: ReadonlyMap<number, readonly PortHolder[]>;
  profiles?: readonly HostProfile[];
}

/** `left`: the user left the profile as it is (q, or Enter with nothing to repair). */
export type RepairPhase = 'list' | 'planning' | 'review' | 'applying' | 'done' | 'failed' | 'left';

/**
 * A body as the frame drew it: its lines, the room it had, and where its focus put the window
 * (0 without a focus); `scroll` moves the window from there.
 */
export interface BodyMeasure {
  lines: number;
  room: number;
  anchor: number;
}

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
  /** How far PgUp/PgDn moved the window of a body taller than its room, from where its focus put it (its top without one). */
  scroll: number;
  /** The body as the frame drew it; null until it has, on each step. */
  body: BodyMeasure | null;
  /** The text field of the current step (a text question's, a choice's own field). */
  /** `resolving`: the path the field's answer names, while the host resolves its symlinks (resolvedCheck). */
  field: { text: string; error: string | null; resolving?: string };
  port: {
    text: string;
    /** The next digit starts a new number (after a prefill or an arrow key). */
    fresh: boolean;
    /** The user changed the base: a role change no longer re-proposes it. */
    touched: boolean;
    /**
     * The host as the last probe of this base read it (listeners and running gateways); stale:
     * Enter saw a holder on it, and waits for a new probe before it refuses.
     */
    probe: { base: number; view: HostView; stale: boolean } | null;
    /**
     * The host as the last probe read it, whatever base it was for: every listener on the host is
     * in it, so the map of any base is drawn from it at once while its own probe confirms it.
     */
    snapshot: HostView | null;
    /** Enter was pressed before the probe answered: continue when it does, if the ports are free. */
    confirming: boolean;
    error: string | null;
    /** Why Apply refused the base in the field; shown until the base changes. */
    refused: string | null;
    /** The free base Apply offered instead: `p` takes it. */
    suggestion: number | null;
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
  /** `body`: the body as the frame drew it when the key came (a key acts on what is on screen). */
  | { type: 'key'; input: string; key: KeyFlags; body?: BodyMeasure | null }
  | { type: 'resize'; columns: number; rows: number }
  | { type: 'body'; body: BodyMeasure }
  | { type: 'probed'; base: number; host: ProbeAnswer }
  | { type: 'resolved'; path: string; real: string }
  | { type: 'service'; support: ServiceSupport }
  | { type: 'proposed'; proposals: Proposals }
  | { type: 'applied'; outcome: ApplyOutcome }
  | { type: 'applyFailed'; message: string; backTo: Step; refusal?: { base: number; host: ProbeAnswer; suggestion: number | null } }
  | { type: 'repairPlanned'; plan: RepairPlan }
  | { type: 'repaired'; result: { backupPath: string | null; applied: string[] } }
  | { type: 'repairFailed'; message: string };
