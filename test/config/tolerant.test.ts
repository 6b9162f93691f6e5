/** Repair of a config that does not parse keeps what still reads (issue 10, sixth bullet): the pure parts. */
import { describe, expect, it } from 'vitest';
import { readTolerant } from '../../src/core/config/tolerant';
import { stripInvalid } from '../../src/core/config/edits';
import { clientImpacts } from '../../src/core/doctor/impacts';
import { configBase, readableConfig } from '../../src/core/host/view';
import { maskSecrets } from '../../src/core/config/secrets';
import { formatDiff, lineDiff } from '../../src/core/text/diff';
import { loadedFrom } from '../helpers/view';

const TOKEN = 'tok-0123456789abcdefghij';

describe('readTolerant', () => {
  it('keeps every member that reads, skipping a broken one to the next comma or bracket', () => {
    const text = `{\n  // main\n  gateway: { port: 18789 auth: { token: "${TOKEN}" } },\n  agents: { defaults: { workspace: "~/w" } }\n  oops here\n  theme: 'dark',\n}`;
    expect(readTolerant(text)).toEqual({
      raw: { gateway: { port: 18789, auth: { token: TOKEN } }, agents: { defaults: { workspace: '~/w' } }, theme: 'dark' },
      lost: ['oops (line 5)'],
    });
  });

  it('stops an unterminated string at its line, and names what was lost', () => {
    const read = readTolerant('{ "gateway": { "port": 18789, "auth": { "token": "abc\n } }, "x": 1 }');
    expect(read.raw).toEqual({ gateway: { port: 18789, auth: {} }, x: 1 });
    expect(read.lost).toEqual(['gateway.auth.token (line 1)']);
  });

  it('a stray word at the end of a line loses only itself: the member on the next line is kept (the auth token above all)', () => {
    const text = `{\n  "gateway": {\n    "port": 18789,,, oops\n    "auth": {\n      "token": "${TOKEN}"\n    }\n  },\n  "theme": "dark"\n}`;
    expect(readTolerant(text)).toEqual({
      raw: { gateway: { port: 18789, auth: { token: TOKEN } }, theme: 'dark' },
      lost: ['gateway.oops (line 3)'],
    });
  });

  it('reads the object after stray text before its first brace (a merge marker, a pasted shell line): the token is kept', () => {
    const text = `<<<<<<< HEAD\n{\n  "gateway": {\n    "port": 18789,\n    "auth": { "token": "${TOKEN}" }\n  }\n}`;
    expect(readTolerant(text)).toEqual({ raw: { gateway: { port: 18789, auth: { token: TOKEN } } }, lost: ['text before the first "{" (line 1)'] });
  });

  it('a stray byte or word just before a key loses only itself, not the member after it: the auth token is kept (hostile pass, item 1)', () => {
    const token = 'HzZC' + 'x'.repeat(28);
    const config = (stray: string) => `{\n  "gateway": {\n    "port": 20789,\n ${stray}   "auth": {\n      "token": "${token}"\n    }\n  }\n}`;
    for (const stray of ['\u0000', '\x01', 'oops ', '#', '\\']) {
      const read = readTolerant(config(stray));
      expect(read.raw, JSON.stringify(stray)).toEqual({ gateway: { port: 20789, auth: { token } } });
      expect(read.lost, JSON.stringify(stray)).toEqual([stray === 'oops ' ? 'gateway.oops (line 4)' : 'unreadable text in gateway (line 4)']);
    }
  });

  it('a stray byte loses nothing else at any depth: before the first key, before a key deep down, after a whole value', () => {
    const whole = { gateway: { port: 20789, auth: { token: TOKEN } }, theme: 'dark' };
    expect(readTolerant(`{\u0000 "gateway": { "port": 20789, "auth": { "token": "${TOKEN}" } }, "theme": "dark" }`)).toEqual({ raw: whole, lost: ['unreadable text (line 1)'] });
    expect(readTolerant(`{ "gateway": { "port": 20789, "auth": { \u0001"token": "${TOKEN}" } }, "theme": "dark" }`)).toEqual({ raw: whole, lost: ['unreadable text in gateway.auth (line 1)'] });
    expect(readTolerant(`{ "gateway": { "port": 20789\u0000, "auth": { "token": "${TOKEN}"\u0000 }\u0000 }, "theme": "dark" }`)).toEqual({
      raw: whole,
      lost: ['unreadable text in gateway (line 1)', 'unreadable text in gateway.auth (line 1)', 'unreadable text in gateway (line 1)'],
    });
    // A stray sign glued to an unquoted key ("-" of a pasted diff) is a stray byte, not the start of a number that eats the key.
    expect(readTolerant(`{ gateway: { port: 20789, auth: { -token: "${TOKEN}" } }, theme: "dark" }`)).toEqual({ raw: whole, lost: ['unreadable text in gateway.auth (line 1)'] });
    // A stray byte inside a number is no end of it: the number is not guessed.
    expect(readTolerant(`{ "gateway": { "port": 207\u000089, "auth": { "token": "${TOKEN}" } } }`).raw).toEqual({ gateway: { auth: { token: TOKEN } } });
  });

  it('after a stray word, a "name:" on its line starts a member only where a value follows the colon (an unquoted URL is no key)', () => {
    const read = readTolerant('{\n  url http://127.0.0.1:80\n  port: 1,\n}');
    expect(read.raw).toEqual({ port: 1 });
  });

  it('reads an escaped key, quoted or not, as the strict parser does: the token under "tok\\u0065n" is the token (hostile pass, item 2)', () => {
    for (const key of ['tok\\u0065n', '"tok\\u0065n"', "'tok\\u0065n'", '\\u0074oken']) {
      const read = readTolerant(`{ gateway: { port: 20789, auth: { ${key}: "${TOKEN}" } }, oops }`);
      expect(read, key).toEqual({ raw: { gateway: { port: 20789, auth: { token: TOKEN } } }, lost: ['oops (line 1)'] });
    }
    expect(readTolerant('{ gateway: { ключ: 1, n\\u00e9: 2 }, oops }').raw).toEqual({ gateway: { ключ: 1, né: 2 } });
    // An escape spells no value word: \u0074rue is not true.
    expect(readTolerant('{ a: \\u0074rue, b: true, oops }').raw).toEqual({ b: true });
  });

  it('reads a key or a word named like a property of every object as plain data: "toString" is no value, "__proto__" an own key', () => {
    expect(readTolerant('{ a: toString, b: constructor, c: 1, oops }').raw).toEqual({ c: 1 });
    const read = readTolerant('{ "__proto__": { "gateway": { "port": 1 } }, oops }');
    expect(Object.getPrototypeOf(read.raw)).toBe(Object.prototype);
    expect(read.raw.gateway).toBeUndefined();
    expect(Object.keys(read.raw)).toEqual(['__proto__']);
  });

  it('reads nothing out of nothing', () => {
    expect(readTolerant('')).toEqual({ raw: {}, lost: [] });
    expect(readTolerant('garbage').raw).toEqual({});
  });
});

