import { describe, expect, it } from 'vitest';
import { deleteAt, entryRemovalWords, getAt, invalidKeyFix, pinOfSlot, pinRemovalWords, pinsOf, portFromText, repairTargets, stripInvalid, type InvalidKey } from '../../src/core/config/edits';
import { parseJson5Text } from '../../src/core/config/json5';
import type { Config, SchemaProblem } from '../../src/core/config/schema';

/** The config keys doctor reads and rewrites (what mutation testing found unchecked). */
describe('invalidKeyFix: what a rejected key becomes, in words', () => {
  const fix = (path: string) => invalidKeyFix(path.split('.'));

  it('replaces the base and the token, and says what takes the place of every key it removes', () => {
    expect(fix('gateway.port')).toEqual({ replace: 'base', words: 'replace it with a free base port', after: '' });
    expect(fix('gateway.auth.token')).toEqual({ replace: 'token', words: 'replace it with a new random token', after: '' });
    expect(fix('browser.controlUrl')).toEqual({ replace: null, words: 'remove it; browser control goes back to base + 2', after: 'browser control goes back to base + 2' });
    const after = (path: string) => fix(path).after;
    expect(after('canvasHost.port')).toBe('the canvas host goes back to base + 4');
    expect(after('agents.defaults.workspace')).toBe('the default workspace is used');
    expect(after('browser.profiles.work')).toBe('browser profile "work" is gone (its settings stay in the backup)');
    expect(after('browser.profiles.work.cdpPort')).toBe('the browser profile takes a port from the CDP range');
    expect(after('browser.profiles.work.cdpUrl')).toBe('a local browser is used');
    expect(after('browser.cdpUrl')).toBe('a local browser is used');
    expect(after('watch.profiles.2')).toBe('the other entries of watch.profiles stay');
    expect(after('watch.alerts.12')).toBe('the other entries of watch.alerts stay');
    expect(pinRemovalWords(['canvasHost', 'port'])).toBe('the canvas host goes back to base + 4');
  });

  it('names a sink its fix removes whole by its index in brackets, past nine too', () => {
    expect(entryRemovalWords(['watch', 'alerts', '1'])).toBe('remove watch.alerts[1]; the other entries of watch.alerts stay');
    expect(entryRemovalWords(['watch', 'alerts', '12'])).toBe('remove watch.alerts[12]; the other entries of watch.alerts stay');
  });

  it('gives every other key the default, a list entry only when its last key is all digits', () => {
    for (const path of ['gateway.bind', 'browser.other.thing', 'other.profiles.work', 'browser.profiles.work.color', 'canvasHost.root', 'watch.profiles.x2', 'watch.profiles.2x', 'watch.profiles.abc', 'gateway']) {
      expect(fix(path), path).toEqual({ replace: null, words: 'remove it; the default applies', after: 'the default applies' });
    }
  });
});

describe('portFromText: a port written as text is read as the number it says', () => {
  it('reads whole numbers in 1024–65535 on the port keys, spaces around allowed', () => {
    expect(portFromText(['gateway', 'port'], '18789')).toBe(18789);
    expect(portFromText(['gateway', 'port'], ' 18789 ')).toBe(18789);
    expect(portFromText(['canvasHost', 'port'], '1024')).toBe(1024);
    expect(portFromText(['browser', 'profiles', 'work', 'cdpPort'], '65535')).toBe(65535);
  });

  it('guesses nothing: other text, other keys, numbers out of range', () => {
    for (const text of ['x18789', '18789x', '1 8789', '1023', '65536', '0', '123456', '', '18789.0', '-18789']) expect(portFromText(['gateway', 'port'], text), text).toBeUndefined();
    expect(portFromText(['gateway', 'bind'], '18789')).toBeUndefined();
    expect(portFromText(['browser', 'profiles', 'a.b', 'cdpPort'], '18789')).toBeUndefined();
    expect(portFromText(['gateway', 'port'], 18789)).toBeUndefined();
  });
});

