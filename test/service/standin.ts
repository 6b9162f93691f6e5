import { chmod, copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'standin');

export interface StandIn {
  /** The environment to hand the service code: HOME, and the stand-ins first on PATH. */
  env: Record<string, string>;
  /** Every systemctl/launchctl call so far, one line each ("systemctl --user daemon-reload"). */
  calls(): Promise<string[]>;
}

/**
 * Stand-in systemctl and launchctl (shell scripts that record their arguments and answer as
 * the real tools do) first on PATH, their state under <home>/.standin. Copied with mode 0755
 * so a checkout that lost the executable bit still works.
 */
export async function standIn(home: string, baseEnv: Record<string, string>, extra: Record<string, string> = {}): Promise<StandIn> {
  const bin = path.join(home, '.standin', 'bin');
  const state = path.join(home, '.standin', 'state');
  await mkdir(bin, { recursive: true });
  await mkdir(state, { recursive: true });
  for (const tool of ['systemctl', 'launchctl']) {
    await copyFile(path.join(FIXTURES, tool), path.join(bin, tool));
    await chmod(path.join(bin, tool), 0o755);
  }
  // The stand-in plays a host systemd booted: its sd_booted() directory is one of its own.
  const env = { ...baseEnv, PATH: `${bin}${path.delimiter}${baseEnv.PATH ?? ''}`, STANDIN_STATE: state, EPILOOP_SYSTEMD_BOOTED_DIR: state, ...extra };
  return {
    env,
    calls: async () =>
      (await readFile(path.join(state, 'calls.log'), 'utf8').catch(() => '')).split('\n').filter((line) => line !== ''),
  };
}
