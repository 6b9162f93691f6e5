/**
 * The last-known-good config of a watched profile, on disk: last-good.json in that
 * profile's state dir (mode 0600, written atomically), read as every profile file is read.
 * The watcher records it while the profile's gateway is healthy on the bytes on disk;
 * `doctor --rollback` restores it through the store.
 */
import { createHash } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { readGatewayLock } from '../gateway/pidlock';
import { writeFileAtomic } from '../store/atomic';
import { readProfileFile } from '../store/read';
import { readConfigText } from '../store/store';
import { stateFile } from '../../core/profile/identity';
import type { ProfilePaths } from '../../core/profile/paths';
import { isLiveConfig, parseLastGood, renderLastGood, rollbackCommand, rollsBack, type LastGood } from '../../core/watch/last-good';

export function sha256Of(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The recorded last-known-good config, or null when there is none or the file is not a whole record. */
export async function readLastGood(stateDir: string): Promise<LastGood | null> {
  const read = await readProfileFile(stateFile(stateDir, 'lastGood'), { within: [stateDir] });
  if (read.state !== 'ok') return null;
  const lastGood = parseLastGood(read.text);
  // A record whose text does not hash to its sha256 was altered: not trusted.
  return lastGood !== null && sha256Of(lastGood.text) === lastGood.sha256 ? lastGood : null;
}

/**
 * The way back a refused start offers for a config that is broken or refused, in words, when a
 * last-known-good config is recorded (it ran healthy, so it parsed and passed the gateway's rules)
 * and the config is not it already (rollsBack, as doctor --rollback judges); null when there is
 * nothing to roll back to, or a config no rollback could replace (a symlink, not a file).
 */
export async function rollbackOffer(paths: Pick<ProfilePaths, 'stateDir' | 'configPath'>, invocation: string): Promise<string | null> {
  const lastGood = await readLastGood(paths.stateDir);
  if (lastGood === null) return null;
  // undefined: a config no write may replace (readConfigText's refusal), which doctor --rollback refuses too.
  const current = await readConfigText(paths.configPath).catch(() => undefined);
  return current !== undefined && rollsBack(lastGood, current) ? `go back to the config it last ran healthy on with "${rollbackCommand(invocation, null)}"` : null;
}

/**
 * Records the config on disk as last-known-good when the profile's running gateway loaded
 * exactly those bytes (written no later than it started, unchanged while read) and they hash
 * to `expected` (what the healthy check saw). Returns the record written, or null when
 * nothing was (not live, changed meanwhile, no gateway).
 */
export async function recordLastGood(target: ProfilePaths, options: { by: string; expected: string; now?: Date }): Promise<LastGood | null> {
  const lock = await readGatewayLock(target.stateDir, target.label);
  if (lock.state !== 'running') return null;
  const before = await lstat(target.configPath).catch(() => null);
  const read = await readProfileFile(target.configPath, { within: [path.dirname(target.configPath)] });
  const after = await lstat(target.configPath).catch(() => null);
  if (read.state !== 'ok' || before === null || after === null || !before.isFile()) return null;
  if (before.ino !== after.ino || before.mtimeMs !== after.mtimeMs || !isLiveConfig(after.mtimeMs, lock.lock.startedAt)) return null;
  const sha256 = sha256Of(read.text);
  if (sha256 !== options.expected) return null;
  const lastGood: LastGood = { version: 1, sha256, recordedAt: (options.now ?? new Date()).toISOString(), by: options.by, text: read.text };
  await writeFileAtomic(stateFile(target.stateDir, 'lastGood'), renderLastGood(lastGood), 0o600);
  return lastGood;
}
