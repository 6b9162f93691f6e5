import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { ProfilePaths } from '../../src/core/profile/paths';
import { pathsOfProfile } from '../../src/core/watch/targets';
import { sha256Of } from '../../src/host/watch/last-good';
import { startWatcher } from '../../src/host/watch/watcher';
import { request, setupProfile, type Profile } from '../gateway/gateways';
import { freeBase } from '../helpers/ports';
import { recorder } from './recorder';

/** The test interval: short, so "down within two intervals" takes well under a second. */
export const INTERVAL = 300;

export interface WatchEntry {
  profile: string;
  state: string;
  since: string | null;
  checkedAt: string | null;
  finding: string;
  notAnswering: boolean;
  lastAlert: { time: string; kind: string; level: string; title: string; sinks: number } | null;
  lastRestart: { time: string; outcome: string; detail: string } | null;
  lastGood: { recordedAt: string; changed: boolean } | null;
  rollback: string | null;
  lastRollback: { time: string; outcome: string; detail: string } | null;
}

export async function readJson(file: string): Promise<Record<string, any>> {
  return JSON.parse(await readFile(file, 'utf8'));
}

export async function editConfig(profile: Profile, edit: (config: Record<string, any>) => void): Promise<void> {
  const config = await readJson(profile.configPath);
  edit(config);
  await writeFile(profile.configPath, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
}

export const watchOf = async (base: number): Promise<WatchEntry[]> => JSON.parse((await request(base, '/health')).body).watch;

/** Polls the rescue gateway's /health until `match` holds for the entry of `profile`; bounded in time. */
export async function waitForWatch(base: number, profile: string, match: (e: WatchEntry) => boolean, timeoutMs = 5000): Promise<WatchEntry> {
  const deadline = Date.now() + timeoutMs;
  let last: WatchEntry | undefined;
  while (Date.now() < deadline) {
    last = (await watchOf(base)).find((e) => e.profile === profile);
    if (last !== undefined && match(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${profile} did not reach the expected state within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

/** main and rescue made by setup, rescue watching `watched` with the test interval. */
export async function pair(env: Record<string, string>, watched: string[] = ['main'], extra: Record<string, unknown> = {}) {
  const main = await setupProfile(env, 'main');
  const rescue = await setupProfile(env, 'rescue');
  await editConfig(rescue, (c) => (c.watch = { profiles: watched, intervalMs: INTERVAL, ...extra }));
  return { main, rescue };
}

/**
 * rescue's state dir, and main not running on a config changed since its last-known-good one
 * (its token differs; the record made at `recordedAt`): what an automatic rollback acts on.
 * Returns both profiles' paths and the good bytes.
 */
export async function changedSinceLastGood(home: string, recordedAt: string) {
  const self = pathsOfProfile('rescue', home);
  const main = pathsOfProfile('main', home);
  for (const dir of [self.stateDir, main.stateDir]) await mkdir(dir, { recursive: true, mode: 0o700 });
  const base = await freeBase();
  const config = (token: string) => `${JSON.stringify({ gateway: { port: base, auth: { token } } }, null, 2)}\n`;
  const good = config('a-token-of-more-than-16-chars');
  await writeFile(main.configPath, config('another-token-of-more-than-16'), { mode: 0o600 });
  await writeFile(`${main.stateDir}/last-good.json`, JSON.stringify({ version: 1, sha256: sha256Of(good), recordedAt, by: 'rescue', text: good }), { mode: 0o600 });
  return { self, main, good };
}

/** rescue watching main in process, every 200 ms, rolling back by itself, alerting to the command sink writing `file`; no service manager on PATH, so nothing starts main. */
export function rollingBackWatcher(home: string, self: ProfilePaths, main: ProfilePaths, file: string) {
  return startWatcher({
    self,
    targets: [main],
    home,
    env: { PATH: '/nonexistent', EPILOOP_STATE_DIR: self.stateDir },
    intervalMs: 200,
    restart: false,
    rollback: true,
    maxRestartsPerHour: 3,
    alerts: [recorder(file) as never],
    log: () => undefined,
  });
}
