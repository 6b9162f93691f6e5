/** The rescue's watch of its targets' locks (host/watch/lock-events.ts): real dirs, real fs.watch. */
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchLocks } from '../../src/host/watch/lock-events';
import { pathsOfProfile } from '../../src/core/watch/targets';
import type { ProfilePaths } from '../../src/core/profile/paths';
import { tempHome } from '../helpers/home';

/** Resolves once `seen` has grown past `count`, or with false after a second. */
async function told(seen: string[], count: number): Promise<boolean> {
  const deadline = Date.now() + 1000;
  while (Date.now() < deadline) {
    if (seen.length > count) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

describe('watchLocks', () => {
  it("tells each change of a target's gateway.lock and nothing else; a state dir made later is watched from the next attach", async () => {
    const { home } = await tempHome();
    const main = pathsOfProfile('main', home);
    const seen: string[] = [];
    const events = watchLocks([main], (t: ProfilePaths) => seen.push(t.label));
    try {
      events.attach();
      await mkdir(main.stateDir, { recursive: true });
      await writeFile(path.join(main.stateDir, 'gateway.lock'), '{}');
      expect(await told(seen, 0)).toBe(false);
      events.attach();
      await writeFile(path.join(main.stateDir, 'gateway.log'), 'x');
      expect(await told(seen, 0)).toBe(false);
      await rm(path.join(main.stateDir, 'gateway.lock'));
      expect(await told(seen, 0)).toBe(true);
      expect(events.changedAt(main)).toBeGreaterThan(Date.now() - 2000);
    } finally {
      events.close();
    }
  });

  it('watches a state dir again once it was removed and made anew, or its symlink points elsewhere', async () => {
    const { home } = await tempHome();
    const main = pathsOfProfile('main', home);
    await mkdir(main.stateDir, { recursive: true });
    const seen: string[] = [];
    const events = watchLocks([main], (t: ProfilePaths) => seen.push(t.label));
    try {
      events.attach();
      await rm(main.stateDir, { recursive: true });
      await mkdir(main.stateDir);
      events.attach();
      const before = seen.length;
      await writeFile(path.join(main.stateDir, 'gateway.lock'), '{}');
      expect(await told(seen, before)).toBe(true);

      // The state dir a symlink, pointed at another dir: the new one is watched.
      const a = path.join(home, 'a');
      const b = path.join(home, 'b');
      await mkdir(a);
      await mkdir(b);
      await rm(main.stateDir, { recursive: true });
      await symlink(a, main.stateDir);
      events.attach();
      await rm(main.stateDir);
      await symlink(b, main.stateDir);
      events.attach();
      const then = seen.length;
      await writeFile(path.join(b, 'gateway.lock'), '{}');
      expect(await told(seen, then)).toBe(true);
    } finally {
      events.close();
    }
  });
});
