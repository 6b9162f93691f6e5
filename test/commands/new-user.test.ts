/**
 * What a new user met in a first session (the new-user pass of this round), through the built
 * CLI: advice that leads somewhere, words that agree with what is listed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { sha256Of } from '../../src/host/watch/last-good';
import { renderLastGood } from '../../src/core/watch/last-good';

async function setup(env: Record<string, string>, name: string): Promise<string> {
  const ran = await runCli(['--profile', name, 'setup', '--port', String(await freeBase())], { env });
  expect(ran.code, ran.stderr).toBe(0);
  return path.join(env.HOME!, `.epiloop-${name}`, 'epiloop.json');
}

describe('a host with main and rescue, and no default profile', () => {
  it('status and doctor without --profile name the profiles there are, so doctor --fix is not read as the way in', async () => {
    const { env } = await tempHome();
    await setup(env, 'main');
    await setup(env, 'rescue');
    const status = await runCli(['status'], { env });
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('profile "default" is not set up');
    // One problem, its hint under it: the hint is no second problem.
    expect(status.stdout).toContain('✖ 1 problem:');
    expect(status.stdout).toContain('This host has profiles main, rescue: name one with --profile, e.g. "epiloop --profile main status".');
    const doctor = await runCli(['doctor'], { env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('This host has profiles main, rescue: name one with --profile, e.g. "epiloop --profile main doctor".');
  });

  it('config, logs, start, restart and gateway install without --profile say the same, each with its own command to run', async () => {
    const { env } = await tempHome();
    await setup(env, 'main');
    await setup(env, 'rescue');
    const hint = (command: string) => `This host has profiles main, rescue: name one with --profile, e.g. "epiloop --profile main ${command}".`;
    const runs: [string[], number, string][] = [
      [['config', 'get', 'gateway.port'], 1, 'config get gateway.port'],
      [['config', 'validate'], 1, 'config validate'],
      [['config', 'set', 'gateway.bind', 'lan'], 1, 'config set gateway.bind lan'],
      [['config', 'set', 'watch.profiles', '["main"]'], 1, `config set watch.profiles '["main"]'`],
      [['config', 'unset', 'gateway.bind'], 1, 'config unset gateway.bind'],
      [['logs'], 1, 'logs'],
      // -f said so, then followed a log that no profile writes, until Ctrl-C.
      [['logs', '-f'], 1, 'logs'],
      [['start', '--wait', '1'], 1, 'start'],
      [['restart', '--wait', '1'], 1, 'restart'],
      [['gateway', 'install', '--dry-run'], 1, 'gateway install'],
      // "stop" of nothing was "✔ not running", exit 0, while main ran on.
      [['stop'], 1, 'stop'],
      [['gateway'], 2, 'gateway'],
      // Exited 2 (a usage error) where config get, config set and status exit 1 for the same thing.
      [['watch', 'test'], 1, 'watch test'],
      [['browser', 'status'], 1, 'browser status'],
    ];
    for (const [args, code, command] of runs) {
      const ran = await runCli(args, { env });
      const said = ran.stdout + ran.stderr;
      expect([args.join(' '), ran.code], said).toEqual([args.join(' '), code]);
      expect(said, args.join(' ')).toContain('profile "default" is not set up: no config at ~/.epiloop/epiloop.json');
      expect(said, args.join(' ')).toContain(hint(command));
      // An error on stderr reads as every command's does: "epiloop: …".
      if (ran.stderr !== '') expect(ran.stderr, args.join(' ')).toMatch(/^epiloop: profile "default" is not set up/);
      // Nothing was tried: no target line, no outcome with a duration, the hint on a line of its own.
      if (args[0] === 'start' || args[0] === 'restart') expect([ran.stdout, said]).toEqual(['', expect.stringContaining(`\n${hint(command)}`)]);
    }
    // Nothing was made for the default profile on the way: no config, and no log of these runs
    // (which would turn the next "epiloop logs" into a log of a profile that does not exist).
    await expect(readFile(path.join(env.HOME!, '.epiloop', 'epiloop.json'))).rejects.toThrow();
    await expect(readFile(path.join(env.HOME!, '.epiloop', 'gateway.log'))).rejects.toThrow();
    const logs = await runCli(['logs'], { env });
    expect([logs.code, logs.stderr]).toEqual([1, expect.stringContaining(hint('logs'))]);
  });

  it('logs on a host with no profile at all is an error, exit 1 at once as start --all is, with -f or without', async () => {
    const { env } = await tempHome();
    for (const args of [['logs', '--all'], ['logs', '-f', '--all'], ['logs', '-f'], ['logs']]) {
      const ran = await runCli(args, { env, timeoutMs: 5000 });
      expect([args.join(' '), ran.code, ran.stdout], ran.stderr).toEqual([args.join(' '), 1, '']);
      expect(ran.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(ran.stderr).toMatch(/^epiloop: (No profile is set up on this host|profile "default" is not set up)/);
    }
    expect((await runCli(['start', '--all'], { env })).code).toBe(1);
  });

  it('a host with no profile at all gets no such line', async () => {
    const { env } = await tempHome();
    const status = await runCli(['status'], { env });
    expect(status.stdout).not.toContain('This host has');
  });
});

describe('a config the gateway refuses (its token deleted)', () => {
  /** A host whose profile main was set up, then had its token deleted. */
  async function tokenless(): Promise<Record<string, string>> {
    const { env } = await tempHome();
    const file = await setup(env, 'main');
    const config = JSON.parse(await readFile(file, 'utf8'));
    delete config.gateway.auth;
    await writeFile(file, JSON.stringify(config), { mode: 0o600 });
    return env;
  }

  it('status does not call the config ok, puts the refusal first with its fix, and does not advise a start that would fail', async () => {
    const env = await tokenless();
    const status = await runCli(['--profile', 'main', 'status'], { env });
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/config\s+~\/\.epiloop-main\/epiloop\.json\s+needs a fix/);
    expect(status.stdout).toContain('The gateway refuses to start with this config. Fix it with "epiloop --profile main doctor --fix".');
    expect(status.stdout).not.toContain('Start it');
  });

  it('config set says the gateway can start once the config is repaired, not that it uses the new value when it starts', async () => {
    const env = await tokenless();
    const ran = await runCli(['--profile', 'main', 'config', 'set', 'gateway.bind', 'loopback'], { env });
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain('The gateway is not running: it can start once the config is repaired.');
    expect(ran.stdout).not.toContain('new value when it starts');
  });

  it('browser status says what status says: the refusal with its fix, and that the gateway can start once the config is repaired', async () => {
    const env = await tokenless();
    const refusal = 'Profile "main" has no gateway.auth.token, so nothing could authenticate to it.\nThe gateway refuses to start with this config. Fix it with "epiloop --profile main doctor --fix".';
    const notRunning = 'The gateway of profile "main" is not running, so its browser control is not either. It can start once the config is repaired.';
    const json = await runCli(['--profile', 'main', 'browser', 'status', '--json'], { env });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).problems).toEqual([refusal, notRunning]);
    const text = await runCli(['--profile', 'main', 'browser', 'status'], { env });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(notRunning);
    expect(text.stdout).toContain('Fix it with "epiloop --profile main doctor --fix".');
    expect(text.stdout).not.toMatch(/start it/i);
  });
});

