import { constants } from 'node:fs';
import { open, rename, stat } from 'node:fs/promises';
import { stateFile, type StateFile } from '../../core/profile/identity';

/** Past this, watch.log is renamed watch.log.1 (one old generation kept) and a new one begins. */
const ROTATE_BYTES = 1024 * 1024;

export interface WatchLog {
  file: string;
  /** Appends "<ISO time> <line>"; writes keep their order, a failed write is reported once through onError. */
  append(line: string, at?: Date): void;
  /** Resolves when every line appended so far is written (or failed). */
  flushed(): Promise<void>;
}

/**
 * `<stateDir>/watch.log` of the watching profile (or another log of the rescue's, such as
 * rescue-actions.log in a watched profile's dir): mode 0600, never written through a symlink.
 */
export function openWatchLog(stateDir: string, onError: (message: string) => void, name: StateFile = 'watchLog'): WatchLog {
  const file = stateFile(stateDir, name);
  let chain: Promise<void> = Promise.resolve();
  let failed = false;
  const write = async (text: string) => {
    const size = await stat(file).then((s) => s.size, () => 0);
    if (size + text.length > ROTATE_BYTES) await rename(file, `${file}.1`);
    const handle = await open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    try {
      await handle.writeFile(text, 'utf8');
    } finally {
      await handle.close();
    }
  };
  return {
    file,
    append(line, at = new Date()) {
      chain = chain.then(() =>
        write(`${at.toISOString()} ${line}\n`).catch((error: Error) => {
          if (!failed) onError(`cannot write ${file}: ${error.message}; state changes still go to this log`);
          failed = true;
        }),
      );
    },
    flushed: () => chain,
  };
}
