import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostError } from '../../src/core/errors';
import { resolveProfile, systemDirOf, type ProfilePaths } from '../../src/core/profile/paths';
import { launchdPlistFile, parseLaunchctlPrint, parsePlist, readLaunchdPlist, renderLaunchdPlist } from '../../src/core/service/launchd';
import { commandText } from '../../src/host/service/manager';
import { describeDrift, serviceSpec, type ServiceSpec } from '../../src/core/service/spec';
import { environmentLine, execProgram, execWord, parseSystemdShow, readSystemdUnit, renderSystemdUnit, systemdUnitFile, unitWords } from '../../src/core/service/systemd';
import { runs } from '../helpers/runs';

const HOME = '/home/ada';
const PROGRAM = { node: '/usr/bin/node', cli: '/opt/epiloop/bin/epiloop.js' };
const ODD = `/tmp/odd dir/$HOME %h "q" 'a' \\back;semi é`;
/** systemd refuses \\ " ' in a unit's program path, so node gets the rest of the oddities. */
const ODD_NODE = '/tmp/odd dir/$HOME %h;semi é/node';

const profile = (flag: string | undefined, env: Record<string, string> = {}): ProfilePaths => resolveProfile({ flag, env, home: HOME });
const view = (spec: ServiceSpec) => ({ argv: spec.argv, env: Object.fromEntries(spec.env), errorPath: spec.errorPath });

describe('service spec', () => {
  it('runs this profile\'s gateway on the config\'s port, with the profile\'s env', () => {
    const spec = serviceSpec(profile('rescue'), PROGRAM, 19789);
    expect(spec.argv).toEqual([PROGRAM.node, PROGRAM.cli, '--profile', 'rescue', 'gateway', '--port', '19789']);
    expect(spec.env).toEqual([
      ['EPILOOP_PROFILE', 'rescue'],
      ['EPILOOP_STATE_DIR', '/home/ada/.epiloop-rescue'],
      ['EPILOOP_CONFIG_PATH', '/home/ada/.epiloop-rescue/epiloop.json'],
    ]);
    expect(spec.errorPath).toBe('/home/ada/.epiloop-rescue/gateway.err');
  });

  it('gives the default profile no --profile and an empty EPILOOP_PROFILE, so a leaked one cannot pick another', () => {
    const spec = serviceSpec(profile(undefined), PROGRAM, 18789);
    expect(spec.argv).toEqual([PROGRAM.node, PROGRAM.cli, 'gateway', '--port', '18789']);
    expect(spec.env[0]).toEqual(['EPILOOP_PROFILE', '']);
  });

  it('refuses a path with a control character instead of writing a broken file', () => {
    expect(() => serviceSpec(profile('rescue', { EPILOOP_STATE_DIR: '/tmp/a\nb' }), PROGRAM, 19789)).toThrow(HostError);
  });

  it('never gives two profiles one service name or file', () => {
    const names = [undefined, 'main', 'rescue', 'main-2'].map((p) => profile(p));
    for (const file of [(p: ProfilePaths) => systemdUnitFile(p, HOME), (p: ProfilePaths) => launchdPlistFile(p, HOME)]) {
      expect(new Set(names.map(file)).size).toBe(names.length);
    }
    expect(systemdUnitFile(profile('rescue'), HOME)).toBe('/home/ada/.config/systemd/user/epiloop-gateway-rescue.service');
    expect(launchdPlistFile(profile('rescue'), HOME)).toBe('/home/ada/Library/LaunchAgents/ai.epiloop.gateway.rescue.plist');
  });
});

