import fc from 'fast-check';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { formatConfigError, parseConfigText, tooDeepAt, type ConfigError } from '../../src/core/config/parse';
import { describeIssue, validateConfig } from '../../src/core/config/schema';

const FILE = '/home/ada/.epiloop/epiloop.json';

/** The problems a config text has, or [] when it is valid. */
function problemsOf(text: string) {
  const parsed = parseConfigText(text, FILE);
  if (parsed.ok) return [];
  if (parsed.error.kind !== 'schema') throw new Error(`not a schema error: ${JSON.stringify(parsed.error)}`);
  return parsed.error.problems;
}

describe('parseConfigText', () => {
  it('reads plain JSON (its fast path) exactly as JSON5 reads it: values, key order, -0, __proto__, repeated keys', () => {
    const check = (text: string) => {
      const parsed = parseConfigText(text, FILE);
      const expected = JSON5.parse(text) as unknown;
      const { raw } = parsed as { raw?: unknown };
      expect(raw).toStrictEqual(expected);
      expect(Object.is((raw as { n?: unknown }).n, (expected as { n?: unknown }).n)).toBe(true);
      expect(JSON.stringify(raw)).toBe(JSON.stringify(expected));
    };
    check('{"n": -0, "a": 1e400, "b": "\\u2028 \\ud800", "a": 2, "__proto__": {"x": 1}}');
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 4 })), fc.boolean(), (value, pretty) => {
        check(JSON.stringify(value, null, pretty ? 2 : undefined));
      }),
    );
  });

  it('reads JSON5 (comments, unquoted keys, trailing commas) and keeps every key', () => {
    const parsed = parseConfigText('// mine\n{ gateway: { port: 18789, }, /* x */ theme: "dark", }', FILE);
    expect(parsed).toEqual({ ok: true, raw: { gateway: { port: 18789 }, theme: 'dark' }, config: { gateway: { port: 18789 }, theme: 'dark' } });
  });

  it('takes an empty or blank file as an empty config', () => {
    expect(parseConfigText('', FILE)).toEqual({ ok: true, raw: {}, config: {} });
    expect(parseConfigText('  \n\t', FILE)).toEqual({ ok: true, raw: {}, config: {} });
  });

  it('names the line, the column and the problem of a syntax error, without JSON5\'s prefix or position suffix', () => {
    expect(parseConfigText('{\n  a: 1,\n  oops\n}', FILE)).toEqual({
      ok: false,
      error: { kind: 'syntax', file: FILE, line: 4, column: 1, message: "invalid character '}'" },
    });
    const trailing = parseConfigText('{ "a": 1 } x', FILE);
    expect(trailing).toMatchObject({ ok: false, error: { line: 1, column: 12, message: "invalid character 'x'" } });
  });

  it.each([
    ['[1]', '[1]'],
    ['null', 'null'],
    ['5', '5'],
    ['"s"', '"s"'],
  ])('refuses a top level that is not an object: %s', (text, shown) => {
    expect(parseConfigText(text, FILE)).toEqual({
      ok: false,
      error: { kind: 'schema', file: FILE, problems: [{ path: '(top level)', value: shown, allowed: 'an object ({ … })' }] },
    });
  });

  it('keeps the raw object of a config that does not validate', () => {
    expect(parseConfigText('{ gateway: { port: 1 }, mine: [1] }', FILE)).toMatchObject({ ok: false, raw: { gateway: { port: 1 }, mine: [1] } });
  });
});

