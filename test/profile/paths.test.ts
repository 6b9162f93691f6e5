import { describe, expect, it } from 'vitest';
import { checkProfileName, isProfileName } from '../../src/core/profile/name';
import { resolveProfile, tildify } from '../../src/core/profile/paths';
import { UsageError } from '../../src/core/errors';

const home = '/home/ada';

describe('profile names', () => {
  it.each(['main', 'rescue', 'r2', '0', 'a-b_c', 'x'.repeat(32)])('accepts %j', (name) => {
    expect(isProfileName(name)).toBe(true);
  });

  it.each(['', '../x', 'a/b', 'has space', 'Main', '-lead', '_lead', 'x'.repeat(33), 'default', 'é'])('rejects %j with the rule', (name) => {
    expect(() => checkProfileName(name)).toThrow(UsageError);
  });

  it('says what is allowed, and suggests lower case', () => {
    expect(() => checkProfileName('Rescue')).toThrow(/a-z, 0-9.*Did you mean "rescue"/);
  });
});

describe('resolveProfile', () => {
  it('derives the default profile', () => {
    const p = resolveProfile({ env: {}, home });
    expect(p).toMatchObject({
      profile: null,
      label: 'default',
      stateDir: '/home/ada/.epiloop',
      configPath: '/home/ada/.epiloop/epiloop.json',
      defaultWorkspace: '/home/ada/.epiloop/workspace',
      systemdUnit: 'epiloop-gateway.service',
      launchdLabel: 'ai.epiloop.gateway',
    });
  });

  it('suffixes state dir, workspace and service names for a profile', () => {
    const p = resolveProfile({ flag: 'rescue', env: {}, home });
    expect(p).toMatchObject({
      stateDir: '/home/ada/.epiloop-rescue',
      configPath: '/home/ada/.epiloop-rescue/epiloop.json',
      defaultWorkspace: '/home/ada/.epiloop/workspace-rescue',
      systemdUnit: 'epiloop-gateway-rescue.service',
      launchdLabel: 'ai.epiloop.gateway.rescue',
    });
  });

  it('lets --profile win over EPILOOP_PROFILE', () => {
    expect(resolveProfile({ flag: 'main', env: { EPILOOP_PROFILE: 'rescue' }, home }).profile).toBe('main');
    expect(resolveProfile({ env: { EPILOOP_PROFILE: 'rescue' }, home }).profile).toBe('rescue');
  });

  it('rejects a bad EPILOOP_PROFILE naming the variable', () => {
    expect(() => resolveProfile({ env: { EPILOOP_PROFILE: '../x' }, home })).toThrow(/EPILOOP_PROFILE/);
  });

  it('lets explicit EPILOOP_STATE_DIR / EPILOOP_CONFIG_PATH win (the seed\'s manual env example)', () => {
    const p = resolveProfile({
      env: { EPILOOP_CONFIG_PATH: '~/.epiloop/main.json', EPILOOP_STATE_DIR: '~/.epiloop-main' },
      home,
    });
    expect(p.configPath).toBe('/home/ada/.epiloop/main.json');
    expect(p.stateDir).toBe('/home/ada/.epiloop-main');
    expect(p.explicit).toEqual({ stateDir: true, configPath: true });
  });

  it('puts the config in an explicit state dir when only that is set', () => {
    const p = resolveProfile({ flag: 'rescue', env: { EPILOOP_STATE_DIR: '/srv/r' }, home });
    expect(p.configPath).toBe('/srv/r/epiloop.json');
    expect(p.systemdUnit).toBe('epiloop-gateway-rescue.service');
    // Instances told apart only by their state dir get a workspace of their own.
    expect(p.defaultWorkspace).toBe('/srv/r/workspace');
  });

  it('treats an empty variable as unset', () => {
    expect(resolveProfile({ env: { EPILOOP_PROFILE: '', EPILOOP_STATE_DIR: '' }, home }).stateDir).toBe('/home/ada/.epiloop');
  });

  it('tildifies only paths under home', () => {
    expect(tildify('/home/ada/.epiloop', home)).toBe('~/.epiloop');
    expect(tildify('/home/adam/x', home)).toBe('/home/adam/x');
  });
});
