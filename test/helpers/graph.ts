import { build, type Metafile } from 'esbuild';
import { REPO } from './cli';

/**
 * The import graph the build bundles, from esbuild's own metafile (the same entry and the same
 * external packages as scripts/build.mjs). dist/main.js initialises a module when one that
 * imports it statically is initialised, and a module behind an `import()` only when that runs:
 * so a command's static closure here is what running it initialises.
 */
export async function importGraph(): Promise<Metafile['inputs']> {
  const result = await build({
    absWorkingDir: REPO,
    entryPoints: ['src/cli.ts', 'src/entry.ts'],
    outdir: 'graph',
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    jsx: 'automatic',
    external: ['react-dom', 'execa', '@inquirer/*', 'ink-*', 'ws', 'ink', 'react', 'react/*'],
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile.inputs;
}

/** The modules `start` initialises with it: its static imports, transitively (an `import()` is lazy and not followed); external packages by name. */
export function staticClosure(inputs: Metafile['inputs'], start: string): Set<string> {
  if (inputs[start] === undefined) throw new Error(`${start} is not in the build`);
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const edge of inputs[file]?.imports ?? []) {
      if (edge.kind === 'import-statement' || edge.kind === 'require-call') todo.push(edge.path);
    }
  }
  return seen;
}
