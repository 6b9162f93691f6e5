import { describe, expect, it } from 'vitest';
import { profileList } from '../../src/commands/browser-status';

describe("browser status reads browser control's /profiles with care (hostile pass: a 200 with null or {} crashed it with exit 70)", () => {
  it('takes the list the gateway sends', () => {
    const list = [{ name: 'default', cdpPort: 18800, cdpUrl: null, source: 'range', running: true, pid: 7 }, { name: 'remote', cdpPort: null, cdpUrl: 'http://10.0.0.2:9222', source: 'remote', running: false, pid: null }];
    expect(profileList({ profiles: list })).toEqual(list);
    expect(profileList({ profiles: [] })).toEqual([]);
  });

  it('is no list for any other body', () => {
    for (const body of [null, 42, 'x', [], {}, { Browser: 12345678 }, { profiles: null }, { profiles: [null] }, { profiles: [{ name: 1 }] }, { profiles: [{ name: 'a', cdpPort: '1', cdpUrl: null, source: 'range', running: true, pid: null }] }]) {
      expect(profileList(body), JSON.stringify(body)).toBeNull();
    }
  });
});
