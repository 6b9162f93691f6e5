import os from 'node:os';
import path from 'node:path';
import { cacheDirFor, loadBundle } from './host/bundle';

// dist/cli.js, the file bin/epiloop.js requires. `epiloop --version` alone answers here,
// without compiling the rest of epiloop; anything else, however spelled, runs src/cli.ts
// (dist/main.js), which also answers --version wherever it stands among the global flags.
declare const __EPILOOP_VERSION__: string;

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${__EPILOOP_VERSION__}\n`);
} else {
  const cacheDir = cacheDirFor(process.env, os.tmpdir(), process.getuid?.() ?? 0);
  // Compiled by Node itself, so its import() works; the bundles reach it as __epiloopImport.
  const importEsm = (specifier: string): Promise<unknown> => import(specifier);
  let ui: unknown;
  const load = (name: string, siblings?: Record<string, () => unknown>): unknown => loadBundle(path.join(__dirname, name), { cacheDir, importEsm, siblings });
  load('main.js', { './ui.js': () => (ui ??= load('ui.js')) });
}
