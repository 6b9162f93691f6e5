/**
 * A key named "__proto__" (hostile pass): JSON5 reads it as an own key, but zod skips it in
 * records and objects, so a browser profile called "__proto__" went unchecked (any cdpUrl,
 * any port) and doctor --fix left it. A "__proto__" key is refused wherever it stands: as a
 * browser profile, by the name rule ("_x" is); anywhere else, as a key epiloop cannot keep.
 */
import { describe, expect, it } from 'vitest';
import { stripInvalid } from '../../src/core/config/edits';
import { parseJson5Text } from '../../src/core/config/json5';
import { validateConfig } from '../../src/core/config/schema';

const base = `gateway: { port: 18789, auth: { token: "abcdefghijklmnopqrstuvwxyz" } }`;
const read = (extra: string) => parseJson5Text(`{ ${base}, ${extra} }`) as Record<string, unknown>;

describe('a "__proto__" key', () => {
  it('as a browser profile: refused by the name rule, like "_x", whatever its value', () => {
    for (const value of ['{ cdpUrl: "ftp://x", cdpPort: 80 }', '5', '{ cdpPort: 18800 }']) {
      const result = validateConfig(read(`browser: { profiles: { "__proto__": ${value} } }`));
      expect(result.ok).toBe(false);
      const like = validateConfig(read(`browser: { profiles: { "_x": ${value} } }`));
      expect(result.ok ? [] : result.problems).toEqual([
        { path: 'browser.profiles.__proto__', value: '"__proto__"', allowed: like.ok ? '' : like.problems[0]!.allowed },
      ]);
    }
  });

  it('anywhere else (top level, inside gateway, inside an alert sink): refused at its path, never silently dropped', () => {
    for (const [extra, path] of [
      ['"__proto__": { polluted: 1 }', '__proto__'],
      ['watch: { alerts: [{ type: "command", command: "page-me", "__proto__": 1 }] }', 'watch.alerts[0].__proto__'],
    ] as const) {
      const result = validateConfig(read(extra));
      expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual([path]);
    }
    const nested = validateConfig(parseJson5Text(`{ gateway: { port: 18789, "__proto__": { port: 1 } } }`));
    expect(nested.ok ? [] : nested.problems.map((p) => [p.path, p.allowed])).toEqual([['gateway.__proto__', expect.stringMatching(/__proto__/)]]);
  });

  it('doctor --fix (stripInvalid) removes it and keeps the rest', () => {
    const raw = read(`browser: { profiles: { "__proto__": { cdpPort: 7, cdpUrl: "ftp://z" }, work: { cdpPort: 18800 } } }, "__proto__": 1`);
    const fixed = stripInvalid(raw);
    expect(fixed.invalid.map((k) => k.keys.join('.')).sort()).toEqual(['__proto__', 'browser.profiles.__proto__']);
    expect(Object.hasOwn(fixed.raw, '__proto__')).toBe(false);
    expect(Object.keys((fixed.raw.browser as { profiles: object }).profiles)).toEqual(['work']);
    expect(validateConfig(fixed.raw).ok).toBe(true);
  });
});
