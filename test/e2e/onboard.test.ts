import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { setupProfile } from '../components/profiles';
import { Terminal } from './pty';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.kill();
});

function open(args: string[], env: Record<string, string>, size?: { cols: number; rows: number }, term?: string): Terminal {
  const terminal = new Terminal(args, { env, ...size, ...(term === undefined ? {} : { term }) });
  terminals.push(terminal);
  return terminal;
}

/** A rescue onboarding (no service) walked with Enter to the port step, its map drawn. */
async function toPortStep(env: Record<string, string>): Promise<Terminal> {
  const t = open(['--profile', 'rescue', 'onboard', '--no-install-service'], env);
  await t.waitFor('Enter start');
  t.press('enter');
  await t.waitFor('› ● rescue');
  t.press('enter');
  await t.waitFor('Each gateway needs a workspace');
  t.press('enter');
  await t.waitFor(/gateway\s+free/);
  return t;
}

/** From the browser step (local chosen) with Enter through the service and network steps to the summary. */
async function toSummary(t: Terminal): Promise<string> {
  t.press('enter');
  // Enter is offered (and on the key line) only once the service manager has answered.
  await t.waitFor(/· Service\n[\s\S]*Enter next/);
  t.press('enter');
  await t.waitFor('› ● loopback');
  t.press('enter');
  return t.waitFor('Enter write it');
}

/** A rescue onboarding at `base` (no service) walked with Enter from welcome to its exit (0), in a terminal of that size. */
async function onboardWithEnter(base: number, env: Record<string, string>, size: { cols: number; rows: number }): Promise<Terminal> {
  const t = open(['--profile', 'rescue', 'onboard', '--no-install-service', '--port', String(base)], env, size);
  await t.waitFor('Enter start');
  t.press('enter');
  await t.waitFor('› ● rescue');
  t.press('enter');
  await t.waitFor('workspace   › ~/.epiloop/workspace-rescue');
  t.press('enter');
  // Enter on the port step waits for the probe anyway.
  await t.waitFor(/Base port › \d+/);
  t.press('enter');
  await t.waitFor('› ● local');
  await toSummary(t);
  t.press('enter');
  expect(await t.exit()).toBe(0);
  return t;
}

async function readConfig(home: string, profile: string) {
  return JSON.parse(await readFile(path.join(home, `.epiloop-${profile}`, 'epiloop.json'), 'utf8'));
}

