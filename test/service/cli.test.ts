import { lstat, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { standIn } from './standin';
import { verifyUnit } from './verify';

// Drives the built CLI (npm run build first), HOME at an empty temp dir.
async function twoProfiles() {
  const { home, env } = await tempHome();
  for (const [profile, base] of [['main', await freeBase()], ['rescue', await freeBase()]] as const) {
    const setup = await runCli(['--profile', profile, 'setup', '--port', String(base)], { env });
    expect(setup.code, setup.stderr).toBe(0);
  }
  return { home, env };
}

const exists = (file: string) => lstat(file).then(() => true, () => false);

describe('epiloop gateway install / uninstall / restart / status (built CLI)', () => {
  it.runIf(process.platform === 'linux')('--dry-run prints on stdout a unit systemd-analyze verify accepts silently; main\'s names a different unit', async () => {
    const { home, env } = await twoProfiles();
    const rescue = await runCli(['--profile', 'rescue', 'gateway', 'install', '--dry-run'], { env });
    expect(rescue.code, rescue.stderr).toBe(0);
    expect(rescue.stdout).toContain('--profile rescue gateway --port');
    expect(rescue.stderr).toContain('would write ~/.config/systemd/user/epiloop-gateway-rescue.service');
    expect(rescue.stderr).toContain('systemctl --user enable --now epiloop-gateway-rescue.service');
    const file = path.join(home, 'verify', 'epiloop-gateway-rescue.service');
    await mkdir(path.join(home, 'verify', 'runtime'), { recursive: true, mode: 0o700 });
    await writeFile(file, rescue.stdout);
    expect(verifyUnit(file, path.join(home, 'verify', 'runtime'))).toEqual({ code: 0, output: '' });

    const main = await runCli(['--profile', 'main', 'gateway', 'install', '--dry-run'], { env });
    expect(main.code).toBe(0);
    expect(main.stderr).toContain('epiloop-gateway-main.service');
    expect(main.stdout).toContain('--profile main gateway');
    // Nothing of rescue's (the checkout's own path may hold the word, as in a worktree named "wt-rescue-…").
    expect(main.stdout).not.toMatch(/--profile rescue|\.epiloop-rescue|gateway-rescue/);
    expect(await exists(path.join(home, '.config'))).toBe(false);
  });

  it('install where the manager does not answer fails with one clear sentence, asks nothing more of it, leaves nothing behind', async () => {
    const { home, env } = await twoProfiles();
    // The stand-in answers as a manager with no user bus does, whatever this host has.
    const stand = await standIn(home, env, { STANDIN_NO_BUS: '1' });
    const result = await runCli(['--profile', 'rescue', 'gateway', 'install'], { env: stand.env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^epiloop: Nothing was installed: [^\n]+\. Start it without a service instead: epiloop --profile rescue start\n$/);
    // Only the question "is there a manager?", never an install step.
    expect(await stand.calls()).toHaveLength(1);
    expect(await exists(path.join(home, '.config', 'systemd', 'user', 'epiloop-gateway-rescue.service'))).toBe(false);
    expect(await exists(path.join(home, 'Library'))).toBe(false);
  });

  it('install with no service manager on PATH says so in one sentence and exits 1', async () => {
    const { home, env } = await twoProfiles();
    const emptyBin = path.join(home, 'empty-bin');
    await mkdir(emptyBin);
    const result = await runCli(['--profile', 'rescue', 'gateway', 'install'], { env: { ...env, PATH: emptyBin } });
    expect(result.code).toBe(1);
    const tool = process.platform === 'darwin' ? 'launchctl' : 'systemctl';
    const kind = process.platform === 'darwin' ? 'launchd' : 'systemd';
    expect(result.stderr).toBe(
      `epiloop: Nothing was installed: ${tool} was not found on PATH, so there is no ${kind} to run the service. Start it without a service instead: epiloop --profile rescue start\n`,
    );
  });

  it('through a stand-in systemctl: install, status --json, restart, uninstall', async () => {
    const { home, env } = await twoProfiles();
    const stand = await standIn(home, env);
    const install = await runCli(['--profile', 'rescue', 'gateway', 'install'], { env: stand.env });
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain('✔ Installed ~/.config/systemd/user/epiloop-gateway-rescue.service');
    expect(install.stdout).toMatch(/state {2}active \(pid \d+\), enabled/);

    const status = await runCli(['--profile', 'rescue', 'gateway', 'status', '--json'], { env: stand.env });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      profile: 'rescue',
      label: 'rescue',
      kind: 'systemd',
      name: 'epiloop-gateway-rescue.service',
      usable: true,
      installed: true,
      state: 'active',
      enabled: true,
      mismatches: [],
      healthy: true,
    });
    const top = await runCli(['--profile', 'rescue', 'status', '--json'], { env: stand.env });
    expect(JSON.parse(top.stdout).service).toMatchObject({ installed: true, state: 'active' });

    const again = await runCli(['--profile', 'rescue', 'gateway', 'install'], { env: stand.env });
    expect(again.stdout).toContain('already installed, up to date and enabled: nothing to do');
    const restart = await runCli(['--profile', 'rescue', 'gateway', 'restart'], { env: stand.env });
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stdout).toContain('✔ Restarted epiloop-gateway-rescue.service: active');

    const mainStatus = await runCli(['--profile', 'main', 'gateway', 'status'], { env: stand.env });
    expect(mainStatus.code).toBe(1);
    expect(mainStatus.stdout).toContain('not installed');
    expect(mainStatus.stdout).toContain('Install it: epiloop --profile main gateway install');

    const uninstall = await runCli(['--profile', 'rescue', 'gateway', 'uninstall'], { env: stand.env });
    expect(uninstall.code, uninstall.stderr).toBe(0);
    expect(uninstall.stdout).toContain('✔ Removed the gateway service of profile "rescue"');
    expect(await exists(path.join(home, '.config', 'systemd', 'user', 'epiloop-gateway-rescue.service'))).toBe(false);
    expect((await stand.calls()).join('\n')).not.toContain('epiloop-gateway-main');
  }, 60_000);

  it('where systemctl is on PATH but systemd did not boot the host (a container), nothing advises an install', async () => {
    const { home, env } = await twoProfiles();
    const stand = await standIn(home, env, { EPILOOP_SYSTEMD_BOOTED_DIR: path.join(home, 'no-such-dir') });
    const status = await runCli(['--profile', 'main', 'status'], { env: stand.env });
    // No unit is named where no manager could install one (the README's promise).
    expect(status.stdout).toMatch(/^ {2}service {4}not installed \(no usable systemd on this host\)$/m);
    expect(status.stdout).not.toContain('epiloop-gateway-main.service');
    expect(status.stdout + status.stderr).not.toContain('gateway install');
    const service = await runCli(['--profile', 'main', 'gateway', 'status'], { env: stand.env });
    expect(service.stdout).toContain('systemd is not running on this host (PID 1 is not systemd');
    expect(service.stdout).toContain('Start it without a service instead: epiloop --profile main start');
    expect(service.stdout).not.toContain('gateway install');
    // status asked nothing of systemctl to say so (the check reads the disk); gateway status asked it once.
    expect(await stand.calls()).toEqual(['systemctl --user show-environment']);
  }, 30_000);

  it('a unit file left on a host systemd did not boot (a container) is no service: config set and start/stop/restart never go through systemctl', async () => {
    const { home, env } = await twoProfiles();
    const booted = await standIn(home, env);
    expect((await runCli(['--profile', 'rescue', 'gateway', 'install'], { env: booted.env })).code).toBe(0);
    const stand = await standIn(home, env, { EPILOOP_SYSTEMD_BOOTED_DIR: path.join(home, 'no-such-dir') });
    const before = (await stand.calls()).length;
    const moved = await freeBase();
    const set = await runCli(['--profile', 'rescue', 'config', 'set', 'gateway.port', String(moved)], { env: stand.env });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout + set.stderr).not.toContain('gateway install');
    // The file now disagrees with the config: what fixes it here is running by hand, not an install that cannot work.
    for (const args of [['status'], ['gateway', 'status']]) {
      const shown = await runCli(['--profile', 'rescue', ...args], { env: stand.env });
      expect(shown.stdout).toContain('disagrees with the');
      expect(shown.stdout + shown.stderr).not.toContain('gateway install');
      expect(shown.stdout).toContain('epiloop --profile rescue start');
    }
    const stop = await runCli(['--profile', 'rescue', 'stop'], { env: stand.env });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain('detached process (no usable service manager)');
    // Asking (show) is allowed; nothing is acted on through it.
    expect((await stand.calls()).slice(before).filter((c) => !/^systemctl --user show(-environment)?\b/.test(c))).toEqual([]);
  }, 60_000);

  it('status shows a service whose file disagrees with the config, and exits 1', async () => {
    const { home, env } = await twoProfiles();
    const stand = await standIn(home, env);
    expect((await runCli(['--profile', 'rescue', 'gateway', 'install'], { env: stand.env })).code).toBe(0);
    const moved = await freeBase();
    expect((await runCli(['--profile', 'rescue', 'setup', '--port', String(moved)], { env: stand.env })).code).toBe(0);
    const status = await runCli(['--profile', 'rescue', 'gateway', 'status'], { env: stand.env });
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(new RegExp(`service runs port \\d+ but config says ${moved}`));
    expect(status.stdout).toContain('Fix: epiloop --profile rescue gateway install');
    const top = await runCli(['--profile', 'rescue', 'status'], { env: stand.env });
    expect(top.code).toBe(1);
    expect(top.stdout).toMatch(/  The service \S+ disagrees with the config: service runs port/);
  });

  it('uninstall and restart when nothing is installed', async () => {
    const { home, env } = await twoProfiles();
    const uninstall = await runCli(['--profile', 'rescue', 'gateway', 'uninstall'], { env });
    expect(uninstall.code).toBe(0);
    expect(uninstall.stdout).toContain('No gateway service is installed for profile "rescue"');
    // With a service manager: install it, the advice says.
    const stand = await standIn(home, env);
    const restart = await runCli(['--profile', 'rescue', 'gateway', 'restart'], { env: stand.env });
    expect(restart.code).toBe(1);
    expect(restart.stderr).toContain('no gateway service is installed for profile "rescue". Install it with "epiloop --profile rescue gateway install".');
    // Without one, no advice that cannot work here: the gateway by hand.
    const emptyBin = path.join(home, 'empty-bin');
    await mkdir(emptyBin, { recursive: true });
    const bare = await runCli(['--profile', 'rescue', 'gateway', 'restart'], { env: { ...env, PATH: emptyBin } });
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(/^epiloop: Nothing was restarted: .*Start it without a service instead: epiloop --profile rescue start\n$/s);
    expect(bare.stderr).not.toContain('gateway install');
  });
});