describe('a gateway.bind that is no address of this host (the tests\' network has loopback only)', () => {
  it('status, config set and browser status say what start does: it is refused, it can start once the config is repaired, and how', async () => {
    const { env } = await tempHome();
    await setup(env, 'main');
    const set = await runCli(['--profile', 'main', 'config', 'set', 'gateway.bind', '10.9.9.9'], { env });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('The gateway is not running: it can start once gateway.bind is an address of this host.');
    const status = await runCli(['--profile', 'main', 'status'], { env });
    const start = await runCli(['--profile', 'main', 'start', '--wait', '5'], { env, timeoutMs: 20_000 });
    // Held against each other: status advises a start exactly when the start succeeds.
    expect([status.stdout.includes('Start it'), start.code]).toEqual([false, 1]);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/config\s+~\/\.epiloop-main\/epiloop\.json\s+needs a fix/);
    expect(status.stdout).toContain('gateway.bind is "10.9.9.9", not an address of this host.');
    // The host's own addresses are listed beside "loopback" and "lan" (CI's network has more than loopback).
    expect(status.stdout).toMatch(/Fix: set gateway\.bind to an address of this host \("loopback",? (?:or )?"lan"(?:, or one of: [^)]*)?\): epiloop --profile main config set gateway\.bind loopback\./);
    expect(status.stdout).toContain('The gateway is not running. It can start once the config is repaired.');
    expect(start.stdout).toContain('gateway.bind is "10.9.9.9", not an address of this host.');
    const browser = await runCli(['--profile', 'main', 'browser', 'status'], { env });
    expect(browser.code).toBe(1);
    expect(browser.stdout).toContain('It can start once the config is repaired');
    expect(browser.stdout).not.toContain('Start it');
    // Repaired, the same commands advise the start, and it succeeds.
    expect((await runCli(['--profile', 'main', 'config', 'set', 'gateway.bind', 'loopback'], { env })).code).toBe(0);
    const fixed = await runCli(['--profile', 'main', 'status'], { env });
    expect(fixed.stdout).toContain('Start it');
    expect(fixed.stdout).not.toContain('not an address of this host');
    const started = await runCli(['--profile', 'main', 'start'], { env, timeoutMs: 20_000 });
    try {
      expect(started.code, started.stdout).toBe(0);
    } finally {
      await runCli(['--profile', 'main', 'stop'], { env, timeoutMs: 20_000 });
    }
  });
});

