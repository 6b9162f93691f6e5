/**
 * What the config schema accepts and refuses, and the words it uses, key by key: the
 * examples behind the fuzzed agreement in validation.test.ts (which compares the schema
 * with the other deciders, so a rule wrong in the schema alone could pass there).
 *
 * Each test validates through a schema it built itself (a fresh module): the schema is
 * built once per process on first use, so a shape checked in a later test would
 * otherwise be checked against a schema some earlier test built.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Schema from '../../src/core/config/schema';
import type * as Parse from '../../src/core/config/parse';

let schema: typeof Schema;
let parse: typeof Parse;
beforeEach(async () => {
  vi.resetModules();
  schema = await import('../../src/core/config/schema');
  parse = await import('../../src/core/config/parse');
});

const accepts = (raw: unknown) => schema.validateConfig(raw).ok;
/** path, value shown, words: what doctor prints for each refused key. */
const problems = (raw: unknown) => {
  const r = schema.validateConfig(raw);
  return r.ok ? [] : r.problems.map((p) => [p.path, p.value, p.allowed]);
};

const CONTROL_RULE = 'an http:// URL on a port from 1024 to 65427, such as "http://127.0.0.1:18791" (its CDP range, port+9 … port+108, must fit below 65536)';
const CONTROL_CLEAR = "a browser control port whose CDP range (port+9 … port+108) and own port stay clear of this profile's other roles: here";
const CLEAR = "a port clear of this profile's other roles: here";

describe('browser URLs', () => {
  it('a cdpUrl: http, https, ws or wss, on its scheme’s port when it names none; a remote Chrome may listen below 1024, one on this host not', () => {
    for (const url of ['http://chrome.example.com/', 'https://chrome.example.com/', 'wss://chrome.example.com/', 'ws://chrome.example.com/', 'https://chrome.example.com:9222/', 'wss://chrome.example.com:9222/', 'http://chrome.example.com:65535/', 'http://127.0.0.1.example.com/', 'http://127.0.0.1:9222/']) {
      expect([url, schema.isCdpUrl(url), accepts({ browser: { cdpUrl: url } })]).toEqual([url, true, true]);
    }
    // Port 0 is no port; 127.x.y.z is this host whatever its digits, so its port 80 is refused.
    for (const url of ['http://chrome.example.com:0/', 'ws://localhost/', 'http://127.10.0.1/', 'http://127.0.10.1/', 'http://127.0.0.10/', 'https://[::1]/', 'ftp://chrome.example.com/']) {
      expect([url, schema.isCdpUrl(url), accepts({ browser: { cdpUrl: url } })]).toEqual([url, false, false]);
    }
  });

  it('a controlUrl is http only, and a refused one is one problem in its own words (no self-overlap read from it)', () => {
    expect(schema.isControlUrl('https://127.0.0.1:18791')).toBe(false);
    expect(schema.isControlUrl('http://127.0.0.1:18791')).toBe(true);
    // Read as a footprint, this URL would put browser control on the gateway's port: it is refused before that.
    expect(problems({ gateway: { port: 18789 }, browser: { controlUrl: 'https://127.0.0.1:18789' } })).toEqual([['browser.controlUrl', '"https://127.0.0.1:18789"', CONTROL_RULE]]);
  });
});

describe('a workspace as written', () => {
  it('is refused blank or with a NUL; a relative one is the host’s to resolve (against the state dir, not where the process runs)', () => {
    expect(problems({ agents: { defaults: { workspace: '   ' } } })).toEqual([['agents.defaults.workspace', '"   "', 'a directory path (absolute, ~/…, or relative to the state dir), never / or a system directory such as /etc']]);
    expect(accepts({ agents: { defaults: { workspace: 'ws\0x' } } })).toBe(false);
    expect(accepts({ agents: { defaults: { workspace: '/' } } })).toBe(false);
    expect(accepts({ agents: { defaults: { workspace: 'ws' } } })).toBe(true);
    expect(accepts({ agents: { defaults: { workspace: `${'../'.repeat(40)}etc` } } })).toBe(true);
  });
});