describe('readableConfig and configBase', () => {
  it('recovers the port and the token of a file JSON5 refuses', () => {
    const loaded = loadedFrom(`{ gateway: { port: 18789, auth: { token: "${TOKEN}" } }, oops }`, '/h/.epiloop/epiloop.json');
    expect(loaded.state).toBe('invalid');
    const readable = readableConfig(loaded);
    expect(readable).toMatchObject({ recovered: true, raw: { gateway: { port: 18789, auth: { token: TOKEN } } } });
    expect(configBase(readable, loaded)).toBe(18789);
  });

  it('has no base when the port was lost: 18789 would be a guess', () => {
    const loaded = loadedFrom('{ gateway: { port: 18789x } }', '/h/.epiloop/epiloop.json');
    expect(configBase(readableConfig(loaded), loaded)).toBeNull();
  });

  it('has no base when a broken file names no port: "{oops" (a truncated file) claims nothing, so no healthy profile is moved off 18789', () => {
    for (const text of ['{oops', '{ agents: { defaults: { workspace: "~/w" } }', '{ gateway: { auth: { token: "' + TOKEN + '" } }, oops }']) {
      const loaded = loadedFrom(text, '/h/.epiloop/epiloop.json');
      expect(loaded.state).toBe('invalid');
      expect(configBase(readableConfig(loaded), loaded)).toBeNull();
    }
    // A file that reads names its port or means the default.
    const valid = loadedFrom('{ agents: {} }', '/h/.epiloop/epiloop.json');
    expect(configBase(readableConfig(valid), valid)).toBe(18789);
  });

  it('reads a port written as a string as the number it says, nothing moved (issue 10, first bullet)', () => {
    const { raw, invalid } = stripInvalid({ gateway: { port: '18789', bind: '' } });
    expect(raw).toEqual({ gateway: { port: 18789 } });
    expect(invalid.map((i) => [i.keys.join('.'), i.coerced])).toEqual([
      ['gateway.port', 18789],
      ['gateway.bind', undefined],
    ]);
    expect(stripInvalid({ gateway: { port: '80' } }).raw).toEqual({ gateway: {} });
  });
});