describe('the schema, at its limits', () => {
  // The words of each refusal, as written: each states the whole limit, the footprint's included.
  const BASE_RULE = 'a whole number from 1024 to 65425, so that base … base+110 fits below 65536';
  const BIND_RULE = '"loopback" (the default), "lan" or "all" (every interface), or an IP address of this host (an IPv4 one as IPv4: 127.0.0.1, not ::ffff:127.0.0.1)';
  const TOKEN_RULE = 'a string of 16 to 512 visible ASCII characters without spaces (as "epiloop setup" writes: 32 random ones)';
  const CONTROL_URL_RULE = 'an http:// URL on a port from 1024 to 65427, such as "http://127.0.0.1:18791" (its CDP range, port+9 … port+108, must fit below 65536)';
  const CDP_URL_RULE = 'an http://, https://, ws:// or wss:// URL such as "http://127.0.0.1:18800", on a real port (not 0; from 1024 on this host)';
  const WORKSPACE_RULE = 'a directory path (absolute, ~/…, or relative to the state dir), never / or a system directory such as /etc';
  it.each([
    ['gateway.port', '{ gateway: { port: 1024 } }', '{ gateway: { port: 1023 } }', '1023', BASE_RULE],
    // The highest base is the one whose whole footprint (base … base+110) still fits: 65535 − 110.
    ['gateway.port', '{ gateway: { port: 65425 } }', '{ gateway: { port: 65426 } }', '65426', BASE_RULE],
    ['gateway.port', '{ gateway: { port: 18789 } }', '{ gateway: { port: 18789.5 } }', '18789.5', BASE_RULE],
    ['gateway.bind', '{ gateway: { bind: "::1" } }', '{ gateway: { bind: "" } }', '""', BIND_RULE],
    ['gateway.bind', '{ gateway: { bind: "lan" } }', '{ gateway: { bind: "l" } }', '"l"', BIND_RULE],
    // A token is never echoed, valid or not: only its length.
    ['gateway.auth.token', `{ gateway: { auth: { token: "${'t'.repeat(16)}" } } }`, `{ gateway: { auth: { token: "${'t'.repeat(15)}" } } }`, 'a 15-character string', TOKEN_RULE],
    ['gateway.auth.token', `{ gateway: { auth: { token: "${'t'.repeat(512)}" } } }`, `{ gateway: { auth: { token: "${'t'.repeat(513)}" } } }`, 'a 513-character string', TOKEN_RULE],
    ['gateway.auth.token', `{ gateway: { auth: { token: "${'t'.repeat(16)}~" } } }`, `{ gateway: { auth: { token: "${'t'.repeat(16)} " } } }`, 'a 17-character string with a space at character 17', TOKEN_RULE],
    ['browser.controlUrl', '{ browser: { controlUrl: "http://127.0.0.1:1024" } }', '{ browser: { controlUrl: "nope" } }', '"nope"', CONTROL_URL_RULE],
    ['browser.controlUrl', '{ browser: { controlUrl: "http://127.0.0.1:1024" } }', '{ browser: { controlUrl: "http://127.0.0.1:1023" } }', '"http://127.0.0.1:1023"', CONTROL_URL_RULE],
    // The highest control port is the one whose CDP range (port+9 … port+108) still fits: 65535 − 108.
    ['browser.controlUrl', '{ browser: { controlUrl: "http://127.0.0.1:65427" } }', '{ browser: { controlUrl: "http://127.0.0.1:65428" } }', '"http://127.0.0.1:65428"', CONTROL_URL_RULE],
    ['browser.cdpUrl', '{ browser: { cdpUrl: "ws://h:1" } }', '{ browser: { cdpUrl: "not a url" } }', '"not a url"', CDP_URL_RULE],
    ['browser.cdpUrl', '{ browser: { cdpUrl: "ws://127.0.0.1:1024" } }', '{ browser: { cdpUrl: "ws://127.0.0.1:1023" } }', '"ws://127.0.0.1:1023"', CDP_URL_RULE],
    ['browser.profiles.a.cdpPort', '{ browser: { profiles: { a: { cdpPort: 65535 } } } }', '{ browser: { profiles: { a: { cdpPort: 1000 } } } }', '1000', 'a whole number from 1024 to 65535'],
    ['canvasHost.enabled', '{ canvasHost: { enabled: false } }', '{ canvasHost: { enabled: "no" } }', '"no"', 'true or false'],
    ['canvasHost.port', '{ canvasHost: { port: 1024 } }', '{ canvasHost: { port: 0 } }', '0', 'a whole number from 1024 to 65535'],
    ['agents.defaults.workspace', '{ agents: { defaults: { workspace: "w" } } }', '{ agents: { defaults: { workspace: "" } } }', '""', WORKSPACE_RULE],
    ['agents.defaults.workspace', '{ agents: { defaults: { workspace: "/etc-mine" } } }', '{ agents: { defaults: { workspace: "/etc" } } }', '"/etc"', WORKSPACE_RULE],
    ['watch.intervalMs', '{ watch: { intervalMs: 200 } }', '{ watch: { intervalMs: 199 } }', '199', 'a whole number of milliseconds from 200 to 3600000'],
    ['watch.intervalMs', '{ watch: { intervalMs: 3600000 } }', '{ watch: { intervalMs: 3600001 } }', '3600001', 'a whole number of milliseconds from 200 to 3600000'],
    ['watch.restart', '{ watch: { restart: true } }', '{ watch: { restart: 1 } }', '1', 'true or false'],
    ['watch.maxRestartsPerHour', '{ watch: { maxRestartsPerHour: 1 } }', '{ watch: { maxRestartsPerHour: 0 } }', '0', 'a whole number from 1 to 60'],
    ['watch.maxRestartsPerHour', '{ watch: { maxRestartsPerHour: 60 } }', '{ watch: { maxRestartsPerHour: 61 } }', '61', 'a whole number from 1 to 60'],
  ])('%s: takes %s, refuses %s', (path, good, bad, value, allowed) => {
    expect(problemsOf(good)).toEqual([]);
    expect(problemsOf(bad)).toEqual([{ path, value, allowed }]);
  });

  it('names a bad watched profile and a bad browser profile name by the key itself', () => {
    // The words state the whole rule of --profile: "-x" uses only allowed characters, yet is refused for its first one.
    const allowed = 'a profile name (1–32 characters of a-z, 0-9, "-" and "_", starting with a letter or digit), or "default", each listed once';
    expect(problemsOf('{ watch: { profiles: ["main", "default", "Main", "-x"] } }')).toEqual([
      { path: 'watch.profiles[2]', value: '"Main"', allowed },
      { path: 'watch.profiles[3]', value: '"-x"', allowed },
    ]);
    expect(problemsOf('{ browser: { profiles: { "Bad Name": {} } } }')).toEqual([
      { path: 'browser.profiles.Bad Name', value: '"Bad Name"', allowed: 'a browser profile name (1–32 characters of a-z, 0-9, "-" and "_", starting with a letter or digit)' },
    ]);
  });

  it('says "an object" where one is expected, and what the list holds where a list is', () => {
    expect(problemsOf('{ gateway: "x" }')).toEqual([{ path: 'gateway', value: '"x"', allowed: 'an object ({ … })' }]);
    expect(problemsOf('{ browser: { profiles: { ok: 5 } } }')).toEqual([{ path: 'browser.profiles.ok', value: '5', allowed: 'an object ({ … })' }]);
    expect(problemsOf('{ watch: { profiles: "main" } }')).toEqual([
      { path: 'watch.profiles', value: '"main"', allowed: 'a list of profile names (1–32 characters of a-z, 0-9, "-" and "_", starting with a letter or digit) or "default", each listed once, such as ["main"]' },
    ]);
  });

  it('lists every problem of a config, each once', () => {
    expect(problemsOf('{ gateway: { port: 1, bind: "" }, watch: { restart: 1 } }').map((p) => p.path)).toEqual(['gateway.port', 'gateway.bind', 'watch.restart']);
  });

  it('accepts the keys it does not know, anywhere', () => {
    expect(validateConfig({ mine: 1, gateway: { theirs: { deep: true } }, browser: { profiles: { a: { extra: 1 } } } })).toMatchObject({ ok: true });
  });
});

