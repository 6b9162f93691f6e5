/**
 * Tells a watcher when a watched gateway's lock comes or goes, that is when it starts or
 * stops (by `epiloop stop`, its service manager, Ctrl-C or a fatal error alike), so the
 * watcher checks it then instead of at its next round. One directory watch per target; a
 * state dir that does not exist yet is watched from the first round that finds it.
 */
import { watch, type FSWatcher } from 'node:fs';
import { STATE_FILES } from '../../core/profile/identity';
import type { ProfilePaths } from '../../core/profile/paths';

export interface LockEvents {
  /** Watches the state dirs not watched yet (a profile set up since); cheap when all are. */
  attach(): void;
  close(): void;
}

export function watchLocks(targets: readonly ProfilePaths[], onChange: (target: ProfilePaths) => void): LockEvents {
  const watchers = new Map<string, FSWatcher>();
  let closed = false;

  function attachOne(target: ProfilePaths): void {
    try {
      const watcher = watch(target.stateDir, { persistent: false }, (_event, name) => {
        // Some platforms give no name: any change may be the lock's.
        if (name === null || name === STATE_FILES.gatewayLock) onChange(target);
      });
      // A state dir removed or unreadable: watched again once a round finds it.
      watcher.on('error', () => {
        watcher.close();
        watchers.delete(target.label);
      });
      watchers.set(target.label, watcher);
    } catch {
      // No state dir yet (not set up), or no watch left to take: the rounds still check it.
    }
  }

  return {
    attach() {
      if (closed) return;
      for (const target of targets) if (!watchers.has(target.label)) attachOne(target);
    },
    close() {
      closed = true;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
