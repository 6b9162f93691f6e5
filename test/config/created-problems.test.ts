import { describe, expect, it } from 'vitest';
import { problemsMadeBy, wholeItemHint } from '../../src/core/config/created-problems';
import { validateConfig, type SchemaProblem } from '../../src/core/config/schema';
import { parseValueText, setAtPath } from '../../src/core/config/keypath';

const missingType = (i: number): SchemaProblem => ({ path: `watch.alerts[${i}].type`, value: 'missing', allowed: '"webhook" or "command"' });

describe('problemsMadeBy', () => {
  it('counts a problem outside the edited key as made when it was not there before', () => {
    expect(problemsMadeBy({ path: ['watch', 'alerts', 1, 'url'], unset: false }, [], [missingType(1)])).toEqual([missingType(1)]);
  });

  it('leaves a problem that was there before, even when unsetting an earlier list item renumbers it', () => {
    expect(problemsMadeBy({ path: ['gateway', 'bind'], unset: false }, [missingType(1)], [missingType(1)])).toEqual([]);
    expect(problemsMadeBy({ path: ['watch', 'alerts', 0], unset: true }, [missingType(1)], [missingType(0)])).toEqual([]);
    // Unsetting a later item moves nothing before it.
    expect(problemsMadeBy({ path: ['watch', 'alerts', 2], unset: true }, [missingType(1)], [missingType(1)])).toEqual([]);
  });

  it('tells a key holding a dot from the keys its dots would split it into (profile names cannot hold one; other keys can)', () => {
    const badPort: SchemaProblem = { path: 'gateway.port', value: '80', allowed: 'a port' };
    // A key named "gateway.port" at the top is not gateway.port: its problem was there before.
    expect(problemsMadeBy({ path: ['gateway.port'], unset: false }, [badPort], [badPort])).toEqual([]);
    // A browser profile "work.old" (a bad name, there before) is not inside profile "work".
    const badName = validateConfig({ browser: { profiles: { 'work.old': {} } } });
    const problems = badName.ok ? [] : badName.problems;
    expect(problems.map((p) => p.path)).toEqual(['browser.profiles["work.old"]']);
    expect(problemsMadeBy({ path: ['browser', 'profiles', 'work'], unset: false }, problems, problems)).toEqual([]);
    expect(problemsMadeBy({ path: ['browser', 'profiles', 'work.old', 'cdpPort'], unset: false }, problems, problems)).toEqual([]);
    expect(problemsMadeBy({ path: ['browser', 'profiles', 'work.old'], unset: false }, problems, problems)).toEqual(problems);
  });

  it('always counts a problem at the key a set writes', () => {
    const bad: SchemaProblem = { path: 'gateway.port', value: '"x"', allowed: 'a port' };
    expect(problemsMadeBy({ path: ['gateway', 'port'], unset: false }, [bad], [bad])).toEqual([bad]);
  });
});

describe('wholeItemHint', () => {
  it('asks for the whole item a set creates, with the keys it needs; none for an item that was there', () => {
    const raw = { watch: { alerts: [{ type: 'webhook', url: 'https://example.com/' }] } };
    expect(wholeItemHint({ path: ['watch', 'alerts', 1, 'url'], unset: false }, raw, [missingType(1)], 'epiloop')).toBe(
      `Set the whole item at once: epiloop config set 'watch.alerts[1]' '{ type: …, url: … }'`,
    );
    expect(wholeItemHint({ path: ['watch', 'alerts', 0, 'url'], unset: false }, raw, [missingType(0)], 'epiloop')).toBeNull();
  });

  const hint = (path: (string | number)[], raw: Record<string, unknown>) => {
    const checked = validateConfig(setAtPath(raw, path, 'https://example.com/'));
    return wholeItemHint({ path, unset: false }, raw, checked.ok ? [] : checked.problems, 'epiloop');
  };

  it('for a list the set creates, asks for the item, with a value config set takes: never an index as a key ({ 0: … })', () => {
    expect(hint(['watch', 'alerts', 0, 'url'], { watch: {} })).toBe(`Set the whole item at once: epiloop config set 'watch.alerts[0]' '{ type: …, url: … }'`);
    expect(parseValueText('{ type: 1, url: 2 }')).toEqual({ type: 1, url: 2 });
  });

  it('offers nothing when the problem is in the value set, not a key the new item lacks: the whole item was set, or setting it would not help', () => {
    const made = (path: (string | number)[], value: unknown) => {
      const checked = validateConfig(setAtPath({}, path, value));
      return wholeItemHint({ path, unset: false }, {}, checked.ok ? [] : checked.problems, 'epiloop');
    };
    expect(made(['watch', 'alerts', 0], { type: 'command', command: 'x', maxPerHour: -1 })).toBeNull();
    expect(made(['watch', 'alerts', 0], 5)).toBeNull();
  });

  it('writes a key JSON5 cannot take bare quoted, and never offers a refused "__proto__" key (the problem line names it)', () => {
    const made = [{ path: 'x["a.b"].d', value: 'missing', allowed: 'a port' }];
    expect(wholeItemHint({ path: ['x', 'a.b', 'c'], unset: false }, {}, made, 'epiloop')).toBe(`Set the whole item at once: epiloop config set 'x' '{ "a.b": … }'`);
    for (const path of [['a', '__proto__', 'x'], ['__proto__', 'x'], ['a', '__proto__']]) expect(hint(path, {})).toBeNull();
    expect(hint(['watch', 'alerts', 0, '__proto__'], { watch: {} })).toBe(`Set the whole item at once: epiloop config set 'watch.alerts[0]' '{ type: … }'`);
  });
});
