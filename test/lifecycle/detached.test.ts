import { createHash } from 'node:crypto';
import { mkdir, readFile, readlink, realpath, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isRunning } from '../../src/host/gateway/proc';
import { isProcessAlive } from '../../src/host/store/lock';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { request, setupProfile } from '../gateway/gateways';

// Gateways started detached outlive the CLI that started them: every test stops what it started.
const started: { env: Record<string, string> }[] = [];
afterEach(async () => {
  while (started.length > 0) await runCli(['stop', '--all', '--wait', '3'], { env: started.pop()!.env, timeoutMs: 20_000 });
});

async function freshHome() {
  const made = await tempHome();
  started.push({ env: made.env });
  return made;
}

// A stopped detached gateway may stay a zombie until its new parent reaps it: that is gone too.
const alive = (pid: number) => isRunning(pid, isProcessAlive);

describe('start / stop / restart without a service manager (built CLI)', () => {
  it('start names its target first, runs the gateway detached and waits for /health; stop signals the pid in the lock', async () => {
    const { home, env } = await freshHome();
    const main = await setupProfile(env, 'main');
    const up = await runCli(['--profile', 'main', 'start'], { env, timeoutMs: 20_000 });
    expect(up.code, up.stderr).toBe(0);
    const [first, second] = up.stdout.split('\n');
    expect(first).toBe(`→ main · detached process (no service installed) · :${main.base} · ~/.epiloop-main`);
    expect(second).toMatch(new RegExp(`^  ✔ started in \\d+ ms: healthy at http://127\\.0\\.0\\.1:${main.base}/health \\(pid \\d+\\)$`));
    const health = JSON.parse((await request(main.base, '/health')).body);
    expect(health.profile).toBe('main');
    const lock = JSON.parse(await readFile(path.join(home, '.epiloop-main', 'gateway.lock'), 'utf8'));
    expect(lock.pid).toBe(health.pid);

    const again = await runCli(['--profile', 'main', 'start', '--json'], { env, timeoutMs: 20_000 });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      action: 'start',
      order: ['main'],
      profiles: [{ target: { label: 'main', runner: 'detached', service: null, base: main.base, url: `http://127.0.0.1:${main.base}` }, outcome: { ok: true, state: 'already running', pid: health.pid } }],
      ok: true,
    });
    // Nothing was done, so no duration: what runs, where, exit 0 as before.
    const noop = await runCli(['--profile', 'main', 'start'], { env, timeoutMs: 20_000 });
    expect(noop.code).toBe(0);
    expect(noop.stdout.split('\n')[1]).toBe(`  ✔ already running: pid ${health.pid}, healthy at http://127.0.0.1:${main.base}/health`);

    const down = await runCli(['--profile', 'main', 'stop'], { env, timeoutMs: 20_000 });
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(new RegExp(`^→ main · .*\\n  ✔ stopped in \\d+ ms: pid ${health.pid} exited\\n$`));
    expect(await alive(health.pid)).toBe(false);
    await expect(readFile(path.join(home, '.epiloop-main', 'gateway.lock'))).rejects.toThrow();

    const log = await runCli(['--profile', 'main', 'logs', '--json'], { env });
    const events = log.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    const messages = events.map((e) => `${e.source}: ${e.message}`);
    expect(messages.some((m) => /^cli: epiloop start: started the gateway as a detached process/.test(m))).toBe(true);
    expect(messages.some((m) => /^gateway: gateway of profile "main" ready/.test(m))).toBe(true);
    expect(messages.some((m) => /^cli: epiloop stop: sending SIGTERM/.test(m))).toBe(true);
    expect(messages.some((m) => /^gateway: SIGTERM received/.test(m))).toBe(true);
    expect(events.every((e) => e.profile === 'main' && typeof e.time === 'string')).toBe(true);

    const stopped = await runCli(['--profile', 'main', 'stop'], { env });
    expect(stopped.code).toBe(0);
    expect(stopped.stdout.split('\n')[1]).toBe('  ✔ not running: no gateway of this profile runs (no lock)');
  });

  it('a detached gateway runs in its state dir, not in the directory start was run from (which stays free to go)', async () => {
    const { home, env } = await freshHome();
    const main = await setupProfile(env, 'main');
    const work = path.join(home, 'project');
    await mkdir(work);
    const up = await runCli(['--profile', 'main', 'start'], { env, cwd: work, timeoutMs: 20_000 });
    expect(up.code, up.stderr).toBe(0);
    const pid = JSON.parse((await request(main.base, '/health')).body).pid as number;
    expect(await readlink(`/proc/${pid}/cwd`)).toBe(await realpath(path.join(home, '.epiloop-main')));
  });

  it('restart replaces the process and waits for the new one; a failed start quotes why the gateway refused and exits 1', async () => {
    const { env } = await freshHome();
    const main = await setupProfile(env, 'main');
    expect((await runCli(['--profile', 'main', 'start'], { env, timeoutMs: 20_000 })).code).toBe(0);
    const before = JSON.parse((await request(main.base, '/health')).body).pid;
    const restarted = await runCli(['--profile', 'main', 'restart'], { env, timeoutMs: 20_000 });
    expect(restarted.code, restarted.stdout).toBe(0);
    const after = JSON.parse((await request(main.base, '/health')).body).pid;
    expect(after).not.toBe(before);
    expect(restarted.stdout).toContain(`✔ restarted in`);
    expect(restarted.stdout).toContain(`(pid ${after})`);
    expect((await runCli(['--profile', 'main', 'stop'], { env, timeoutMs: 20_000 })).code).toBe(0);

    // Something else listens on main's base: the gateway refuses, and start says so.
    const squatter = net.createServer().listen(main.base, '127.0.0.1');
    await new Promise((resolve) => squatter.once('listening', resolve));
    try {
      const refused = await runCli(['--profile', 'main', 'start', '--wait', '5'], { env, timeoutMs: 20_000 });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/✘ failed in \d+ ms: the gateway exited \(1\) before it was healthy: .*already in use/s);
      expect(refused.stdout).toContain('~/.epiloop-main/gateway.err');
    } finally {
      squatter.close();
    }
  });

  it('restart and start check the config first, as the gateway does: a config without a token leaves the running gateway running (start: already running, a restart refused)', async () => {
    const { home, env } = await freshHome();
    const main = await setupProfile(env, 'main');
    expect((await runCli(['--profile', 'main', 'start'], { env, timeoutMs: 20_000 })).code).toBe(0);
    const before = JSON.parse((await request(main.base, '/health')).body).pid;
    const file = path.join(home, '.epiloop-main', 'epiloop.json');
    const good = await readFile(file, 'utf8');
    const config = JSON.parse(good);
    delete config.gateway.auth.token;
    await writeFile(file, JSON.stringify(config));
    const refusedFirst = await runCli(['--profile', 'main', 'restart'], { env, timeoutMs: 20_000 });
    expect(refusedFirst.stdout).not.toContain('--rollback');
    // A watching rescue recorded the config main last ran healthy on: the refusal offers it.
    const record = { version: 1, sha256: createHash('sha256').update(good).digest('hex'), recordedAt: '2026-01-02T03:04:05.000Z', by: 'rescue', text: good };
    await writeFile(path.join(home, '.epiloop-main', 'last-good.json'), JSON.stringify(record), { mode: 0o600 });
    // A restart is refused; a start finds the gateway already running, and says the refusal a restart would meet.
    for (const action of ['restart', 'start']) {
      const said = await runCli(['--profile', 'main', action], { env, timeoutMs: 20_000 });
      expect(said.code, said.stdout).toBe(action === 'restart' ? 1 : 0);
      expect(said.stdout).toMatch(action === 'restart' ? /✘ refused: .*has no gateway\.auth\.token/s : new RegExp(`✔ already running: pid ${before}, .*A restart would be refused:.*has no gateway\\.auth\\.token`, 's'));
      expect(said.stdout).toContain(action === 'restart' ? `the gateway (pid ${before}) keeps running` : 'it keeps running on the config it started with');
      expect(said.stdout).toContain('Fix it with "epiloop --profile main doctor --fix"');
      expect(said.stdout).toContain('or go back to the config it last ran healthy on with "epiloop --profile main doctor --rollback"');
      expect(said.stdout).not.toContain('exited');
      expect(await alive(before)).toBe(true);
      expect(JSON.parse((await request(main.base, '/health')).body).pid).toBe(before);
    }
  });

  it('a start or restart refused on a broken config offers doctor --rollback when a last-known-good config is recorded, and the rollback leads to a start', async () => {
    const { home, env } = await freshHome();
    const main = await setupProfile(env, 'main');
    const file = path.join(home, '.epiloop-main', 'epiloop.json');
    const good = await readFile(file, 'utf8');
    const config = JSON.parse(good);
    config.gateway.port = 99999;
    await writeFile(file, JSON.stringify(config));
    const without = await runCli(['--profile', 'main', 'start'], { env, timeoutMs: 20_000 });
    expect(without.code, without.stdout).toBe(1);
    expect(without.stdout).toContain('Repair it with "epiloop --profile main doctor --fix" or "epiloop --profile main onboard".');
    expect(without.stdout).not.toContain('--rollback');
    const record = { version: 1, sha256: createHash('sha256').update(good).digest('hex'), recordedAt: '2026-01-02T03:04:05.000Z', by: 'rescue', text: good };
    await writeFile(path.join(home, '.epiloop-main', 'last-good.json'), JSON.stringify(record), { mode: 0o600 });
    // status says the same repair, the way back with it.
    expect((await runCli(['--profile', 'main', 'status'], { env })).stdout).toContain('or "epiloop --profile main onboard", or go back to the config it last ran healthy on with "epiloop --profile main doctor --rollback".');
    for (const action of ['start', 'restart']) {
      const refused = await runCli(['--profile', 'main', action], { env, timeoutMs: 20_000 });
      expect(refused.code, refused.stdout).toBe(1);
      expect(refused.stdout).toContain('gateway.port');
      expect(refused.stdout).toContain('Repair it with "epiloop --profile main doctor --fix" or "epiloop --profile main onboard", or go back to the config it last ran healthy on with "epiloop --profile main doctor --rollback".');
    }
    const rolledBack = await runCli(['--profile', 'main', 'doctor', '--rollback', '--yes'], { env, timeoutMs: 20_000 });
    expect(rolledBack.code, rolledBack.stdout + rolledBack.stderr).toBe(0);
    expect((await runCli(['--profile', 'main', 'start'], { env, timeoutMs: 20_000 })).code).toBe(0);
    expect(JSON.parse((await request(main.base, '/health')).body).profile).toBe('main');
  });

  it('restart (and top\'s r, the same act) checks gateway.bind first, as the gateway does: a bind that is no address of this host leaves the running gateway running', async () => {
    const { home, env } = await freshHome();
    const main = await setupProfile(env, 'main');
    expect((await runCli(['--profile', 'main', 'start'], { env, timeoutMs: 20_000 })).code).toBe(0);
    const before = JSON.parse((await request(main.base, '/health')).body).pid;
    // The tests run in a network namespace of their own: only loopback is up, 10.9.9.9 is no address here.
    const set = await runCli(['--profile', 'main', 'config', 'set', 'gateway.bind', '10.9.9.9'], { env });
    expect(set.code, set.stderr).toBe(0);
    const refused = await runCli(['--profile', 'main', 'restart'], { env, timeoutMs: 20_000 });
    expect(refused.code, refused.stdout).toBe(1);
    // Refused before anything was stopped: a refusal, not a failure, and no duration.
    expect(refused.stdout).toMatch(/^  ✘ refused: /m);
    expect(refused.stdout).not.toMatch(/failed|left running/);
    expect(refused.stdout).toContain('gateway.bind is "10.9.9.9", not an address of this host');
    // The fix the gateway's own refusal names.
    expect(refused.stdout).toMatch(/Fix: set gateway\.bind to an address of this host \("loopback",? (or )?"lan"[^)]*\): epiloop --profile main config set gateway\.bind loopback/);
    expect(refused.stdout).toContain(`the gateway (pid ${before}) keeps running`);
    expect(refused.stdout).not.toContain('exited');
    expect(await alive(before)).toBe(true);
    expect(JSON.parse((await request(main.base, '/health')).body).pid).toBe(before);
    // --json names the URL that serves: the running gateway's, not the bind it was refused on.
    const json = await runCli(['--profile', 'main', 'restart', '--json'], { env, timeoutMs: 20_000 });
    expect(json.code).toBe(1);
    const [entry] = JSON.parse(json.stdout).profiles;
    // --json (stable) keeps its states: a refusal is still "failed" there, with no other key.
    expect(entry.outcome).toMatchObject({ ok: false, state: 'failed' });
    expect(Object.keys(entry.outcome).sort()).toEqual(['detail', 'ms', 'ok', 'pid', 'state']);
    expect(entry.target.url).toBe(`http://127.0.0.1:${main.base}`);
    // top's r: the same act, on the profile as top resolves it.
    const { hostTopIO } = await import('../../src/ui/top/io');
    const io = hostTopIO({ home, env });
    await io.read();
    const topR = await io.act('restart', 'main');
    expect(topR).toMatchObject({ ok: false, state: 'failed', refused: true });
    expect(topR.detail).toContain('not an address of this host');
    expect(JSON.parse((await request(main.base, '/health')).body).pid).toBe(before);
    // With nothing running, no URL serves.
    expect((await runCli(['--profile', 'main', 'stop'], { env, timeoutMs: 20_000 })).code).toBe(0);
    const stopped = JSON.parse((await runCli(['--profile', 'main', 'start', '--json'], { env, timeoutMs: 20_000 })).stdout).profiles[0];
    expect(stopped.outcome.detail).toContain('nothing was started');
    expect(stopped.target.url).toBeNull();
  });

  it('restart checks a cdpUrl on another profile\'s ports first, as the gateway does: it left main stopped and the new one refusing to start', async () => {
    const { home, env } = await freshHome();
    const main = await setupProfile(env, 'main');
    const rescue = await setupProfile(env, 'rescue');
    expect((await runCli(['--profile', 'main', 'start'], { env, timeoutMs: 20_000 })).code).toBe(0);
    const before = JSON.parse((await request(main.base, '/health')).body).pid;
    const file = path.join(home, '.epiloop-main', 'epiloop.json');
    const config = JSON.parse(await readFile(file, 'utf8'));
    config.browser = { cdpUrl: `http://127.0.0.1:${rescue.base}` };
    await writeFile(file, JSON.stringify(config));
    const refused = await runCli(['--profile', 'main', 'restart'], { env, timeoutMs: 20_000 });
    expect(refused.code, refused.stdout).toBe(1);
    expect(refused.stdout).toContain(`port ${rescue.base} is inside rescue's gateway`);
    expect(refused.stdout).toContain(`the gateway (pid ${before}) keeps running`);
    expect(refused.stdout).not.toContain('exited');
    expect(await alive(before)).toBe(true);
    expect(JSON.parse((await request(main.base, '/health')).body).pid).toBe(before);
  });

  it('a failed start quotes the gateway\'s refusal as one sentence: no ".." where its own full stop meets the outcome\'s', async () => {
    const { env } = await freshHome();
    const lab = await setupProfile(env, 'lab');
    // Another process listens on lab's base: only the gateway, binding it, meets that (start leaves it to the gateway).
    const squatter = net.createServer().listen(lab.base, '127.0.0.1');
    await new Promise((resolve) => squatter.once('listening', resolve));
    try {
      const failed = await runCli(['--profile', 'lab', 'start', '--wait', '5'], { env, timeoutMs: 20_000 });
      expect(failed.code, failed.stdout).toBe(1);
      expect(failed.stdout).toMatch(/the gateway exited \(1\) before it was healthy: .*Nothing was bound/s);
      expect(failed.stdout).not.toMatch(/\.\. Its stderr/);
      expect(failed.stdout).toMatch(/[^.]\. Its stderr is in ~\/\.epiloop-lab\/gateway\.err/);
    } finally {
      squatter.close();
    }
  });

  it('doctor --fix that writes a new token under a running gateway says last that it still uses the old one, naming the restart', async () => {
    const { home, env } = await freshHome();
    const main = await setupProfile(env, 'main');
    expect((await runCli(['--profile', 'main', 'start'], { env, timeoutMs: 20_000 })).code).toBe(0);
    const pid = JSON.parse((await request(main.base, '/health')).body).pid;
    const file = path.join(home, '.epiloop-main', 'epiloop.json');
    const config = JSON.parse(await readFile(file, 'utf8'));
    delete config.gateway.auth.token;
    await writeFile(file, JSON.stringify(config));
    const fixed = await runCli(['--profile', 'main', 'doctor', '--fix', '--yes'], { env, timeoutMs: 20_000 });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    const lines = fixed.stdout.trimEnd().split('\n');
    expect(lines.at(-2)).toBe('✔ Checked again: healthy.');
    expect(lines.at(-1)).toBe(`! The running gateway (pid ${pid}) still uses its old auth token: restart it with "epiloop --profile main restart".`);
    // The restart that line names now starts (the config passes the gateway's checks).
    expect((await runCli(['--profile', 'main', 'restart'], { env, timeoutMs: 20_000 })).code).toBe(0);
    const again = await runCli(['--profile', 'main', 'doctor', '--fix', '--yes'], { env, timeoutMs: 20_000 });
    expect(again.stdout).not.toContain('still uses');
  });

  it('--all starts watching profiles first, reports each outcome, and exits 1 when one fails; stop --all stops the watcher last', async () => {
    const { home, env } = await freshHome();
    await setupProfile(env, 'main');
    const rescue = await setupProfile(env, 'rescue');
    expect((await runCli(['--profile', 'rescue', 'config', 'set', 'watch.profiles', '["main"]'], { env })).code).toBe(0);
    await setupProfile(env, 'lab');
    await writeFile(path.join(home, '.epiloop-lab', 'epiloop.json'), '{ gateway: { port: ');

    const all = await runCli(['start', '--all'], { env, timeoutMs: 40_000 });
    expect(all.code).toBe(1);
    const lines = all.stdout.split('\n');
    expect(lines[0]).toBe('start 3 profiles in this order (profiles that watch others first): rescue, lab, main');
    expect(lines[1]).toBe(`→ rescue · detached process (no service installed) · :${rescue.base} · ~/.epiloop-rescue`);
    expect(lines[2]).toMatch(/^  ✔ started in \d+ ms/);
    expect(lines[3]).toMatch(/^→ lab · detached process \(no service installed\) · port unknown \(the config is broken\) · ~\/\.epiloop-lab$/);
    expect(lines[4]).toMatch(/^  ✘ refused: .*epiloop\.json/);
    expect(all.stdout).toMatch(/→ main · [^\n]+\n  ✔ started in/);
    expect(all.stdout).toContain('1 of 3 refused: lab.');

    const json = await runCli(['stop', '--all', '--json'], { env, timeoutMs: 40_000 });
    expect(json.code, json.stdout).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.order).toEqual(['main', 'lab', 'rescue']);
    expect(report.profiles.map((p: { outcome: { state: string } }) => p.outcome.state)).toEqual(['stopped', 'not running', 'stopped']);
  });

  it('the watcher\'s state changes are events in the watching profile\'s log: main stopped is a warn in rescue\'s', async () => {
    const { env } = await freshHome();
    await setupProfile(env, 'main');
    await setupProfile(env, 'rescue');
    expect((await runCli(['--profile', 'rescue', 'config', 'set', 'watch', '{ profiles: ["main"], intervalMs: 200 }'], { env })).code).toBe(0);
    expect((await runCli(['start', '--all'], { env, timeoutMs: 40_000 })).code).toBe(0);
    expect((await runCli(['--profile', 'main', 'stop'], { env, timeoutMs: 20_000 })).code).toBe(0);
    let events: { level: string; message: string; profile: string }[] = [];
    for (let i = 0; i < 50 && !events.some((e) => e.level === 'warn' && e.message.startsWith('watch: main is down')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      events = (await runCli(['--profile', 'rescue', 'logs', '--json', '--since', '1h'], { env })).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    }
    expect(events.find((e) => e.message.startsWith('watch: main is down'))).toMatchObject({ level: 'warn', profile: 'rescue' });
    expect(events.find((e) => e.message.startsWith('watch: main is up'))).toMatchObject({ level: 'info' });
    const merged = await runCli(['logs', '--all', '-n', '200'], { env });
    expect(merged.stdout).toMatch(/^main   │ \S+Z info  cli: epiloop stop: sending SIGTERM/m);
    expect(merged.stdout).toMatch(/^rescue │ \S+Z warn  watch: main is down/m);
  });

  it('usage errors exit 2: --all beside --profile, a bad --wait, a bad --since', async () => {
    const { env } = await freshHome();
    await setupProfile(env, 'main');
    const both = await runCli(['--profile', 'main', 'stop', '--all'], { env });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--all acts on every profile and --profile names one');
    expect((await runCli(['--profile', 'main', 'start', '--wait', '-1'], { env })).code).toBe(2);
    const since = await runCli(['--profile', 'main', 'logs', '--since', 'yesterday'], { env });
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since takes a duration');
  });
});
