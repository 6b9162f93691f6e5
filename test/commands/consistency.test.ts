/**
 * Every error reads alike: `epiloop: ` first, what was wrong, what is allowed, what to run.
 * One test per message a new user met without one of those.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { Terminal } from '../e2e/pty';

const SET_UP = 'Set one up with "epiloop setup" or "epiloop onboard".';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.kill();
});

async function setUp(env: Record<string, string>, profile: string): Promise<void> {
  const done = await runCli(['--profile', profile, 'setup', '--port', String(await freeBase())], { env });
  expect(done.code, done.stderr).toBe(0);
}

describe('messages on an empty host', () => {
  it('start|stop|restart --all: "epiloop: " first, and what to run', async () => {
    const { env } = await tempHome();
    for (const action of ['start', 'stop', 'restart']) {
      const result = await runCli([action, '--all'], { env });
      expect([result.code, result.stderr]).toEqual([1, `epiloop: No profile is set up on this host: nothing to ${action}. ${SET_UP}\n`]);
    }
  });

  it('logs --all names what to run', async () => {
    const { env } = await tempHome();
    const result = await runCli(['logs', '--all'], { env });
    expect([result.code, result.stderr]).toEqual([1, `epiloop: No profile is set up on this host: there is no log to show. ${SET_UP}\n`]);
  });
});

describe('start, stop, restart on a profile not set up', () => {
  it('say so plainly and what to run: no target line, no duration', async () => {
    const { env } = await tempHome();
    for (const action of ['start', 'stop', 'restart']) {
      const result = await runCli(['--profile', 'main', action], { env });
      expect([result.code, result.stdout, result.stderr], action).toEqual([
        1,
        '',
        'epiloop: profile "main" is not set up: no config at ~/.epiloop-main/epiloop.json. Run "epiloop --profile main setup" or "epiloop --profile main onboard" first.\n',
      ]);
    }
    // --json keeps its outcome (with its ms) for scripts.
    const json = JSON.parse((await runCli(['--profile', 'main', 'start', '--json'], { env })).stdout);
    expect(json.profiles[0].outcome).toMatchObject({ ok: false, state: 'failed' });
  });
});

describe('config get', () => {
  it('on a broken config names the fix (doctor --fix), as the other commands do', async () => {
    const { home, env } = await tempHome();
    await setUp(env, 'main');
    await writeFile(path.join(home, '.epiloop-main', 'epiloop.json'), '{ gateway: { port: 1 ', { mode: 0o600 });
    const result = await runCli(['--profile', 'main', 'config', 'get', 'gateway.port'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^epiloop: ~\/\.epiloop-main\/epiloop\.json:1:\d+: not valid JSON5/);
    expect(result.stderr).toContain('"epiloop --profile main doctor --fix"');
  });

  it('with no path says what it needs and shows an example, not a hint about "-" values', async () => {
    const { env } = await tempHome();
    const result = await runCli(['config', 'get'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('epiloop: "epiloop config get" needs <path>. Usage: epiloop config get <path>, for example: epiloop config get gateway.port\n');
    // The example names the profile the command was given, not another one.
    const named = await runCli(['--profile', 'main', 'config', 'get'], { env });
    expect(named.stderr).toBe('epiloop: "epiloop config get" needs <path>. Usage: epiloop config get <path>, for example: epiloop --profile main config get gateway.port\n');
    const fromEnv = await runCli(['config', 'get'], { env: { ...env, EPILOOP_PROFILE: 'lab' } });
    expect(fromEnv.stderr).toContain('for example: epiloop --profile lab config get gateway.port\n');
    // A value that starts with "-" (here one that is a flag too) taken for a flag: there the hint is the fix.
    const dashed = await runCli(['--profile', 'main', 'config', 'set', 'gateway.port', '--dry-run'], { env });
    expect(dashed.stderr).toContain('A value starting with "-" goes after "--"');
    // One that is no flag at all: the same hint, with the command that works.
    for (const value of ['-1', '-Infinity']) {
      const negative = await runCli(['--profile', 'main', 'config', 'set', 'gateway.port', value], { env });
      expect(negative.code).toBe(2);
      expect(negative.stderr).toContain(`A value starting with "-" goes after "--": epiloop --profile main config set gateway.port -- ${value}`);
    }
  });
});

describe('onboard --bind with an address', () => {
  it('names the command that sets one, for the profile it was given', async () => {
    const { env } = await tempHome();
    const result = await runCli(['--profile', 'rescue', 'onboard', '--bind', '127.0.0.1'], { env });
    expect([result.code, result.stderr]).toEqual([
      2,
      'epiloop: --bind is "127.0.0.1"; use --bind loopback or --bind lan. A specific address is set with "epiloop --profile rescue config set gateway.bind <address>".\n',
    ]);
  });
});

describe('watch test with no sinks', () => {
  it('"epiloop: " first; its JSON example on lines of its own, never reflowed (at 80 columns it pastes as valid JSON)', async () => {
    const { env } = await tempHome();
    await setUp(env, 'main');
    const piped = await runCli(['--profile', 'main', 'watch', 'test'], { env });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(/^epiloop: profile "main" has no alert sinks\./);
    const term = new Terminal(['--profile', 'main', 'watch', 'test'], { env, cols: 80 });
    terminals.push(term);
    expect(await term.exit()).toBe(2);
    const lines = term.raw.replace(/\r/g, '').split('\n');
    const from = lines.findIndex((l) => l.trimStart().startsWith('"alerts"'));
    const to = lines.findIndex((l, i) => i >= from && l.trimEnd().endsWith(']'));
    expect(from, term.raw).toBeGreaterThan(0);
    const example = lines.slice(from, to + 1).join('\n');
    expect(JSON.parse(`{${example}}`).alerts).toHaveLength(2);
    for (const l of lines) if (!lines.slice(from, to + 1).includes(l)) expect(l.length, l).toBeLessThanOrEqual(80);
  }, 30_000);
});
