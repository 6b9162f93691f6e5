import { lstat, mkdir, readFile, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeConfig } from '../../src/host/store/store';
import { HostError } from '../../src/core/errors';
import { resolveProfile, type ProfilePaths } from '../../src/core/profile/paths';
import { installedCli, installService, restartService, serviceStatus, uninstallService } from '../../src/host/service/install';
import { parsePlist } from '../../src/core/service/launchd';
import { tempHome } from '../helpers/home';
import { standIn } from './standin';

async function profile(home: string, flag: string | undefined, port: number, env: Record<string, string> = {}): Promise<ProfilePaths> {
  const paths = resolveProfile({ flag, env, home });
  await writeConfig(paths, { gateway: { port } });
  return paths;
}

const exists = (file: string) => lstat(file).then(() => true, () => false);
const unitDir = (home: string) => path.join(home, '.config', 'systemd', 'user');

async function setup(extra: Record<string, string> = {}) {
  const { home, env } = await tempHome();
  const stand = await standIn(home, env, extra);
  const rescue = await profile(home, 'rescue', 19789);
  const main = await profile(home, 'main', 18789);
  return { home, stand, rescue, main, opts: { env: stand.env, home } };
}

describe('systemd, through a stand-in systemctl', () => {
  it('installs: writes the unit, reloads, enables and starts it', async () => {
    const { home, stand, rescue, opts } = await setup();
    const result = await installService(rescue, opts);
    const file = path.join(unitDir(home), 'epiloop-gateway-rescue.service');
    expect(result).toMatchObject({ status: 'installed', file });
    expect(await readFile(file, 'utf8')).toBe(result.text);
    expect(result.commands).toEqual(['systemctl --user daemon-reload', 'systemctl --user enable --now epiloop-gateway-rescue.service']);
    expect(await stand.calls()).toEqual(['systemctl --user show-environment', ...result.commands]);
    expect(await exists(path.join(unitDir(home), 'default.target.wants', 'epiloop-gateway-rescue.service'))).toBe(true);
    const status = await serviceStatus(rescue, opts);
    expect(status).toMatchObject({ kind: 'systemd', usable: true, installed: true, state: 'active', enabled: true, mismatches: [] });
    expect(status.pid).toBeGreaterThan(0);
  });

  it('re-installing an up-to-date service is a no-op that says so', async () => {
    const { stand, rescue, opts } = await setup();
    await installService(rescue, opts);
    const before = (await stand.calls()).length;
    expect(await installService(rescue, opts)).toMatchObject({ status: 'unchanged', commands: [] });
    expect((await stand.calls()).slice(before)).toEqual([
      'systemctl --user show-environment',
      'systemctl --user show epiloop-gateway-rescue.service --property=LoadState,ActiveState,SubState,MainPID,UnitFileState',
    ]);
  });

  it('status names a port that no longer matches the config; install replaces the unit and restarts it', async () => {
    const { stand, rescue, opts } = await setup();
    await installService(rescue, opts);
    await writeConfig(rescue, { gateway: { port: 19900 } });
    expect((await serviceStatus(rescue, opts)).mismatches).toEqual(['service runs port 19789 but config says 19900']);
    const before = (await stand.calls()).length;
    const result = await installService(rescue, opts);
    expect(result.status).toBe('updated');
    expect(result.text).toContain('--port 19900');
    expect((await stand.calls()).slice(before)).toEqual([
      'systemctl --user show-environment',
      'systemctl --user daemon-reload',
      'systemctl --user enable epiloop-gateway-rescue.service',
      'systemctl --user restart epiloop-gateway-rescue.service',
    ]);
    expect(await stand.calls()).not.toContainEqual(expect.stringMatching(/^STALE/));
    expect((await serviceStatus(rescue, opts)).mismatches).toEqual([]);
  });

  it('uninstalling rescue leaves main\'s unit untouched and never names it', async () => {
    const { home, stand, rescue, main, opts } = await setup();
    await installService(main, opts);
    await installService(rescue, opts);
    const mainFile = path.join(unitDir(home), 'epiloop-gateway-main.service');
    const mainText = await readFile(mainFile, 'utf8');
    const before = (await stand.calls()).length;
    const result = await uninstallService(rescue, opts);
    expect(result.status).toBe('removed');
    const calls = (await stand.calls()).slice(before);
    expect(calls).toEqual([
      'systemctl --user show-environment',
      'systemctl --user disable --now epiloop-gateway-rescue.service',
      'systemctl --user show epiloop-gateway-rescue.service --property=LoadState,ActiveState,SubState,MainPID,UnitFileState',
      'systemctl --user daemon-reload',
    ]);
    expect(calls.join('\n')).not.toContain('main');
    expect(await readFile(mainFile, 'utf8')).toBe(mainText);
    expect((await readdir(unitDir(home))).sort()).toEqual(['default.target.wants', 'epiloop-gateway-main.service']);
    expect(await readdir(path.join(unitDir(home), 'default.target.wants'))).toEqual(['epiloop-gateway-main.service']);
    expect(await serviceStatus(main, opts)).toMatchObject({ installed: true, state: 'active' });
    expect(await serviceStatus(rescue, opts)).toMatchObject({ installed: false, state: 'not-installed' });
    expect(await uninstallService(rescue, opts)).toMatchObject({ status: 'not-installed' });
  });

  it('restart addresses this profile\'s unit only', async () => {
    const { stand, rescue, main, opts } = await setup();
    await installService(main, opts);
    await installService(rescue, opts);
    const before = (await stand.calls()).length;
    await restartService(rescue, opts);
    expect((await stand.calls()).slice(before)).toEqual(['systemctl --user show-environment', 'systemctl --user restart epiloop-gateway-rescue.service']);
  });

  it('restart without an installed service says how to install it', async () => {
    const { rescue, opts } = await setup();
    await expect(restartService(rescue, opts)).rejects.toThrow(/no gateway service is installed for profile "rescue".*gateway install/);
  });

  it('without a user manager: one clear sentence, how to run by hand, and nothing written', async () => {
    const { home, stand, rescue, opts } = await setup({ STANDIN_NO_BUS: '1' });
    const error = await installService(rescue, opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostError);
    const message = (error as HostError).message;
    expect(message).toMatch(/^Nothing was installed: /);
    expect(message).toMatch(/Start it without a service instead: epiloop --profile rescue start$/);
    expect(message).not.toContain('\n');
    expect(await exists(path.join(home, '.config'))).toBe(false);
    expect(await stand.calls()).toEqual(['systemctl --user show-environment']);
    await expect(restartService(rescue, opts)).rejects.toThrow(HostError);
    expect(await serviceStatus(rescue, opts)).toMatchObject({ usable: true, installed: false });
    expect(await serviceStatus(rescue, { ...opts, probe: true })).toMatchObject({ usable: false, reason: expect.any(String) });
  });

  it('status of an installed unit when the manager stops answering: state unknown, and why', async () => {
    const { rescue, opts } = await setup();
    await installService(rescue, opts);
    const status = await serviceStatus(rescue, { ...opts, env: { ...opts.env, STANDIN_NO_BUS: '1' } });
    expect(status).toMatchObject({ installed: true, usable: false, state: 'unknown', pid: null, mismatches: [] });
    expect(status.reason).toMatch(/systemd/);
  });

  it('a failing systemctl step removes the new unit again', async () => {
    const { home, stand, rescue, opts } = await setup({ STANDIN_FAIL: 'enable' });
    await expect(installService(rescue, opts)).rejects.toThrow(
      /"systemctl --user enable --now epiloop-gateway-rescue.service" failed: Failed to enable unit: Access denied\. Nothing was left installed/,
    );
    expect(await readdir(unitDir(home))).toEqual([]);
    expect((await stand.calls()).slice(-3)).toEqual([
      'systemctl --user enable --now epiloop-gateway-rescue.service',
      'systemctl --user disable --now epiloop-gateway-rescue.service',
      'systemctl --user daemon-reload',
    ]);
  });

  it('a failing update puts the previous unit back', async () => {
    const { home, rescue, opts } = await setup();
    const first = await installService(rescue, opts);
    await writeConfig(rescue, { gateway: { port: 19900 } });
    const failing = { ...opts, env: { ...opts.env, STANDIN_FAIL: 'restart' } };
    await expect(installService(rescue, failing)).rejects.toThrow(/was put back/);
    expect(await readFile(path.join(unitDir(home), 'epiloop-gateway-rescue.service'), 'utf8')).toBe(first.text);
  });

  it('--dry-run prints the unit and the commands, and runs and writes nothing', async () => {
    const { home, stand, rescue, opts } = await setup();
    const result = await installService(rescue, { ...opts, dryRun: true });
    expect(result.status).toBe('dry-run');
    expect(result.text).toContain('ExecStart=');
    expect(result.commands).toEqual(['systemctl --user daemon-reload', 'systemctl --user enable --now epiloop-gateway-rescue.service']);
    expect(await exists(path.join(home, '.config'))).toBe(false);
    expect(await stand.calls()).toEqual([]);
    await installService(rescue, opts);
    const before = (await stand.calls()).length;
    const removal = await uninstallService(rescue, { ...opts, dryRun: true });
    expect(removal.commands).toEqual([
      'systemctl --user disable --now epiloop-gateway-rescue.service',
      `rm ${removal.file}`,
      'systemctl --user daemon-reload',
    ]);
    expect(await exists(removal.file)).toBe(true);
    expect((await stand.calls()).length).toBe(before);
  });

  it('status spawns nothing when no unit is installed', async () => {
    const { stand, rescue, opts } = await setup();
    expect(await serviceStatus(rescue, opts)).toEqual({
      kind: 'systemd',
      usable: true,
      name: 'epiloop-gateway-rescue.service',
      installed: false,
      file: path.join(unitDir(opts.home), 'epiloop-gateway-rescue.service'),
      state: 'not-installed',
      enabled: null,
      pid: null,
      mismatches: [],
    });
    expect(await stand.calls()).toEqual([]);
  });

  it('refuses a profile that is not set up, writing nothing', async () => {
    const { home, stand, opts } = await setup();
    const paths = resolveProfile({ flag: 'ghost', env: {}, home });
    await expect(installService(paths, opts)).rejects.toThrow(/profile "ghost" is not set up.*--profile ghost setup/);
    expect(await exists(paths.stateDir)).toBe(false);
    expect(await exists(path.join(home, '.config'))).toBe(false);
    expect(await stand.calls()).toEqual([]);
  });

  it('refuses a broken config or a footprint that collides with another profile', async () => {
    const { home, stand, rescue, opts } = await setup();
    await writeConfig(rescue, { gateway: { port: 18800 } });
    await expect(installService(rescue, opts)).rejects.toThrow(/profile "rescue" uses base port 18800, which collides with another profile:\n.*main/);
    await writeConfig(rescue, { gateway: { port: 'soon' } });
    await expect(installService(rescue, opts)).rejects.toThrow(/gateway\.port[\s\S]*Nothing was installed\.$/);
    expect(await exists(path.join(home, '.config'))).toBe(false);
    expect(await stand.calls()).toEqual([]);
  });

  it('never takes over the unit of another gateway that shares the default name', async () => {
    const { home, opts } = await setup();
    const first = await profile(home, undefined, 20789, { EPILOOP_CONFIG_PATH: path.join(home, 'a', 'epiloop.json') });
    const second = await profile(home, undefined, 21789, { EPILOOP_CONFIG_PATH: path.join(home, 'b', 'epiloop.json') });
    await installService(first, opts);
    await expect(installService(second, opts)).rejects.toThrow(/runs the gateway of another config .*a\/epiloop\.json.*its own profile/);
    await expect(uninstallService(second, opts)).rejects.toThrow(/will not uninstall it/);
    expect(await serviceStatus(first, opts)).toMatchObject({ installed: true, mismatches: [] });
  });
});

