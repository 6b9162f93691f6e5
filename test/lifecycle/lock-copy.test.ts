/**
 * A gateway.lock copied from another profile (`cp -a ~/.epiloop-main ~/.epiloop-lab` while main
 * runs) names a live pid that is that profile's gateway, not this one's: no command takes it for
 * this profile's gateway (hostile pass, lock 1: `stop` of the copy's profile killed main's gateway).
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isRunning } from '../../src/host/gateway/proc';
import { isProcessAlive } from '../../src/host/store/lock';
import { checkProfile } from '../../src/host/watch/check';
import { classify } from '../../src/core/watch/state';
import { pathsOfProfile } from '../../src/core/watch/targets';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { request, setupProfile } from '../gateway/gateways';

const started: { env: Record<string, string> }[] = [];
afterEach(async () => {
  while (started.length > 0) await runCli(['stop', '--all', '--wait', '3'], { env: started.pop()!.env, timeoutMs: 20_000 });
});

const alive = (pid: number) => isRunning(pid, isProcessAlive);

/** p16 runs (detached, as `start` runs it), p11 is set up and stopped, and p11's state dir holds a copy of p16's lock. */
async function copiedLock(options: { legacy?: boolean } = {}) {
  const made = await tempHome();
  started.push({ env: made.env });
  const { home, env } = made;
  const p16 = await setupProfile(env, 'p16');
  const p11 = await setupProfile(env, 'p11');
  const up = await runCli(['--profile', 'p16', 'start'], { env, timeoutMs: 20_000 });
  expect(up.code, up.stdout).toBe(0);
  const pid = JSON.parse((await request(p16.base, '/health')).body).pid as number;
  const lock = path.join(home, '.epiloop-p11', 'gateway.lock');
  await copyFile(path.join(home, '.epiloop-p16', 'gateway.lock'), lock);
  if (options.legacy === true) {
    // A lock an older epiloop wrote names no profile: the pid's /health tells whose it is.
    const { profile: _, ...rest } = JSON.parse(await readFile(lock, 'utf8'));
    await writeFile(lock, JSON.stringify(rest));
  }
  return { home, env, p16, p11, pid };
}

const COPY = (pid: number) => `its gateway.lock is a copy of p16's (pid ${pid})`;

