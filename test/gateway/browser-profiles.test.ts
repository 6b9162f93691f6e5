import { describe, expect, it } from 'vitest';
import { footprint } from '../../src/core/ports/footprint';
import { planBrowserProfiles } from '../../src/core/gateway/browser-profiles';
import type { Config } from '../../src/core/config/schema';

const plan = (config: Config | undefined) => planBrowserProfiles(config, footprint(config, 21000));

describe('planBrowserProfiles', () => {
  it('gives the default profile the first port of the CDP range', () => {
    expect(plan(undefined)).toEqual([{ name: 'default', cdpPort: 21011, cdpUrl: null, source: 'range' }]);
  });

  it('keeps pinned ports and remote URLs, and hands the range out around pinned ports', () => {
    const config: Config = {
      browser: {
        profiles: {
          work: { cdpPort: 21011 },
          shop: {},
          remote: { cdpUrl: 'http://10.0.0.2:9222' },
          more: {},
        },
      },
    };
    expect(plan(config)).toEqual([
      { name: 'default', cdpPort: 21012, cdpUrl: null, source: 'range' },
      { name: 'work', cdpPort: 21011, cdpUrl: null, source: 'pinned' },
      { name: 'shop', cdpPort: 21013, cdpUrl: null, source: 'range' },
      { name: 'remote', cdpPort: null, cdpUrl: 'http://10.0.0.2:9222', source: 'remote' },
      { name: 'more', cdpPort: 21014, cdpUrl: null, source: 'range' },
    ]);
  });

  it('lets browser.profiles.default override, and browser.cdpUrl make the default remote', () => {
    expect(plan({ browser: { profiles: { default: { cdpPort: 30000 } } } })[0]).toEqual({ name: 'default', cdpPort: 30000, cdpUrl: null, source: 'pinned' });
    expect(plan({ browser: { cdpUrl: 'http://127.0.0.1:9222' } })[0]).toEqual({ name: 'default', cdpPort: null, cdpUrl: 'http://127.0.0.1:9222', source: 'remote' });
  });

  it('follows a moved control port, and runs out of range ports after 100', () => {
    expect(plan({ browser: { controlUrl: 'http://127.0.0.1:30000' } })[0]!.cdpPort).toBe(30009);
    const profiles = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`p${i}`, {}]));
    const planned = plan({ browser: { profiles } });
    expect(planned).toHaveLength(101);
    expect(planned[99]!.cdpPort).toBe(21110);
    expect(planned[100]).toMatchObject({ name: 'p99', cdpPort: null });
  });
});