describe('describeIssue, for issues this schema does not raise today', () => {
  const input = { a: { b: 5 } };
  it.each([
    [{ code: 'invalid_type', expected: 'int', path: ['a', 'b'], message: '', input: 5 }, 'a value of type whole number'],
    [{ code: 'invalid_type', expected: 'string', path: ['a', 'b'], message: '', input: 5 }, 'a value of type string'],
    [{ code: 'too_small', minimum: 10, origin: 'number', path: ['a', 'b'], message: '', input: 5 }, 'a value within the allowed range'],
    [{ code: 'too_big', maximum: 1, origin: 'number', path: ['a', 'b'], message: '', input: 5 }, 'a value within the allowed range'],
    [{ code: 'invalid_format', format: 'email', path: ['a', 'b'], message: '', input: 5 }, 'a valid email'],
    [{ code: 'custom', path: ['a', 'b'], message: '', input: 5 }, 'a valid value'],
  ])('describes %j as "%s"', (issue, allowed) => {
    expect(describeIssue(issue as never, input)).toEqual({ path: 'a.b', value: '5', allowed });
  });

  it('says "missing" for a value that is not there, and names the top level', () => {
    expect(describeIssue({ code: 'custom', path: ['a', 'x'], message: '', input: undefined } as never, input)).toMatchObject({ path: 'a.x', value: 'missing' });
    expect(describeIssue({ code: 'custom', path: ['a', 'b', 'c'], message: '', input: undefined } as never, input)).toMatchObject({ value: 'missing' });
    expect(describeIssue({ code: 'custom', path: [], message: '', input } as never, input)).toMatchObject({ path: '(top level)', value: '{"a":{"b":5}}' });
  });
});