describe("a gateway.lock copied from another profile's state dir", () => {
  it("stop and restart never signal the other profile's gateway: they say whose it is and how to remove the copy", { timeout: 60_000 }, async () => {
    const { env, p11, pid } = await copiedLock();
    const stopped = await runCli(['--profile', 'p11', 'stop'], { env, timeoutMs: 20_000 });
    expect(stopped.code, stopped.stdout).toBe(0);
    expect(stopped.stdout.split('\n')[1]).toBe(
      `  ✔ not running: no gateway of this profile runs; ${COPY(pid)}: remove the stray copy (rm ~/.epiloop-p11/gateway.lock); p16's gateway was left running`,
    );
    expect(await alive(pid)).toBe(true);

    const restarted = await runCli(['--profile', 'p11', 'restart', '--json'], { env, timeoutMs: 20_000 });
    expect(restarted.code, restarted.stdout).toBe(0);
    const outcome = JSON.parse(restarted.stdout).profiles[0].outcome;
    expect(outcome).toMatchObject({ ok: true, state: 'restarted' });
    expect(outcome.pid).not.toBe(pid);
    expect(await alive(pid)).toBe(true);
    expect(JSON.parse((await request(p11.base, '/health')).body)).toMatchObject({ profile: 'p11', pid: outcome.pid });
  });

  it('start takes the copy over as a stale lock, never "already running"', { timeout: 60_000 }, async () => {
    const { home, env, p11, pid } = await copiedLock();
    const up = await runCli(['--profile', 'p11', 'start', '--json'], { env, timeoutMs: 20_000 });
    expect(up.code, up.stdout).toBe(0);
    const outcome = JSON.parse(up.stdout).profiles[0].outcome;
    expect(outcome).toMatchObject({ ok: true, state: 'started' });
    expect(outcome.pid).not.toBe(pid);
    expect(await alive(pid)).toBe(true);
    expect(JSON.parse((await request(p11.base, '/health')).body).profile).toBe('p11');
    expect(JSON.parse(await readFile(path.join(home, '.epiloop-p11', 'gateway.lock'), 'utf8'))).toMatchObject({ pid: outcome.pid, profile: 'p11' });
  });

  it('status, list, doctor and the watch say "not running; its gateway.lock is a copy …", never a port mismatch with a port fix', { timeout: 60_000 }, async () => {
    const { home, env, pid } = await copiedLock();
    const status = await runCli(['--profile', 'p11', 'status'], { env });
    expect(status.stdout).toContain(`gateway    not running; ${COPY(pid)}`);
    expect(status.stdout).not.toMatch(/serves|setup --port/);
    const json = JSON.parse((await runCli(['--profile', 'p11', 'status', '--json'], { env })).stdout);
    expect(json.mismatch).toBeNull();
    expect(json.gateway).toMatchObject({ running: false, pid: null, lock: 'copy' });
    expect(json.problems).toContainEqual(expect.stringContaining(`The gateway is not running; ${COPY(pid)}: remove the stray copy (rm ~/.epiloop-p11/gateway.lock)`));

    const list = await runCli(['list', '--json'], { env });
    const rows = JSON.parse(list.stdout).profiles as { label: string; state: string; gateway: { detail: string | null }; mismatch: unknown }[];
    expect(rows.map((r) => [r.label, r.state, r.mismatch])).toEqual([
      ['p11', 'down', null],
      ['p16', 'up', null],
    ]);
    expect(rows[0]!.gateway.detail).toContain(COPY(pid));
    expect((await runCli(['list'], { env })).stdout).toMatch(/^p11 .* down · stray lock /m);

    const doctor = await runCli(['--profile', 'p11', 'doctor', '--json'], { env });
    const findings = JSON.parse(doctor.stdout).findings as { kind: string; summary: string; fix: string }[];
    expect(findings.map((f) => f.kind)).not.toContain('gateway-mismatch');
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'gateway-lock', summary: `no gateway of this profile runs: ${COPY(pid)}`, fix: 'by hand: rm ~/.epiloop-p11/gateway.lock' }));

    const facts = await checkProfile(pathsOfProfile('p11', home), { home, env: { PATH: process.env.PATH } });
    expect(facts.mismatch).toBeUndefined();
    expect(classify(facts)).toMatchObject({ state: 'down', finding: expect.stringContaining(`not running; ${COPY(pid)}`) });
    expect(await alive(pid)).toBe(true);
  });

  it("a lock an older epiloop wrote (no profile in it) is judged by its pid's /health: stop refuses, status and the watch say whose it is", { timeout: 60_000 }, async () => {
    const { home, env, pid } = await copiedLock({ legacy: true });
    const facts = await checkProfile(pathsOfProfile('p11', home), { home, env: { PATH: process.env.PATH } });
    expect(facts.mismatch).toBeUndefined();
    expect(classify(facts).finding).toContain(`not running; ${COPY(pid)}`);
    const stopped = await runCli(['--profile', 'p11', 'stop'], { env, timeoutMs: 20_000 });
    expect(stopped.code, stopped.stdout).toBe(0);
    expect(stopped.stdout).toContain(`${COPY(pid)}: remove the stray copy (rm ~/.epiloop-p11/gateway.lock); p16's gateway was left running`);
    expect(await alive(pid)).toBe(true);
    const status = await runCli(['--profile', 'p11', 'status'], { env });
    expect(status.stdout).toContain(`gateway    not running; ${COPY(pid)}`);
    expect(status.stdout).not.toMatch(/setup --port/);
  });
});
