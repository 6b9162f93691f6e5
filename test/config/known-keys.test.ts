/** Which config keys the schema knows (the gateway reads), at any depth, and the known key a near miss meant. */
import { describe, expect, it } from 'vitest';
import { schemaKeyAt } from '../../src/core/config/known-keys';

describe('schemaKeyAt', () => {
  it('knows every key the schema names, through lists, browser profiles by any name, and either kind of sink', () => {
    for (const path of [
      ['gateway'],
      ['gateway', 'auth', 'token'],
      ['watch', 'profiles'],
      ['watch', 'profiles', 3],
      ['browser', 'profiles', 'work', 'cdpPort'],
      ['watch', 'alerts', 0, 'url'],
      ['watch', 'alerts', 0, 'command', 1],
      ['watch', 'alerts', 0, 'maxPerHour'],
      ['logs', 'keepFiles'],
    ]) {
      expect(schemaKeyAt(path), path.join('.')).toEqual({ known: true });
    }
  });

  it('does not know a key the schema does not name, at any depth', () => {
    expect(schemaKeyAt(['plugins', 'voice'])).toEqual({ known: false, meant: null });
    expect(schemaKeyAt(['agents', 'defaults', 'model'])).toEqual({ known: false, meant: null });
    expect(schemaKeyAt(['$schema'])).toEqual({ known: false, meant: null });
    expect(schemaKeyAt(['watch', 'alerts', 0, 'headers'])).toEqual({ known: false, meant: null });
    // Below a value that holds no keys.
    expect(schemaKeyAt(['gateway', 'port', 'x'])).toEqual({ known: false, meant: null });
  });

  it('names the known key a near miss meant, each misspelt key corrected, the rest kept', () => {
    expect(schemaKeyAt(['watch', 'intervalSeconds'])).toEqual({ known: false, meant: ['watch', 'intervalMs'] });
    expect(schemaKeyAt(['gatway', 'port'])).toEqual({ known: false, meant: ['gateway', 'port'] });
    expect(schemaKeyAt(['gatway', 'auth', 'tokn'])).toEqual({ known: false, meant: ['gateway', 'auth', 'token'] });
    expect(schemaKeyAt(['browser', 'profiles', 'work', 'cdpPrt'])).toEqual({ known: false, meant: ['browser', 'profiles', 'work', 'cdpPort'] });
    expect(schemaKeyAt(['watch', 'alerts', 1, 'retry'])).toEqual({ known: false, meant: ['watch', 'alerts', 1, 'retries'] });
    // One key it cannot place: no guess at all.
    expect(schemaKeyAt(['gatway', 'nothingLikeIt'])).toEqual({ known: false, meant: null });
  });
});
