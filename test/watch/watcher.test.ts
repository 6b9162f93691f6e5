import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startWatcher } from '../../src/host/watch/watcher';
import { pathsOfProfile } from '../../src/core/watch/targets';
import { lastRollbackWords } from '../../src/core/watch/state';
import { tempHome } from '../helpers/home';
import { setupProfile, startGateway, stopGateway } from '../gateway/gateways';
import { recorded, recorder, untilTitle } from './recorder';
import { changedSinceLastGood, rollingBackWatcher } from './support';
import { sha256Of } from '../../src/host/watch/last-good';
import { freeBase } from '../helpers/ports';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /;

async function until<T>(what: string, get: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('startWatcher (in process, real checks of real dirs)', () => {
  it('reports each target, logs state changes with a timestamp to the log and watch.log, and stops within the grace', async () => {
    const { home } = await tempHome();
    const self = pathsOfProfile('rescue', home);
    await mkdir(self.stateDir, { recursive: true, mode: 0o700 });
    const main = pathsOfProfile('main', home);
    await mkdir(main.stateDir, { recursive: true, mode: 0o700 });
    await writeFile(main.configPath, '{\n  gateway: {\n');
    const lines: string[] = [];
    const watcher = startWatcher({
      self,
      targets: [pathsOfProfile('ghost', home), main],
      home,
      env: { PATH: process.env.PATH, EPILOOP_STATE_DIR: self.stateDir },
      intervalMs: 200,
      restart: false,
      maxRestartsPerHour: 3,
      log: (line) => lines.push(line),
    });
    try {
      expect(watcher.report().map((r) => r.state)).toEqual(['pending', 'pending']);
      const report = await until('both checked', () => {
        const r = watcher.report();
        return r.every((p) => p.state !== 'pending') ? r : undefined;
      });
      expect(report).toEqual([
        { profile: 'ghost', state: 'down', since: expect.any(String), checkedAt: expect.any(String), finding: 'profile "ghost" is not set up: no config at ~/.epiloop-ghost/epiloop.json', notAnswering: false, lastAlert: null, lastRestart: null, lastGood: null, rollback: null, lastRollback: null },
        {
          profile: 'main',
          state: 'down',
          since: expect.any(String),
          checkedAt: expect.any(String),
          finding: expect.stringMatching(/^config is broken: ~\/\.epiloop-main\/epiloop\.json:3:1: not valid JSON5/),
          notAnswering: false,
          lastAlert: null,
          lastRestart: null,
          lastGood: null,
          rollback: null,
          lastRollback: null,
        },
      ]);
      // A state that holds is not logged again; its checks keep `since`.
      await until('a later check', () => (watcher.report()[0]!.checkedAt !== report[0]!.checkedAt ? true : undefined));
      expect(watcher.report()[0]!.since).toBe(report[0]!.since);
      expect(lines.filter((l) => l.startsWith('watch: ghost is down'))).toHaveLength(1);
    } finally {
      const started = Date.now();
      await watcher.stop(1500);
      expect(Date.now() - started).toBeLessThan(2000);
    }
    const after = lines.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(lines.length).toBe(after);
    const logged = (await readFile(`${self.stateDir}/watch.log`, 'utf8')).trim().split('\n');
    expect(logged.every((l) => ISO.test(l))).toBe(true);
    expect(logged.map((l) => l.replace(ISO, ''))).toEqual(lines.map((l) => l.replace(/^watch: /, '')));
    expect(logged[0]).toMatch(/watching ghost, main every 0\.2 s \(±10 %\); automatic restart off$/);
  });

  it("sees a watched gateway stop within a second and start soon after, long before its next round (a minute away)", async () => {
    const { home, env } = await tempHome();
    await setupProfile(env, 'main');
    const self = pathsOfProfile('rescue', home);
    await mkdir(self.stateDir, { recursive: true, mode: 0o700 });
    const lines: string[] = [];
    const watcher = startWatcher({
      self,
      targets: [pathsOfProfile('main', home)],
      home,
      env: { PATH: process.env.PATH, EPILOOP_STATE_DIR: self.stateDir },
      intervalMs: 60_000,
      restart: false,
      maxRestartsPerHour: 3,
      log: (line) => lines.push(line),
    });
    const stateOfMain = () => watcher.report()[0]!.state;
    try {
      await until('the first round', () => (stateOfMain() === 'down' ? true : undefined));
      const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
      const ready = Date.now();
      await until('main seen up', () => (stateOfMain() === 'up' ? true : undefined), 3000);
      expect(Date.now() - ready).toBeLessThan(2500);
      await stopGateway(gateway);
      const gone = Date.now();
      await until('main seen down', () => (stateOfMain() === 'down' ? true : undefined), 3000);
      expect(Date.now() - gone).toBeLessThan(1000);
    } finally {
      await watcher.stop(1500);
    }
    expect(lines.flatMap((l) => /^watch: (main is (?:up|down))/.exec(l)?.[1] ?? [])).toEqual(['main is down', 'main is up', 'main is down']);
  });

  it('alerts nobody of a restart (its gateway gone for a moment, seen by checks every 300 ms), and does alert a stop that lasts', async () => {
    const { home, env } = await tempHome();
    await setupProfile(env, 'main');
    const self = pathsOfProfile('rescue', home);
    await mkdir(self.stateDir, { recursive: true, mode: 0o700 });
    const file = `${home}/events.jsonl`;
    let gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    const watcher = startWatcher({
      self,
      targets: [pathsOfProfile('main', home)],
      home,
      env: { PATH: process.env.PATH, EPILOOP_STATE_DIR: self.stateDir },
      intervalMs: 300,
      restart: false,
      maxRestartsPerHour: 3,
      alerts: [recorder(file) as never],
      log: () => undefined,
    });
    try {
      await until('main seen up', () => (watcher.report()[0]!.state === 'up' ? true : undefined));
      // Down for a second, many checks: a restart as a service manager makes one.
      await stopGateway(gateway);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      gateway = await startGateway(['--profile', 'main', 'gateway'], env);
      await until('main seen up again', () => (watcher.report()[0]!.state === 'up' ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await recorded(file)).toEqual([]);
      await stopGateway(gateway);
      const down = await untilTitle(file, 'main is down', 6000);
      expect(down.event).toMatchObject({ kind: 'state', state: 'down' });
    } finally {
      await watcher.stop(1500);
    }
  }, 30_000);

  it('an automatic rollback of a profile with no service says its config was rolled back and what starts it, and never that it did not help', async () => {
    const { home } = await tempHome();
    const { self, main, good } = await changedSinceLastGood(home, '2026-01-02T03:04:05.000Z');
    const file = `${home}/events.jsonl`;
    // No service manager on PATH: nothing is installed that could start main.
    const watcher = rollingBackWatcher(home, self, main, file);
    try {
      const rolled = await untilTitle(file, "rolled back main's config; main stays down until it is started", 6000);
      expect(rolled.event).toMatchObject({ kind: 'rollback', outcome: 'succeeded', title: "rolled back main's config; main stays down until it is started", fix: 'epiloop --profile main start' });
      expect(rolled.event.finding).toMatch(/; no service of main is installed, so nothing starts its gateway on the restored config$/);
      expect(await readFile(main.configPath, 'utf8')).toBe(good);
      // Well past the checks after which a restart that did not help is told: nothing more is said, nothing started it.
      await new Promise((resolve) => setTimeout(resolve, 12 * 200));
      expect((await recorded(file)).filter((r) => r.event.kind === 'rollback').map((r) => r.event.title)).toEqual(["rolled back main's config; main stays down until it is started"]);
      const entry = watcher.report()[0]!;
      expect(entry).toMatchObject({ state: 'down', rollback: null, lastRollback: { outcome: 'succeeded', fix: 'epiloop --profile main start' } });
      expect(lastRollbackWords(entry)).toBe(`last rollback of main: config restored at ${entry.lastRollback!.time}, but no service starts main on it; start it: epiloop --profile main start`);
    } finally {
      await watcher.stop(1500);
    }
  }, 30_000);

  it('an automatic rollback that changes who can reach the gateway says so in its alert and its log line; one that does not, nothing', async () => {
    const { home } = await tempHome();
    const self = pathsOfProfile('rescue', home);
    await mkdir(self.stateDir, { recursive: true, mode: 0o700 });
    /** A profile down on a config changed since its last-known-good one: the config's bind now, and the one recorded. */
    const downOnChange = async (name: string, now: string | undefined, recorded: string | undefined) => {
      const paths = pathsOfProfile(name, home);
      await mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
      const config = (bind: string | undefined, token: string) => `${JSON.stringify({ gateway: { port: base, auth: { token }, ...(bind === undefined ? {} : { bind }) } }, null, 2)}\n`;
      const base = await freeBase();
      const good = config(recorded, 'a-token-of-more-than-16-chars');
      await writeFile(paths.configPath, config(now, 'another-token-of-more-than-16'), { mode: 0o600 });
      await writeFile(`${paths.stateDir}/last-good.json`, JSON.stringify({ version: 1, sha256: sha256Of(good), recordedAt: '2026-01-02T03:04:05.000Z', by: 'rescue', text: good }), { mode: 0o600 });
      return paths;
    };
    // main was taken to lan since it was last healthy: the rollback closes it to other machines. lab's bind is as it was.
    const targets = [await downOnChange('main', 'lan', undefined), await downOnChange('lab', undefined, undefined)];
    const file = `${home}/events.jsonl`;
    const lines: string[] = [];
    const watcher = startWatcher({
      self,
      targets,
      home,
      env: { PATH: process.env.PATH, EPILOOP_STATE_DIR: self.stateDir },
      intervalMs: 200,
      restart: false,
      rollback: true,
      maxRestartsPerHour: 3,
      alerts: [recorder(file) as never],
      log: (line) => lines.push(line),
    });
    try {
      const closed = await untilTitle(file, "rolled back main's config; main stays down until it is started", 6000);
      const same = await untilTitle(file, "rolled back lab's config; lab stays down until it is started", 6000);
      const reach = "only this machine can reach main's gateway with gateway.bind unset (loopback)";
      expect(closed.event.finding).toMatch(/, the bad config kept as ~\/\.epiloop-main\/epiloop\.json\.\d{8}T\d{9}Z\.bak; /);
      // It ends on who can reach it (after what starts it: none of these has a service).
      expect(closed.event.finding.endsWith(`; ${reach}`)).toBe(true);
      expect(lines.find((l) => l.startsWith('watch: rolled back the config of main:'))?.endsWith(`; ${reach}`)).toBe(true);
      expect(same.event.finding).not.toMatch(/machine/);
      expect(lines.find((l) => l.startsWith('watch: rolled back the config of lab:'))).not.toMatch(/machine/);
    } finally {
      await watcher.stop(1500);
    }
  }, 30_000);
});