describe('systemd unit', () => {
  it('renders a user unit that restarts on failure and logs to the state dir', () => {
    const text = renderSystemdUnit(serviceSpec(profile('rescue'), PROGRAM, 19789));
    expect(text).toContain('ExecStart=/usr/bin/node /opt/epiloop/bin/epiloop.js --profile rescue gateway --port 19789\n');
    expect(text).toContain('Environment="EPILOOP_PROFILE=rescue"\n');
    expect(text).toContain('Environment="EPILOOP_STATE_DIR=/home/ada/.epiloop-rescue"\n');
    expect(text).toContain('Environment="EPILOOP_CONFIG_PATH=/home/ada/.epiloop-rescue/epiloop.json"\n');
    expect(text).toContain('Restart=on-failure\nRestartSec=5\n');
    // The gateway keeps its own rotated gateway.log: nothing appends to a file forever.
    expect(text).toContain('StandardOutput=null\nStandardError=truncate:/home/ada/.epiloop-rescue/gateway.err\n');
    expect(text).not.toContain('append:');
    expect(text).toContain('[Install]\nWantedBy=default.target\n');
  });

  it('quotes ExecStart words by systemd\'s rules: spaces quoted, \\ and " escaped, % and $ doubled', () => {
    expect(execWord('/usr/bin/node')).toBe('/usr/bin/node');
    expect(execWord('/a b/node')).toBe('"/a b/node"');
    expect(execWord('$HOME%h')).toBe('"$$HOME%%h"');
    expect(execWord('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(execWord("it's;")).toBe('"it\'s;"');
  });

  it('leaves $ alone in the program path (systemd does not expand it there) and refuses \\ " \'', () => {
    expect(execProgram('/opt/node 20/$v/%i/node')).toBe('"/opt/node 20/$v/%%i/node"');
    for (const bad of ['/a"b/node', "/o'brien/node", '/a\\b/node']) {
      expect(() => renderSystemdUnit(serviceSpec(profile('rescue'), { node: bad, cli: PROGRAM.cli }, 19789)), bad).toThrow(/systemd does not allow/);
    }
  });

  it('writes Environment= whole-quoted with \\, " escaped and % doubled ($ means nothing there)', () => {
    expect(environmentLine('EPILOOP_STATE_DIR', '/a b/"q"\\%h$HOME')).toBe('Environment="EPILOOP_STATE_DIR=/a b/\\"q\\"\\\\%%h$HOME"');
  });

  it('splits values into words as systemd does', () => {
    expect(unitWords(`a "b c" 'd e' f\\ g "h\\"i" \\x41`)).toEqual(['a', 'b c', 'd e', 'f g', 'h"i', 'A']);
  });

  it('reads back exactly what it wrote, odd paths included', () => {
    for (const paths of [profile('rescue'), profile(undefined), profile('x', { EPILOOP_STATE_DIR: ODD, EPILOOP_CONFIG_PATH: `${ODD}/c.json` })]) {
      const spec = serviceSpec(paths, { node: ODD_NODE, cli: `${ODD}/bin/epiloop.js` }, 19789);
      expect(readSystemdUnit(renderSystemdUnit(spec))).toEqual(view(spec));
    }
  });

  it('round-trips any printable path (property)', () => {
    const printable = fc.string({ minLength: 1, unit: fc.constantFrom(...' a/\\"\'$%;#é=-x.'.split('')) });
    // "/" itself (from ".", "//", "..") is refused as a state dir before any unit is rendered.
    const dirs = printable.filter((dir) => systemDirOf(`/${dir}`) === null);
    fc.assert(
      fc.property(dirs, printable, (dir, cli) => {
        const paths = profile('p', { EPILOOP_STATE_DIR: `/${dir}`, EPILOOP_CONFIG_PATH: `/${dir}/c.json` });
        const spec = serviceSpec(paths, { node: '/usr/bin/node', cli: `/${cli}` }, 20000);
        const read = readSystemdUnit(renderSystemdUnit(spec));
        return JSON.stringify(read.argv) === JSON.stringify(spec.argv) && JSON.stringify(read.env) === JSON.stringify(Object.fromEntries(spec.env));
      }),
      { numRuns: runs(300) },
    );
  });

  it('maps systemctl show to a run state', () => {
    expect(parseSystemdShow('LoadState=loaded\nActiveState=active\nSubState=running\nMainPID=4242\nUnitFileState=enabled\n')).toEqual({
      loaded: true,
      enabled: true,
      state: 'active',
      pid: 4242,
    });
    expect(parseSystemdShow('LoadState=loaded\nActiveState=activating\nSubState=auto-restart\nMainPID=0\nUnitFileState=enabled\n').state).toBe('activating');
    expect(parseSystemdShow('LoadState=loaded\nActiveState=failed\nMainPID=0\n')).toMatchObject({ state: 'failed', pid: null });
    expect(parseSystemdShow('LoadState=not-found\nActiveState=inactive\nMainPID=0\nUnitFileState=\n')).toEqual({
      loaded: false,
      enabled: false,
      state: 'inactive',
      pid: null,
    });
  });
});

describe('launchd plist', () => {
  it('renders an agent that is well-formed plist XML with the profile\'s env, logs and KeepAlive on failure', () => {
    const paths = profile('rescue');
    const spec = serviceSpec(paths, PROGRAM, 19789);
    expect(parsePlist(renderLaunchdPlist(spec, paths.launchdLabel))).toEqual({
      Label: 'ai.epiloop.gateway.rescue',
      ProgramArguments: spec.argv,
      EnvironmentVariables: Object.fromEntries(spec.env),
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: 10,
      StandardOutPath: '/dev/null',
      StandardErrorPath: '/home/ada/.epiloop-rescue/gateway.err',
    });
  });

  it('escapes odd paths and reads them back', () => {
    const odd = `${ODD} <&> ]]> &amp;`;
    const paths = profile('x', { EPILOOP_STATE_DIR: odd });
    const spec = serviceSpec(paths, { node: `${odd}/node`, cli: PROGRAM.cli }, 19789);
    const text = renderLaunchdPlist(spec, paths.launchdLabel);
    expect(text).not.toContain('<&>');
    expect(readLaunchdPlist(text)).toEqual(view(spec));
  });

  it('parses strictly: malformed XML is an error, not a guess', () => {
    const wrap = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">${body}</plist>`;
    expect(parsePlist(wrap('<dict><key>a</key><integer>1</integer><!-- note --><key>b</key><array><string>x &amp; y</string><true/></array></dict>'))).toEqual({
      a: 1,
      b: ['x & y', true],
    });
    for (const bad of [
      '<dict><key>a</key><string>x</dict>',
      '<dict><key>a</key><string>x & y</string></dict>',
      '<dict><key>a</key><string>&bogus;</string></dict>',
      '<dict><key>a</key><string/><key>a</key><string/></dict>',
      '<dict><string>no key</string></dict>',
      '<dict><key>a</key><integer>1.5</integer></dict>',
      '<dict><key>a</key><true></true></dict>',
      '<dict><!-- a -- b --></dict>',
      '<dict><key>a</key><strin>x</strin></dict>',
    ]) {
      expect(() => parsePlist(wrap(bad)), bad).toThrow(/plist:/);
    }
    expect(() => parsePlist(wrap('<dict/>') + '<extra/>')).toThrow(/after <\/plist>/);
  });

  it('maps launchctl print to a run state', () => {
    expect(parseLaunchctlPrint('gui/501/ai.epiloop.gateway = {\n\tstate = running\n\tpid = 812\n\tlast exit code = (never exited)\n}')).toEqual({
      loaded: true,
      enabled: true,
      state: 'active',
      pid: 812,
    });
    expect(parseLaunchctlPrint('x = {\n\tstate = not running\n\tlast exit code = 1\n}').state).toBe('failed');
    expect(parseLaunchctlPrint('x = {\n\tstate = not running\n\tlast exit code = 0\n}').state).toBe('inactive');
    expect(parseLaunchctlPrint('x = {\n\tstate = spawn scheduled\n}').state).toBe('activating');
  });
});

describe('drift between an installed file and the config', () => {
  const paths = profile('rescue');
  const expected = serviceSpec(paths, PROGRAM, 19789);

  it('is empty when they agree', () => {
    expect(describeDrift(view(expected), expected)).toEqual([]);
  });

  it('names the port, node, CLI and paths that differ, in words', () => {
    const old = serviceSpec(
      profile('rescue', { EPILOOP_STATE_DIR: '/srv/old' }),
      { node: '/usr/local/bin/node', cli: '/old/bin/epiloop.js' },
      18789,
    );
    expect(describeDrift(view(old), expected)).toEqual([
      'service runs node /usr/local/bin/node but this epiloop runs on /usr/bin/node',
      'service runs the CLI at /old/bin/epiloop.js but this epiloop is /opt/epiloop/bin/epiloop.js',
      'service runs port 18789 but config says 19789',
      "service sets EPILOOP_STATE_DIR=/srv/old but the profile's state dir is /home/ada/.epiloop-rescue",
      "service sets EPILOOP_CONFIG_PATH=/srv/old/epiloop.json but the profile's config is /home/ada/.epiloop-rescue/epiloop.json",
      "service writes the gateway's errors to /srv/old/gateway.err but this epiloop writes them to /home/ada/.epiloop-rescue/gateway.err (the gateway keeps its own rotated gateway.log)",
    ]);
  });

  it('notices a unit that runs another profile', () => {
    const other = serviceSpec(profile('main'), PROGRAM, 19789);
    expect(describeDrift(view(other), expected)[0]).toBe('service runs profile main but this is profile rescue');
  });

  it('says when there is no command to read', () => {
    expect(describeDrift({ argv: null, env: {}, errorPath: null }, expected)).toEqual(['the service file has no command epiloop can read']);
  });
});

describe('commands as printed', () => {
  it('can be pasted into a shell', () => {
    expect(commandText(['systemctl', '--user', 'enable', '--now', 'epiloop-gateway-rescue.service'])).toBe('systemctl --user enable --now epiloop-gateway-rescue.service');
    expect(commandText(['rm', path.join('/tmp', "it's here")])).toBe(`rm '/tmp/it'\\''s here'`);
  });
});
