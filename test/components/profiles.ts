import { expect } from 'vitest';
import { runCli } from '../helpers/cli';
import { freeBase } from '../helpers/ports';

/**
 * `epiloop --profile P setup --port <a free block>` with the built CLI. Other tests on this
 * machine may bind a port of the block between the probe and the write (setup then refuses
 * it, rightly): a new block is tried, three times at most.
 */
export async function setupProfile(profile: string, env: Record<string, string>): Promise<number> {
  let last = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const base = await freeBase();
    const made = await runCli(['--profile', profile, 'setup', '--port', String(base)], { env });
    if (made.code === 0) return base;
    last = made.stderr;
  }
  expect.fail(`setup of ${profile} failed three times:\n${last}`);
}
