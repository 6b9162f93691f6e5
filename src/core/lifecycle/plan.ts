import { UsageError } from '../errors';
import { tildify } from '../profile/paths';
import { DEFAULT_LABEL } from '../profile/name';
import { wrapParts } from '../text/wrap';

export const LIFECYCLE_ACTIONS = ['start', 'stop', 'restart'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** How a profile's gateway is run: by its installed service, or as a detached process of epiloop's own. */
export type Runner = 'systemd' | 'launchd' | 'detached';

/** Exactly what one lifecycle run acts on: printed first, and the `target` of `--json`. */
export interface LifecycleTarget {
  label: string;
  runner: Runner;
  /** The unit or launchd label; null for a detached gateway. */
  service: string | null;
  /** Detached though a unit file is installed: no service manager runs it on this host (systemd did not boot it). */
  noManager?: true;
  /** The base /health is expected on; null when the config does not say (it is broken). */
  base: number | null;
  /** Where /health is asked. */
  url: string | null;
  stateDir: string;
  /** The profiles its config watches: they decide the order under --all. */
  watches: string[];
}

export type OutcomeState = 'started' | 'stopped' | 'restarted' | 'already running' | 'not running' | 'failed';

export interface LifecycleOutcome {
  ok: boolean;
  state: OutcomeState;
  /** In words: what happened, or why it failed and what to run. */
  detail: string;
  /** The gateway's pid once healthy (start, restart) or the pid stopped. */
  pid: number | null;
  /** From the action's first step to its outcome. */
  ms: number;
  /** Refused before anything was done (a config the gateway would refuse): words say "refused", --json keeps state "failed" and leaves this out. */
  refused?: true;
}

/** "refused", "restarted in 840 ms", "already running": an outcome's head in words (a refusal and a state that changed nothing take no duration). */
export function outcomeHead(outcome: Pick<LifecycleOutcome, 'state' | 'ms' | 'refused'>): string {
  if (outcome.refused === true) return 'refused';
  return changedNothing(outcome.state) ? outcome.state : `${outcome.state} in ${outcome.ms} ms`;
}

/**
 * The last line of `--all`: every profile done, or how many failed and how many were refused
 * (outcomeHead's words for each), with their labels.
 */
export function allOutcomesWords(action: LifecycleAction, results: readonly { label: string; outcome: Pick<LifecycleOutcome, 'ok' | 'refused'> }[]): string {
  const missed = results.filter((r) => !r.outcome.ok);
  if (missed.length === 0) return `All ${results.length} profiles: ${action} done.`;
  const groups = (['failed', 'refused'] as const)
    .map((head) => ({ head, labels: missed.filter((r) => (r.outcome.refused === true ? 'refused' : 'failed') === head).map((r) => r.label) }))
    .filter((g) => g.labels.length > 0);
  return `${groups.map((g, i) => `${g.labels.length}${i === 0 ? ` of ${results.length}` : ''} ${g.head}: ${g.labels.join(', ')}`).join('; ')}.`;
}

/** The outcomes where the state asked for already held and nothing was done: a duration says nothing there. */
export function changedNothing(state: OutcomeState): boolean {
  return state === 'already running' || state === 'not running';
}

/** Seconds start/restart wait for /health and stop waits for the process to exit, unless --wait says otherwise. */
export const DEFAULT_WAIT_SECONDS = 10;
export const MAX_WAIT_SECONDS = 600;

export function waitMs(flag: number | undefined): number {
  const seconds = flag ?? DEFAULT_WAIT_SECONDS;
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_WAIT_SECONDS) {
    throw new UsageError(`--wait takes whole seconds from 0 to ${MAX_WAIT_SECONDS}, not ${seconds}. Example: --wait 30`);
  }
  return seconds * 1000;
}

/**
 * The order `--all` acts in: profiles that watch others start (and restart) first and stop
 * last, so something is always watching; then by name, the default profile first.
 */
export function lifecycleOrder<T extends Pick<LifecycleTarget, 'label' | 'watches'>>(targets: readonly T[], action: LifecycleAction): T[] {
  const rank = (t: T) => (t.watches.length > 0 ? 0 : 1);
  const byName = (a: T, b: T) => (a.label === DEFAULT_LABEL ? -1 : b.label === DEFAULT_LABEL ? 1 : a.label.localeCompare(b.label));
  const ordered = [...targets].sort((a, b) => rank(a) - rank(b) || byName(a, b));
  return action === 'stop' ? ordered.reverse() : ordered;
}

/** "→ rescue · epiloop-gateway-rescue.service · :19789 · ~/.epiloop-rescue"; with a terminal's `width`, broken between its parts to fit. */
export function targetLine(target: LifecycleTarget, home: string, width?: number): string {
  const how = target.service ?? (target.noManager === true ? 'detached process (no usable service manager)' : 'detached process (no service installed)');
  const parts = [`→ ${target.label}`, how, target.base === null ? 'port unknown (the config is broken)' : `:${target.base}`, tildify(target.stateDir, home)];
  return width === undefined ? parts.join(' · ') : wrapParts(parts, width).join('\n');
}

/** The words of the order `--all` uses, printed before it starts. */
export function orderWords(targets: readonly Pick<LifecycleTarget, 'label'>[], action: LifecycleAction): string {
  const why = action === 'stop' ? 'profiles that watch others stop last' : 'profiles that watch others first';
  return `${action} ${targets.length} profile${targets.length === 1 ? '' : 's'} in this order (${why}): ${targets.map((t) => t.label).join(', ')}`;
}
