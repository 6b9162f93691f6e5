import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256Of } from '../../src/host/watch/last-good';
import { renderLastGood } from '../../src/core/watch/last-good';

/** A last-known-good record of `text` beside the config `file`, as a watching rescue writes it (by rescue, at `recordedAt`). */
export async function writeLastGood(file: string, text: string, recordedAt = new Date()): Promise<void> {
  const record = { version: 1 as const, sha256: sha256Of(text), recordedAt: recordedAt.toISOString(), by: 'rescue', text };
  await writeFile(path.join(path.dirname(file), 'last-good.json'), renderLastGood(record), { mode: 0o600 });
}
