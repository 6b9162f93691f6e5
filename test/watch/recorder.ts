import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { until } from './receiver';

const RECORD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'record-event.mjs');

/** One event as the command sink fixtures/record-event.mjs wrote it: the event, its EPILOOP_* variables, when it arrived. */
export interface Recorded {
  event: { kind: string; level: string; title: string; state: string | null; outcome: string | null; finding: string; fix: string | null; resolves: string | null; notAnswering: boolean; time: string };
  env: Record<string, string>;
  at: number;
}

/** A command sink that appends each event to `file`, one JSON line each. */
export const recorder = (file: string) => ({ type: 'command', command: [process.execPath, RECORD, file] });
/** The whole lines only: a sink may be halfway through appending the last one (CI read one cut at 226 bytes). */
export const recorded = async (file: string): Promise<Recorded[]> => (await readFile(file, 'utf8').catch(() => '')).split('\n').slice(0, -1).filter(Boolean).map((l) => JSON.parse(l));
export const untilTitle = (file: string, title: string, timeoutMs = 5000) =>
  until(`"${title}" at the command sink`, async () => (await recorded(file)).find((r) => r.event.title === title), timeoutMs);
