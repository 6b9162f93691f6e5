/**
 * Tells a watcher when a watched gateway's lock comes or goes, that is when it starts or
 * stops (by `epiloop stop`, its service manager, Ctrl-C or a fatal error alike), so the
 * watcher checks it then instead of at its next round. One directory watch per target; a
 * state dir that does not exist yet, or was removed, moved or re-pointed since (its device,
 * inode and birth time changed), is watched again from the next round that finds it.
 */
import { statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { STATE_FILES } from '../../core/profile/identity';
import type { ProfilePaths } from '../../core/profile/paths';

export interface LockEvents {
  /** Watches the state dirs not watched yet, or no longer the dir their path names (one stat each). */
  attach(): void;
  /** When the target's lock last came or went (ms since the epoch), or null. */
  changedAt(target: ProfilePaths): number | null;
  close(): void;
}

interface Watched {
  watcher: FSWatcher;
  /** The watched dir's device and inode: a path that names another dir since is watched again. */
  identity: string;
}

function identityOf(dir: string): string | null {
  try {
    const stat = statSync(dir);
    // A dir made anew where one was removed often gets its inode back: its birth time tells them apart.
    return stat.isDirectory() ? `${stat.dev}:${stat.ino}:${stat.birthtimeMs}` : null;
  } catch {
    return null;
  }
}

export function watchLocks(targets: readonly ProfilePaths[], onChange: (target: ProfilePaths) => void): LockEvents {
  const watched = new Map<string, Watched>();
  const changes = new Map<string, number>();
  let closed = false;

  function drop(label: string): void {
    watched.get(label)?.watcher.close();
    watched.delete(label);
  }

  function attachOne(target: ProfilePaths, identity: string): void {
    try {
      const watcher = watch(target.stateDir, { persistent: false }, (_event, name) => {
        // The dir itself removed or moved (Linux names it, then tells nothing more): watched again at the next attach.
        if (name === path.basename(target.stateDir)) drop(target.label);
        // Some platforms give no name: any change may be the lock's.
        if (name !== null && name !== STATE_FILES.gatewayLock) return;
        changes.set(target.label, Date.now());
        onChange(target);
      });
      // Unreadable since: watched again once a round finds it.
      watcher.on('error', () => drop(target.label));
      watched.set(target.label, { watcher, identity });
    } catch {
      // Gone meanwhile, or no watch left to take: the rounds still check it.
    }
  }

  return {
    attach() {
      if (closed) return;
      for (const target of targets) {
        // A removed dir gives Linux's watch one last event and then nothing, never an error: its identity tells.
        const identity = identityOf(target.stateDir);
        const current = watched.get(target.label);
        if (current !== undefined && current.identity === identity) continue;
        drop(target.label);
        if (identity !== null) attachOne(target, identity);
      }
    },
    changedAt: (target) => changes.get(target.label) ?? null,
    close() {
      closed = true;
      for (const label of [...watched.keys()]) drop(label);
    },
  };
}
