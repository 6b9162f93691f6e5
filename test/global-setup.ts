import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtAt, sourceFiles, staleBecause } from './helpers/build';
import { REPO } from './helpers/cli';

/**
 * Once per run, before any test: rebuild dist/ when a source is newer than it, so a
 * focused `npx vitest run test/gateway` after an edit tests the edit and not an old bundle.
 *
 * A safety net under the per-test temp HOMEs: the test workers themselves run with HOME
 * at a throwaway dir, so nothing that falls back to HOME can reach the real one.
 */
export default function setup(): () => void {
  const stale = staleBecause(builtAt(REPO), sourceFiles(REPO));
  if (stale !== null) {
    console.log(`global setup: building dist/ (${stale})`);
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit', timeout: 120_000 });
  }
  const home = mkdtempSync(path.join(os.tmpdir(), 'epiloop-vitest-home-'));
  process.env.HOME = home;
  return () => rmSync(home, { recursive: true, force: true });
}
