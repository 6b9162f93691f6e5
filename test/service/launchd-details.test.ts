import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../../src/core/profile/paths';
import { launchctlCommands, launchdProbe, parseLaunchctlPrint, parsePlist, readLaunchdPlist, renderLaunchdPlist } from '../../src/core/service/launchd';
import { serviceSpec } from '../../src/core/service/spec';

const PROGRAM = { node: '/usr/bin/node', cli: '/opt/epiloop/bin/epiloop.js' };
const wrap = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">${body}</plist>`;

describe('launchd plist, word for word', () => {
  it('renders exactly this agent', () => {
    const paths = resolveProfile({ flag: 'rescue', env: {}, home: '/home/ada' });
    expect(renderLaunchdPlist(serviceSpec(paths, PROGRAM, 19789), paths.launchdLabel).split('\n')).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
      '<plist version="1.0">',
      '<dict>',
      '\t<key>Label</key>',
      '\t<string>ai.epiloop.gateway.rescue</string>',
      '\t<key>ProgramArguments</key>',
      '\t<array>',
      '\t\t<string>/usr/bin/node</string>',
      '\t\t<string>/opt/epiloop/bin/epiloop.js</string>',
      '\t\t<string>--profile</string>',
      '\t\t<string>rescue</string>',
      '\t\t<string>gateway</string>',
      '\t\t<string>--port</string>',
      '\t\t<string>19789</string>',
      '\t</array>',
      '\t<key>EnvironmentVariables</key>',
      '\t<dict>',
      '\t\t<key>EPILOOP_PROFILE</key>',
      '\t\t<string>rescue</string>',
      '\t\t<key>EPILOOP_STATE_DIR</key>',
      '\t\t<string>/home/ada/.epiloop-rescue</string>',
      '\t\t<key>EPILOOP_CONFIG_PATH</key>',
      '\t\t<string>/home/ada/.epiloop-rescue/epiloop.json</string>',
      '\t</dict>',
      '\t<key>RunAtLoad</key>',
      '\t<true/>',
      '\t<key>KeepAlive</key>',
      '\t<dict>',
      '\t\t<key>SuccessfulExit</key>',
      '\t\t<false/>',
      '\t</dict>',
      '\t<key>ThrottleInterval</key>',
      '\t<integer>10</integer>',
      '\t<key>StandardOutPath</key>',
      '\t<string>/dev/null</string>',
      '\t<key>StandardErrorPath</key>',
      '\t<string>/home/ada/.epiloop-rescue/gateway.err</string>',
      '</dict>',
      '</plist>',
      '',
    ]);
  });

  it('escapes &, < and > in text', () => {
    const paths = resolveProfile({ flag: 'x', env: { EPILOOP_STATE_DIR: '/a<&>b' }, home: '/home/ada' });
    expect(renderLaunchdPlist(serviceSpec(paths, PROGRAM, 19789), 'l')).toContain('\t<string>/a&lt;&amp;&gt;b/gateway.err</string>');
  });

  it('names every launchctl call for one agent', () => {
    expect(launchdProbe(501)).toEqual(['launchctl', 'print', 'gui/501']);
    expect(launchctlCommands('ai.x', '/f.plist', 501)).toEqual({
      bootstrap: ['launchctl', 'bootstrap', 'gui/501', '/f.plist'],
      bootout: ['launchctl', 'bootout', 'gui/501/ai.x'],
      kickstart: ['launchctl', 'kickstart', 'gui/501/ai.x'],
      restart: ['launchctl', 'kickstart', '-k', 'gui/501/ai.x'],
      print: ['launchctl', 'print', 'gui/501/ai.x'],
    });
  });
});

