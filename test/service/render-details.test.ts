import { describe, expect, it } from 'vitest';
import { resolveProfile, type ProfilePaths } from '../../src/core/profile/paths';
import { describeDrift, flagValue, serviceSpec } from '../../src/core/service/spec';
import { invocationOf } from '../../src/core/profile/identity';
import { parseSystemdShow, readSystemdUnit, renderSystemdUnit, systemctlCommands, unitWords } from '../../src/core/service/systemd';

const HOME = '/home/ada';
const PROGRAM = { node: '/usr/bin/node', cli: '/opt/epiloop/bin/epiloop.js' };
const profile = (flag: string | undefined, env: Record<string, string> = {}): ProfilePaths => resolveProfile({ flag, env, home: HOME });

describe('service spec, word for word', () => {
  it('names the default profile and a named one', () => {
    expect(invocationOf(profile(undefined).profile, false)).toBe('epiloop');
    expect(invocationOf(profile('rescue').profile, false)).toBe('epiloop --profile rescue');
    expect(serviceSpec(profile(undefined), PROGRAM, 18789)).toMatchObject({ description: 'Epiloop Gateway (default profile)', invocation: 'epiloop' });
    expect(serviceSpec(profile('rescue'), PROGRAM, 18789)).toMatchObject({ description: 'Epiloop Gateway (profile rescue)', invocation: 'epiloop --profile rescue' });
  });

  it('says which path holds a control character and how to move it', () => {
    expect(() => serviceSpec(profile('rescue', { EPILOOP_STATE_DIR: '/tmp/a\nb' }), PROGRAM, 19789)).toThrow(
      'the path "/tmp/a\\nb/gateway.err" contains a control character (such as a newline), which a service file cannot hold. Move the profile to a path without one (EPILOOP_STATE_DIR / EPILOOP_CONFIG_PATH).',
    );
  });

  it('reads a flag\'s value wherever it stands, null when it is absent or last', () => {
    expect(flagValue(['--port', '1'], '--port')).toBe('1');
    expect(flagValue(['x', '--port', '2'], '--port')).toBe('2');
    expect(flagValue(['x', '--port'], '--port')).toBeNull();
    expect(flagValue(['x', 'y'], '--port')).toBeNull();
  });
});

describe('drift, in words', () => {
  const expected = serviceSpec(profile('rescue'), PROGRAM, 19789);
  const installed = (argv: string[] | null, env: Record<string, string> = Object.fromEntries(expected.env), errorPath: string | null = expected.errorPath) => ({ argv, env, errorPath });

  it('needs node and the CLI at least to read a command', () => {
    expect(describeDrift(installed([PROGRAM.node]), expected)).toEqual(['the service file has no command epiloop can read']);
    expect(describeDrift(installed([PROGRAM.node, PROGRAM.cli]), expected)).toEqual([
      'service runs port (none) but config says 19789',
      'service runs profile (none) but this is profile rescue',
    ]);
  });

  it('shows an empty or missing value as (none)', () => {
    const drift = describeDrift(installed(expected.argv, { EPILOOP_PROFILE: '', EPILOOP_STATE_DIR: expected.env[1]![1] }, null), expected);
    expect(drift).toEqual([
      "service sets EPILOOP_PROFILE=(none) but the profile's profile is rescue",
      "service sets EPILOOP_CONFIG_PATH=(none) but the profile's config is /home/ada/.epiloop-rescue/epiloop.json",
      "service writes the gateway's errors to (none) but this epiloop writes them to /home/ada/.epiloop-rescue/gateway.err (the gateway keeps its own rotated gateway.log)",
    ]);
  });

  it('names any other difference in the command line when node, CLI, port and profile agree', () => {
    const argv = [...expected.argv, '--verbose'];
    expect(describeDrift(installed(argv), expected)).toEqual([
      'service runs "--profile rescue gateway --port 19789 --verbose" but epiloop would run "--profile rescue gateway --port 19789"',
    ]);
  });
});

