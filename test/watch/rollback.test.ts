import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { standIn } from '../service/standin';
import { request, setupProfile, startGateway, type GatewayProcess } from '../gateway/gateways';
import { EXIT } from '../../src/core/errors';
import { until } from './receiver';
import { recorded, recorder, untilTitle } from './recorder';
import { editConfig, INTERVAL, pair, waitForWatch, watchOf } from './support';

const ROLLBACK = 'epiloop --profile rescue doctor --target main --rollback';

/**
 * main with its service installed (stand-in systemctl: it records the call and starts
 * nothing, so the test plays the manager), rescue watching it; both gateways real, main
 * seen healthy and its config recorded as last-known-good.
 */
async function healthyPair(watch: (file: string) => Record<string, unknown>) {
  const { home, env: baseEnv } = await tempHome();
  const { env, calls } = await standIn(home, baseEnv);
  const file = path.join(home, 'events.jsonl');
  const { main, rescue } = await pair(env, ['main'], watch(file));
  expect((await runCli(['--profile', 'main', 'gateway', 'install'], { env })).code).toBe(EXIT.ok);
  const good = await readFile(main.configPath, 'utf8');
  const mainGateway = await startGateway(['--profile', 'main', 'gateway'], env);
  const rescueGateway = await startGateway(['--profile', 'rescue', 'gateway'], env);
  await waitForWatch(rescue.base, 'main', (e) => e.state === 'up' && e.lastGood !== null);
  const lastGoodFile = path.join(home, '.epiloop-main', 'last-good.json');
  const restarts = async () => (await calls()).filter((c) => c === 'systemctl --user restart epiloop-gateway-main.service');
  const backups = async () => (await readdir(path.dirname(main.configPath))).filter((n) => /^epiloop\.json\.\d{8}T\d{9}Z\.bak$/.test(n)).map((n) => path.join(path.dirname(main.configPath), n));
  return { home, env, main, rescue, file, good, mainGateway, rescueGateway, lastGoodFile, restarts, backups };
}

/**
 * The bad change, as a person editing the file would make it, seen by the rescue while main
 * still runs on the old bytes (so never recorded); then main's gateway stopped and (unless
 * `restart` is false) started again, which fails. A rescue that rolls back by itself may do so
 * before a start by hand reads the config: its test does not start main by hand.
 */
async function breakMain(env: Record<string, string>, main: Parameters<typeof editConfig>[0], rescueBase: number, mainGateway: GatewayProcess, restart = true) {
  // Its auth token deleted: the file still parses and validates, but the gateway refuses to start without one.
  await editConfig(main, (c) => delete c.gateway.auth.token);
  const bad = await readFile(main.configPath, 'utf8');
  await waitForWatch(rescueBase, 'main', (e) => e.state === 'up' && e.lastGood?.changed === true);
  mainGateway.child.kill('SIGKILL');
  await mainGateway.exited;
  if (!restart) return bad;
  const start = await runCli(['--profile', 'main', 'gateway'], { env, timeoutMs: 10_000 });
  expect(start.code, start.stdout + start.stderr).not.toBe(EXIT.ok);
  return bad;
}

