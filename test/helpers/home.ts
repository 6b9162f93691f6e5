import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

export interface TempHome {
  home: string;
  /** An environment for a child process: HOME at the temp dir, no EPILOOP_* from the outer shell. */
  env: Record<string, string>;
}

const made: string[] = [];

/** A fresh, empty HOME under the OS temp dir, removed after the test. Never the real home. */
export async function tempHome(): Promise<TempHome> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'epiloop-test-'));
  made.push(home);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('EPILOOP_')) env[key] = value;
  }
  env.HOME = home;
  env.NO_COLOR = '1';
  delete env.FORCE_COLOR;
  return { home, env };
}

afterEach(async () => {
  while (made.length > 0) await rm(made.pop()!, { recursive: true, force: true });
});