describe('clientImpacts', () => {
  it('says in words when the token, the base or the bind changes', () => {
    const before = { gateway: { port: 18789, bind: 'lan', auth: { token: TOKEN } } };
    expect(clientImpacts(before, before)).toEqual([]);
    expect(clientImpacts(before, { gateway: { port: 18799, bind: 'lan', auth: { token: 'other-token-0123456789' } } })).toEqual([
      'the auth token is replaced: clients using the old one will be refused',
      'the base port moves 18789 → 18799: clients must use the new one (a running gateway keeps the old one until it restarts)',
    ]);
    expect(clientImpacts({}, { gateway: { port: 18789, auth: { token: TOKEN } } })).toEqual([
      'the auth token could not be read, so a new one is written: clients using the old one will be refused',
      'the base port could not be read, so it is set to 18789: clients must use that one',
    ]);
    expect(clientImpacts({ gateway: { port: '18789' } }, { gateway: { port: 18789 } })).toEqual([]);
    // Read whole, a key not there was missing, not unread.
    expect(clientImpacts({ gateway: {} }, { gateway: { port: 18789, auth: { token: TOKEN } } }, { whole: true })).toEqual([
      'the auth token was missing, so a new one is written: clients must use it',
      'the base port was missing, so it is set to 18789: clients must use that one',
    ]);
    expect(clientImpacts(before, { gateway: { port: 18789, auth: { token: TOKEN } } })).toEqual(['only this machine can reach this gateway with gateway.bind unset (loopback)']);
    // From another profile (doctor --target main): the gateway is main's, not the speaker's own.
    expect(clientImpacts(before, { gateway: { port: 18789, auth: { token: TOKEN } } }, { gateway: "main's gateway" })).toEqual(["only this machine can reach main's gateway with gateway.bind unset (loopback)"]);
  });

  it('compares the base with the one the running gateway serves, which is what clients use, not with the old file', () => {
    const port = (p: unknown) => ({ gateway: { port: p, auth: { token: TOKEN } } });
    expect(clientImpacts(port(99999), port(18789), { served: { port: 18789, host: '127.0.0.1' } })).toEqual([]);
    expect(clientImpacts(port(18989), port(18789), { served: { port: 18789, host: '127.0.0.1' } })).toEqual([]);
    expect(clientImpacts(port(18789), port(18799), { served: { port: 18789, host: '127.0.0.1' } })).toEqual([
      'the base port moves 18789 → 18799: clients must use the new one (the running gateway serves 18789 until it restarts)',
    ]);
    expect(clientImpacts(port(18799), port(18799), { served: { port: 18789, host: '127.0.0.1' } })).toEqual([
      'the base port moves 18789 → 18799: clients must use the new one (the running gateway serves 18789 until it restarts)',
    ]);
  });

  it('says a bind that opens the gateway to other machines as such, in the words of config set, and nothing for loopback to loopback', () => {
    const bound = (bind: unknown) => ({ gateway: { port: 18789, auth: { token: TOKEN }, ...(bind === undefined ? {} : { bind }) } });
    const impact = (was: unknown, is: unknown) => clientImpacts(bound(was), bound(is));
    // A rollback (or repair) from loopback to a bind other machines reach opens it up: the token is what guards it then.
    for (const [was, is] of [['loopback', 'lan'], [undefined, 'all'], ['localhost', '0.0.0.0'], ['127.0.0.1', '192.168.1.20']]) {
      expect(impact(was, is)).toEqual([`other machines can reach this gateway with gateway.bind ${JSON.stringify(is)}: every port but /health demands the token`]);
    }
    expect(impact('all', '127.0.0.1')).toEqual(['only this machine can reach this gateway with gateway.bind "127.0.0.1"']);
    // A bind the gateway refused (it did not start) removed: only this machine reaches it now.
    expect(impact('LAN', undefined)).toEqual(['only this machine can reach this gateway with gateway.bind unset (loopback)']);
    expect(impact(7, undefined)).toEqual(['only this machine can reach this gateway with gateway.bind unset (loopback)']);
    for (const [was, is] of [['localhost', 'loopback'], ['loopback', undefined], [undefined, '127.0.0.1'], ['::1', 'localhost']]) expect(impact(was, is)).toEqual([]);
  });

  it('judges a changed bind from the address the running gateway serves, not from a bind in the file it never started with', () => {
    const bound = (bind: unknown) => ({ gateway: { port: 18789, auth: { token: TOKEN }, ...(bind === undefined ? {} : { bind }) } });
    const served = (host: string) => ({ served: { port: 18789, host } });
    // Edited to 10.9.9.9 after the gateway started on loopback: going back to loopback changes nobody's reach.
    expect(clientImpacts(bound('10.9.9.9'), bound(undefined), served('127.0.0.1'))).toEqual([]);
    expect(clientImpacts(bound('lan'), bound('loopback'), served('::1'))).toEqual([]);
    expect(clientImpacts(bound('loopback'), bound(undefined), served('0.0.0.0'))).toEqual(['only this machine can reach this gateway with gateway.bind unset (loopback)']);
    expect(clientImpacts(bound('10.9.9.9'), bound('lan'), served('127.0.0.1'))).toEqual(['other machines can reach this gateway with gateway.bind "lan": every port but /health demands the token']);
    // A bind the rewrite leaves as it is is no change of the rewrite's.
    expect(clientImpacts(bound('lan'), bound('lan'), served('127.0.0.1'))).toEqual([]);
  });

  it('a replaced token of the same length is a changed line in the masked diff', () => {
    const diff = formatDiff(lineDiff([`"token": "${'a'.repeat(32)}"`].map((l) => maskSecrets(l)), [`"token": "${'b'.repeat(32)}"`].map((l) => maskSecrets(l))));
    expect(diff).toHaveLength(2);
    expect(diff[0]).toMatch(/^-"token": "‹32 characters hidden, #[0-9a-f]{8}›"$/);
    expect(diff[1]).toMatch(/^\+"token": "‹32 characters hidden, #[0-9a-f]{8}›"$/);
  });
});

