import { describe, expect, it } from 'vitest';
import { splitKeys } from '../../src/core/wizard/keys';

describe('splitKeys', () => {
  it('leaves a key Ink already named alone, and plain text whole', () => {
    expect(splitKeys('\r', { return: true })).toEqual([{ input: '\r', key: { return: true } }]);
    expect(splitKeys('', { escape: true })).toEqual([{ input: '', key: { escape: true } }]);
    expect(splitKeys('~/my bots', {})).toEqual([{ input: '~/my bots', key: {} }]);
    // A named key stays as Ink named it, even when its input holds a control character.
    expect(splitKeys('\r', { meta: true })).toEqual([{ input: '\r', key: { meta: true } }]);
    expect(splitKeys('', { upArrow: true })).toEqual([{ input: '', key: { upArrow: true } }]);
    // A key object with every flag false is no named key: the text is still split.
    expect(splitKeys('a\r', { ctrl: false })).toEqual([{ input: 'a', key: {} }, { input: '\r', key: { return: true } }]);
  });

  it('splits a burst into its keys, none lost, text runs kept together', () => {
    expect(splitKeys('19\r\r', {})).toEqual([
      { input: '19', key: {} },
      { input: '\r', key: { return: true } },
      { input: '\r', key: { return: true } },
    ]);
    expect(splitKeys('x\u0003', {})).toEqual([{ input: 'x', key: {} }, { input: 'c', key: { ctrl: true } }]);
  });

  it('names every control key it knows', () => {
    expect(splitKeys('\r\n\t\u0003\u0015\u007f\b', {})).toEqual([
      { input: '\r', key: { return: true } },
      { input: '\r', key: { return: true } },
      { input: '\t', key: { tab: true } },
      { input: 'c', key: { ctrl: true } },
      { input: 'u', key: { ctrl: true } },
      { input: '', key: { backspace: true } },
      { input: '', key: { backspace: true } },
    ]);
  });
});
