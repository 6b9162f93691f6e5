import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  rotatedFile,
  backupFile,
  backupTime,
  configLockPath,
  hostLockPath,
  invocationOf,
  isBackupName,
  launchdLabelOf,
  launchdPlistName,
  nextCommand,
  profileArgs,
  profileLabel,
  profileOfLabel,
  profileOfLaunchdLabel,
  profileOfLaunchdPlist,
  profileOfStateDirName,
  profileOfSystemdUnit,
  stateDirName,
  stateFile,
  systemdUnitName,
  isWorkspaceName,
  workspaceName,
  type Profile,
} from '../../src/core/profile/identity';
import { isProfileName, PROFILE_NAME_PATTERN } from '../../src/core/profile/name';
import { derivedPaths } from '../../src/core/profile/paths';

const home = '/home/ada';
const names = fc.stringMatching(PROFILE_NAME_PATTERN).filter(isProfileName);
/** Every profile: the default (null) and any valid name. */
const profiles: fc.Arbitrary<Profile> = fc.oneof(fc.constant(null), names);

/** Each name derived from a profile, with its reverse. */
const NAMINGS: [string, (p: Profile) => string, (name: string) => Profile | undefined][] = [
  ['state dir', stateDirName, profileOfStateDirName],
  ['systemd unit', systemdUnitName, profileOfSystemdUnit],
  ['launchd label', launchdLabelOf, profileOfLaunchdLabel],
  ['launchd plist', launchdPlistName, profileOfLaunchdPlist],
  ['label', profileLabel, profileOfLabel],
];

