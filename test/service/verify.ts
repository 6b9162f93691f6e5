import { spawnSync } from 'node:child_process';

/** systemd-analyze verify in user mode: silent (no output at all) means systemd accepts the unit. */
export function verifyUnit(file: string, runtimeDir: string): { code: number | null; output: string } {
  const result = spawnSync('systemd-analyze', ['--user', 'verify', file], {
    env: { ...process.env, XDG_RUNTIME_DIR: runtimeDir, SYSTEMD_LOG_COLOR: '0' },
    encoding: 'utf8',
    timeout: 15_000,
  });
  if (result.error) throw new Error(`systemd-analyze could not run (.ci/run installs it): ${result.error.message}`);
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}
