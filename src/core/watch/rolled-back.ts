/**
 * The last rollback of a profile's config to its last-known-good one, as the profile itself
 * says it: rolled-back.json in its state dir, written by every rollback (a watching rescue's
 * own, doctor --target P --rollback, doctor --rollback), and said by its status and doctor for
 * as long as the config holds the restored bytes. Pure: the host reads, hashes and writes.
 */
import { tildify } from '../profile/paths';

/** rolled-back.json, documented in the README. */
export interface RolledBackRecord {
  version: 1;
  /** When the config was restored (ISO). */
  at: string;
  /** The profile that rolled it back (a watching rescue, or one running doctor --target); null: the profile itself. */
  by: string | null;
  /** A watching rescue did it by itself (watch.rollback "auto"). */
  automatic: boolean;
  /** The command that did it, as run; null for a rescue's own rollback. */
  command: string | null;
  /** sha256 (hex) of the restored bytes: the rollback is said while the config is these bytes. */
  sha256: string;
  /** When the restored config was recorded as last-known-good (its record's recordedAt). */
  lastGood: string;
  /** Where the replaced config is kept (absolute); null when there was no config file. */
  backupPath: string | null;
}

/** What status --json and doctor --json give of it (`rolledBack`). */
export type RolledBack = Omit<RolledBackRecord, 'version' | 'sha256'>;

const SHA256 = /^[0-9a-f]{64}$/;

export function renderRolledBack(record: RolledBackRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

const isText = (v: unknown): v is string => typeof v === 'string';
const isTime = (v: unknown): v is string => isText(v) && !Number.isNaN(Date.parse(v));

/** The file's record, or null when it is not a whole one: trusted whole or not at all. */
export function parseRolledBack(text: string): RolledBackRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const v = value as Partial<RolledBackRecord> | null;
  if (v === null || typeof v !== 'object' || v.version !== 1 || !isText(v.sha256) || !SHA256.test(v.sha256)) return null;
  if (!isTime(v.at) || !isTime(v.lastGood) || typeof v.automatic !== 'boolean') return null;
  if (!(v.by === null || isText(v.by)) || !(v.command === null || isText(v.command)) || !(v.backupPath === null || isText(v.backupPath))) return null;
  return { version: 1, at: v.at, by: v.by, automatic: v.automatic, command: v.command, sha256: v.sha256, lastGood: v.lastGood, backupPath: v.backupPath };
}

/** The record while the config's bytes hash to `configSha256` (null: no config): the rollback is still what the config is; else null. */
export function stillRolledBack(record: RolledBackRecord | null, configSha256: string | null): RolledBack | null {
  if (record === null || record.sha256 !== configSha256) return null;
  const { version: _version, sha256: _sha256, ...shown } = record;
  return shown;
}

/**
 * "rolled back at T by rescue "rescue" (watch.rollback "auto") to its last-known-good config of
 * L; the config it replaced is kept as ~/…bak": a clause, as status's row under its config says
 * it (doctor's note makes it a sentence).
 */
export function rolledBackWords(r: RolledBack, home: string): string {
  const who = r.automatic ? `by rescue "${r.by}" (watch.rollback "auto")` : r.by !== null ? `by profile "${r.by}" ("${r.command}")` : `with "${r.command}"`;
  const kept = r.backupPath === null ? 'there was no config file before it' : `the config it replaced is kept as ${tildify(r.backupPath, home)}`;
  return `rolled back at ${r.at} ${who} to its last-known-good config of ${r.lastGood}; ${kept}`;
}
