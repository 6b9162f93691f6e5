import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { rotatedFile, stateFile } from '../../core/profile/identity';
import { isSince, lastEvents, mergeByTime, parseEventLine, type LogEvent } from '../../core/log/event';
import { discoverProfiles } from '../profile/discover';
import { readProfileFile } from '../store/read';

/** Rotated files are looked for up to this generation (a lowered keepFiles may leave more behind). */
const MAX_GENERATIONS = 100;
/** A log file larger than this is refused rather than read whole (the rotation keeps them far smaller). */
const MAX_LOG_BYTES = 64 * 1024 * 1024;
/** Per file and poll, -f reads at most this much; the rest comes on the next poll. */
const MAX_READ_PER_POLL = 1024 * 1024;

export interface LogSource {
  label: string;
  stateDir: string;
}

function parseLines(text: string, label: string, previous: { time: string }): LogEvent[] {
  const events: LogEvent[] = [];
  for (const line of text.split('\n')) {
    const event = parseEventLine(line, label, previous.time);
    if (event === null) continue;
    previous.time = event.time;
    events.push(event);
  }
  return events;
}

/** Every event of a profile's log, oldest first: gateway.log.N … gateway.log.1, then gateway.log. */
export async function readProfileLog(source: LogSource): Promise<{ events: LogEvent[]; problems: string[] }> {
  const current = stateFile(source.stateDir, 'gatewayLog');
  const files = [current];
  for (let generation = 1; generation <= MAX_GENERATIONS; generation++) {
    const older = rotatedFile(current, generation);
    if (!(await lstat(older).then(() => true, () => false))) break;
    files.unshift(older);
  }
  const previous = { time: '' };
  const events: LogEvent[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const read = await readProfileFile(file, { within: [source.stateDir], maxBytes: MAX_LOG_BYTES });
    if (read.state === 'ok') events.push(...parseLines(read.text, source.label, previous));
    else if (read.state === 'refused') problems.push(`${source.label}: ${file} is not read (${read.refusal.kind}): a log is a regular file in the state dir, at most ${MAX_LOG_BYTES / 1024 / 1024} MiB.`);
  }
  return { events, problems };
}

interface Position {
  ino: number | null;
  offset: number;
  partial: string;
  previous: { time: string };
}

/** Reads `file` from `from` to its end (bounded), or null when it is not a regular file we may read. */
async function readFrom(file: string, from: number): Promise<{ ino: number; size: number; text: string; end: number } | null> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return null;
    const start = stats.size < from ? 0 : from;
    const length = Math.min(stats.size - start, MAX_READ_PER_POLL);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = length === 0 ? { bytesRead: 0 } : await handle.read(buffer, 0, length, start);
    return { ino: stats.ino, size: stats.size, text: buffer.subarray(0, bytesRead).toString('utf8'), end: start + bytesRead };
  } finally {
    await handle.close();
  }
}

function take(position: Position, text: string, label: string): LogEvent[] {
  const lines = (position.partial + text).split('\n');
  position.partial = lines.pop() ?? '';
  return parseLines(lines.join('\n'), label, position.previous);
}

/** What was appended to one profile's log since the last poll, across a rotation: the rest of the old file, then the new one. */
async function poll(source: LogSource, position: Position): Promise<LogEvent[]> {
  const current = stateFile(source.stateDir, 'gatewayLog');
  const now = await lstat(current).catch(() => null);
  const events: LogEvent[] = [];
  if (position.ino !== null && (now === null || now.ino !== position.ino)) {
    // Rotated: the file we were reading is now gateway.log.1, or further after several rotations
    // in one poll; its rest comes first, then each newer generation whole.
    // Rotated out of the kept files altogether: every kept generation is newer than it.
    let generation = 1;
    let found = false;
    for (; generation <= MAX_GENERATIONS; generation++) {
      const seen = await lstat(rotatedFile(current, generation)).catch(() => null);
      if (seen === null) break;
      found = seen.ino === position.ino;
      if (found) break;
    }
    for (let older = found ? generation : generation - 1; older >= 1; older--) {
      const read = await readFrom(rotatedFile(current, older), found && older === generation ? position.offset : 0);
      if (read !== null) events.push(...take(position, read.text, source.label));
    }
    if (position.partial !== '') events.push(...take(position, '\n', source.label));
    position.ino = null;
    position.offset = 0;
  }
  if (now === null || !now.isFile()) return events;
  const read = await readFrom(current, position.ino === now.ino ? position.offset : 0);
  if (read === null) return events;
  if (read.size < position.offset && position.ino === read.ino) position.partial = '';
  position.ino = read.ino;
  position.offset = read.end;
  events.push(...take(position, read.text, source.label));
  return events;
}

/**
 * `logs -f`: polls each profile's log every intervalMs and hands over new events in time
 * order, following each file across its rotations, until `signal` aborts. Starts at the
 * end of each file: what was there is printed before.
 */
export async function followLogs(sources: readonly LogSource[], onEvents: (events: LogEvent[]) => void, signal: AbortSignal, intervalMs = 250): Promise<void> {
  const positions = await Promise.all(
    sources.map(async (source): Promise<Position> => {
      const now = await lstat(stateFile(source.stateDir, 'gatewayLog')).catch(() => null);
      return { ino: now?.isFile() ? now.ino : null, offset: now?.isFile() ? now.size : 0, partial: '', previous: { time: new Date().toISOString() } };
    }),
  );
  while (!signal.aborted) {
    const fresh = await Promise.all(sources.map((source, i) => poll(source, positions[i]!)));
    const merged = mergeByTime(fresh);
    if (merged.length > 0) onEvents(merged);
    await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
  }
}

/** The events `logs` prints first: every source's log merged in time order, since the cutoff, the last `count`. */
export async function collectLogs(sources: readonly LogSource[], options: { cutoff: number | null; count: number | undefined }): Promise<{ events: LogEvent[]; problems: string[] }> {
  const read = await Promise.all(sources.map(readProfileLog));
  const merged = mergeByTime(read.map((r) => r.events.filter((e) => isSince(e, options.cutoff))));
  return { events: lastEvents(merged, options.count), problems: read.flatMap((r) => r.problems) };
}

/** `logs --all`: every known profile of this host (the ones discovery finds, with their own state dirs). */
export async function hostLogSources(home: string): Promise<LogSource[]> {
  return (await discoverProfiles(home)).map((known) => ({ label: known.paths.label, stateDir: known.paths.stateDir }));
}