describe('alert sinks', () => {
  it('a command sink takes a command line or a list; a webhook an http(s) URL and a preset; both the same options', () => {
    for (const minLevel of ['info', 'warning', 'critical']) expect(accepts({ watch: { alerts: [{ type: 'command', command: 'notify', minLevel }] } })).toBe(true);
    for (const preset of ['json', 'ntfy', 'slack']) expect(accepts({ watch: { alerts: [{ type: 'webhook', url: 'https://ntfy.sh/t', preset }] } })).toBe(true);
    expect(accepts({ watch: { alerts: [{ type: 'command', command: ['notify-send', 'epiloop'] }, { type: 'webhook', url: 'http://10.0.0.2:8080/hook' }] } })).toBe(true);
    expect(problems({ watch: { alerts: [{ type: 'command', command: 'x', minLevel: 'loud' }, { type: 'webhook', url: 'https://ntfy.sh/t', preset: 'teams' }] } })).toEqual([
      ['watch.alerts[0].minLevel', '"loud"', '"info", "warning" or "critical"'],
      ['watch.alerts[1].preset', '"teams"', '"json", "ntfy" or "slack"'],
    ]);
    for (const sink of [{ type: 'command', command: '' }, { type: 'command', command: [] }, { type: '', command: 'x' }, { type: 'sms', url: 'https://x/' }]) {
      expect([sink, accepts({ watch: { alerts: [sink] } })]).toEqual([sink, false]);
    }
    for (const url of ['ftp://ntfy.sh/t', 'xhttp://ntfy.sh/t', 'httpsx://ntfy.sh/t']) expect([url, accepts({ watch: { alerts: [{ type: 'webhook', url }] } })]).toEqual([url, false]);
  });

  it('a refused sink value is shown masked where it may hold a secret, as it is where it cannot', () => {
    expect(problems({ watch: { alerts: [{ type: 'webhook', url: 'ntfy.sh/s3cret' }, { type: 'webhook', url: 5 }, 5] } })).toEqual([
      // Not URL-shaped, the whole text may be the secret: only its length.
      ['watch.alerts[0].url', '"‹14 characters hidden›"', 'an http:// or https:// URL, such as "https://ntfy.sh/<topic>"'],
      ['watch.alerts[1].url', '5', 'an http:// or https:// URL, such as "https://ntfy.sh/<topic>"'],
      ['watch.alerts[2]', '5', 'a sink: { "type": "command", "command": "…" } or { "type": "webhook", "url": "https://…" }'],
    ]);
    // Outside the alert sinks nothing is masked, under watch either.
    expect(problems({ watch: { intervalMs: 'https://bob:pw@ntfy.sh/s3cret' } })).toEqual([['watch.intervalMs', '"https://bob:pw@ntfy.sh/s3cret"', 'a whole number of milliseconds from 200 to 3600000']]);
  });
});

describe('every section checks its keys', () => {
  it('each key below a section is checked, the ranges are the documented ones, and unknown keys are kept', () => {
    const refused: [string, unknown][] = [
      ['browser.profiles.a.cdpPort', { browser: { profiles: { a: { cdpPort: 80 } } } }],
      ['gateway.auth.token', { gateway: { auth: { token: 'short' } } }],
      ['browser.controlUrl', { browser: { controlUrl: 'http://127.0.0.1:80' } }],
      ['canvasHost.port', { canvasHost: { port: 80 } }],
      ['agents.defaults.workspace', { agents: { defaults: { workspace: '/etc' } } }],
      ['watch.intervalMs', { watch: { intervalMs: 5 } }],
      ['watch.rollback', { watch: { rollback: 'on' } }],
      ['logs.keepFiles', { logs: { keepFiles: 0 } }],
      ['logs.maxFileBytes', { logs: { maxFileBytes: 1024 ** 3 + 1 } }],
    ];
    for (const [path, raw] of refused) expect([path, problems(raw).map((p) => p[0])]).toEqual([path, [path]]);
    for (const rollback of ['off', 'auto']) expect(accepts({ watch: { rollback } })).toBe(true);
    expect(accepts({ logs: { maxFileBytes: 1024 ** 3, keepFiles: 50 }, mine: { x: 1 } })).toBe(true);
  });
});

