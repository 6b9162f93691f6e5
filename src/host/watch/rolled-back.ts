/**
 * rolled-back.json on disk (core/watch/rolled-back.ts): written atomically by a rollback, read as
 * every profile file is read, and said only while the config is the restored bytes.
 */
import type { LoadedConfig } from '../../core/config/parse';
import { stateFile } from '../../core/profile/identity';
import { parseRolledBack, renderRolledBack, stillRolledBack, type RolledBack, type RolledBackRecord } from '../../core/watch/rolled-back';
import { writeFileAtomic } from '../store/atomic';
import { readProfileFile } from '../store/read';
import { sha256Of } from './last-good';

export async function writeRolledBack(stateDir: string, record: RolledBackRecord): Promise<void> {
  await writeFileAtomic(stateFile(stateDir, 'rolledBack'), renderRolledBack(record), 0o600);
}

/** The profile's last rollback while its config (`loaded`) is still what that rollback restored; null otherwise, or with no whole record. */
export async function readRolledBack(stateDir: string, loaded: LoadedConfig): Promise<RolledBack | null> {
  if (loaded.state === 'missing') return null;
  const read = await readProfileFile(stateFile(stateDir, 'rolledBack'), { within: [stateDir] });
  if (read.state !== 'ok') return null;
  return stillRolledBack(parseRolledBack(read.text), sha256Of(loaded.text));
}