describe('launchd, through a stand-in launchctl', () => {
  const darwin = { platform: 'darwin' as const };

  it('installs, reports, updates, restarts and uninstalls one profile\'s agent only', async () => {
    const { home, stand, rescue, main } = await setup();
    const opts = { env: stand.env, home, ...darwin };
    const uid = process.getuid?.() ?? 0;
    await installService(main, opts);
    const result = await installService(rescue, opts);
    const file = path.join(home, 'Library', 'LaunchAgents', 'ai.epiloop.gateway.rescue.plist');
    expect(result).toMatchObject({ status: 'installed', file });
    expect(parsePlist(await readFile(file, 'utf8'))).toMatchObject({ Label: 'ai.epiloop.gateway.rescue', KeepAlive: { SuccessfulExit: false } });
    expect(result.commands).toEqual([`launchctl bootstrap gui/${uid} ${file}`, `launchctl kickstart gui/${uid}/ai.epiloop.gateway.rescue`]);
    expect(await serviceStatus(rescue, opts)).toMatchObject({ kind: 'launchd', installed: true, state: 'active', enabled: true, mismatches: [] });
    expect(await installService(rescue, opts)).toMatchObject({ status: 'unchanged' });

    await writeConfig(rescue, { gateway: { port: 19900 } });
    expect((await serviceStatus(rescue, opts)).mismatches).toEqual(['service runs port 19789 but config says 19900']);
    expect((await installService(rescue, opts)).commands).toEqual([
      `launchctl bootout gui/${uid}/ai.epiloop.gateway.rescue`,
      `launchctl bootstrap gui/${uid} ${file}`,
      `launchctl kickstart gui/${uid}/ai.epiloop.gateway.rescue`,
    ]);
    const before = (await stand.calls()).length;
    await restartService(rescue, opts);
    expect((await stand.calls()).slice(before)).toEqual([`launchctl print gui/${uid}`, `launchctl kickstart -k gui/${uid}/ai.epiloop.gateway.rescue`]);

    const mainFile = path.join(home, 'Library', 'LaunchAgents', 'ai.epiloop.gateway.main.plist');
    const mainText = await readFile(mainFile, 'utf8');
    const mark = (await stand.calls()).length;
    expect(await uninstallService(rescue, opts)).toMatchObject({ status: 'removed' });
    expect((await stand.calls()).slice(mark).join('\n')).not.toContain('gateway.main');
    expect(await exists(file)).toBe(false);
    expect(await readFile(mainFile, 'utf8')).toBe(mainText);
    expect(await serviceStatus(main, opts)).toMatchObject({ installed: true, state: 'active' });
  });

  it('without a GUI session: one sentence, by-hand hint, nothing written', async () => {
    const { home, stand, rescue } = await setup({ STANDIN_NO_BUS: '1' });
    await expect(installService(rescue, { env: stand.env, home, ...darwin })).rejects.toThrow(/^Nothing was installed: launchd has no GUI session/);
    expect(await exists(path.join(home, 'Library'))).toBe(false);
  });
});