describe('a config that runs into itself: blamed on the pin that moved, in words', () => {
  it('a pinned canvas or browser profile port on the gateway’s, or on another profile’s', () => {
    expect(problems({ gateway: { port: 18789 }, canvasHost: { port: 18789 } })).toEqual([['canvasHost.port', '18789', `${CLEAR} the gateway 18789`]]);
    expect(problems({ gateway: { port: 18789 }, browser: { profiles: { a: { cdpPort: 18800 }, b: { cdpPort: 18800 } } } })).toEqual([['browser.profiles.b.cdpPort', '18800', `${CLEAR} browser profile "a"'s CDP port 18800`]]);
  });

  it('a pinned canvas inside the CDP range names the range', () => {
    expect(problems({ gateway: { port: 18789 }, canvasHost: { port: 18800 } })).toEqual([['canvasHost.port', '18800', `${CLEAR} the CDP range 18800–18899`]]);
  });

  it('browser control pinned onto a port, or its CDP range over the gateway and the derived canvas: blamed on controlUrl, each role once, joined by "and"', () => {
    expect(problems({ gateway: { port: 18789 }, browser: { controlUrl: 'http://127.0.0.1:18789' } })).toEqual([['browser.controlUrl', '"http://127.0.0.1:18789"', `${CONTROL_CLEAR} the gateway 18789`]]);
    expect(problems({ gateway: { port: 18789 }, browser: { controlUrl: 'http://127.0.0.1:18700' } })).toEqual([['browser.controlUrl', '"http://127.0.0.1:18700"', `${CONTROL_CLEAR} the gateway 18789 and the canvas host 18793`]]);
    // A pinned canvas in the moved range is the canvas's pin to fix, the gateway in it browser control's.
    expect(problems({ gateway: { port: 18789 }, browser: { controlUrl: 'http://127.0.0.1:18700' }, canvasHost: { port: 18800 } })).toEqual([
      ['browser.controlUrl', '"http://127.0.0.1:18700"', `${CONTROL_CLEAR} the gateway 18789`],
      ['canvasHost.port', '18800', `${CLEAR} the CDP range 18709–18808`],
    ]);
  });
});

describe('describeIssue', () => {
  const issue = (path: PropertyKey[]) => ({ code: 'custom', path, message: 'm', input: undefined }) as never;

  it('a token is shown by its shape only, whatever its type, and "missing" where the input holds none', () => {
    const token = (value: unknown) => problems({ gateway: { auth: { token: value } } })[0]![1];
    expect([token(5), token(null), token([]), token('x')]).toEqual(['a value of type number', 'a value of type null', 'a value of type array', 'a 1-character string']);
    expect(schema.describeIssue(issue(['gateway', 'auth', 'token']), { gateway: { auth: {} } }).value).toBe('missing');
  });

  it('a token with a character it may not hold says which kind and where, never the character itself, and the rule names ASCII', () => {
    const refused = (value: string) => problems({ gateway: { auth: { token: value } } })[0]!;
    const ok = 'abcdefghijklmnopqrstuvwxyz';
    expect(refused(`abc ${ok}`)).toEqual(['gateway.auth.token', 'a 30-character string with a space at character 4', 'a string of 16 to 512 visible ASCII characters without spaces (as "epiloop setup" writes: 32 random ones)']);
    expect(refused(`${ok}é`)[1]).toBe('a 27-character string with a non-ASCII character at character 27');
    expect(refused(`${ok}\u00a0x`)[1]).toBe('a 28-character string with a non-ASCII character at character 27');
    expect(refused(`${ok}\n`)[1]).toBe('a 27-character string with a line break at character 27');
    expect(refused(`a\t${ok}`)[1]).toBe('a 28-character string with a tab at character 2');
    expect(refused(`${ok}\u007f`)[1]).toBe('a 27-character string with a control character at character 27');
    // Too short as well: the length says so, the character is still named.
    expect(refused('a b')[1]).toBe('a 3-character string with a space at character 2');
    expect(refused('short')[1]).toBe('a 5-character string');
    expect(refused('x'.repeat(11))[1]).toBe('an 11-character string');
    expect(refused(`${'x'.repeat(7)} `)[1]).toBe('an 8-character string with a space at character 8');
  });

  it('a value of the wrong type is one problem, though zod also measures a list against a string\'s length limits', () => {
    const TOKEN = 'a string of 16 to 512 visible ASCII characters without spaces (as "epiloop setup" writes: 32 random ones)';
    expect(problems({ gateway: { auth: { token: ['a', 'b'] } } })).toEqual([['gateway.auth.token', 'a value of type array', TOKEN]]);
    expect(problems({ gateway: { auth: { token: Array(600).fill('a') } } })).toEqual([['gateway.auth.token', 'a value of type array', TOKEN]]);
    expect(problems({ gateway: { bind: [] } }).map(([path, value]) => [path, value])).toEqual([['gateway.bind', '[]']]);
    expect(problems({ gateway: { bind: [], auth: { token: [] } }, canvasHost: { port: [] } }).map(([path]) => path)).toEqual(['gateway.bind', 'gateway.auth.token', 'canvasHost.port']);
  });

  it('a number JSON has no word for (a JSON5 file may hold one) is shown as JSON5 writes it, never as null', () => {
    expect(problems({ gateway: { port: Infinity }, canvasHost: { port: -Infinity }, watch: { intervalMs: NaN } }).map(([path, value]) => [path, value])).toEqual([
      ['gateway.port', 'Infinity'],
      ['canvasHost.port', '-Infinity'],
      ['watch.intervalMs', 'NaN'],
    ]);
    expect(problems({ gateway: { bind: [NaN, 'a'] } }).map(([, value]) => value)).toEqual(['[NaN,"a"]']);
  });

  it('a path the input does not hold, through null too, is "missing", never a crash', () => {
    expect(schema.describeIssue(issue(['gateway', 'port']), { gateway: null }).value).toBe('missing');
    expect(schema.describeIssue(issue(['gateway', 'port']), null).value).toBe('missing');
  });
});

