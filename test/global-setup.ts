import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A safety net under the per-test temp HOMEs: the test workers themselves run with HOME
 * at a throwaway dir, so nothing that falls back to HOME can reach the real one.
 */
export default function setup(): () => void {
  const home = mkdtempSync(path.join(os.tmpdir(), 'epiloop-vitest-home-'));
  process.env.HOME = home;
  return () => rmSync(home, { recursive: true, force: true });
}
