import { readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/core/config/secrets';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { expectFits, startWizard, unmountAll } from './harness';
import { setupProfile } from './profiles';

afterEach(() => unmountAll());

async function readConfig(home: string, profile: string) {
  return JSON.parse(await readFile(path.join(home, `.epiloop-${profile}`, 'epiloop.json'), 'utf8'));
}

/** The base the port step shows once the proposal has arrived (the role's start is shown until then). */
async function baseOnScreen(wizard: Awaited<ReturnType<typeof startWizard>>): Promise<number> {
  const frame = await wizard.waitFor(/^(?![\s\S]*Looking for a free block)[\s\S]*Base port › \d+/);
  return Number(/Base port › (\d+)/.exec(frame)![1]);
}

describe('the onboarding wizard (ink-testing-library, real temp HOME)', () => {
  it('runs a whole main onboarding with Enter through the defaults; every frame fits 80×24', async () => {
    const { home, env } = await tempHome();
    const wizard = await startWizard('main', env);
    expectFits(await wizard.waitFor('Enter start'));
    await wizard.press('enter');
    expectFits(await wizard.waitFor('› ● main'));
    await wizard.press('enter');
    expectFits(await wizard.waitFor('workspace   › ~/.epiloop/workspace-main'));
    await wizard.press('enter');
    await wizard.waitFor(/CDP range\s+free \(100 ports\)/);
    const base = await baseOnScreen(wizard);
    expectFits(wizard.screen());
    await wizard.press('enter');
    expectFits(await wizard.waitFor('› ● local'));
    await wizard.press('enter');
    const noService = await wizard.waitFor('No service will be installed');
    expectFits(noService);
    expect(noService).toContain('epiloop --profile main start');
    await wizard.press('enter');
    expectFits(await wizard.waitFor('› ● loopback'));
    await wizard.press('enter');
    expectFits(await wizard.waitFor('Files'));
    expect(wizard.screen()).toContain('~/.epiloop-main/epiloop.json  file 0600  create');
    expect(await readdir(home)).toEqual([]);
    await wizard.press('enter');
    expect(await wizard.waitForExit()).toBe(0);
    expect(wizard.screen()).toContain('✔ Profile main is written.');
    expect(wizard.screen()).toContain('epiloop --profile main start');
    expect(wizard.screen()).not.toContain('epiloop --profile main gateway');

    const config = await readConfig(home, 'main');
    expect(config.gateway.port).toBe(base);
    expect(config.gateway.auth.token).toHaveLength(32);
    expect(config.agents.defaults.workspace).toBe(path.join(home, '.epiloop', 'workspace-main'));
    expect(config.watch).toBeUndefined();
    expect((await stat(path.join(home, '.epiloop-main'))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(home, '.epiloop-main', 'epiloop.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(home, '.epiloop', 'workspace-main'))).isDirectory()).toBe(true);
  });

  it('opens the gateway to the LAN when asked: says so on the summary and the done screen, writes gateway.bind', async () => {
    const { home, env } = await tempHome();
    const wizard = await startWizard('rescue', env);
    await wizard.press('enter', 'enter', 'enter');
    await wizard.waitFor(/CDP range\s+free \(100 ports\)/);
    await wizard.press('enter', 'enter');
    await wizard.waitFor('No service will be installed');
    await wizard.press('enter');
    const asked = await wizard.waitFor('Who may reach this gateway?');
    expectFits(asked);
    expect(asked).toContain('› ● loopback  this machine only: every port listens on 127.0.0.1');
    expect(asked).toMatch(/step 7\/9 · Network/);
    await wizard.press('down');
    await wizard.waitFor('› ● lan');
    await wizard.press('enter');
    const summary = await wizard.waitFor('Files');
    expect(summary).toContain('from the LAN at 0.0.0.0: every port but /health demands the token');
    await wizard.press('enter');
    expect(await wizard.waitForExit()).toBe(0);
    expect(wizard.screen()).toContain('network  from the LAN at 0.0.0.0: every port but /health demands the token');
    expect((await readConfig(home, 'rescue')).gateway.bind).toBe('lan');
  });

  it('keeps rescue on the role step when ↓ is pressed on the last choice (no wrap to main)', async () => {
    const { env } = await tempHome();
    const wizard = await startWizard('rescue', env);
    await wizard.waitFor('Enter start');
    await wizard.press('enter');
    await wizard.waitFor('› ● rescue');
    await wizard.press('down', 'down');
    expect(wizard.screen()).toContain('› ● rescue');
    await wizard.press('enter');
    await wizard.waitFor('workspace   › ~/.epiloop/workspace-rescue');
  });

  it('runs a whole rescue onboarding beside a main made by setup: clear footprints, watching main', async () => {
    const { home, env } = await tempHome();
    const mainBase = await setupProfile('main', env);
    const wizard = await startWizard('rescue', env);
    await wizard.waitFor(`main       ${mainBase}–${mainBase + 110}`);
    await wizard.press('enter');
    await wizard.waitFor('› ● rescue  a second gateway that watches main');
    await wizard.press('enter', 'enter');
    await wizard.waitFor(/CDP range\s+free \(100 ports\)/);
    const frame = wizard.screen();
    expect(frame).toMatch(/host \d+ .*█.* \d+/);
    expect(frame).toMatch(/main.*rescue|rescue.*main/);
    const base = await baseOnScreen(wizard);
    await wizard.press('enter', 'enter', 'enter', 'enter');
    await wizard.waitFor('Files');
    await wizard.press('enter');
    expect(await wizard.waitForExit()).toBe(0);
    const rescue = await readConfig(home, 'rescue');
    const main = await readConfig(home, 'main');
    expect(rescue.gateway.port).toBe(base);
    expect(Math.abs(rescue.gateway.port - main.gateway.port)).toBeGreaterThanOrEqual(111);
    expect(rescue.watch).toEqual({ profiles: ['main'] });
    expect(rescue.gateway.auth.token).not.toBe(main.gateway.auth.token);
  });

  it('goes back with Esc, keeping the answers', async () => {
    const { home, env } = await tempHome();
    const wizard = await startWizard('rescue', env);
    await wizard.press('enter', 'enter', 'ctrlU', { text: '~/bots/rescue' });
    await wizard.waitFor('› ~/bots/rescue');
    await wizard.press('enter');
    const base = await baseOnScreen(wizard);
    await wizard.press('up', 'up');
    await wizard.waitFor(`Base port › ${base + 2}`);
    await wizard.press('esc');
    await wizard.waitFor('workspace   › ~/bots/rescue');
    await wizard.press('esc');
    await wizard.waitFor('› ● rescue');
    await wizard.press('esc');
    await wizard.waitFor('Enter start');
    await wizard.press('enter', 'enter', 'enter');
    await wizard.waitFor(`Base port › ${base + 2}`);
    expect(await readdir(home)).toEqual([]);
  });

  it('leaves the disk as it was on Ctrl-C, from any step, with 130', async () => {
    const { home, env } = await tempHome();
    for (const steps of [0, 3, 6]) {
      const wizard = await startWizard('rescue', env);
      for (let i = 0; i < steps; i++) {
        await wizard.press('enter');
        if (i === 2) await wizard.waitFor(/CDP range\s+free/);
      }
      await wizard.press('ctrlC');
      expect(await wizard.waitForExit()).toBe(130);
      expect(wizard.screen()).toContain('Cancelled. Nothing was written.');
      wizard.unmount();
    }
    expect(await readdir(home)).toEqual([]);
  });

  it('moves every number of the port map at once on an arrow key, then shows the probe\'s answer', async () => {
    const { env } = await tempHome();
    const base = await freeBase();
    const wizard = await startWizard('rescue', env, { given: { base } });
    await wizard.press('enter', 'enter', 'enter');
    await wizard.waitFor(/CDP range\s+free/);
    await wizard.press('up');
    const moved = await wizard.waitFor(`Base port › ${base + 1}`);
    expect(moved).toMatch(new RegExp(`${base + 1}\\s+gateway\\s+(checking…|free)`));
    expect(moved).toMatch(new RegExp(`${base + 3}\\s+browser control`));
    expect(moved).toMatch(new RegExp(`${base + 5}\\s+canvas host`));
    expect(moved).toMatch(new RegExp(`${base + 12}–${base + 111}\\s+CDP range`));
    await wizard.waitFor(new RegExp(`${base + 12}–${base + 111}\\s+CDP range\\s+free \\(100 ports\\)`));
    await wizard.press('pageDown');
    await wizard.waitFor(new RegExp(`${base - 99}\\s+gateway`));
    await wizard.press({ text: '1' }, { text: '0' }, { text: '0' });
    await wizard.waitFor('Type a base port from 1024 to 65425');
  });

  it('explains why 20 ports apart is not enough and refuses a base inside main', async () => {
    const { env } = await tempHome();
    const mainBase = await setupProfile('main', env);
    const wizard = await startWizard('rescue', env);
    await wizard.press('enter', 'enter', 'enter');
    await baseOnScreen(wizard);
    await wizard.press(...String(mainBase + 20).split('').map((text) => ({ text })));
    const frame = await wizard.waitFor(`Only 20 from main (${mainBase}): CDP ranges end at base+110, so "20 apart" overlaps.`);
    expect(frame).toMatch(new RegExp(`${mainBase + 20}\\s+gateway\\s+inside main's CDP range`));
    expect(frame).toContain('▓');
    await wizard.press('enter');
    await wizard.waitFor(/✖ .*inside main's CDP range/);
  });

  it("refuses a workspace inside main's and a remote CDP URL inside main's CDP range, on their steps (issue 10)", async () => {
    const { env } = await tempHome();
    const mainBase = await setupProfile('main', env);
    const wizard = await startWizard('rescue', env);
    await wizard.press('enter', 'enter', 'ctrlU', { text: '~/.epiloop/workspace-main/rescue' }, 'enter');
    await wizard.waitFor(/~\/\.epiloop\/workspace-main\/rescue is inside main's workspace\s+~\/\.epiloop\/workspace-main; each\s+gateway needs its own/);
    // A symlink into main's workspace is that workspace: refused on this step too, not at Apply.
    await symlink(path.join(env.HOME!, '.epiloop', 'workspace-main'), path.join(env.HOME!, 'link-ws'));
    await wizard.press('ctrlU', { text: '~/link-ws' }, 'enter');
    await wizard.waitFor(/✖ main already uses this workspace; each\s+gateway needs its own/);
    await wizard.press('ctrlU', { text: '~/bots/rescue' }, 'enter');
    await wizard.waitFor(/CDP range\s+free \(100 ports\)/);
    await wizard.press('enter');
    await wizard.waitFor('› ● local');
    await wizard.press('down', 'enter', { text: `http://127.0.0.1:${mainBase + 20}` }, 'enter');
    await wizard.waitFor(new RegExp(`port ${mainBase + 20} is inside main's CDP range;\\s+two\\s+gateways\\s+must\\s+never\\s+share\\s+a\\s+browser`));
    await wizard.press('ctrlU', { text: 'http://127.0.0.1:9222' }, 'enter');
    await wizard.waitFor('No service will be installed');
  });

  it('after Apply refuses a taken port the port step shows it taken, p takes the offered base, and a holder that exits is free again (issue 10)', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    const wizard = await startWizard('rescue', env, { given: { base } });
    await wizard.press('enter', 'enter', 'enter');
    await wizard.waitFor(/CDP range\s+free \(100 ports\)/);
    await wizard.press('enter');
    await wizard.waitFor('› ● local');
    await wizard.press('enter', 'enter', 'enter');
    await wizard.waitFor('Files');
    // Taken between the port step and Apply.
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen({ port: base + 4, host: '127.0.0.1' }, resolve));
    try {
      await wizard.press('enter');
      const refused = await wizard.waitFor('Apply stopped');
      const offered = Number(/press p for base (\d+)/.exec(refused)![1]);
      // Said once: the refusal names the key, the key line offers it; no second line repeats it.
      expect(refused.match(/p for base|p to use base/g)).toHaveLength(1);
      expect(refused).toContain(`${base + 4} (canvas host): bound by node (pid ${process.pid}) on 127.0.0.1`);
      await wizard.press('esc');
      // The port step shows what Apply saw, not the "free" of its last probe, and Enter does not take it.
      await wizard.waitFor(new RegExp(`${base + 4}\\s+canvas host\\s+bound by node \\(pid ${process.pid}\\)`));
      expect(wizard.screen()).toContain(`Press p for ${offered}.`);
      await wizard.press('enter');
      await wizard.waitFor(new RegExp(`✖ ${base + 4} \\(canvas host\\) is bound by node`));
      await wizard.press({ text: 'p' });
      await wizard.waitFor(`Base port › ${offered}`);
      await wizard.press(...String(base).split('').map((text) => ({ text })));
      await wizard.waitFor(`Base port › ${base}`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    // The holder is gone: the next probe shows the port free, and Enter takes the base.
    await wizard.waitFor(new RegExp(`${base + 4}\\s+canvas host\\s+free`), 5000);
    await wizard.press('enter');
    await wizard.waitFor('› ● local');
    await wizard.press('enter', 'enter', 'enter', 'enter');
    expect(await wizard.waitForExit()).toBe(0);
    expect((await readConfig(home, 'rescue')).gateway.port).toBe(base);
  });

  it('repairs a rescue whose port was moved into main\'s footprint: diff, backup, unknown keys kept', async () => {
    const { home, env } = await tempHome();
    const mainBase = await setupProfile('main', env);
    await setupProfile('rescue', env);
    const file = path.join(home, '.epiloop-rescue', 'epiloop.json');
    const before = await readConfig(home, 'rescue');
    await writeFile(file, JSON.stringify({ ...before, gateway: { ...before.gateway, port: mainBase + 20 }, theme: 'dark' }, null, 2));

    const wizard = await startWizard('rescue', env);
    await wizard.waitFor('footprint overlaps profile main');
    expect(wizard.screen()).toMatch(/› \[x\] ✖ error/);
    await wizard.press('enter');
    const review = await wizard.waitFor(`-    "port": ${mainBase + 20},`);
    expect(review).toMatch(/\+ {4}"port": \d+,/);
    expect(review).toContain(`‹32 characters hidden, #${fingerprint(before.gateway.auth.token)}›`);
    await wizard.press('enter');
    expect(await wizard.waitForExit()).toBe(0);
    expect(wizard.screen()).toContain('✔ Repaired profile rescue.');

    const after = await readConfig(home, 'rescue');
    expect(Math.abs(after.gateway.port - mainBase)).toBeGreaterThanOrEqual(111);
    expect(after.theme).toBe('dark');
    expect(after.gateway.auth.token).toBe(before.gateway.auth.token);
    const backups = (await readdir(path.dirname(file))).filter((f) => f.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(JSON.parse(await readFile(path.join(path.dirname(file), backups[0]!), 'utf8')).gateway.port).toBe(mainBase + 20);
  });

  it('repairs a config that is not valid JSON5: says where, shows the new file, keeps the broken one as the backup', async () => {
    const { home, env } = await tempHome();
    const file = path.join(home, '.epiloop-rescue', 'epiloop.json');
    await setupProfile('rescue', env);
    const broken = '{\n  gateway: { port: 19789,\n  // unfinished\n';
    await writeFile(file, broken);

    const wizard = await startWizard('rescue', env);
    const list = await wizard.waitFor('the config cannot be read');
    expect(list).toMatch(/epiloop\.json:\d+:\d+/);
    expect(list).not.toContain('m change settings');
    await wizard.press('enter');
    await wizard.waitFor(/\+ {2}"gateway": \{/);
    // The token was in the part that no longer reads: the new one is said in words before writing (issue 10).
    await wizard.waitFor('What changes for clients\n  ! the auth token could not be read, so a new one is written');
    await wizard.press('enter');
    expect(await wizard.waitForExit()).toBe(0);

    const fixed = await readConfig(home, 'rescue');
    expect(fixed.gateway.port).toBeGreaterThanOrEqual(1024);
    const backups = (await readdir(path.dirname(file))).filter((f) => f.endsWith('.bak'));
    expect(await readFile(path.join(path.dirname(file), backups[0]!), 'utf8')).toBe(broken);
  });

  it('a gateway.bind this host has no address for: the finding has no automatic fix (no Enter to review, no box), m or a command fixes it; m then Enter through every step fixes it with loopback, as the list said (new-user pass)', async () => {
    const { home, env } = await tempHome();
    await setupProfile('rescue', env);
    const file = path.join(home, '.epiloop-rescue', 'epiloop.json');
    const before = await readConfig(home, 'rescue');
    await writeFile(file, JSON.stringify({ ...before, gateway: { ...before.gateway, bind: '10.9.9.9' } }, null, 2));

    const wizard = await startWizard('rescue', env);
    const flat = (frame: string) => frame.replace(/\s+/g, ' ');
    const list = await wizard.waitFor('not an address of this host');
    expect(flat(list)).toContain('1 problem found; m fixes it (loopback on Network), or fix it by hand as it says:');
    expect(flat(list)).toContain('fix: choose m, then loopback on Network — or by hand:');
    expect(list).not.toContain('review fixes');
    expect(list).not.toMatch(/\[[ x]\]/);
    await wizard.press('enter');
    expect(wizard.screen()).not.toContain('Nothing is ticked');
    await wizard.press({ text: 'm' });
    await wizard.waitFor('› ● rescue');
    await wizard.press('enter', 'enter');
    await wizard.waitFor(/CDP range\s+free \(100 ports\)/);
    await wizard.press('enter', 'enter');
    await wizard.waitFor('No service will be installed');
    await wizard.press('enter');
    const asked = await wizard.waitFor('Who may reach this gateway?');
    expect(asked).toContain('› ● loopback  this machine only: every port listens on 127.0.0.1, in place of');
    expect(flat(asked)).toContain('○ keep 10.9.9.9 (not on this host)');
    await wizard.press('enter');
    const summary = await wizard.waitFor('Files');
    expect(summary).not.toContain('0.0.0.0');
    await wizard.press('enter');
    expect(await wizard.waitForExit()).toBe(0);
    const done = flat(wizard.screen());
    expect(done).toContain('✔ Profile rescue is written');
    expect(done).toContain('network this machine only (127.0.0.1)');
    expect(done).not.toContain('not an address of this host');
    expect(done).toContain('epiloop --profile rescue start');
    expect((await readConfig(home, 'rescue')).gateway.bind).toBeUndefined();
  });

  it('adapts to a resize', async () => {
    const { env } = await tempHome();
    const wizard = await startWizard('rescue', env, { columns: 60, rows: 20 });
    await wizard.press('enter', 'enter', 'enter');
    const frame = await wizard.waitFor(/CDP range/);
    expectFits(frame, 60, 20);
  });
});