/** What doctor, status, config validate and the gateway print for a config file holding `raw`. */
const said = (raw: unknown) => {
  const parsed = parse.parseConfigText(JSON.stringify(raw), 'epiloop.json');
  return parsed.ok ? 'accepted' : parse.formatConfigError(parsed.error, '~/.epiloop/epiloop.json', 'epiloop');
};

describe('a refused key says what it accepts, in the line a user reads', () => {
  const PORT = 'a whole number from 1024 to 65535';
  const sink = (extra: Record<string, unknown>) => ({ watch: { alerts: [{ type: 'command', command: 'notify', ...extra }] } });

  it.each([
    ['gateway.port', { gateway: { port: 80 } }, '80', 'a whole number from 1024 to 65425, so that base … base+110 fits below 65536'],
    ['gateway.bind', { gateway: { bind: 'everywhere' } }, '"everywhere"', '"loopback" (the default), "lan" or "all" (every interface), or an IP address of this host (an IPv4 one as IPv4: 127.0.0.1, not ::ffff:127.0.0.1)'],
    ['gateway.auth.token', { gateway: { auth: { token: 'short' } } }, 'a 5-character string', 'a string of 16 to 512 visible ASCII characters without spaces (as "epiloop setup" writes: 32 random ones)'],
    ['browser.controlUrl', { browser: { controlUrl: 'http://127.0.0.1:80' } }, '"http://127.0.0.1:80"', CONTROL_RULE],
    ['browser.cdpUrl', { browser: { cdpUrl: 'http://127.0.0.1:80' } }, '"http://127.0.0.1:80"', 'an http://, https://, ws:// or wss:// URL such as "http://127.0.0.1:18800", on a real port (not 0; from 1024 on this host)'],
    ['browser.profiles', { browser: { profiles: ['work'] } }, '["work"]', 'an object of browser profiles by name, such as { "work": { "cdpPort": 18800 } }'],
    // "-x" uses only the characters allowed, yet is refused for its first one: the words say so.
    ['browser.profiles.-x', { browser: { profiles: { '-x': {} } } }, '"-x"', 'a browser profile name (1–32 characters of a-z, 0-9, "-" and "_", starting with a letter or digit)'],
    ['browser.profiles.work.cdpPort', { browser: { profiles: { work: { cdpPort: 70000 } } } }, '70000', PORT],
    ['canvasHost.port', { canvasHost: { port: 80 } }, '80', PORT],
    ['canvasHost.enabled', { canvasHost: { enabled: 'yes' } }, '"yes"', 'true or false'],
    ['watch.profiles', { watch: { profiles: 'main' } }, '"main"', `a list of profile names (1–32 characters of a-z, 0-9, "-" and "_", starting with a letter or digit) or "default", each listed once, such as ["main"]`],
    // Listed twice: the words say where it already is, not the name rule it meets.
    ['watch.profiles[2]', { watch: { profiles: ['default', 'main', 'main'] } }, '"main"', 'another profile: "main" is already listed at watch.profiles[1]'],
    ['watch.intervalMs', { watch: { intervalMs: 100 } }, '100', 'a whole number of milliseconds from 200 to 3600000'],
    ['watch.restart', { watch: { restart: 'yes' } }, '"yes"', 'true or false'],
    ['watch.maxRestartsPerHour', { watch: { maxRestartsPerHour: 61 } }, '61', 'a whole number from 1 to 60'],
    ['watch.hungAfterChecks', { watch: { hungAfterChecks: 101 } }, '101', 'a whole number of checks from 1 to 100'],
    ['watch.rollback', { watch: { rollback: 'on' } }, '"on"', '"off" or "auto"'],
    ['watch.alerts', { watch: { alerts: 'notify' } }, '"notify"', 'a list of sinks: { "type": "command", "command": "…" } or { "type": "webhook", "url": "https://…" }'],
    ['watch.alerts[0].type', { watch: { alerts: [{ type: 'sms', command: 'notify' }] } }, '"sms"', '"command" or "webhook"'],
    ['watch.alerts[0].command', sink({ command: '' }), '""', 'a command line, or a list of the program and its arguments'],
    ['watch.alerts[0].url', { watch: { alerts: [{ type: 'webhook', url: 'ftp://ntfy.sh/' }] } }, '"ftp://ntfy.sh/"', 'an http:// or https:// URL, such as "https://ntfy.sh/<topic>"'],
    ['watch.alerts[0].preset', { watch: { alerts: [{ type: 'webhook', url: 'https://ntfy.sh/t', preset: 'teams' }] } }, '"teams"', '"json", "ntfy" or "slack"'],
    ['watch.alerts[0].minLevel', sink({ minLevel: 'loud' }), '"loud"', '"info", "warning" or "critical"'],
    ['watch.alerts[0].maxPerHour', sink({ maxPerHour: 3601 }), '3601', 'a whole number from 1 to 3600'],
    ['watch.alerts[0].timeoutMs', sink({ timeoutMs: 99 }), '99', 'a whole number of milliseconds from 100 to 120000'],
    ['watch.alerts[0].retries', sink({ retries: 11 }), '11', 'a whole number from 0 to 10'],
    ['logs.maxFileBytes', { logs: { maxFileBytes: 4095 } }, '4095', 'a whole number of bytes from 4096 to 1073741824 (1 GiB)'],
    ['logs.keepFiles', { logs: { keepFiles: 51 } }, '51', 'a whole number of files from 1 to 50'],
  ])('%s', (key, raw, value, allowed) => {
    expect(said(raw)).toBe(`~/.epiloop/epiloop.json: ${key} is ${value}, but must be ${allowed}`);
  });

  it('every key the schema knows (as `config schema` lists them), given a value of the wrong kind, says so in its own words, never in zod’s', async () => {
    type Node = { type?: string; const?: string; properties?: Record<string, Node>; additionalProperties?: Node | boolean; items?: Node; oneOf?: Node[] };
    const { configJsonSchema } = await import('../../src/core/config/json-schema');
    const generic = /^(a value of type|a value within the allowed range|a valid )/;
    const checked: string[] = [];
    const walk = (node: Node, path: string, wrap: (value: unknown) => unknown) => {
      const words = problems(wrap(node.type === 'object' ? 5 : {})).map((p) => p[2]!);
      expect([path, words.length > 0 && words.every((w) => !generic.test(w))]).toEqual([path, true]);
      checked.push(path);
      const inner = (key: string, base: object = {}) => (value: unknown) => wrap({ ...base, [key]: value });
      for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, `${path}.${key}`, inner(key));
      if (typeof node.additionalProperties === 'object' && node.additionalProperties.properties !== undefined) walk(node.additionalProperties, `${path}.work`, inner('work'));
      if (node.items !== undefined) walk(node.items, `${path}.0`, (value) => wrap([value]));
      for (const sink of node.oneOf ?? []) {
        const base = sink.properties!.type!.const === 'command' ? { type: 'command', command: 'notify' } : { type: 'webhook', url: 'https://ntfy.sh/t' };
        for (const [key, child] of Object.entries(sink.properties!)) walk(child, `${path}.${key}`, (value) => wrap({ ...base, [key]: value }));
      }
    };
    // $schema is for editors; epiloop ignores it.
    const { $schema: _editors, ...keys } = (configJsonSchema() as Node).properties!;
    for (const [key, child] of Object.entries(keys)) walk(child, key, (value) => ({ [key]: value }));
    expect(checked).toEqual(expect.arrayContaining(['gateway.auth.token', 'browser.profiles.work.cdpUrl', 'watch.profiles.0', 'watch.alerts.0.preset', 'logs.keepFiles']));
  });
});