describe('readTolerant on a config nested past the limit', () => {
  it('stops at the depth the strict read allows, where 10,000 levels overflowed the stack (doctor --fix exited 70)', () => {
    const depth = 10_000;
    const text = `{ gateway: { port: 18789 }, deep: ${'['.repeat(depth)}${']'.repeat(depth)}, after: 1 }`;
    const read = readTolerant(text);
    // What nests up to the limit still reads; the value below it is lost, and so named.
    let kept: unknown = read.raw.deep;
    for (let level = 1; level < 64; level++) kept = (kept as unknown[])[0];
    expect(kept).toEqual([]);
    expect(read.raw).toMatchObject({ gateway: { port: 18789 }, after: 1 });
    expect(read.lost).toEqual([`deep${'[0]'.repeat(64)} (line 1)`]);
    const objects = `{ a: ${'{ a: '.repeat(depth)}1${' }'.repeat(depth)}, b: 2 }`;
    expect(readTolerant(objects).raw).toMatchObject({ b: 2 });
  });
});

describe('a stray word between a key and its colon (hostile pass: doctor --fix kept the token under the stray)', () => {
  it('reads the member under the key written first; the stray is lost', () => {
    const read = readTolerant('{ gateway: { port: 21789, auth: { token junk: "TOKtok3nABCDEFGH1234567890xyzQQ" } } }');
    expect(read.raw).toEqual({ gateway: { port: 21789, auth: { token: 'TOKtok3nABCDEFGH1234567890xyzQQ' } } });
    expect(read.lost).toEqual(['gateway.auth.token (line 1)']);
  });
});