describe('where there is no service manager at all', () => {
  it('says so for Windows, with the by-hand command', async () => {
    const { rescue, opts } = await setup();
    await expect(installService(rescue, { ...opts, platform: 'win32' })).rejects.toThrow(
      'Nothing was installed: Windows has neither systemd nor launchd, so epiloop cannot install the gateway as a service here. Start it without a service instead: epiloop --profile rescue start',
    );
    expect(await serviceStatus(rescue, { ...opts, platform: 'win32' })).toMatchObject({ kind: null, usable: false, installed: false, file: null });
  });
});

describe('the CLI path a service runs', () => {
  it('follows an npm bin symlink to bin/epiloop.js, else finds the one above this code', async () => {
    const { home } = await tempHome();
    // vitest's own argv[1], or a missing file: the search from this code's own file.
    const repoBin = installedCli('/nonexistent/vitest.mjs');
    expect(repoBin).toBe(path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../bin/epiloop.js'));
    await mkdir(path.join(home, 'bin'));
    await symlink(repoBin, path.join(home, 'bin', 'epiloop'));
    expect(installedCli(path.join(home, 'bin', 'epiloop'))).toBe(repoBin);
    // From a bundled chunk one level deeper than src/service/: still found.
    expect(installedCli('', path.join(path.dirname(path.dirname(repoBin)), 'dist', 'chunks', 'chunk-X.js'))).toBe(repoBin);
  });
});