describe('getAt', () => {
  it('reads a list entry by its index written in digits only, and an object key as it is written', () => {
    const raw = { list: ['a', 'b'], map: { '1': 'one', ' 1': 'spaced' } };
    expect(getAt(raw, ['list', '1'])).toBe('b');
    expect(getAt(raw, ['map', '1'])).toBe('one');
    expect(getAt(raw, ['map', ' 1'])).toBe('spaced');
    // Text that JavaScript's Number() reads as 1 names no entry: an index is its digits, as deleteAt takes it.
    for (const key of [' 1', '1 ', '1e0', '0x1', '1.0', '+1']) expect(getAt(raw, ['list', key]), key).toBeUndefined();
    expect(getAt(raw, ['list', '1', 'length'])).toBeUndefined();
  });
});

describe('deleteAt', () => {
  it('removes a list entry by its index (the later ones move up), a key of an object even when it is digits, nothing else', () => {
    const raw = { list: Array.from({ length: 12 }, (_, i) => `e${i}`), map: { '1': 'one', x: 'x' } };
    deleteAt(raw, ['list', '10']);
    expect(raw.list).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9', 'e11']);
    deleteAt(raw, ['list', 'x1']);
    deleteAt(raw, ['list', '1x']);
    expect(raw.list).toHaveLength(11);
    deleteAt(raw, ['map', '1']);
    expect(raw.map).toEqual({ x: 'x' });
  });
});

describe('pinsOf and pinOfSlot', () => {
  it('lists every pinned browser endpoint, skipping what is no URL, no whole number or no profile', () => {
    const raw = {
      browser: {
        controlUrl: 'http://127.0.0.1:18791',
        cdpUrl: 'http://127.0.0.1:9222',
        profiles: { work: { cdpUrl: 'http://127.0.0.1:9333', cdpPort: 19805 }, gone: null, text: 'x', broken: { cdpUrl: 'not a url' }, half: { cdpPort: 1.5 }, none: {} },
      },
    };
    expect(pinsOf(raw)).toEqual([
      { keys: ['browser', 'controlUrl'], kind: 'url', value: 'http://127.0.0.1:18791/', shown: 'http://127.0.0.1:18791' },
      { keys: ['browser', 'cdpUrl'], kind: 'url', value: 'http://127.0.0.1:9222/', shown: 'http://127.0.0.1:9222' },
      { keys: ['browser', 'profiles', 'work', 'cdpUrl'], kind: 'url', value: 'http://127.0.0.1:9333/', shown: 'http://127.0.0.1:9333' },
      { keys: ['browser', 'profiles', 'work', 'cdpPort'], kind: 'port', value: '19805', shown: '19805' },
    ]);
    expect(pinsOf(undefined)).toEqual([]);
    // A URL pin is text: a list holding one (an invalid config) pins nothing.
    expect(pinsOf({ browser: { controlUrl: ['http://127.0.0.1:18791'], profiles: { work: { cdpUrl: ['http://127.0.0.1:9333'] } } } })).toEqual([]);
  });

  it('names the key that fixes a slot where it is, or null where the slot follows the base', () => {
    const slot = (role: 'gateway' | 'browser-control' | 'cdp' | 'canvas' | 'cdp-pinned', detail?: string) => ({ port: 19000, role, ...(detail === undefined ? {} : { detail }) });
    const pinned = { browser: { controlUrl: 'http://127.0.0.1:19000' }, canvasHost: { port: 19004 } } as unknown as Config;
    expect(pinOfSlot(pinned, slot('gateway'))).toBeNull();
    expect(pinOfSlot(pinned, slot('browser-control'))).toEqual(['browser', 'controlUrl']);
    expect(pinOfSlot(pinned, slot('cdp'))).toEqual(['browser', 'controlUrl']);
    expect(pinOfSlot(pinned, slot('canvas'))).toEqual(['canvasHost', 'port']);
    expect(pinOfSlot(pinned, slot('cdp-pinned', 'work'))).toEqual(['browser', 'profiles', 'work', 'cdpPort']);
    for (const config of [undefined, {} as Config]) {
      for (const role of ['gateway', 'browser-control', 'cdp', 'canvas'] as const) expect(pinOfSlot(config, slot(role)), role).toBeNull();
    }
  });
});