describe('the editor hover text of browser.profiles', () => {
  it('names the same rule for a profile name as the refusal of a bad one (length and first character too)', async () => {
    const { configJsonSchema } = await import('../../src/core/config/json-schema');
    const { PROFILE_NAME_RULE } = await import('../../src/core/profile/name');
    const profiles = (configJsonSchema() as { properties: { browser: { properties: { profiles: { description: string } } } } }).properties.browser.properties.profiles;
    expect(profiles.description).toBe(`Browser profiles by name (${PROFILE_NAME_RULE}).`);
    expect(profiles.description).toContain('starting with a letter or digit');
  });
});

describe('describeIssue of a key below one the input does not hold', () => {
  it('is "missing" there too (a key that is absent, or a text, on the way), never a crash', () => {
    const issue = { code: 'custom', path: ['gateway', 'auth', 'mode'], message: 'm', input: undefined } as never;
    expect([{}, { gateway: {} }, { gateway: 'lan' }].map((input) => schema.describeIssue(issue, input).value)).toEqual(['missing', 'missing', 'missing']);
  });
});

describe('a browser profile’s name is its user’s, no key of the schema', () => {
  it('a profile named like a key ("port", "token", "constructor") that is no object is refused as a profile, its value shown', () => {
    for (const name of ['port', 'token', 'constructor']) {
      expect(said({ browser: { profiles: { [name]: 'work' } } })).toBe(`~/.epiloop/epiloop.json: browser.profiles.${name} is "work", but must be an object ({ … })`);
    }
  });
});