describe('parsePlist', () => {
  it('reads every value type the plist DTD has', () => {
    const body =
      '<dict><key>s</key><string/><key>i</key><integer> -42 </integer><key>p</key><integer>+7</integer><key>r</key><real>1.5e3</real>' +
      '<key>d</key><date>2026-01-02T03:04:05Z</date><key>b</key><data>aGk=\n</data><key>t</key><true/><key>f</key><false/>' +
      '<key>a</key><array/><key>e</key><dict/><key/><string>empty key</string><key>n</key><string>&#x41;&#66;&lt;&gt;&amp;&quot;&apos;</string></dict>';
    expect(parsePlist(wrap(body))).toEqual({
      s: '',
      i: -42,
      p: 7,
      r: 1500,
      d: new Date('2026-01-02T03:04:05Z'),
      b: Uint8Array.from([104, 105]),
      t: true,
      f: false,
      a: [],
      e: {},
      '': 'empty key',
      n: 'AB<>&"\'',
    });
  });

  it('accepts a byte-order mark, no declaration, a DOCTYPE, comments and attributes', () => {
    expect(parsePlist('\ufeff<!DOCTYPE plist>\n<!-- c --><plist version="1.0"><!-- c -->\n<string a=\'1\'>x</string>\n</plist>\n')).toBe('x');
    expect(parsePlist('<plist><true/></plist>')).toBe(true);
  });

  it.each([
    ['<dict><!-- a -- b --></dict>', 'bad comment'],
    ['<dict><!-- never closed', 'bad comment'],
    ['<string>x &amp y</string>', 'unterminated entity'],
    ['<string>&bogus;</string>', 'unknown entity &bogus;'],
    ['<string>x<</string>', 'malformed tag'],
    ['<string>x</string a="1">', 'closing tag with attributes'],
    ['<string>x</integer>', 'expected </string>'],
    ['</dict>', 'unexpected </dict>'],
    ['<true>', '<true> must be empty'],
    ['<false></false>', '<false> must be empty'],
    ['<integer>1.5</integer>', 'bad integer "1.5"'],
    ['<integer/>', 'bad integer ""'],
    ['<real>x</real>', 'bad real "x"'],
    ['<real/>', 'bad real ""'],
    ['<date>not a date</date>', 'bad date'],
    ['<dict><string>no key</string></dict>', 'expected <key> in <dict>'],
    ['<dict></key></dict>', 'expected <key> in <dict>'],
    ['<dict><key>a</key><true/><key>a</key><true/></dict>', 'duplicate key "a"'],
    ['<strin>x</strin>', 'unknown element <strin>'],
    ['<true/><true/>', 'expected </plist>'],
  ])('refuses %s: %s', (body, what) => {
    expect(() => parsePlist(wrap(body))).toThrow(new RegExp(`^plist: ${what.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} at offset \\d+$`));
  });

  it.each([
    ['<?xml version="1.0"', 'unterminated XML declaration'],
    ['<!DOCTYPE plist', 'unterminated DOCTYPE'],
    ['<dict/>', 'expected <plist>'],
    ['</plist>', 'expected <plist>'],
    ['<plist/>', 'expected <plist>'],
    ['<plist><true/></plist> x', 'content after </plist>'],
    ['<plist><string>x', 'unclosed <string>'],
  ])('refuses the document %s: %s', (text, what) => {
    expect(() => parsePlist(text)).toThrow(new RegExp(`^plist: ${what.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} at offset \\d+$`));
  });

  it('says where it stopped', () => {
    expect(() => parsePlist('<plist><strin/></plist>')).toThrow('plist: unknown element <strin> at offset 15');
  });
});

describe('readLaunchdPlist', () => {
  const none = { argv: null, env: {}, errorPath: null };
  it('knows nothing of a file that does not parse or is not a dict', () => {
    expect(readLaunchdPlist('not xml')).toEqual(none);
    expect(readLaunchdPlist(wrap('<array/>'))).toEqual(none);
  });

  it('takes only what has the right type', () => {
    const text = wrap(
      '<dict><key>ProgramArguments</key><array><string>a</string><integer>1</integer></array>' +
        '<key>EnvironmentVariables</key><dict><key>A</key><string>1</string><key>B</key><integer>2</integer></dict>' +
        '<key>StandardOutPath</key><integer>3</integer></dict>',
    );
    expect(readLaunchdPlist(text)).toEqual({ argv: null, env: { A: '1' }, errorPath: null });
    expect(readLaunchdPlist(wrap('<dict><key>EnvironmentVariables</key><array/></dict>'))).toEqual(none);
  });
});