describe('profile identity', () => {
  it.each(NAMINGS)('%s: name → derived name → name round-trips for every profile', (_, derive, reverse) => {
    fc.assert(fc.property(profiles, (p) => reverse(derive(p)) === p));
  });

  it.each(NAMINGS)('%s: no two profiles share one derived name', (_, derive) => {
    fc.assert(fc.property(profiles, profiles, (a, b) => a === b || derive(a) !== derive(b)));
  });

  it('derives the paths from the same names, so discovery reads back what setup writes', () => {
    fc.assert(
      fc.property(profiles, (p) => {
        const paths = derivedPaths(p, home);
        return (
          profileOfStateDirName(path.basename(paths.stateDir)) === p &&
          path.dirname(paths.stateDir) === home &&
          paths.configPath === stateFile(paths.stateDir, 'config') &&
          profileOfSystemdUnit(paths.systemdUnit) === p &&
          profileOfLaunchdLabel(paths.launchdLabel) === p &&
          path.basename(paths.defaultWorkspace) === workspaceName(p)
        );
      }),
    );
  });

  it('spells the names the README documents', () => {
    expect(derivedPaths(null, home)).toMatchObject({ stateDir: '/home/ada/.epiloop', defaultWorkspace: '/home/ada/.epiloop/workspace', systemdUnit: 'epiloop-gateway.service', launchdLabel: 'ai.epiloop.gateway' });
    expect(derivedPaths('rescue', home)).toMatchObject({ stateDir: '/home/ada/.epiloop-rescue', defaultWorkspace: '/home/ada/.epiloop/workspace-rescue', systemdUnit: 'epiloop-gateway-rescue.service', launchdLabel: 'ai.epiloop.gateway.rescue' });
    expect(launchdPlistName('rescue')).toBe('ai.epiloop.gateway.rescue.plist');
    expect(hostLockPath(home)).toBe('/home/ada/.epiloop.ports.lock');
    expect(rotatedFile('/s/gateway.log', 2)).toBe('/s/gateway.log.2');
    expect(['config', 'gatewayLock', 'gatewayLog', 'gatewayErr', 'watchLog', 'serviceLock', 'configPointer'].map((f) => path.basename(stateFile('/s', f as Parameters<typeof stateFile>[1])))).toEqual([
      'epiloop.json',
      'gateway.lock',
      'gateway.log',
      'gateway.err',
      'watch.log',
      'service.lock',
      'config-path',
    ]);
  });

  it.each([
    ['state dir', profileOfStateDirName, ['.epiloop-', '.epiloop-default', '.epiloop-Main', '.epiloopx', '.epiloop-a/b', 'epiloop', '.epiloop.ports.lock', '.epiloop_rescue', '.epiloopxrescue']],
    ['systemd unit', profileOfSystemdUnit, ['epiloop-gateway-.service', 'epiloop-gateway-default.service', 'epiloop-gateway.service.bak', 'epiloop-gatewayx.service', 'epiloop-gateway-x.timer', 'epiloop-gateway_rescue.service']],
    ['launchd plist', profileOfLaunchdPlist, ['ai.epiloop.gateway..plist', 'ai.epiloop.gateway.default.plist', 'ai.epiloop.gateway.plist.bak', 'ai.epiloop.gatewayx.plist', 'ai.epiloop.gateway.a.b.plist']],
  ] as const)('%s: a name epiloop never derives is nobody\'s', (_, reverse, foreign) => {
    for (const name of foreign) expect(reverse(name), name).toBeUndefined();
  });

  it('names the profile on the command line, and never the default one (the CLI refuses --profile default)', () => {
    expect(invocationOf(null, false)).toBe('epiloop');
    expect(profileArgs(null)).toEqual([]);
    expect(invocationOf('rescue', false)).toBe('epiloop --profile rescue');
    expect(profileArgs('rescue')).toEqual(['--profile', 'rescue']);
    fc.assert(fc.property(profiles, fc.boolean(), (p, envSelects) => p === null || invocationOf(p, envSelects) === ['epiloop', ...profileArgs(p)].join(' ')));
  });

  it('empties EPILOOP_PROFILE before the default profile\'s commands where it selects another profile, as --profile needs no such thing', () => {
    expect(invocationOf(null, true)).toBe('EPILOOP_PROFILE= epiloop');
    expect(invocationOf('rescue', true)).toBe('epiloop --profile rescue');
  });

  it('recognises its own backups of a config, and nothing else', () => {
    const config = '/s/epiloop.json';
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }), (at) => {
        const file = backupFile(config, at);
        return path.dirname(file) === '/s' && isBackupName('epiloop.json', path.basename(file)) && !isBackupName('other.json', path.basename(file));
      }),
    );
    expect(backupFile(config, new Date('2026-11-25T07:35:00.123Z'))).toBe('/s/epiloop.json.20261125T073500123Z.bak');
    // The stamp is the whole part between the config's name and ".bak": nothing before it, nothing after it.
    for (const name of ['epiloop.json.x20261125T073500123Z.bak', 'epiloop.json.20261125T073500123Zx.bak', 'epiloop.json.20261125T073500123Z.1.bak']) {
      expect(isBackupName('epiloop.json', name), name).toBe(false);
    }
    for (const name of ['epiloop.json', 'epiloop.json.bak', 'epiloop.json.2026.bak', 'epiloop.json.20261125T073500123Z.bak.tmp', 'xepiloop.json.20261125T073500123Z.bak', 'epiloop-json.20261125T073500123Z.bak']) {
      expect(isBackupName('epiloop.json', name), name).toBe(false);
    }
  });

  it('reads when a backup was made from its name, and nothing from any other name', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }), (at) => {
        expect(backupTime('epiloop.json', path.basename(backupFile('/s/epiloop.json', at)))).toBe(at.toISOString());
      }),
    );
    expect(backupTime('epiloop.json', 'epiloop.json.20261125T073500123Z.bak')).toBe('2026-11-25T07:35:00.123Z');
    for (const name of ['epiloop.json', 'epiloop.json.bak', 'other.json.20261125T073500123Z.bak', 'epiloop.json.20261125T073500123Z.bak.tmp']) {
      expect(backupTime('epiloop.json', name), name).toBeNull();
    }
  });

  it('advises start for a gateway that is not running, restart for a running one whose config changed, and nothing otherwise', () => {
    const invocation = 'epiloop --profile rescue';
    const start = { command: 'epiloop --profile rescue start', does: 'start the gateway', kind: 'start' };
    expect(nextCommand(invocation, null, true)).toEqual(start);
    expect(nextCommand(invocation, null, false)).toEqual(start);
    expect(nextCommand(invocation, 812, true)).toEqual({ command: 'epiloop --profile rescue restart', does: 'restart the gateway to apply the change', kind: 'restart' });
    expect(nextCommand(invocation, 812, false)).toBeNull();
  });

  it('puts a config\'s lock beside it, wherever the config is', () => {
    expect(configLockPath('/s/epiloop.json')).toBe('/s/epiloop.json.lock');
    expect(configLockPath('/elsewhere/main.json')).toBe('/elsewhere/main.json.lock');
  });

  it('knows the workspace area\'s folders by name: workspace, and workspace-<anything>', () => {
    expect(['workspace', 'workspace-rescue', 'workspace-', 'workspaces', 'other', 'xworkspace'].map(isWorkspaceName)).toEqual([true, true, true, false, false, false]);
  });
});