// Real gateways and a stand-in service manager on a machine other suites load too: each test is bounded by a minute.
describe('last-known-good rollback (real gateways, stand-in systemctl)', { timeout: 60_000 }, () => {
  it('a bad config change keeps main from starting → rollback offered in status and the alert, applied with --yes, main up on the old config, the bad one kept as a backup', async () => {
    const { home, env, main, rescue, file, good, mainGateway, lastGoodFile, restarts, backups } = await healthyPair((file) => ({ alerts: [recorder(file)] }));
    const lastGood = JSON.parse(await readFile(lastGoodFile, 'utf8'));
    expect(lastGood).toMatchObject({ version: 1, by: 'rescue', text: good });
    expect((await stat(lastGoodFile)).mode & 0o777).toBe(0o600);

    const bad = await breakMain(env, main, rescue.base, mainGateway);
    // The edit was never live: the record still holds the old bytes.
    expect(JSON.parse(await readFile(lastGoodFile, 'utf8')).sha256).toBe(lastGood.sha256);

    const down = await waitForWatch(rescue.base, 'main', (e) => e.state === 'down' && e.rollback !== null);
    expect(down).toMatchObject({ rollback: ROLLBACK, lastGood: { recordedAt: lastGood.recordedAt, changed: true } });
    expect(down.finding).toMatch(new RegExp(`; its config changed since it was last healthy \\(${lastGood.recordedAt.replace(/\./g, '\\.')}\\)$`));
    const alert = await untilTitle(file, 'main is down after a config change', 8000);
    expect(alert.event).toMatchObject({ kind: 'state', level: 'critical', state: 'down', fix: ROLLBACK });
    const status = await runCli(['--profile', 'rescue', 'status'], { env });
    expect(status.stdout).toContain(`main is down on a config it was never healthy on; roll back to its last-known-good config: ${ROLLBACK}`);
    expect(JSON.parse((await runCli(['--profile', 'rescue', 'status', '--json'], { env })).stdout).watch.profiles[0]).toMatchObject({ rollback: ROLLBACK });

    // No terminal and no --yes: the diff, then exit 2, nothing written.
    const asked = await runCli(['--profile', 'rescue', 'doctor', '--target', 'main', '--rollback'], { env });
    expect(asked.code).toBe(EXIT.usage);
    // The token comes back: shown as its mask, never itself.
    expect(asked.stdout).toMatch(/\+ {6}"token": "‹32 characters hidden, #[0-9a-f]+›"/);
    expect(asked.stdout + asked.stderr).not.toContain(main.token);
    expect(asked.stderr).toContain(`${ROLLBACK} --yes`);
    expect(await readFile(main.configPath, 'utf8')).toBe(bad);

    const applied = await runCli(['--profile', 'rescue', 'doctor', '--target', 'main', '--rollback', '--yes'], { env });
    expect(applied.code, applied.stderr).toBe(EXIT.ok);
    expect(applied.stdout).toContain('restarted epiloop-gateway-main.service');
    expect(applied.stdout + applied.stderr).not.toContain(main.token);
    expect(await readFile(main.configPath, 'utf8')).toBe(good);
    const kept = await backups();
    expect(kept).toHaveLength(1);
    expect(await readFile(kept[0]!, 'utf8')).toBe(bad);
    expect(applied.stdout).toContain(`backup of the replaced config: ~/.epiloop-main/${path.basename(kept[0]!)}`);
    expect(await restarts()).toHaveLength(1);
    expect(await readFile(path.join(home, '.epiloop-main', 'rescue-actions.log'), 'utf8')).toMatch(/Z rescue rolled back \(epiloop --profile rescue doctor --target main --rollback\): ~\/\.epiloop-main\/epiloop\.json restored to the last-known-good config of \S+; the bad config is kept as \S+\.bak; restarted epiloop-gateway-main\.service\n/);

    // What the manager does on that restart: main starts, on the old config.
    await startGateway(['--profile', 'main', 'gateway'], env);
    expect(JSON.parse((await request(main.base, '/health')).body).profile).toBe('main');
    const upAgain = await waitForWatch(rescue.base, 'main', (e) => e.state === 'up');
    expect(upAgain).toMatchObject({ rollback: null, lastGood: { changed: false } });

    // Run again: the config is the last-known-good one, nothing to do.
    const again = await runCli(['--profile', 'main', 'doctor', '--rollback'], { env });
    expect(again.code).toBe(EXIT.ok);
    expect(again.stdout).toContain('already holds it: nothing to roll back');
  });

  it('watch.rollback "auto" rolls back once, alerts, and does not loop when the old config fails too', async () => {
    const { env, main, rescue, file, good, mainGateway, restarts, backups } = await healthyPair((file) => ({ rollback: 'auto', alerts: [recorder(file)] }));
    // A foreign process takes main's old port once main is down: the old config cannot start either.
    const squatter = net.createServer((socket) => socket.destroy());
    try {
      const bad = await breakMain(env, main, rescue.base, mainGateway, false);
      await new Promise<void>((resolve, reject) => squatter.once('error', reject).listen(main.base, '127.0.0.1', resolve));

      const rolled = await untilTitle(file, "rolled back main's config", 8000);
      expect(rolled.event).toMatchObject({ kind: 'rollback', outcome: 'succeeded', level: 'warning' });
      expect(rolled.event.finding).toMatch(/restored the last-known-good config of \S+ and restarted epiloop-gateway-main\.service, the bad config kept as ~\/\.epiloop-main\/epiloop\.json\.\d{8}T\d{9}Z\.bak$/);
      expect(await readFile(main.configPath, 'utf8')).toBe(good);
      const kept = await backups();
      expect(kept).toHaveLength(1);
      expect(await readFile(kept[0]!, 'utf8')).toBe(bad);

      // The manager starts main on the restored config: the squatter holds its port, it fails too.
      const start = await runCli(['--profile', 'main', 'gateway'], { env, timeoutMs: 10_000 });
      expect(start.code).not.toBe(EXIT.ok);
      const stays = await untilTitle(file, 'main stays down: no further rollback', 8000);
      expect(stays.event).toMatchObject({ kind: 'rollback', outcome: 'refused', level: 'critical', fix: 'epiloop --profile main doctor' });

      // Several more intervals: no second rollback, no second restart, no further write.
      await new Promise((resolve) => setTimeout(resolve, 6 * INTERVAL));
      expect((await recorded(file)).filter((r) => r.event.kind === 'rollback').map((r) => r.event.outcome)).toEqual(['succeeded', 'refused']);
      expect(await restarts()).toHaveLength(1);
      expect(await backups()).toHaveLength(1);
      expect(await readFile(main.configPath, 'utf8')).toBe(good);
      const entry = (await watchOf(rescue.base)).find((e) => e.profile === 'main')!;
      expect(entry).toMatchObject({ state: 'down', rollback: null });
      expect(entry.lastRollback).toMatchObject({ outcome: 'refused' });

      // The same bad config written again: told, never rolled back a second time.
      await writeFile(main.configPath, bad, { mode: 0o600 });
      const again = await until('the refusal of a second rollback', async () =>
        (await recorded(file)).find((r) => r.event.kind === 'rollback' && /rolled back from once already/.test(r.event.finding)),
      8000);
      expect(again.event).toMatchObject({ outcome: 'refused', level: 'critical' });
      await new Promise((resolve) => setTimeout(resolve, 4 * INTERVAL));
      expect(await readFile(main.configPath, 'utf8')).toBe(bad);
      expect(await backups()).toHaveLength(1);
      expect(await restarts()).toHaveLength(1);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});

describe('doctor --rollback on the profile itself (no gateways)', () => {
  it('refuses without a whole recorded last-known-good config (exit 1), shows the diff as JSON, and restores it with --yes', async () => {
    const { home, env } = await tempHome();
    const main = await setupProfile(env, 'main');
    const none = await runCli(['--profile', 'main', 'doctor', '--rollback'], { env });
    expect(none.code).toBe(EXIT.unhealthy);
    expect(none.stderr).toContain('No last-known-good config of profile "main" is recorded (~/.epiloop-main/last-good.json): a rescue gateway that watches it records one while its gateway is healthy. Nothing was written.');

    const good = await readFile(main.configPath, 'utf8');
    const record = { version: 1, sha256: createHash('sha256').update(good).digest('hex'), recordedAt: '2026-01-02T03:04:05.000Z', by: 'rescue', text: good };
    const file = path.join(home, '.epiloop-main', 'last-good.json');
    // A record whose text no longer hashes to its sha256 is not trusted.
    await writeFile(file, JSON.stringify({ ...record, text: good.replace(String(main.base), '1') }), { mode: 0o600 });
    expect((await runCli(['--profile', 'main', 'doctor', '--rollback'], { env })).code).toBe(EXIT.unhealthy);

    await writeFile(file, JSON.stringify(record), { mode: 0o600 });
    await editConfig(main, (c) => (c.gateway.port = main.base + 1000));
    const bad = await readFile(main.configPath, 'utf8');
    const asked = await runCli(['--profile', 'main', 'doctor', '--rollback', '--json'], { env });
    expect(asked.code).toBe(EXIT.usage);
    expect(JSON.parse(asked.stdout)).toEqual({
      profile: 'main',
      label: 'main',
      configPath: main.configPath,
      lastGood: { recordedAt: record.recordedAt, by: 'rescue', sha256: record.sha256 },
      diff: expect.arrayContaining([`-    "port": ${main.base + 1000},`, `+    "port": ${main.base},`]),
      impacts: [expect.stringContaining(`the base port moves ${main.base + 1000} → ${main.base}`)],
      service: null,
      rolledBack: false,
      backupPath: null,
      restarted: null,
    });
    expect(asked.stdout).not.toContain(main.token);
    expect(await readFile(main.configPath, 'utf8')).toBe(bad);

    const applied = await runCli(['--profile', 'main', 'doctor', '--rollback', '--yes'], { env });
    expect(applied.code, applied.stderr).toBe(EXIT.ok);
    expect(applied.stdout).toContain('no service is installed: start the gateway with "epiloop --profile main start"');
    expect(await readFile(main.configPath, 'utf8')).toBe(good);
    // On itself, nothing goes to rescue-actions.log: no other profile acted.
    await expect(stat(path.join(home, '.epiloop-main', 'rescue-actions.log'))).rejects.toThrow();
  });

  it('says, after the diff, that a rollback to a bind other machines reach opens the gateway to them (and, back, that only this machine can)', async () => {
    const { home, env } = await tempHome();
    const main = await setupProfile(env, 'main');
    const file = path.join(home, '.epiloop-main', 'last-good.json');
    /** main's config with `bind` recorded as its last-known-good one, then its config now with `now`. */
    const recorded = async (bind: string, now: string | undefined) => {
      await editConfig(main, (c) => (c.gateway.bind = bind));
      const good = await readFile(main.configPath, 'utf8');
      await writeFile(file, JSON.stringify({ version: 1, sha256: createHash('sha256').update(good).digest('hex'), recordedAt: '2026-01-02T03:04:05.000Z', by: 'rescue', text: good }), { mode: 0o600 });
      await editConfig(main, (c) => (now === undefined ? delete c.gateway.bind : (c.gateway.bind = now)));
      return runCli(['--profile', 'main', 'doctor', '--rollback'], { env });
    };
    // The bind taken back to loopback since: the rollback opens it again.
    const opens = await recorded('lan', undefined);
    expect(opens.code).toBe(EXIT.usage);
    expect(opens.stdout).toMatch(/\+ {4}"bind": "lan",?\n[^]*\nWhat changes for clients:\n {2}! other machines can reach this gateway with gateway\.bind "lan": every port but \/health demands the token\n/);
    // Loopback to loopback is no change for clients.
    expect((await recorded('localhost', undefined)).stdout).not.toContain('machine');
    expect((await recorded('localhost', 'lan')).stdout).toContain('\nWhat changes for clients:\n  ! only this machine can reach this gateway with gateway.bind "localhost"\n');
    // Run from the rescue, "this gateway" would be the rescue's own: the words name main's (as the rescue's alert does), in --json too.
    await setupProfile(env, 'rescue');
    await recorded('lan', undefined);
    const targeted = await runCli(['--profile', 'rescue', 'doctor', '--target', 'main', '--rollback'], { env });
    expect(targeted.stdout).toContain('\nWhat changes for clients:\n  ! other machines can reach main\'s gateway with gateway.bind "lan": every port but /health demands the token\n');
    expect(targeted.stdout).not.toContain('this gateway');
    const json = JSON.parse((await runCli(['--profile', 'rescue', 'doctor', '--target', 'main', '--rollback', '--json'], { env })).stdout);
    expect(json.impacts).toEqual(['other machines can reach main\'s gateway with gateway.bind "lan": every port but /health demands the token']);
  });

  it('says in words, as doctor --fix does, that a rollback replaces the auth token and moves the base', async () => {
    const { home, env } = await tempHome();
    const main = await setupProfile(env, 'main');
    const good = await readFile(main.configPath, 'utf8');
    const record = { version: 1, sha256: createHash('sha256').update(good).digest('hex'), recordedAt: '2026-01-02T03:04:05.000Z', by: 'rescue', text: good };
    await writeFile(path.join(home, '.epiloop-main', 'last-good.json'), JSON.stringify(record), { mode: 0o600 });
    await editConfig(main, (c) => {
      c.gateway.auth.token = 'a-newer-token-0123456789abcdef';
      c.gateway.port = main.base + 1000;
    });
    const asked = await runCli(['--profile', 'main', 'doctor', '--rollback'], { env });
    expect(asked.code).toBe(EXIT.usage);
    expect(asked.stdout).toContain(
      `\nWhat changes for clients:\n  ! the auth token is replaced: clients using the old one will be refused\n  ! the base port moves ${main.base + 1000} → ${main.base}: clients must use the new one`,
    );
    const json = JSON.parse((await runCli(['--profile', 'main', 'doctor', '--rollback', '--json'], { env })).stdout);
    expect(json.impacts).toEqual([expect.stringContaining('the auth token is replaced'), expect.stringContaining('the base port moves')]);
  });
});