describe('browser status on a refused or broken config, with a last-known-good config recorded', () => {
  it('offers doctor --rollback as status and start do', async () => {
    const { env } = await tempHome();
    const file = await setup(env, 'main');
    const good = await readFile(file, 'utf8');
    const record = { version: 1 as const, sha256: sha256Of(good), recordedAt: new Date().toISOString(), by: 'rescue', text: good };
    await writeFile(path.join(path.dirname(file), 'last-good.json'), renderLastGood(record), { mode: 0o600 });
    const offer = 'or go back to the config it last ran healthy on with "epiloop --profile main doctor --rollback".';
    const refused = JSON.parse(good);
    refused.gateway.bind = '10.9.9.9';
    const broken = JSON.parse(good);
    broken.gateway.port = 99999;
    for (const config of [refused, broken]) {
      await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
      expect((await runCli(['--profile', 'main', 'status'], { env })).stdout).toContain(offer);
      const browser = await runCli(['--profile', 'main', 'browser', 'status'], { env });
      expect(browser.code).toBe(1);
      expect(browser.stdout + browser.stderr).toContain(offer);
      const json = await runCli(['--profile', 'main', 'browser', 'status', '--json'], { env });
      expect(JSON.parse(json.stdout).problems.join('\n')).toContain(offer);
    }
  });
});

describe('a config whose gateway.bind names one address, which this host does not have (the test namespace has loopback only)', () => {
  it('onboard --non-interactive --yes replaces it with loopback, the default the wizard preselects: the diff shows the address going, and the start is offered', async () => {
    const { env } = await tempHome();
    const file = await setup(env, 'main');
    for (const bind of ['10.9.9.9', '10.1.2.3']) {
      const config = JSON.parse(await readFile(file, 'utf8'));
      config.gateway.bind = bind;
      await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
      const ran = await runCli(['--profile', 'main', 'onboard', '--non-interactive', '--yes', '--no-install-service'], { env });
      expect(ran.code, ran.stdout + ran.stderr).toBe(0);
      expect(ran.stdout).not.toContain('0.0.0.0');
      expect(ran.stdout).not.toContain('can reach');
      expect(ran.stdout).toContain(`-    "bind": "${bind}"`);
      expect(ran.stdout).toContain('network  this machine only (127.0.0.1)');
      expect(ran.stdout).not.toContain('not an address of this host');
      expect(ran.stdout).toMatch(/epiloop --profile main start +start the gateway/);
      expect(JSON.parse(await readFile(file, 'utf8')).gateway.bind).toBeUndefined();
    }
  });
});

describe('doctor --target P --rollback', () => {
  it('names P\'s gateway in what changes for clients, not "this gateway" (the one of the profile it runs from)', async () => {
    const { env } = await tempHome();
    const file = await setup(env, 'main');
    await setup(env, 'rescue');
    const good = await readFile(file, 'utf8');
    const record = { version: 1 as const, sha256: sha256Of(good), recordedAt: new Date().toISOString(), by: 'rescue', text: good };
    await writeFile(path.join(path.dirname(file), 'last-good.json'), renderLastGood(record), { mode: 0o600 });
    const config = JSON.parse(good);
    config.gateway.bind = 'lan';
    await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
    const targeted = await runCli(['--profile', 'rescue', 'doctor', '--target', 'main', '--rollback'], { env });
    expect(targeted.stdout).toContain("! only this machine can reach main's gateway with gateway.bind unset (loopback)");
    expect(targeted.stdout).not.toContain('this gateway');
    const own = await runCli(['--profile', 'main', 'doctor', '--rollback'], { env });
    expect(own.stdout).toContain('! only this machine can reach this gateway with gateway.bind unset (loopback)');
  });
});
