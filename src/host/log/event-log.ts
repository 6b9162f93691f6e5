import { closeSync, constants, existsSync, fstatSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { rotatedFile, stateFile } from '../../core/profile/identity';
import { loadConfig } from '../store/store';
import { eventLine, rotationOf, type LogLevel, type LogSource, type Rotation } from '../../core/log/event';

const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

export interface EventLog {
  file: string;
  /** Appends one event; never throws (a full disk must not stop a gateway): the first failure goes to onError. */
  write(level: LogLevel, message: string): void;
  close(): void;
}

/** gateway.log → gateway.log.1 → … → gateway.log.<keepFiles>; the oldest is dropped. */
function rotate(file: string, keepFiles: number): void {
  for (let generation = keepFiles - 1; generation >= 1; generation--) {
    const from = rotatedFile(file, generation);
    if (existsSync(from)) renameSync(from, rotatedFile(file, generation + 1));
  }
  renameSync(file, rotatedFile(file, 1));
}

/**
 * A profile's gateway.log, opened for appending (mode 0600, never through a symlink).
 * Writes are synchronous — a few per minute, and a line written just before process.exit
 * must not be lost. Before a write would pass maxFileBytes the file is rotated; a writer
 * that finds the file rotated by another process (the CLI and the gateway both write)
 * reopens it rather than writing into the old one.
 */
export function openEventLog(options: { stateDir: string; profile: string; source: LogSource; rotation: Rotation; onError?: (message: string) => void }): EventLog {
  const file = stateFile(options.stateDir, 'gatewayLog');
  const { maxFileBytes, keepFiles } = options.rotation;
  let fd: number | null = null;
  let failed = false;

  const reopen = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
    fd = openSync(file, APPEND, 0o600);
  };
  const current = (): number => {
    if (fd === null) reopen();
    const open = fstatSync(fd!);
    const onDisk = (() => {
      try {
        return statSync(file);
      } catch {
        return null;
      }
    })();
    if (onDisk === null || onDisk.ino !== open.ino || onDisk.dev !== open.dev) {
      reopen();
      return fstatSync(fd!).size;
    }
    return open.size;
  };

  return {
    file,
    write(level, message) {
      const line = eventLine({ time: new Date().toISOString(), level, profile: options.profile, source: options.source, message, pid: process.pid });
      // A profile that is not set up gets no state dir from its log.
      if (fd === null && !existsSync(options.stateDir)) return;
      try {
        const bytes = Buffer.from(line, 'utf8');
        const size = current();
        if (size > 0 && size + bytes.length > maxFileBytes) {
          closeSync(fd!);
          fd = null;
          rotate(file, keepFiles);
          reopen();
        }
        writeSync(fd!, bytes);
      } catch (error) {
        if (!failed) options.onError?.(`cannot write ${file}: ${(error as Error).message}; events still go to standard output`);
        failed = true;
      }
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/** One event from a CLI command (start, stop, restart) into a profile's log. */
export function appendCliEvent(stateDir: string, profile: string, rotation: Rotation, level: LogLevel, message: string): void {
  const log = openEventLog({ stateDir, profile, source: 'cli', rotation });
  log.write(level, message);
  log.close();
}

/** The gateway's log of this profile, rotated as its config asks (defaults when the config cannot be read: the gateway says why elsewhere). */
export async function openGatewayLog(paths: { stateDir: string; configPath: string; label: string }, onError: (message: string) => void): Promise<EventLog> {
  const loaded = await loadConfig(paths.configPath);
  // A profile that is not set up gets no log (its gateway refuses to start, saying so on stderr).
  if (loaded.state === 'missing') return { file: stateFile(paths.stateDir, 'gatewayLog'), write: () => undefined, close: () => undefined };
  return openEventLog({ stateDir: paths.stateDir, profile: paths.label, source: 'gateway', rotation: rotationOf(loaded.state === 'ok' ? loaded.config : undefined), onError });
}