describe('formatConfigError', () => {
  it('gives file:line:column for a syntax error, and one line per schema problem', () => {
    expect(formatConfigError({ kind: 'syntax', file: FILE, line: 3, column: 7, message: "invalid character 'x'" }, FILE, 'epiloop')).toBe(
      `${FILE}:3:7: not valid JSON5: invalid character 'x'`,
    );
    const schema: ConfigError = {
      kind: 'schema',
      file: FILE,
      problems: [
        { path: 'gateway.port', value: '1', allowed: 'a whole number from 1024 to 65535' },
        { path: 'watch.restart', value: '1', allowed: 'true or false' },
      ],
    };
    expect(formatConfigError(schema, '~/.epiloop/epiloop.json', 'epiloop')).toBe(
      '~/.epiloop/epiloop.json: gateway.port is 1, but must be a whole number from 1024 to 65535\n~/.epiloop/epiloop.json: watch.restart is 1, but must be true or false',
    );
  });
});

describe('formatConfigError on a config with thousands of problems', () => {
  const many: ConfigError = {
    kind: 'schema',
    file: FILE,
    problems: Array.from({ length: 3000 }, (_, i) => ({ path: `watch.profiles[${i}]`, value: `"BAD ${i}"`, allowed: 'a profile name' })),
  };
  it('shows the first ten and says how many more there are and which command lists them all', () => {
    const lines = formatConfigError(many, '~/.epiloop/epiloop.json', 'epiloop --profile main').split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[9]).toBe('~/.epiloop/epiloop.json: watch.profiles[9] is "BAD 9", but must be a profile name');
    expect(lines[10]).toBe('… and 2990 more problems; "epiloop --profile main config validate" lists every one');
  });
  it('lists every one when asked (config validate), and never cuts a list of ten or fewer', () => {
    expect(formatConfigError(many, 'f', 'epiloop', { shown: Infinity }).split('\n')).toHaveLength(3000);
    const ten: ConfigError = { ...many, problems: many.kind === 'schema' ? many.problems.slice(0, 10) : [] };
    expect(formatConfigError(ten, 'f', 'epiloop').split('\n')).toHaveLength(10);
    const eleven: ConfigError = { ...many, problems: many.kind === 'schema' ? many.problems.slice(0, 11) : [] };
    expect(formatConfigError(eleven, 'f', 'epiloop').split('\n').at(-1)).toBe('… and 1 more problem; "epiloop config validate" lists every one');
  });
});

