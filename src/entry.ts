import os from 'node:os';
import path from 'node:path';
import { cacheDirFor, loadBundle } from './host/bundle';

// dist/cli.js, the file bin/epiloop.js requires. `epiloop --version` alone answers here,
// without compiling the rest of epiloop; anything else, however spelled, runs src/cli.ts
// (dist/main.js), which also answers --version wherever it stands among the global flags.
declare const __EPILOOP_VERSION__: string;
/** Per bundle file, a hash of its text (scripts/build.mjs): part of its compile cache's key. */
declare const __EPILOOP_BUILD__: Record<string, string>;

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${__EPILOOP_VERSION__}\n`);
} else {
  const cacheDir = cacheDirFor(process.env, os.tmpdir(), process.getuid?.() ?? 0);
  // Compiled by Node itself, so its import() works; the bundles reach it as __epiloopImport.
  const importEsm = (specifier: string): Promise<unknown> => import(specifier);
  // Help, the version and a usage error (exit 2) compile little of epiloop: a cache made by
  // them would hold little, and the cache is made once per build, by the first run that keeps it.
  const brief = args.length === 0 || args[0] === 'help' || args.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-V');
  const keep = (code: number): boolean => !brief && (code === 0 || code === 1);
  let ui: unknown;
  const load = (name: string, siblings?: Record<string, () => unknown>): unknown => loadBundle(path.join(__dirname, name), { cacheDir, importEsm, siblings, keep, require, build: __EPILOOP_BUILD__[name] ?? 'unknown' });
  load('main.js', { './ui.js': () => (ui ??= load('ui.js')) });
}
