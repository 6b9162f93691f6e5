import type { FindingKind } from './findings';

export type RepairStep =
  | { kind: 'mkdir-state-dir'; path: string }
  /** One atomic write, however many edits it carries. */
  | { kind: 'write-config'; edits: string[] }
  | { kind: 'chmod'; path: string; mode: number }
  | { kind: 'mkdir-workspace'; path: string }
  /** A gateway.lock no gateway can take (isRemovable), removed only if it is still one when applied. */
  | { kind: 'remove-lock'; path: string; stateDir: string; label: string }
  /** Temp files of killed writers: those of `targets` whose writer is still gone when applied (deadTemps). */
  | { kind: 'remove-temps'; targets: string[]; count: number }
  /** Last: the service is rendered from the config as written. */
  | { kind: 'reinstall-service'; name: string }
  /** Last, instead of a reinstall the unit does not need: a running service starts again on the config as written. */
  | { kind: 'restart-service'; name: string };

export interface RepairPlan {
  /** The new config; null = the config is not changed. */
  raw: Record<string, unknown> | null;
  before: string | null;
  after: string | null;
  /** ' ', '-', '+' prefixed lines; the auth token masked. */
  diff: string[];
  /** Every step in words, in order. */
  actions: string[];
  /** The finding kinds this plan fixes. */
  fixes: FindingKind[];
  /** What applyRepair does, in order. */
  steps: RepairStep[];
  /** Said after applying, e.g. that a running gateway keeps its old ports until restarted. */
  notes: string[];
  /**
   * When the plan changes what a running gateway of this profile uses (token, base, bind,
   * workspace) and nothing restarts it: the sentence naming the restart (also among notes).
   */
  pendingRestart?: string;
  /**
   * What changes for clients, in words, said before asking: a replaced auth token, a moved
   * base port, another bind address. Never hidden in the diff's masking.
   */
  impacts: string[];
}