describe('tooDeepAt: where a text first nests too deep (what mutation testing found unchecked)', () => {
  it('counts objects and lists as it goes in, and closing brackets undo them', () => {
    expect(tooDeepAt('{"a":[1],"b":[2],"c":{"d":3}}', 2)).toBeNull();
    expect(tooDeepAt('[[],[],[[]]]', 2)).toEqual({ line: 1, column: 9 });
    expect(tooDeepAt('{ a: 1 } [[', 2)).toBeNull();
    expect(tooDeepAt('{}\n{}\n[[', 1)).toEqual({ line: 3, column: 2 });
    expect(tooDeepAt('{ a: 1 //', 0)).toEqual({ line: 1, column: 1 });
  });

  it('skips brackets in strings of either quote (escaped quotes too) and in comments, and counts the lines they span', () => {
    expect(tooDeepAt('{"a": "[[[{{{", \'b\': \'{{\\\'[[\'}', 1)).toBeNull();
    expect(tooDeepAt('{"a": "x\\"[[["}', 1)).toBeNull();
    expect(tooDeepAt('{ // [[[\n a: 1 /* {{{\n */ }', 1)).toBeNull();
    expect(tooDeepAt('{ "s": "line\\\nnext",\n  /* one\n two */ b: [[1]] }', 2)).toEqual({ line: 4, column: 13 });
    expect(tooDeepAt('{ "s": "line\\\nnext",\n  // [\n b: [[1]] }', 2)).toEqual({ line: 4, column: 6 });
    expect(tooDeepAt("{ a: 'it\\'s', b: [[1]] }", 2)).toEqual({ line: 1, column: 19 });
    expect(tooDeepAt('{ a: "/*", b: [[1]] }', 2)).toEqual({ line: 1, column: 16 });
    expect(tooDeepAt('{ a: 1 /* x */, b: [[1]] }', 2)).toEqual({ line: 1, column: 21 });
    expect(tooDeepAt('{ a: 1 /**/, b: [[1]] }', 2)).toEqual({ line: 1, column: 18 });
    // The "/" that closes a block comment opens nothing (text that will not parse anyway, but is checked first).
    expect(tooDeepAt('{ /* x *//[[1]] }', 2)).toEqual({ line: 1, column: 12 });
  });

  it('reads to the end of a comment and no further: a lone * or / inside one, "/*/", a comment the text ends in', () => {
    expect(tooDeepAt('[ /* a/b, 2*3 [[ */ ]', 1)).toBeNull();
    // "/*/" opens a comment; its "*" is not also the start of a close.
    expect(tooDeepAt('[/*/ [[ */]', 2)).toBeNull();
    // Text that ends inside a comment, closed or not, ends the count there.
    expect(tooDeepAt('[1] // [[', 1)).toBeNull();
    expect(tooDeepAt('[1] /* [[', 1)).toBeNull();
    // The column after a string that spans lines counts from the line the string ends on.
    expect(tooDeepAt('{ "s": "line\\\nnext", b: [[1]] }', 2)).toEqual({ line: 2, column: 12 });
  });

  it('ends the count inside a string the text never closes, and opens a comment only at "/*"', () => {
    // A string left open runs to the end of the text: nothing in it nests.
    expect(tooDeepAt('{ "a": "[[[', 1)).toBeNull();
    expect(tooDeepAt("[ 'x\\", 1)).toBeNull();
    // A "*" after anything but "/" is text, and the bracket before it still counts.
    expect(tooDeepAt('[1*[2]]', 1)).toEqual({ line: 1, column: 4 });
    expect(tooDeepAt('{*[', 0)).toEqual({ line: 1, column: 1 });
  });
});

describe('parseConfigText and formatConfigError on a text nested too deep or broken far down (what mutation testing found unchecked)', () => {
  it('refuses a text nested past 64 levels before parsing it, where it goes too deep, in words that say what to run', () => {
    const deep = '{"a":'.repeat(70) + '1' + '}'.repeat(70);
    const parsed = parseConfigText(deep, '/home/ada/.epiloop/epiloop.json');
    expect(parsed).toEqual({ ok: false, error: { kind: 'refused', file: '/home/ada/.epiloop/epiloop.json', refusal: { kind: 'too-deep', line: 1, column: 321 } } });
    expect(formatConfigError((parsed as { error: ConfigError }).error, '~/.epiloop/epiloop.json', 'epiloop --profile work')).toBe(
      '~/.epiloop/epiloop.json:1:321 nests deeper than 64 levels; it was not parsed.\n' +
        "Allowed: a config is a regular file of JSON5, at most 1 MiB (1048576 bytes), nested at most 64 levels, inside its profile's dirs.\n" +
        'Fix: "epiloop --profile work doctor --fix" replaces it with a fresh config and keeps it as the backup.',
    );
  });

  it('drops JSON5\'s position suffix from a syntax error past line 9 too', () => {
    expect(parseConfigText('{\n' + '  a: 1,\n'.repeat(10) + '  b: @\n}', 'f')).toEqual({ ok: false, error: { kind: 'syntax', file: 'f', line: 12, column: 6, message: "invalid character '@'" } });
  });
});
