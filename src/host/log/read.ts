import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { rotatedFile, stateFile } from '../../core/profile/identity';
import { tildify } from '../../core/profile/paths';
import { isSince, lastEvents, mergeByTime, parseEventLine, type LogEvent } from '../../core/log/event';
import { discoverProfiles } from '../profile/discover';

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

/** Where a read of a profile's current log file ended: -f goes on from there, so nothing written in between is lost. */
export interface LogEnd {
  ino: number | null;
  offset: number;
}

/**
 * Every event of a profile's log, oldest first: gateway.log.N … gateway.log.1, then gateway.log.
 * The current file is read first (a rotation meanwhile puts it among the older ones, where it
 * is recognised and not read twice), and where that read ended is returned for -f.
 */
export async function readProfileLog(source: LogSource, home?: string): Promise<{ events: LogEvent[]; problems: string[]; end: LogEnd }> {
  const current = stateFile(source.stateDir, 'gatewayLog');
  const problems: string[] = [];
  const refused = (file: string) => problems.push(`${source.label}: ${home === undefined ? file : tildify(file, home)} is not read: a log is a regular file in the state dir (not a symlink, a directory or a FIFO).`);
  const now = await readFrom(current, 0, null, MAX_LOG_BYTES);
  if (now === null && (await lstat(current).catch(() => null)) !== null) refused(current);
  const read = now === null || now === 'moved' ? null : now;
  const older: string[] = [];
  for (let generation = 1; generation <= MAX_GENERATIONS; generation++) {
    const file = rotatedFile(current, generation);
    const seen = await lstat(file).catch(() => null);
    if (seen === null) break;
    if (seen.ino !== read?.ino) older.unshift(file);
  }
  const previous = { time: '' };
  const events: LogEvent[] = [];
  for (const file of older) {
    const text = await readFrom(file, 0, null, MAX_LOG_BYTES);
    if (text === null || text === 'moved') refused(file);
    else events.push(...parseLines(text.text, source.label, previous));
  }
  if (read !== null) events.push(...parseLines(read.text.slice(0, read.text.lastIndexOf('\n') + 1), source.label, previous));
  // A line still being written is left for -f.
  const complete = read === null ? 0 : Buffer.byteLength(read.text.slice(0, read.text.lastIndexOf('\n') + 1));
  return { events, problems, end: { ino: read?.ino ?? null, offset: complete } };
}

interface Position {
  ino: number | null;
  offset: number;
  partial: string;
  previous: { time: string };
}

/**
 * Reads `file` from `from` to its end (bounded; from 0 when it shrank), or null when it is
 * not a regular file we may read, or 'moved' when the file now at that name is not the one
 * with inode `expect` (rotated since we looked).
 */
async function readFrom(file: string, from: number, expect: number | null, limit = MAX_READ_PER_POLL): Promise<{ ino: number; size: number; text: string; end: number } | 'moved' | null> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return null;
    if (expect !== null && stats.ino !== expect) return 'moved';
    const start = stats.size < from ? 0 : from;
    const length = Math.min(stats.size - start, limit);
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

/** The files of a log by name, with their inodes: the current one (null when absent) and gateway.log.1 … up to the first gap. */
async function scanLog(current: string): Promise<{ current: number | null; older: { file: string; ino: number }[] }> {
  const now = await lstat(current).catch(() => null);
  const older: { file: string; ino: number }[] = [];
  for (let generation = 1; generation <= MAX_GENERATIONS; generation++) {
    const file = rotatedFile(current, generation);
    const seen = await lstat(file).catch(() => null);
    if (seen === null) break;
    older.push({ file, ino: seen.ino });
  }
  return { current: now?.isFile() ? now.ino : null, older };
}

const sameScan = (a: Awaited<ReturnType<typeof scanLog>>, b: Awaited<ReturnType<typeof scanLog>>) =>
  a.current === b.current && a.older.length === b.older.length && a.older.every((g, i) => b.older[i]!.ino === g.ino);

/** A rotation racing the reads (another process writes the log) makes us look again, at most this often per poll. */
const DRAIN_TRIES = 5;

/**
 * After a rotation: the rest of the file we were reading (now gateway.log.1, or further after
 * several rotations between two polls), then each newer generation whole — from one view of
 * the files that did not change while they were read; when ours was rotated out of the kept
 * files altogether, every kept generation is newer than it. Returns the new current file's
 * inode to go on with, or null when no stable view was had (the next poll tries again).
 */