describe('stripInvalid', () => {
  const problem: SchemaProblem = { path: 'gateway.port', value: '18789', allowed: 'a port another profile does not use' };

  it('keeps a valid config as it is, with nothing found', () => {
    const raw = { gateway: { port: 18789 }, unknown: { kept: true } };
    const stripped = stripInvalid(raw);
    expect(stripped.invalid).toEqual([]);
    expect(stripped.raw).toEqual(raw);
    expect(stripped.raw).not.toBe(raw);
  });

  it('removes the list entries it names, each the entry its path named before any went', () => {
    const stripped = stripInvalid({ watch: { profiles: ['main', 1, 'work', 2] } });
    expect(stripped.raw).toEqual({ watch: { profiles: ['main', 'work'] } });
    expect(stripped.invalid.map((k) => k.keys.join('.'))).toEqual(['watch.profiles.1', 'watch.profiles.3']);
    // Past nine entries too: the index is the whole number, not its first digit.
    const long = ['a', 2, 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 10, 11];
    const cut = stripInvalid({ watch: { profiles: long } });
    expect(cut.raw).toEqual({ watch: { profiles: ['a', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'] } });
    expect(cut.invalid.map((k) => k.keys.join('.'))).toEqual(['watch.profiles.1', 'watch.profiles.10', 'watch.profiles.11']);
  });

  it('fixes a rejected key inside a list entry, and removes an entry whose required key it had to remove (doctor crashed on both)', () => {
    const good = { type: 'webhook', url: 'https://ntfy.sh/b' };
    const tooMany = stripInvalid({ watch: { alerts: [{ type: 'webhook', url: 'https://ntfy.sh/a', retries: 99 }, good] } });
    expect(tooMany.raw).toEqual({ watch: { alerts: [{ type: 'webhook', url: 'https://ntfy.sh/a' }, good] } });
    expect(tooMany.invalid.map((k) => k.keys.join('.'))).toEqual(['watch.alerts.0.retries']);
    const notUrl = stripInvalid({ watch: { alerts: [{ type: 'webhook', url: 'not a url' }, good] } });
    expect(notUrl.raw).toEqual({ watch: { alerts: [good] } });
    // One finding: the url, which takes its entry with it (the entry is not found again as missing its url).
    expect(notUrl.invalid).toEqual([{ keys: ['watch', 'alerts', '0', 'url'], problem: expect.objectContaining({ path: 'watch.alerts[0].url' }), removes: ['watch', 'alerts', '0'] }]);
    const noUrl = stripInvalid({ watch: { alerts: [{ type: 'webhook' }, good] } });
    expect(noUrl.raw).toEqual({ watch: { alerts: [good] } });
    expect(noUrl.invalid.map((k) => [k.keys.join('.'), k.problem.value])).toEqual([['watch.alerts.0', 'missing']]);
  });

  it('removes every sink whose type, url or command it rejects in one pass, past nine entries too, the others kept in order', () => {
    const alerts: unknown[] = Array.from({ length: 13 }, (_, i) => ({ type: 'webhook', url: `https://ntfy.sh/t${i}` }));
    alerts[1] = { type: 'webhook', url: 'not a url' };
    alerts[11] = { type: 'command', command: [] };
    alerts[12] = { type: 'pager', url: 'https://ntfy.sh/t12' };
    const stripped = stripInvalid({ watch: { alerts } });
    expect(stripped.raw).toEqual({ watch: { alerts: alerts.filter((_, i) => ![1, 11, 12].includes(i)) } });
    expect(stripped.invalid.map((k) => [k.keys.join('.'), k.removes === undefined ? null : entryRemovalWords(k.removes)])).toEqual([
      ['watch.alerts.1.url', 'remove watch.alerts[1]; the other entries of watch.alerts stay'],
      ['watch.alerts.11.command', 'remove watch.alerts[11]; the other entries of watch.alerts stay'],
      ['watch.alerts.12.type', 'remove watch.alerts[12]; the other entries of watch.alerts stay'],
    ]);
  });

  it('removes a browser profile named by digits as a key of its object, not as a list entry', () => {
    const stripped = stripInvalid({ browser: { profiles: { '2': 'no settings', work: { cdpPort: 19805 } } } });
    expect(stripped.raw).toEqual({ browser: { profiles: { work: { cdpPort: 19805 } } } });
    expect(stripped.invalid.map((k) => k.keys.join('.'))).toEqual(['browser.profiles.2']);
  });

  it('removes an entry and a rejected key inside a later entry, each where it was found (a valid key of another entry was lost)', () => {
    const sink = (topic: string, extra: Record<string, unknown> = {}) => ({ type: 'webhook', url: `https://ntfy.sh/${topic}`, ...extra });
    const stripped = stripInvalid({ watch: { alerts: ['no sink', sink('b'), sink('c', { retries: 99 }), sink('d', { retries: 3 })] } });
    expect(stripped.raw).toEqual({ watch: { alerts: [sink('b'), sink('c'), sink('d', { retries: 3 })] } });
    expect(stripped.invalid.map((k) => k.keys.join('.'))).toEqual(['watch.alerts.0', 'watch.alerts.2.retries']);
  });

  it('removes the entries it names in whatever order the schema reports them (a duplicate found after a name that is no name)', () => {
    // The names are checked one by one (2 is no name), the duplicates after them (1 repeats 0): reported 2, then 1.
    const stripped = stripInvalid({ watch: { profiles: ['main', 'main', 'Bad!'] } });
    expect(stripped.raw).toEqual({ watch: { profiles: ['main'] } });
    expect(stripped.invalid.map((k) => k.keys.join('.'))).toEqual(['watch.profiles.2', 'watch.profiles.1']);
    // Past ninety-nine entries too: 99 and 100 go, the valid one after them stays.
    const names = Array.from({ length: 102 }, (_, i): unknown => `p${i}`);
    names[99] = 99;
    names[100] = 100;
    const long = stripInvalid({ watch: { profiles: names } });
    expect(long.raw).toEqual({ watch: { profiles: names.filter((n) => typeof n === 'string') } });
    expect(long.invalid.map((k) => k.keys.join('.'))).toEqual(['watch.profiles.99', 'watch.profiles.100']);
  });

  it('reports a list entry two rules reject once, and removes only it', () => {
    const stripped = stripInvalid({ watch: { profiles: ['main', 'Bad!', 'Bad!', 'rescue'] } });
    expect(stripped.raw).toEqual({ watch: { profiles: ['main', 'rescue'] } });
    expect(stripped.invalid.map((k) => k.keys.join('.'))).toEqual(['watch.profiles.1', 'watch.profiles.2']);
  });

  it('counts a rule beyond the schema once, and fixes it the way its key is fixed', () => {
    let calls = 0;
    const rules = (config: Config): InvalidKey[] => {
      calls++;
      return config.gateway !== undefined && 'port' in config.gateway ? [{ keys: ['gateway', 'port'], problem }] : [];
    };
    const stripped = stripInvalid({ gateway: { port: 18789, bind: 'lan' } }, rules);
    expect(stripped.invalid).toEqual([{ keys: ['gateway', 'port'], problem }]);
    expect(stripped.raw).toEqual({ gateway: { port: undefined, bind: 'lan' } });
    // The key kept its place as undefined, and the rule still names it: not found a second time.
    expect(calls).toBe(2);
  });

  it('takes time in proportion to the entries, not their square (5,000 bad alerts stalled every command on the host)', () => {
    const alerts = Array.from({ length: 5000 }, (_, i) => ({ type: 'webhook', url: `https://ntfy.sh/t${i}`, retries: 99 }));
    const profiles = Array.from({ length: 20_000 }, (_, i) => `Bad${i}!`);
    // CPU time, not wall time: a loaded machine (CI beside other work, Stryker's instrumented runs) waits, it does not work more.
    const started = process.cpuUsage();
    const stripped = stripInvalid({ watch: { alerts, profiles } });
    const used = process.cpuUsage(started);
    const ms = (used.user + used.system) / 1000;
    expect(stripped.invalid).toHaveLength(25_000);
    expect(stripped.raw).toEqual({ watch: { alerts: alerts.map(({ type, url }) => ({ type, url })), profiles: [] } });
    // Was 30 s and more; ~0.3 s now, bounded generously for instrumented code.
    expect(ms).toBeLessThan(5000);
  });

  it('removes a "__proto__" key in a section of the user\'s alone, even where its keys are named like a sink\'s (alerts, an index, url)', () => {
    // Another tool's section: epiloop keeps it, only the key it cannot keep goes; the list entry around it is no sink of epiloop's.
    const raw = parseJson5Text(`{ hooks: { alerts: [{ url: { "__proto__": { polluted: true } }, name: "pager" }, { url: "https://x.example/" }] } }`) as Record<string, unknown>;
    const stripped = stripInvalid(raw);
    expect(stripped.raw).toEqual({ hooks: { alerts: [{ url: {}, name: 'pager' }, { url: 'https://x.example/' }] } });
    expect(stripped.invalid.map((k) => [k.keys.join('.'), k.removes])).toEqual([['hooks.alerts.0.url.__proto__', undefined]]);
  });

  it('stops after five passes that each found another key', () => {
    const fresh = (limit: number) => {
      let n = 0;
      return (): InvalidKey[] => (n < limit ? [{ keys: [`k${n++}`], problem }] : []);
    };
    expect(() => stripInvalid({}, fresh(5))).toThrow('config still invalid after removing every rejected key');
    expect(stripInvalid({}, fresh(4)).invalid).toHaveLength(4);
  });
});

describe('repairTargets', () => {
  it('names an entry that goes whole once, and no key inside it; keys elsewhere stay', () => {
    const problem: SchemaProblem = { path: 'x', value: '1', allowed: 'y' };
    const url: InvalidKey = { keys: ['watch', 'alerts', '0', 'url'], problem, removes: ['watch', 'alerts', '0'] };
    const type: InvalidKey = { keys: ['watch', 'alerts', '0', 'type'], problem, removes: ['watch', 'alerts', '0'] };
    const retries: InvalidKey = { keys: ['watch', 'alerts', '0', 'retries'], problem };
    const other: InvalidKey = { keys: ['watch', 'alerts', '10', 'retries'], problem };
    const port: InvalidKey = { keys: ['gateway', 'port'], problem };
    expect(repairTargets([retries, url, type, other, port])).toEqual([url, other, port]);
  });

  it('names a refused key whose keys, run together, spell an entry that goes (watch.alerts1 beside watch.alerts[1]): it is inside no entry', () => {
    const raw = parseJson5Text(`{ watch: { alerts: [{ type: "webhook", url: "https://ntfy.sh/a" }, { type: "webhook", url: "ftp://ntfy.sh/b" }], alerts1: { "__proto__": 1 } } }`) as Record<string, unknown>;
    const targets = repairTargets(stripInvalid(raw).invalid);
    expect(targets.map((k) => [k.keys.join('.'), k.removes?.join('.')])).toEqual([
      ['watch.alerts1.__proto__', undefined],
      ['watch.alerts.1.url', 'watch.alerts.1'],
    ]);
  });
});
