import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeConfig } from '../../src/host/store/store';
import { discoverProfiles } from '../../src/host/profile/discover';
import { resolveProfile } from '../../src/core/profile/paths';
import { launchdPlistFile, renderLaunchdPlist } from '../../src/core/service/launchd';
import { serviceSpec } from '../../src/core/service/spec';
import { renderSystemdUnit, systemdUnitFile } from '../../src/core/service/systemd';
import { tempHome } from '../helpers/home';

const PROGRAM = { node: '/usr/bin/node', cli: '/opt/epiloop/bin/epiloop.js' };

describe('profiles found through installed services', () => {
  it('reads back a config path with spaces, quotes, %, $, \\ and & from a unit and a plist', async () => {
    const { home } = await tempHome();
    const odd = path.join(home, `conf dir "q" 'a' %h $HOME \\b & <x>`);
    const unitProfile = resolveProfile({ flag: 'alpha', env: { EPILOOP_STATE_DIR: path.join(odd, 'alpha'), EPILOOP_CONFIG_PATH: path.join(odd, 'alpha.json') }, home });
    const plistProfile = resolveProfile({ flag: 'beta', env: { EPILOOP_STATE_DIR: path.join(odd, 'beta'), EPILOOP_CONFIG_PATH: path.join(odd, 'beta.json') }, home });
    await writeConfig(unitProfile, { gateway: { port: 20789 } });
    await writeConfig(plistProfile, { gateway: { port: 21789 } });
    const unit = systemdUnitFile(unitProfile, home);
    const plist = launchdPlistFile(plistProfile, home);
    await mkdir(path.dirname(unit), { recursive: true });
    await mkdir(path.dirname(plist), { recursive: true });
    await writeFile(unit, renderSystemdUnit(serviceSpec(unitProfile, PROGRAM, 20789)));
    await writeFile(plist, renderLaunchdPlist(serviceSpec(plistProfile, PROGRAM, 21789), plistProfile.launchdLabel));

    const found = await discoverProfiles(home);
    expect(found.map((k) => [k.via, k.paths.label, k.paths.stateDir, k.paths.configPath, k.base])).toEqual([
      ['service', 'alpha', unitProfile.stateDir, unitProfile.configPath, 20789],
      ['service', 'beta', plistProfile.stateDir, plistProfile.configPath, 21789],
    ]);
  });
});

describe('profiles found through their state dirs', () => {
  it('a state dir is a directory or a link to one: a FIFO, a file or a link to /dev/zero named ~/.epiloop-x is no profile', async () => {
    const { home } = await tempHome();
    const { execFileSync } = await import('node:child_process');
    const { symlink } = await import('node:fs/promises');
    const real = resolveProfile({ flag: 'real', env: {}, home });
    await writeConfig(real, { gateway: { port: 20789 } });
    // A state dir kept elsewhere and linked in counts.
    const elsewhere = path.join(home, 'disk', 'linked');
    await mkdir(elsewhere, { recursive: true });
    await writeFile(path.join(elsewhere, 'epiloop.json'), JSON.stringify({ gateway: { port: 21789 } }));
    await symlink(elsewhere, path.join(home, '.epiloop-linked'));
    execFileSync('mkfifo', [path.join(home, '.epiloop-fifo')]);
    await writeFile(path.join(home, '.epiloop-file'), '{}');
    await symlink('/dev/zero', path.join(home, '.epiloop-zero'));
    await symlink(path.join(home, 'nowhere'), path.join(home, '.epiloop-dangling'));
    const found = await discoverProfiles(home);
    expect(found.map((k) => [k.paths.label, k.base])).toEqual([
      ['linked', 21789],
      ['real', 20789],
    ]);
  });
});