/** Runs the built CLI with stdin at /dev/null, as `epiloop onboard </dev/null` would. */
function runWithDevNull(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const devNull = openSync('/dev/null', 'r');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: [devNull, 'pipe', 'pipe'] });
    closeSync(devNull);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('onboard </dev/null hung'));
    }, 10_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('epiloop onboard in a real terminal (built CLI, node-pty + xterm)', () => {
  it('types a whole rescue onboarding beside main: the port map on screen, the config on disk', async () => {
    const { home, env } = await tempHome();
    const mainBase = await setupProfile('main', env);

    // Pinned to a block free right now: other gateways on this machine use the seed's 19789.
    // The test moves the base up by one, so base + 1's footprint must stay clear of main's too.
    let pinned = await freeBase();
    for (let i = 0; i < 20 && Math.abs(pinned - mainBase) < 112; i++) pinned = await freeBase();
    const t = open(['--profile', 'rescue', 'onboard', '--no-install-service', '--port', String(pinned)], env);
    await t.waitFor('Enter start');
    expect(t.screen()).toContain(`main       ${mainBase}–${mainBase + 110}`);
    t.press('enter');
    await t.waitFor('› ● rescue');
    t.press('enter');
    await t.waitFor('workspace   › ~/.epiloop/workspace-rescue');
    t.press('enter');
    const proposed = await t.waitFor(/CDP range\s+free \(100 ports\)/);
    const base = Number(/Base port › (\d+)/.exec(proposed)![1]);
    expect(base).toBe(pinned);
    expect(Math.abs(base - mainBase)).toBeGreaterThanOrEqual(111);
    expect(proposed).toMatch(new RegExp(`${base}\\s+gateway\\s+free`));
    expect(proposed).toMatch(new RegExp(`${base + 2}\\s+browser control\\s+free`));
    expect(proposed).toMatch(new RegExp(`${base + 4}\\s+canvas host\\s+free`));
    expect(proposed).toMatch(/host \d+ [▒·█]+ \d+/);
    expect(proposed).toMatch(/main\s+rescue|rescue\s+main/);

    t.press('up');
    const moved = await t.waitFor(new RegExp(`${base + 12}–${base + 111}\\s+CDP range\\s+free`));
    expect(moved).toContain(`Base port › ${base + 1}`);
    expect(moved).toMatch(new RegExp(`${base + 1}\\s+gateway`));
    expect(moved).toMatch(new RegExp(`${base + 3}\\s+browser control`));
    expect(moved).toMatch(new RegExp(`${base + 5}\\s+canvas host`));
    t.press('down');
    await t.waitFor(new RegExp(`${base + 11}–${base + 110}\\s+CDP range\\s+free`));
    for (const line of t.screen().split('\n')) expect(line.length).toBeLessThanOrEqual(80);

    t.press('enter');
    await t.waitFor('› ● local');
    await toSummary(t);
    t.press('enter');
    expect(await t.exit()).toBe(0);
    const done = await t.waitFor('✔ Profile rescue is written.');
    expect(done).toContain(`${base} gateway · ${base + 2} browser control`);
    expect(done).toContain('epiloop --profile rescue start');

    const rescue = await readConfig(home, 'rescue');
    expect(rescue.gateway.port).toBe(base);
    expect(rescue.watch).toEqual({ profiles: ['main'] });
    expect((await stat(path.join(home, '.epiloop-rescue', 'epiloop.json'))).mode & 0o777).toBe(0o600);
    // NO_COLOR (set by tempHome) reaches Ink: no colour codes at all.
    expect(t.raw).not.toMatch(/\u001b\[(3|9)\dm/);
    const ports = await runCli(['ports'], { env });
    expect(ports.stdout).toContain('No two profiles share a port.');
  });

  it('offers and applies the fix when run again on a profile moved into main\'s footprint', async () => {
    const { home, env } = await tempHome();
    const mainBase = await setupProfile('main', env);
    await setupProfile('rescue', env);
    const file = path.join(home, '.epiloop-rescue', 'epiloop.json');
    const config = await readConfig(home, 'rescue');
    await writeFile(file, JSON.stringify({ ...config, gateway: { ...config.gateway, port: mainBase + 20 } }, null, 2));

    const t = open(['--profile', 'rescue', 'onboard'], env);
    await t.waitFor('footprint overlaps profile main');
    t.press('enter');
    await t.waitFor(`-    "port": ${mainBase + 20},`);
    t.press('enter');
    expect(await t.exit()).toBe(0);
    await t.waitFor('✔ Repaired profile rescue.');
    const fixed = await readConfig(home, 'rescue');
    expect(Math.abs(fixed.gateway.port - mainBase)).toBeGreaterThanOrEqual(111);
    expect((await readdir(path.dirname(file))).some((f) => f.endsWith('.bak'))).toBe(true);
  });

  it('leaves no file when Ctrl-C comes halfway, and exits 130', async () => {
    const { home, env } = await tempHome();
    const t = open(['onboard'], env);
    await t.waitFor('Enter start');
    t.press('enter');
    await t.waitFor('› ● main');
    t.press('enter');
    await t.waitFor('workspace');
    t.press('enter');
    await t.waitFor(/CDP range/);
    t.press('ctrlC');
    expect(await t.exit()).toBe(130);
    expect(await readdir(home)).toEqual([]);
  });

  it('redraws to the new size on a resize', async () => {
    const { env } = await tempHome();
    const t = open(['--profile', 'rescue', 'onboard'], env, { cols: 100, rows: 30 });
    await t.waitFor('Enter start');
    t.press('enter');
    t.press('enter');
    t.press('enter');
    await t.waitFor(/CDP range/);
    t.resize(60, 20);
    // Narrower: the title's step label moves in to the new right edge.
    const screen = await t.waitFor((s) => /CDP range/.test(s) && /^epiloop onboard · profile rescue +step 4\/9 · Base port$/m.test(s) && s.split('\n')[0]!.length <= 60);
    for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    t.press('ctrlC');
    expect(await t.exit()).toBe(130);
  });

  it('at 60×20 the last frame hangs each next step under its description and ends with a newline (the prompt on a line of its own)', async () => {
    const { env } = await tempHome();
    const base = await freeBase();
    const t = await onboardWithEnter(base, env, { cols: 60, rows: 20 });
    const done = await t.waitFor('every gateway on');
    const lines = done.split('\n');
    const steps = lines.slice(lines.indexOf('Next steps') + 1).filter((l) => l !== '');
    const column = steps[0]!.indexOf('start the gateway');
    for (const l of steps) expect(l.startsWith('  epiloop') || l.slice(0, column).trim() === '', `${l}\n--- in ---\n${done}`).toBe(true);
    expect(t.raw.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')).toMatch(/host\r?\n\s*$/);
  });

  it('a last frame that fills the terminal (60×14) still ends with a newline: the prompt is not glued to it', async () => {
    const { env } = await tempHome();
    const base = await freeBase();
    const t = await onboardWithEnter(base, env, { cols: 60, rows: 14 });
    await t.waitFor('every gateway on');
    expect(t.raw.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')).toMatch(/host\r?\n\s*$/);
  });

  it('at 60×20 --plain hangs each next step under its description and ends with a newline', async () => {
    const { env } = await tempHome();
    const base = await freeBase();
    const t = open(['onboard', '--plain', '--no-install-service', '--port', String(base)], env, { cols: 60, rows: 20 });
    for (const ask of ['Role of this gateway', 'Workspace', 'Base port', `Use base ${base}?`, 'Chrome for this gateway', 'Who may reach this gateway?', 'Write it?']) {
      await t.waitFor(ask);
      t.press('enter');
    }
    expect(await t.exit()).toBe(0);
    const lines = t.raw.split(/\r?\n/);
    expect(lines.slice(lines.indexOf('Next steps') + 1, -1)).toEqual(['  epiloop start   start the gateway (a detached process)', '  epiloop status  check it', '  epiloop ports   every gateway on this host']);
    expect(t.raw).toMatch(/this host\r?\n$/);
  });

  it('asks line by line with --plain', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    const t = open(['--profile', 'rescue', 'onboard', '--plain', '--no-install-service', '--port', String(base)], env);
    await t.waitFor('Role of this gateway');
    t.press('enter');
    await t.waitFor('Workspace');
    t.press('enter');
    await t.waitFor('Base port');
    t.press('enter');
    await t.waitFor(`Use base ${base}?`);
    expect(t.screen()).toMatch(new RegExp(`${base + 11}–${base + 110}\\s+CDP range\\s+free`));
    t.press('enter');
    await t.waitFor('Chrome for this gateway');
    t.press('enter');
    await t.waitFor('Who may reach this gateway?');
    t.press('enter');
    await t.waitFor('Write it?');
    t.press('enter');
    expect(await t.exit()).toBe(0);
    expect((await readConfig(home, 'rescue')).gateway.port).toBe(base);
  });

  it('redraws cleanly when the window shrinks mid-wizard, and clamps a typed out-of-range base (issue 13)', async () => {
    const { env } = await tempHome();
    const t = await toPortStep(env);
    t.resize(60, 20);
    await t.waitFor(/host \d+ █+ \d+\s*$/m);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const shrunk = t.screen();
    expect(shrunk.match(/epiloop onboard · profile rescue/g), shrunk).toHaveLength(1);
    for (const line of shrunk.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    t.press({ text: '65500' });
    await t.waitFor('Base port › 65500');
    t.press('up');
    await t.waitFor('Base port › 65425');
    t.press('ctrlC');
    expect(await t.exit()).toBe(130);
  });

  it('shrinks to 40×12 mid-wizard with the cursor in sight, and scrolls the summary to its end (issue 13)', async () => {
    const { env } = await tempHome();
    await setupProfile('main', env);
    const t = await toPortStep(env);
    t.press('enter');
    await t.waitFor('› ● local');
    t.press('down');
    await t.waitFor('› ● remote');
    t.resize(40, 12);
    // The heading once, every line within 40 columns, the cursor's row in sight, what is below counted.
    const small = await t.waitFor((s) => s.split('\n').every((l) => l.length <= 40) && s.includes('› ● remote') && /^step 5\/9 · Browser$/m.test(s));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const settled = t.screen();
    expect(settled.match(/epiloop onboard · profile rescue/g), settled).toHaveLength(1);
    expect(settled).toContain('› ● remote');
    expect(settled.split('\n').length, small).toBeLessThanOrEqual(11);
    t.press('up');
    await t.waitFor('› ● local');
    const summary = await toSummary(t);
    expect(summary).toMatch(/^↓ \d+ more lines$/m);
    // PgDn to the end: the last line of the config preview shows, nothing is below it.
    let screen = summary;
    for (let i = 0; i < 30 && /^↓ \d+ more lines?$/m.test(screen); i++) {
      const before = screen;
      t.press('pageDown');
      screen = await t.waitFor((s) => s !== before);
      expect(screen.match(/epiloop onboard · profile rescue/g), screen).toHaveLength(1);
      for (const line of screen.split('\n')) expect(line.length, line).toBeLessThanOrEqual(40);
    }
    expect(screen).not.toMatch(/^↓ \d+ more lines?$/m);
    expect(screen).toMatch(/^↑ \d+ more lines$/m);
    expect(screen).toMatch(/^ {2}}$/m);
    t.press('ctrlC');
    expect(await t.exit()).toBe(130);
  });

  it('gives TERM=dumb the line mode, under the profile header (issue 13)', async () => {
    const { env } = await tempHome();
    const t = open(['--profile', 'rescue', 'onboard', '--no-install-service'], env, undefined, 'dumb');
    await t.waitFor('Role of this gateway');
    expect(t.screen()).toContain('epiloop onboard · profile rescue');
    t.press('ctrlC');
    expect(await t.exit()).toBe(130);
  });

  it('asks who may reach the gateway with --plain, and takes lan', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    const t = open(['--profile', 'rescue', 'onboard', '--plain', '--no-install-service', '--port', String(base)], env);
    for (const prompt of ['Role of this gateway', 'Workspace', 'Base port', `Use base ${base}?`, 'Chrome for this gateway']) {
      await t.waitFor(prompt);
      t.press('enter');
    }
    await t.waitFor('loopback');
    expect(t.screen()).toContain('this machine only: every port listens on 127.0.0.1');
    t.press('down');
    await t.waitFor('other machines too, on 0.0.0.0: every port but /health demands the token');
    t.press('enter');
    const summary = await t.waitFor('Write it?');
    expect(summary).toContain('from the LAN at 0.0.0.0: every port but /health demands the token');
    t.press('enter');
    expect(await t.exit()).toBe(0);
    expect(await t.waitFor('network  from the LAN at 0.0.0.0')).toContain('every port but /health demands the token');
    expect((await readConfig(home, 'rescue')).gateway.bind).toBe('lan');
  });
});

describe('epiloop onboard without a terminal', () => {
  it('exits 2 at once on </dev/null, naming --non-interactive, with no raw-mode error', async () => {
    const { home, env } = await tempHome();
    const result = await runWithDevNull(['--profile', 'rescue', 'onboard'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('epiloop --profile rescue onboard --non-interactive --role rescue --yes');
    expect(result.stderr).not.toMatch(/Raw mode|at .*\.js/);
    expect(await readdir(home)).toEqual([]);
  });

  it('exits 2 under CI=true and from a pipe, --plain too', async () => {
    const { env } = await tempHome();
    for (const args of [['onboard'], ['onboard', '--plain']]) {
      const piped = await runCli(args, { env: { ...env, CI: 'true' } });
      expect(piped.code).toBe(2);
      expect(piped.stderr).toContain('--non-interactive');
    }
  });

  it('--non-interactive shows the plan and writes only with --yes', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    const plan = await runCli(['--profile', 'rescue', 'onboard', '--non-interactive', '--port', String(base), '--no-install-service'], { env });
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain(`${base} gateway · ${base + 2} browser control`);
    expect(plan.stderr).toContain(`--yes --port ${base} --no-install-service`);
    expect(await readdir(home)).toEqual([]);

    const written = await runCli(['--profile', 'rescue', 'onboard', '--non-interactive', '--role', 'rescue', '--port', String(base), '--no-install-service', '--yes'], { env });
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain('✔ Profile rescue is written.');
    expect((await readConfig(home, 'rescue')).gateway.port).toBe(base);
  });

  it('--non-interactive --bind lan writes gateway.bind and says the gateway is reachable from the LAN and needs the token', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    const args = ['--profile', 'rescue', 'onboard', '--non-interactive', '--port', String(base), '--no-install-service', '--bind', 'lan'];
    const plan = await runCli(args, { env });
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('from the LAN at 0.0.0.0: every port but /health demands the token');
    expect(plan.stderr).toContain(`--yes --port ${base} --no-install-service --bind lan`);
    expect(await readdir(home)).toEqual([]);

    const written = await runCli([...args, '--yes'], { env });
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain('network  from the LAN at 0.0.0.0: every port but /health demands the token');
    expect(written.stdout).toContain('(gateway.auth.token in ~/.epiloop-rescue/epiloop.json)');
    expect((await readConfig(home, 'rescue')).gateway.bind).toBe('lan');

    const refused = await runCli(['--profile', 'r2', 'onboard', '--yes', '--bind', 'wan'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--bind is "wan"; use --bind loopback or --bind lan.');
  });

  it('--non-interactive refuses a port inside another profile exactly as setup does', async () => {
    const { env } = await tempHome();
    const mainBase = await setupProfile('main', env);
    const onboard = await runCli(['--profile', 'r2', 'onboard', '--yes', '--no-install-service', '--port', String(mainBase + 20)], { env });
    const setup = await runCli(['--profile', 'r2', 'setup', '--port', String(mainBase + 20)], { env });
    expect(onboard.code).toBe(2);
    expect(setup.code).toBe(2);
    const reason = (text: string) => text.split('\n').slice(0, 5).join('\n').replace(/\(from [^)]*\)/, '');
    expect(reason(onboard.stderr)).toBe(reason(setup.stderr));
    expect(onboard.stderr).toMatch(/Use a free base instead: epiloop --profile r2 onboard --non-interactive --port \d+ --yes/);
    expect((await runCli(['--profile', 'r2', 'onboard', '--yes', '--role', 'boss'], { env })).stderr).toContain('--role main or --role rescue');
  });
});
