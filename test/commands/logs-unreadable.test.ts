/**
 * `logs` on a log it refuses to read (a FIFO, a directory): the error, exit 1, and no
 * "No events" line (there may well be events; they were not read); -f does not follow nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';

describe('logs on a log that is not a regular file', () => {
  it('a FIFO or a directory: exit 1, the path shown as ~/…, no "No events"; -f exits 1 at once', async () => {
    const { home, env } = await tempHome();
    for (const profile of ['main', 'rescue']) {
      const set = await runCli(['--profile', profile, 'setup', '--port', String(await freeBase())], { env });
      expect(set.code, set.stderr).toBe(0);
    }
    execFileSync('mkfifo', [path.join(home, '.epiloop-main', 'gateway.log')]);
    await mkdir(path.join(home, '.epiloop-rescue', 'gateway.log'));
    for (const [profile, args] of [
      ['main', []],
      ['main', ['-f']],
      ['rescue', []],
      ['rescue', ['--follow']],
    ] as const) {
      const result = await runCli(['--profile', profile, 'logs', ...args], { env, timeoutMs: 10_000 });
      expect([result.code, result.stderr], `${profile} ${args.join(' ')}`).toEqual([
        1,
        `epiloop: ${profile}: ~/.epiloop-${profile}/gateway.log is not read: a log is a regular file in the state dir (not a symlink, a directory or a FIFO).\n`,
      ]);
    }
    const all = await runCli(['logs', '--all'], { env, timeoutMs: 10_000 });
    expect(all.code).toBe(1);
    expect(all.stderr).not.toContain('No events');
    expect(all.stderr).toContain('~/.epiloop-main/gateway.log is not read');
  }, 60_000);
});
