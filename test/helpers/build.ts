import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface SourceFile {
  path: string;
  mtimeMs: number;
}

/** What the bundle in dist/ is built from. */
export const BUILD_INPUTS = ['src', 'components', 'scripts/build.mjs'];
/** The bundle's entry: written by every build, so its mtime is the build's. */
export const BUILT_ENTRY = 'dist/cli.js';

/**
 * Why dist/ must be rebuilt before the CLI is run, or null when it is up to date: it was
 * never built (builtAtMs null), or a source changed after the build.
 */
export function staleBecause(builtAtMs: number | null, sources: Iterable<SourceFile>): string | null {
  if (builtAtMs === null) return `${BUILT_ENTRY} does not exist`;
  for (const source of sources) {
    if (source.mtimeMs > builtAtMs) return `${source.path} is newer than ${BUILT_ENTRY}`;
  }
  return null;
}

/** Every file under the given paths (relative to root), with its mtime. */
export function* sourceFiles(root: string, inputs: readonly string[] = BUILD_INPUTS): Generator<SourceFile> {
  for (const input of inputs) {
    const full = path.join(root, input);
    const info = statSync(full, { throwIfNoEntry: false });
    if (info === undefined) continue;
    if (!info.isDirectory()) {
      yield { path: input, mtimeMs: info.mtimeMs };
      continue;
    }
    for (const entry of readdirSync(full, { withFileTypes: true })) {
      yield* sourceFiles(root, [path.join(input, entry.name)]);
    }
  }
}

export function builtAt(root: string): number | null {
  return statSync(path.join(root, BUILT_ENTRY), { throwIfNoEntry: false })?.mtimeMs ?? null;
}
