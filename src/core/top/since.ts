/**
 * Since when each gateway is up or down, as `top` knows it: a running one from its start (its
 * lock's time), a stopped one from the refresh that saw it stop. Nothing on the host records
 * when a gateway went down (a killed one leaves only its lock), so one already down at the
 * first read is "not known".
 */
import type { GatewayState } from './row';
import { uptimeWords } from './row';

export interface SeenState {
  state: GatewayState;
  /** When a refresh first saw it down after seeing it run (ms since the epoch); null while it runs, or when it was never seen running. */
  stoppedAt: number | null;
}

export type SeenStates = ReadonlyMap<string, SeenState>;

/** The profiles of a read (`at`, ms since the epoch) against what the reads before saw: a gateway seen running and now down stopped at `at`. */
export function seenStates(before: SeenStates, rows: readonly { label: string; state: GatewayState }[], at: number): Map<string, SeenState> {
  return new Map(
    rows.map((r) => {
      const was = before.get(r.label);
      const stoppedAt = r.state !== 'down' || was === undefined ? null : was.state === 'down' ? was.stoppedAt : at;
      return [r.label, { state: r.state, stoppedAt }];
    }),
  );
}

/** "started 5m ago · <ISO time>", "stopped 42s ago · <ISO time>", or why it is not known; ages as the GATEWAY cell words an uptime. */
export function sinceWords(gateway: { running: boolean; startedAt: string | null; uptimeMs: number | null }, stoppedAt: number | null, now: number): string {
  if (gateway.running) return `started ${uptimeWords(gateway.uptimeMs ?? 0)} ago · ${gateway.startedAt}`;
  if (stoppedAt === null) return 'not known: it was down when top first read it';
  return `stopped ${uptimeWords(Math.max(0, now - stoppedAt))} ago · ${new Date(stoppedAt).toISOString()}`;
}