describe('a cdpUrl on this host, in every spelling a URL normalizes to', () => {
  it('is a user’s process there, so 1024 and up, as doctor and the wizard read it: localhost., the any-addresses, 127/8 mapped into IPv6', () => {
    for (const host of ['localhost.', '0.0.0.0', '[::]', '[::ffff:127.0.0.1]', '[::ffff:7f00:2]']) {
      expect([host, schema.isCdpUrl(`http://${host}/`), accepts({ browser: { cdpUrl: `http://${host}:9222/` } })]).toEqual([host, false, true]);
    }
    expect(said({ browser: { cdpUrl: 'ws://0.0.0.0/' } })).toBe(
      '~/.epiloop/epiloop.json: browser.cdpUrl is "ws://0.0.0.0/", but must be an http://, https://, ws:// or wss:// URL such as "http://127.0.0.1:18800", on a real port (not 0; from 1024 on this host)',
    );
  });
});

describe('a "__proto__" key (JSON5 and JSON.parse keep it as an own key)', () => {
  const read = (text: string): unknown => JSON.parse(text);

  it('is refused as a key epiloop cannot keep, in the line a user reads', () => {
    expect(said(read('{ "gateway": { "port": 18789, "__proto__": { "port": 1 } } }'))).toBe(
      '~/.epiloop/epiloop.json: gateway.__proto__ is {"port":1}, but must be a key other than "__proto__" (JavaScript reads it as an object\'s prototype, so epiloop cannot check or keep it)',
    );
  });

  it('is refused by the profile name rule only as a browser profile’s name: not inside a profile, in another section’s "profiles", or elsewhere in browser', () => {
    const allowed = (text: string) => problems(read(text))[0]?.[2];
    const proto = allowed('{ "__proto__": 1 }');
    expect(proto).toMatch(/^a key other than "__proto__"/);
    expect(allowed('{ "browser": { "profiles": { "__proto__": { "cdpPort": 18800 } } } }')).toMatch(/^a browser profile name/);
    for (const text of [
      '{ "browser": { "profiles": { "work": { "cdpPort": 18800, "__proto__": 1 } } } }',
      '{ "agents": { "profiles": { "__proto__": 1 } } }',
      '{ "browser": { "extensions": { "__proto__": 1 } } }',
    ]) {
      expect([text, problems(read(text))]).toEqual([text, [[expect.stringMatching(/\.__proto__$/), '1', proto]]]);
    }
  });
});

describe('a problem’s key path', () => {
  it('writes a list index as config set takes it ([1]), and a key holding a dot quoted: one path, read back as the keys it names', async () => {
    const { parseKeyPath } = await import('../../src/core/config/keypath');
    expect(problems({ watch: { alerts: [{ type: 'command', command: 'x' }, { type: 'webhook', url: 'https://ntfy.sh/t', preset: 'teams' }] } })[0]?.[0]).toBe('watch.alerts[1].preset');
    expect(problems({ watch: { profiles: ['main', 'main'] } })[0]?.[0]).toBe('watch.profiles[1]');
    for (const keys of [['watch', 'alerts', 1, 'type'], ['browser', 'profiles', 'a.b', 'cdpPort'], ['x', 0, 2, '1']]) {
      expect(parseKeyPath(schema.problemPath(keys))).toEqual(keys);
    }
    expect(schema.problemPath(['browser', 'profiles', '2', 'cdpPort'])).toBe('browser.profiles.2.cdpPort');
  });
});