describe('parseLaunchctlPrint', () => {
  const print = (lines: string[]) => `gui/501/ai.x = {\n${lines.map((l) => `\t${l}\n`).join('')}}\n`;
  it.each([
    [['state = running', 'pid = 812'], { loaded: true, enabled: true, state: 'active', pid: 812 }],
    [['state = spawning'], { loaded: true, enabled: true, state: 'activating', pid: null }],
    [['state = spawn scheduled', 'pid = 0'], { loaded: true, enabled: true, state: 'activating', pid: null }],
    [['state = waiting', 'last exit code = 78: EX_CONFIG'], { loaded: true, enabled: true, state: 'inactive', pid: null }],
    [['state = waiting', 'last exit code = 2'], { loaded: true, enabled: true, state: 'failed', pid: null }],
    [['state = not running', 'last exit code = (never exited)'], { loaded: true, enabled: true, state: 'inactive', pid: null }],
    [['state = exited'], { loaded: true, enabled: true, state: 'unknown', pid: null }],
    [['program = /usr/bin/node'], { loaded: false, enabled: false, state: 'unknown', pid: null }],
  ])('%j', (lines, view) => {
    expect(parseLaunchctlPrint(print(lines))).toEqual(view);
  });

  it('reads a field only at the start of a line, and only that field', () => {
    expect(parseLaunchctlPrint('\tjob state = running\n\tpid = 1.5\n').state).toBe('unknown');
    expect(parseLaunchctlPrint('\tstate = running   \n\tparent pid = 77\n')).toEqual({ loaded: true, enabled: true, state: 'active', pid: null });
  });
});

describe('parsePlist and readLaunchdPlist at their edges (what mutation testing found unchecked)', () => {
  const plist = (body: string, open = '<plist version="1.0">') => `<?xml version="1.0" encoding="UTF-8"?>\n${open}${body}</plist>\n`;

  it('takes attributes spaced as XML allows: several spaces, spaces around =, single quotes', () => {
    for (const open of ['<plist  version="1.0">', '<plist version = "1.0">', "<plist version='1.0'>", '<plist version=\t"1.0" >']) {
      expect(parsePlist(plist('<string>x</string>', open)), open).toBe('x');
    }
  });

  it('skips comments that follow each other, and a byte-order mark', () => {
    expect(parsePlist(plist('<!-- a --><!-- b --><string>x</string>'))).toBe('x');
    expect(parsePlist(`\ufeff${plist('<string>x</string>')}`)).toBe('x');
  });

  it('decodes only whole character references: anything else is an unknown entity', () => {
    expect(parsePlist(plist('<string>&#x41;&#66;</string>'))).toBe('AB');
    for (const ref of ['&#x41zz;', '&a#x41;', '&#65x;', '&x#65;']) {
      expect(() => parsePlist(plist(`<string>${ref}</string>`)), ref).toThrow(/unknown entity/);
    }
  });

  it('reads a real, a date and data with the spaces around them; an empty real is refused, empty data is no bytes', () => {
    expect(parsePlist(plist('<real> 2.5 </real>'))).toBe(2.5);
    expect(() => parsePlist(plist('<real> </real>'))).toThrow(/bad real/);
    expect(parsePlist(plist('<date>\n 2026-01-02T03:04:05Z \n</date>'))).toEqual(new Date('2026-01-02T03:04:05Z'));
    expect(() => parsePlist(plist('<date/>'))).toThrow(/bad date/);
    expect(parsePlist(plist('<data/>'))).toEqual(new Uint8Array());
    expect(parsePlist(plist('<data> aGk= </data>'))).toEqual(Uint8Array.from([104, 105]));
  });

  it('needs <plist> as the root element', () => {
    expect(() => parsePlist('<dict></dict>')).toThrow(/expected <plist>/);
    expect(() => parsePlist('<plist/>')).toThrow(/expected <plist>/);
  });

  it('reads environment variables only from a dict', () => {
    const agent = (env: string) => plist(`<dict><key>ProgramArguments</key><array><string>/node</string></array><key>EnvironmentVariables</key>${env}</dict>`);
    expect(readLaunchdPlist(agent('<string>A=1</string>'))).toEqual({ argv: ['/node'], env: {}, errorPath: null });
    expect(readLaunchdPlist(agent('<dict><key>A</key><string>1</string><key>N</key><integer>2</integer></dict>')).env).toEqual({ A: '1' });
  });
});
