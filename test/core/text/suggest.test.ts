import { describe, expect, it } from 'vitest';
import { suggest } from '../../../src/core/text/suggest';

describe('suggest: the "did you mean" of commands, options and config keys', () => {
  it('takes the closest candidate within two edits', () => {
    expect(suggest('stauts', ['status', 'setup'])).toBe('status');
    expect(suggest('gatway', ['gateway', 'browser'])).toBe('gateway');
    expect(suggest('zzzzzz', ['status'])).toBeNull();
  });

  it('takes a key that starts as the word typed does, for a unit or an ending written another way', () => {
    expect(suggest('intervalSeconds', ['profiles', 'intervalMs', 'restart'])).toBe('intervalMs');
    expect(suggest('maxRestarts', ['maxRestartsPerHour', 'restart'])).toBe('maxRestartsPerHour');
    expect(suggest('maxFileSize', ['maxFileBytes', 'keepFiles'])).toBe('maxFileBytes');
  });

  it('never offers a word that only shares a short start', () => {
    expect(suggest('model', ['workspace'])).toBeNull();
    expect(suggest('maxAge', ['maxPerHour', 'minLevel'])).toBeNull();
    expect(suggest('cdpHost', ['cdpPort', 'cdpUrl'])).toBe('cdpPort');
  });
});
