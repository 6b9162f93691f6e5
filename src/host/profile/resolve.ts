/**
 * Paths as the disk resolves them: every comparison of two profiles' dirs, and the rule
 * that no profile lives in or serves a system directory, look at these, so a symlink to
 * another profile's workspace or to /etc is seen for what it is.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { systemDirOf } from '../../core/profile/paths';

/** `p` with every symlink on its existing part resolved; the part not created yet is appended as written. */
export async function resolvedPath(p: string): Promise<string> {
  const absolute = path.resolve(p);
  const rest: string[] = [];
  let existing = absolute;
  // Bounded by the path's depth: each step drops one component.
  for (;;) {
    try {
      return path.join(await realpath(existing), ...rest.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return absolute;
      rest.push(path.basename(existing));
      existing = parent;
    }
  }
}

/** The system dir a workspace really is or lies in (through symlinks), or null. */
export async function systemDirUnder(p: string): Promise<{ real: string; system: string } | null> {
  const real = await resolvedPath(p);
  const system = systemDirOf(real);
  return system === null ? null : { real, system };
}
