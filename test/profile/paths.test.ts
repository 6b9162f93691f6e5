import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProfileName, isProfileName } from '../../src/core/profile/name';
import { checkUserPath, homeDir, resolveProfile, tildify } from '../../src/core/profile/paths';
import { UsageError } from '../../src/core/errors';
import { runs } from '../helpers/runs';

const home = '/home/ada';

describe('profile names', () => {
  it.each(['main', 'rescue', 'r2', '0', 'a-b_c', 'x'.repeat(32)])('accepts %j', (name) => {
    expect(isProfileName(name)).toBe(true);
  });

  it.each(['', '../x', 'a/b', 'has space', 'Main', '-lead', '_lead', 'x'.repeat(33), 'default', 'é'])('rejects %j with the rule', (name) => {
    expect(() => checkProfileName(name)).toThrow(UsageError);
  });

  // A dot would make the launchd label ambiguous: ai.epiloop.gateway.a.b is also profile "a" + ".b".
  it.each(['a.b', 'rescue.old', 'x.', 'main.', '1.2'])('rejects %j: a dot is not a name character', (name) => {
    expect(isProfileName(name)).toBe(false);
    expect(() => checkProfileName(name)).toThrow(/is not a valid profile name/);
  });

  it('property: accepted exactly when 1–32 of a-z 0-9 - _, starting with a letter or digit, and not "default"', () => {
    const chars = [...'abz09-_.A/\\ é~:'];
    const oracle = (name: string) =>
      name !== 'default' && name.length >= 1 && name.length <= 32 && /[a-z0-9]/.test(name[0]!) && [...name].every((c) => /[a-z0-9_-]/.test(c));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: fc.constantFrom(...chars), maxLength: 34 }), fc.constantFrom('default', 'x'.repeat(32), 'x'.repeat(33))), (name) => {
        expect(isProfileName(name)).toBe(oracle(name));
      }),
      { numRuns: runs(2000) },
    );
  });

  it('says what is allowed, and suggests lower case', () => {
    expect(() => checkProfileName('Rescue')).toThrow(/a-z, 0-9.*Did you mean "rescue"/);
  });

  it('words each refusal exactly, naming where the name came from', () => {
    const rule = 'Use 1–32 characters of a-z, 0-9, "-" and "_", starting with a letter or digit.';
    const message = (name: string, source?: string) => {
      try {
        checkProfileName(name, source);
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      return null;
    };
    expect(message('rescue')).toBeNull();
    expect(checkProfileName('rescue')).toBe('rescue');
    expect(message('default')).toBe('--profile: "default" is reserved for the profile you get without --profile. Leave --profile out, or pick another name.');
    expect(message('')).toBe(`--profile: an empty name is not a valid profile name. ${rule}`);
    expect(message('a/b')).toBe(`--profile: "a/b" is not a valid profile name. ${rule}`);
    expect(message('x y', 'EPILOOP_PROFILE')).toBe(`EPILOOP_PROFILE: "x y" is not a valid profile name. ${rule}`);
    expect(message('Rescue')).toBe(
      `--profile: "Rescue" is not a valid profile name. ${rule} Did you mean "rescue"? Names are lower case so that "Foo" and "foo" can never be two profiles.`,
    );
    expect(message('MAIN')).toMatch(/ Did you mean "main"\? /);
    // No suggestion when lower case would not help either, or there is no upper case at all.
    expect(message('Re/scue')).toBe(`--profile: "Re/scue" is not a valid profile name. ${rule}`);
    expect(message('-lead')).toBe(`--profile: "-lead" is not a valid profile name. ${rule}`);
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

  it('keeps the shared default workspace when EPILOOP_STATE_DIR names the derived state dir, and says which paths were given', () => {
    const same = resolveProfile({ flag: 'rescue', env: { EPILOOP_STATE_DIR: '/home/ada/.epiloop-rescue' }, home });
    expect(same.defaultWorkspace).toBe('/home/ada/.epiloop/workspace-rescue');
    expect(same.explicit).toEqual({ stateDir: true, configPath: false });
    expect(resolveProfile({ env: {}, home }).explicit).toEqual({ stateDir: false, configPath: false });
    expect(resolveProfile({ env: { EPILOOP_CONFIG_PATH: '/home/ada/c.json' }, home }).explicit).toEqual({ stateDir: false, configPath: true });
  });

  it('names the variable a refused path came from', () => {
    expect(() => resolveProfile({ env: { EPILOOP_STATE_DIR: 'rel/dir' }, home })).toThrow(/^EPILOOP_STATE_DIR: "rel\/dir" is a relative path/);
    expect(() => resolveProfile({ env: { EPILOOP_CONFIG_PATH: '/etc/epiloop.json' }, home })).toThrow(/^EPILOOP_CONFIG_PATH: \/etc\/epiloop.json is inside the system directory \/etc/);
  });
});

describe('checkUserPath', () => {
  it('words each refusal exactly', () => {
    expect(() => checkUserPath('rel', home, '--state-dir')).toThrow(
      new UsageError('--state-dir: "rel" is a relative path; give an absolute one or one starting with ~/ (a relative path would depend on the directory the command runs in).'),
    );
    expect(() => checkUserPath('/etc', home, 'X')).toThrow(new UsageError('X: /etc is the system directory /etc; give a directory of your own, e.g. under ~/.'));
    expect(() => checkUserPath('/etc/epiloop', home, 'X')).toThrow(new UsageError('X: /etc/epiloop is inside the system directory /etc; give a directory of your own, e.g. under ~/.'));
    expect(() => checkUserPath('/var', home, 'X')).toThrow(/is the system directory \/var;/);
  });

  it('takes a flag\'s relative path from where it was typed, an environment variable\'s never, and ~ from HOME', () => {
    expect(checkUserPath('rel/dir', home, '--state-dir', '/home/ada/work')).toBe('/home/ada/work/rel/dir');
    expect(checkUserPath('~/x/../y', home, '--state-dir', '/home/ada/work')).toBe('/home/ada/y');
    expect(checkUserPath('/home/ada/x/', home, 'EPILOOP_STATE_DIR')).toBe('/home/ada/x');
    expect(checkUserPath('/var/lib/epiloop', home, 'X')).toBe('/var/lib/epiloop');
  });

  it('refuses a flag\'s relative path typed in a directory removed under the shell, naming the flag; an absolute one or ~ still does', () => {
    expect(() => checkUserPath('rel/dir', home, '--state-dir', null)).toThrow(
      new UsageError('--state-dir: the current directory no longer exists; give --state-dir as an absolute path (or one starting with ~/).'),
    );
    expect(checkUserPath('/home/ada/x', home, '--state-dir', null)).toBe('/home/ada/x');
    expect(checkUserPath('~/x', home, '--state-dir', null)).toBe('/home/ada/x');
  });
});

describe('homeDir', () => {
  it('takes HOME, else the OS\'s home when HOME is unset or empty', () => {
    expect(homeDir('/home/ada', '/home/os')).toBe('/home/ada');
    expect(homeDir(undefined, '/home/os')).toBe('/home/os');
    expect(homeDir('', '/home/os/')).toBe('/home/os');
  });

  it('refuses an empty or relative home, saying which', () => {
    const tail = '; epiloop keeps every profile under your home directory and will not guess one from the current directory. Set HOME to it, e.g. export HOME=/home/$(id -un).';
    expect(() => homeDir('', '')).toThrow(new UsageError(`HOME is empty${tail}`));
    expect(() => homeDir('ada', '/home/os')).toThrow(new UsageError(`HOME is "ada", not an absolute path${tail}`));
  });
});