async function drainRotated(current: string, position: Position, label: string, onlyIfFound: boolean): Promise<{ events: LogEvent[]; current: number | null } | null> {
  for (let attempt = 0; attempt < DRAIN_TRIES; attempt++) {
    const scan = await scanLog(current);
    const ours = scan.older.findIndex((g) => g.ino === position.ino);
    if (ours === -1 && onlyIfFound) return null;
    const chosen = ours === -1 ? scan.older : scan.older.slice(0, ours + 1);
    const texts: string[] = [];
    let moved = false;
    for (let i = chosen.length - 1; i >= 0 && !moved; i--) {
      const read = await readFrom(chosen[i]!.file, i === ours ? position.offset : 0, chosen[i]!.ino, MAX_LOG_BYTES);
      moved = read === 'moved';
      if (read !== null && read !== 'moved') texts.push(read.text);
    }
    if (moved || !sameScan(scan, await scanLog(current))) continue;
    const events = texts.flatMap((text) => take(position, text, label));
    if (position.partial !== '') events.push(...take(position, '\n', label));
    return { events, current: scan.current };
  }
  return null;
}

/** What was appended to one profile's log since the last poll, across rotations. */
async function poll(source: LogSource, position: Position): Promise<LogEvent[]> {
  const current = stateFile(source.stateDir, 'gatewayLog');
  const events: LogEvent[] = [];
  if (position.ino !== null) {
    // Opened and checked in one step: a rotation between a look and a read cannot slip by.
    const read = await readFrom(current, position.offset, position.ino);
    if (read !== null && read !== 'moved') {
      if (read.size < position.offset) position.partial = '';
      position.offset = read.end;
      return take(position, read.text, source.label);
    }
    // Gone without a new file yet: rotated only if ours is among the older generations (else deleted: wait for a new one).
    const drained = await drainRotated(current, position, source.label, read === null);
    if (drained === null) return events;
    events.push(...drained.events);
    position.ino = drained.current;
    position.offset = 0;
    if (drained.current === null) return events;
  }
  // The file read next is the one the drain saw (or, with no file before, whatever is there): if it moved since, the next poll drains it.
  const fresh = await readFrom(current, 0, position.ino);
  if (fresh === null || fresh === 'moved') return events;
  position.ino = fresh.ino;
  position.offset = fresh.end;
  events.push(...take(position, fresh.text, source.label));
  return events;
}

/**
 * `logs -f`: polls each profile's log every intervalMs and hands over new events in time
 * order, following each file across its rotations, until `signal` aborts. Starts where
 * readProfileLog ended for each source (what was there is printed before).
 */
export async function followLogs(sources: readonly LogSource[], from: readonly LogEnd[], onEvents: (events: LogEvent[]) => void, signal: AbortSignal, intervalMs = 250): Promise<void> {
  const positions = from.map((end): Position => ({ ...end, partial: '', previous: { time: new Date().toISOString() } }));
  while (!signal.aborted) {
    const fresh = await Promise.all(sources.map((source, i) => poll(source, positions[i]!)));
    const merged = mergeByTime(fresh);
    if (merged.length > 0) onEvents(merged);
    await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
  }
}

/** The events `logs` prints first: every source's log merged in time order, since the cutoff, the last `count`. */
export async function collectLogs(
  sources: readonly LogSource[],
  options: { cutoff: number | null; count: number | undefined; home: string },
): Promise<{ events: LogEvent[]; problems: string[]; ends: LogEnd[]; allRefused: boolean }> {
  const read = await Promise.all(sources.map((source) => readProfileLog(source, options.home)));
  const merged = mergeByTime(read.map((r) => r.events.filter((e) => isSince(e, options.cutoff))));
  return {
    events: lastEvents(merged, options.count),
    problems: read.flatMap((r) => r.problems),
    ends: read.map((r) => r.end),
    // Every profile's log refused: -f would follow nothing.
    allRefused: read.length > 0 && read.every((r) => r.problems.length > 0),
  };
}

/** `logs --all`: every known profile of this host (the ones discovery finds, with their own state dirs). */
export async function hostLogSources(home: string): Promise<LogSource[]> {
  return (await discoverProfiles(home)).map((known) => ({ label: known.paths.label, stateDir: known.paths.stateDir }));
}
