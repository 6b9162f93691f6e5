/** Which config keys the schema knows (the gateway reads), at any depth, and the known key a near miss meant. */
import { describe, expect, it } from 'vitest';
import { meantKey, meantKeyAdvice, schemaKeyAt } from '../../src/core/config/known-keys';

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

describe('meantKeyAdvice', () => {
  const inv = 'epiloop --profile rescue';
  const advice = (path: string[], value: unknown, dryRun = false) => {
    const change = { path, value, unset: false };
    const meant = meantKey(change, { gateway: { port: 19789 } });
    return meant === null ? null : meantKeyAdvice(change, meant, inv, { dryRun });
  };

  it('offers the value as typed when the known key takes it, else what it takes; a dry run only the set', () => {
    expect(advice(['gatway', 'bind'], 'lan')).toBe('Did you mean gateway.bind? Set it, and unset gatway.bind: epiloop --profile rescue config set gateway.bind lan; epiloop --profile rescue config unset gatway.bind');
    expect(advice(['watch', 'intervalSeconds'], 5)).toBe(
      'Did you mean watch.intervalMs (a whole number of milliseconds from 200 to 3600000)? Set it, and unset watch.intervalSeconds: epiloop --profile rescue config set watch.intervalMs <value>; epiloop --profile rescue config unset watch.intervalSeconds',
    );
    expect(advice(['gatway', 'bind'], 'lan', true)).toBe('Did you mean gateway.bind? Set it instead: epiloop --profile rescue config set gateway.bind lan');
    expect(advice(['plugins', 'x'], 1)).toBeNull();
    expect(meantKey({ path: ['gatway', 'bind'], unset: true }, {})).toBeNull();
  });

  it('never echoes a secret typed under a misspelt key', () => {
    const token = 'S3CRET-abcdefghijklmnopqrstuvwxyz0123';
    const said = advice(['gatway', 'auth', 'tokn'], token)!;
    expect(said).toContain('config set gateway.auth.token <value>');
    expect(said).not.toContain('S3CRET');
  });
});
