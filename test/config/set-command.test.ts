/** The config set / unset command lines messages offer: each one, typed back, sets what it says. */
import { describe, expect, it } from 'vitest';
import { commandOf } from '../../src/core/config/set-command';
import { parseValueText } from '../../src/core/config/keypath';

describe('commandOf', () => {
  it('writes words, numbers and booleans bare, anything else as quoted JSON; a key with brackets quoted', () => {
    expect(commandOf({ path: ['gateway', 'bind'], value: 'lan', unset: false })).toBe('config set gateway.bind lan');
    expect(commandOf({ path: ['gateway', 'port'], value: 19999, unset: false })).toBe('config set gateway.port 19999');
    expect(commandOf({ path: ['watch', 'restart'], value: true, unset: false })).toBe('config set watch.restart true');
    expect(commandOf({ path: ['watch', 'profiles'], value: ['main'], unset: false })).toBe(`config set watch.profiles '["main"]'`);
    expect(commandOf({ path: ['watch', 'profiles', 1], value: 'main', unset: false })).toBe(`config set 'watch.profiles[1]' main`);
    expect(commandOf({ path: ['watch', 'profiles', 1], unset: true })).toBe(`config unset 'watch.profiles[1]'`);
  });

  it('puts a value starting with "-" after "--", where the CLI reads it as a value', () => {
    expect(commandOf({ path: ['watch', 'intervalMs'], value: -1, unset: false })).toBe('config set watch.intervalMs -- -1');
  });

  it('gives back what it was made of', () => {
    for (const value of ['lan', 'true', '0.0.0.0', 18789, 1.5, Infinity, -Infinity, false, null, ['a'], { type: 'command', command: "it's" }]) {
      const words = commandOf({ path: ['k'], value, unset: false }).split(' ').slice(3).join(' ').replace(/^-- /, '');
      const unquoted = words.startsWith("'") ? words.slice(1, -1).replaceAll("'\\''", "'") : words;
      expect(parseValueText(unquoted), JSON.stringify(value)).toEqual(value);
    }
  });
});
