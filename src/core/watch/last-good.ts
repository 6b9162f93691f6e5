/**
 * The last-known-good config of a watched profile: the bytes its gateway last ran healthy
 * on, kept by the rescue in that profile's state dir (last-good.json), and when a rollback
 * to them is offered or done. Pure: the host reads, hashes and writes.
 */
import type { CheckFacts, Observation, WatchedStatus } from './state';

/** last-good.json, documented in the README. */
export interface LastGood {
  version: 1;
  /** sha256 (hex) of `text` as UTF-8: the config's bytes. */
  sha256: string;
  /** When the watcher saw the gateway healthy on these bytes (ISO). */
  recordedAt: string;
  /** The watching profile that recorded it. */
  by: string;
  /** The config file's text, byte for byte. */
  text: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function renderLastGood(lastGood: LastGood): string {
  return `${JSON.stringify(lastGood, null, 2)}\n`;
}

/** The file's record, or null when it is not one (hand-edited, cut short): a record is trusted whole or not at all. */
export function parseLastGood(text: string): LastGood | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const v = value as Partial<LastGood> | null;
  if (v === null || typeof v !== 'object' || v.version !== 1) return null;
  if (typeof v.sha256 !== 'string' || !SHA256.test(v.sha256) || typeof v.text !== 'string') return null;
  if (typeof v.recordedAt !== 'string' || Number.isNaN(Date.parse(v.recordedAt)) || typeof v.by !== 'string') return null;
  return { version: 1, sha256: v.sha256, recordedAt: v.recordedAt, by: v.by, text: v.text };
}

/**
 * Whether the bytes on disk are the ones a running gateway loaded: the file was last written
 * no later than the gateway started. A config edited after the start is not what runs.
 */
export function isLiveConfig(configMtimeMs: number, gatewayStartedAt: string): boolean {
  const started = Date.parse(gatewayStartedAt);
  return !Number.isNaN(started) && configMtimeMs <= started;
}

/**
 * Whether a rollback would change the config: its text now (null: no file) is not the
 * last-known-good bytes. What doctor --rollback restores, and every offer of it, judge by this.
 */
export function rollsBack(lastGood: LastGood, current: string | null): boolean {
  return current !== lastGood.text;
}

/** The command that rolls `target` back, run from the profile whose invocation is given ("epiloop --profile rescue"). */
export function rollbackCommand(fromInvocation: string, target: string | null): string {
  return `${fromInvocation} doctor${target === null ? '' : ` --target ${target}`} --rollback`;
}

/** The config on disk is not the last-known-good one (a missing config counts as changed); false when none is recorded. */
export function configChanged(facts: Pick<CheckFacts, 'lastGood' | 'configSha256'>): boolean {
  return facts.lastGood != null && facts.configSha256 !== undefined && facts.configSha256 !== facts.lastGood.sha256;
}

/**
 * What a check adds about the last-known-good config: when it was recorded and whether the
 * config on disk differs. A rollback is offered when the profile is down, or its config is
 * broken, and the config on disk was never seen live and healthy (from the change until the
 * gateway answers on it); the finding then says so and the observation carries the command.
 */
export function withLastGood(observation: Observation, facts: CheckFacts, command: string): Observation {
  if (facts.lastGood == null) return observation;
  const changed = configChanged(facts);
  const noted = { ...observation, lastGood: { recordedAt: facts.lastGood.recordedAt, changed } };
  const failing = observation.state === 'down' || facts.config.state === 'invalid';
  if (!failing || observation.hung === true || !changed) return noted;
  return { ...noted, finding: `${observation.finding}; its config changed since it was last healthy (${facts.lastGood.recordedAt})`, rollback: command };
}

/** What "once per bad config" counts by: the bad config's hash ("missing" for none). */
export function badConfigKey(facts: Pick<CheckFacts, 'configSha256'>): string {
  return facts.configSha256 ?? 'missing';
}

/** Checks after an automatic rollback in which the profile may still be down before the rescue says the rollback did not help. */
export const ROLLBACK_VERDICT_CHECKS = 3;

/**
 * Whether the rescue rolls back by itself now (watch.rollback "auto"): a rollback is offered,
 * the profile was down on two checks in a row (one may be a start under way), and this bad
 * config was not rolled back from before (once per bad config, so never a loop).
 */
export function wantsRollback(status: WatchedStatus, facts: CheckFacts, rolledBackFrom: ReadonlySet<string>): boolean {
  return status.rollback !== undefined && status.state === 'down' && status.since < status.checkedAt && !rolledBackFrom.has(badConfigKey(facts));
}