describe('systemd unit, word for word', () => {
  it('renders exactly this unit', () => {
    expect(renderSystemdUnit(serviceSpec(profile('rescue'), PROGRAM, 19789)).split('\n')).toEqual([
      '# Managed by epiloop: "epiloop --profile rescue gateway install" rewrites this file, "epiloop --profile rescue gateway uninstall" removes it.',
      '[Unit]',
      'Description=Epiloop Gateway (profile rescue)',
      'StartLimitIntervalSec=120',
      'StartLimitBurst=5',
      '',
      '[Service]',
      'Type=simple',
      'ExecStart=/usr/bin/node /opt/epiloop/bin/epiloop.js --profile rescue gateway --port 19789',
      'Environment="EPILOOP_PROFILE=rescue"',
      'Environment="EPILOOP_STATE_DIR=/home/ada/.epiloop-rescue"',
      'Environment="EPILOOP_CONFIG_PATH=/home/ada/.epiloop-rescue/epiloop.json"',
      'Restart=on-failure',
      'RestartSec=5',
      'RestartPreventExitStatus=2 3',
      'StandardOutput=null',
      'StandardError=truncate:/home/ada/.epiloop-rescue/gateway.err',
      '',
      '[Install]',
      'WantedBy=default.target',
      '',
    ]);
  });

  it('splits words: runs of spaces, empty quotes, escapes, \\x only with two hex digits, a trailing backslash kept', () => {
    expect(unitWords('')).toEqual([]);
    expect(unitWords('  a   b  ')).toEqual(['a', 'b']);
    expect(unitWords('"" x')).toEqual(['', 'x']);
    expect(unitWords('a\\tb \\s \\q')).toEqual(['a\tb', ' ', 'q']);
    expect(unitWords('\\x4g \\x41B')).toEqual(['x4g', 'AB']);
    expect(unitWords('end\\')).toEqual(['end\\']);
    expect(unitWords('\\\\x41')).toEqual(['\\x41']);
  });

  it('reads a hand-edited unit: comments, indentation, other sections, flags before the program, spaces around =', () => {
    const text = [
      '# a comment with ExecStart=/bin/false',
      '; another ExecStart=/bin/false',
      '[Unit]',
      'ExecStart=/bin/unit-section',
      'StandardError=append:/not/this.log',
      '[Service]',
      'no equals sign here',
      '  ExecStart = -@/usr/bin/node /cli.js --port $$5 a=b',
      'Environment=',
      'Environment="A=1" NOEQ "=x" "B=%%h"',
      'StandardOutput=append:/out.log',
      'StandardError = file:/var/log/%%g.log',
      'StandardErrors',
    ].join('\n');
    expect(readSystemdUnit(text)).toEqual({
      argv: ['/usr/bin/node', '/cli.js', '--port', '$5', 'a=b'],
      env: { A: '1', B: '%h' },
      errorPath: '/var/log/%g.log',
    });
  });

  it('keeps $$ in the program path (systemd does not expand it there), and forgets Environment= set before an empty one', () => {
    const text = ['[Service]', 'ExecStart="/opt/$$v/node" x$$y', 'Environment="A=1"', 'Environment=', 'Environment="B=2"', 'StandardError=journal'].join('\n');
    expect(readSystemdUnit(text)).toEqual({ argv: ['/opt/$$v/node', 'x$y'], env: { B: '2' }, errorPath: null });
    expect(readSystemdUnit('[Service]\nStandardError=xappend:/a')).toMatchObject({ errorPath: null });
  });

  it('reads only the [Service] section, wherever it stands, and the last StandardError line, from a file with CRLF line ends', () => {
    const text = [
      '  [Service]  ',
      'ExecStart=/usr/bin/node /cli.js',
      'StandardError=append:/err.log',
      'StandardOutput=append:/out.log',
      '[Unit]',
      'ExecStart=/bin/false',
      'Environment="A=1"',
      'StandardError=append:/unit.log',
      '',
    ].join('\r\n');
    expect(readSystemdUnit(text)).toEqual({ argv: ['/usr/bin/node', '/cli.js'], env: {}, errorPath: '/err.log' });
  });

  it('maps every ActiveState, and reads values as systemd prints them', () => {
    const state = (active: string) => parseSystemdShow(`ActiveState=${active}\n`).state;
    expect(['active', 'reloading', 'activating', 'failed', 'inactive', 'deactivating', 'maintenance', ''].map(state)).toEqual([
      'active',
      'active',
      'activating',
      'failed',
      'inactive',
      'inactive',
      'unknown',
      'unknown',
    ]);
    expect(parseSystemdShow('garbage\nLoadState=loaded \nUnitFileState=enabled\r\nMainPID=12\n')).toEqual({ loaded: true, enabled: true, state: 'unknown', pid: 12 });
  });

  it('names every systemctl call for one unit', () => {
    expect(systemctlCommands('u.service')).toEqual({
      reload: ['systemctl', '--user', 'daemon-reload'],
      enableNow: ['systemctl', '--user', 'enable', '--now', 'u.service'],
      enable: ['systemctl', '--user', 'enable', 'u.service'],
      restart: ['systemctl', '--user', 'restart', 'u.service'],
      disableNow: ['systemctl', '--user', 'disable', '--now', 'u.service'],
      start: ['systemctl', '--user', 'start', 'u.service'],
      stop: ['systemctl', '--user', 'stop', 'u.service'],
      show: ['systemctl', '--user', 'show', 'u.service', '--property=LoadState,ActiveState,SubState,MainPID,UnitFileState'],
    });
  });
});
