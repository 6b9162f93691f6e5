import { describe, expect, it } from 'vitest';
import { formatKeyPath, getAtPath, parseKeyPath, parseValueText, setAtPath, unsetAtPath } from '../../src/core/config/keypath';
import { UsageError } from '../../src/core/errors';

describe('key paths', () => {
  it('reads dots, [N] indexes and ["quoted"] keys, and writes them back the same way', () => {
    const cases: [string, (string | number)[]][] = [
      ['gateway.port', ['gateway', 'port']],
      ['browser.profiles.default.cdpPort', ['browser', 'profiles', 'default', 'cdpPort']],
      ['watch.profiles[0]', ['watch', 'profiles', 0]],
      ['browser.profiles.2.cdpPort', ['browser', 'profiles', '2', 'cdpPort']],
      ['plugins["my.key"][1]', ['plugins', 'my.key', 1]],
      ['["a]b"].c', ['a]b', 'c']],
    ];
    for (const [text, path] of cases) {
      expect(parseKeyPath(text), text).toEqual(path);
      expect(formatKeyPath(path)).toBe(text);
    }
  });

  it('refuses a malformed path with a UsageError that says what is allowed', () => {
    for (const text of ['', 'a..b', '.a', 'a.', 'a[x]', 'a[-1]', 'a[01]', 'a[0', 'a["b]', 'a[0]b']) {
      const error = (() => {
        try {
          parseKeyPath(text);
        } catch (e) {
          return e;
        }
      })();
      expect(error, text).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain('[N] for an array index');
    }
  });

  it('refuses a quoted key that is no JSON string (a bad escape, a short \\u, a raw control character) as a bad path, not a crash', () => {
    for (const text of ['a["\\q"]', 'a["\\u12"]', 'a["x\ny"]', 'a["\u001b[2J"]', '["\\"]']) {
      const error = (() => {
        try {
          parseKeyPath(text);
        } catch (e) {
          return e;
        }
      })();
      expect(error, JSON.stringify(text)).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain('is not a key path');
      expect((error as Error).message).toContain('[N] for an array index');
    }
  });

  it('gets, sets and unsets on copies; a list closes up; a step through a scalar is refused', () => {
    const raw = { gateway: { port: 18789 }, watch: { profiles: ['main', 'work'] } };
    expect(getAtPath(raw, ['watch', 'profiles', 1])).toEqual({ found: true, value: 'work' });
    expect(getAtPath(raw, ['gateway', 'bind'])).toEqual({ found: false, reason: 'gateway.bind is not set' });
    expect(getAtPath(raw, ['no', 'such', 'path'])).toEqual({ found: false, reason: 'no.such.path is not set (the config has no no)' });
    expect(getAtPath(raw, ['gateway', 'port', 'x'])).toEqual({ found: false, reason: 'gateway.port is a number, not an object' });
    expect(setAtPath(raw, ['a', 'b', 0], 1)).toMatchObject({ a: { b: [1] } });
    expect(setAtPath(raw, ['watch', 'profiles', 2], 'x').watch).toEqual({ profiles: ['main', 'work', 'x'] });
    expect(() => setAtPath(raw, ['watch', 'profiles', 5], 'x')).toThrow('has 2 items; set [2] to add one');
    expect(() => setAtPath(raw, ['gateway', 'port', 'x'], 1)).toThrow('gateway.port is a number, not an object');
    // A path with brackets is quoted for the shell in the command it advises.
    expect(() => setAtPath({ a: { 'x.y': 'text' } }, ['a', 'x.y', 'z'], 1, 'epiloop --profile p')).toThrow(`Set a["x.y"] as a whole instead: epiloop --profile p config set 'a["x.y"]' '<new value>'`);
    expect(unsetAtPath(raw, ['watch', 'profiles', 0])!.watch).toEqual({ profiles: ['work'] });
    expect(unsetAtPath(raw, ['gateway', 'bind'])).toBeNull();
    expect(raw).toEqual({ gateway: { port: 18789 }, watch: { profiles: ['main', 'work'] } });
    const polluted = setAtPath({}, ['__proto__', 'x'], 1);
    expect(Object.hasOwn(polluted, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('reads a value as JSON5; a bare word or path is a string; a broken value is an error', () => {
    expect(parseValueText('19789')).toBe(19789);
    expect(parseValueText("['main']")).toEqual(['main']);
    expect(parseValueText('{ a: 1, }')).toEqual({ a: 1 });
    expect(parseValueText('"19789"')).toBe('19789');
    expect(parseValueText('true')).toBe(true);
    expect(parseValueText('loopback')).toBe('loopback');
    expect(parseValueText('~/my workspace')).toBe('~/my workspace');
    expect(() => parseValueText('[main')).toThrow(UsageError);
  });

  it('takes one bare token that starts like a number but is no JSON5 as the string it is (an address, a host:port); the schema judges it then', () => {
    for (const text of ['0.0.0.0', '192.168.1.20', '2001:db8::1', '::1', '127.0.0.1:8080', '[::1]:8080', '[fe80::1%eth0]', '18a89', '19x89', '-5x', '.hidden', 'true-1']) {
      expect(parseValueText(text)).toBe(text);
    }
    // Numbers and the other values still read as JSON5.
    expect(parseValueText('1.5')).toBe(1.5);
    expect(parseValueText('-2')).toBe(-2);
    expect(parseValueText('0x10')).toBe(16);
  });

  it('keeps the JSON5 error for what looks like broken JSON5: an open list, object or string, or more than one token', () => {
    for (const text of ['{a:', '[1,', '"abc', "'abc", '[main', '{ a: 1', '1, 2', '0.0.0.0 lan', ' 0.0.0.0', '[1', '"0.0.0.0', '1]', '[::1', 'true}']) {
      expect(() => parseValueText(text), text).toThrow('is not a JSON5 value');
    }
  });
});
