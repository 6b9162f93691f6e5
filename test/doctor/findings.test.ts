import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/core/config/parse';
import { getAt, invalidKeyFix, pinsOf, stripInvalid } from '../../src/core/config/edits';
import {
  bindAddressFindings,
  blockedByLink,
  boundFindings,
  configFindings,
  configLinkFinding,
  fsFindings,
  isHealthy,
  overlapFindings,
  serviceFindings,
  sharedPinFindings,
  sharedWorkspaceFindings,
  slotConflicts,
  type Finding,
} from '../../src/core/doctor/findings';
import { fingerprint, maskSecrets } from '../../src/core/config/secrets';
import { readTolerant } from '../../src/core/config/tolerant';
import { footprintConflicts, type HostProfile } from '../../src/core/host/view';
import { workspaceConflicts } from '../../src/core/host/rules';
import type { Config } from '../../src/core/config/schema';
import type { Footprint } from '../../src/core/ports/footprint';
import { held, profileOf, viewOf } from '../helpers/view';
import { footprint } from '../../src/core/ports/footprint';
import { tildify } from '../../src/core/profile/paths';
import { type PortHolder, type PortState } from '../../src/core/ports/listeners';
import { type LoadedConfig } from '../../src/core/config/parse';

const FILE = '~/.epiloop-rescue/epiloop.json';
const RESCUE = { role: 'rescue', label: 'rescue', invocation: 'epiloop --profile rescue' } as const;
const hidden = (text: string) => `‹${text.length} characters hidden, #${fingerprint(text)}›`;

function loaded(text: string): LoadedConfig {
  const parsed = parseConfigText(text, '/h/.epiloop-rescue/epiloop.json');
  return parsed.ok
    ? { state: 'ok', path: '/h/.epiloop-rescue/epiloop.json', text, raw: parsed.raw, config: parsed.config }
    : { state: 'invalid', path: '/h/.epiloop-rescue/epiloop.json', text, raw: parsed.raw, error: parsed.error };
}

function invalidOf(l: LoadedConfig) {
  return l.state === 'invalid' && l.raw ? stripInvalid(l.raw).invalid : [];
}

describe('bindAddressFindings', () => {
  const MAIN = { role: 'main', label: 'main', invocation: 'epiloop --profile main' } as const;
  it('reports a gateway.bind this host has no address for, the start refusal\'s fix by hand; loopback, wildcards and its own addresses are none', () => {
    const [f, ...rest] = bindAddressFindings('10.0.0.5', ['127.0.0.1', '::1', '192.168.1.5'], FILE, MAIN);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kind: 'bind-address', severity: 'error', fixable: false });
    expect(f!.summary).toBe('gateway.bind is "10.0.0.5", not an address of this host: the gateway will refuse to start');
    expect(f!.fix).toBe('by hand: set gateway.bind to an address of this host ("loopback", "lan", or one of: 192.168.1.5): epiloop --profile main config set gateway.bind loopback');
    for (const bind of [undefined, 'loopback', 'lan', 'all', '0.0.0.0', '::', '127.0.0.2', '192.168.1.5']) expect(bindAddressFindings(bind, ['127.0.0.1', '192.168.1.5'], FILE, MAIN)).toEqual([]);
  });
});

describe('configFindings', () => {
  it('a list entry\'s bad url is one finding whose fix names the entry it removes, never a phantom "missing" (hostile pass)', () => {
    const l = loaded(`{ watch: { alerts: [{ type: "webhook", url: "https://ntfy.sh/a" }, { type: "webhook", url: "notaurl SECRETWORD" }] } }`);
    const found = configFindings(l, invalidOf(l), FILE, RESCUE);
    expect(found.map((f) => [f.summary, f.fix])).toEqual([
      ['watch.alerts[1].url is "‹18 characters hidden›", but must be an http:// or https:// URL, such as "https://ntfy.sh/<topic>"', 'remove watch.alerts[1]; the other entries of watch.alerts stay'],
    ]);
  });

  it('names the key in its detail as the summary and config set write it: a list index in brackets, a browser profile called "2" by its name', () => {
    const l = loaded(`{ watch: { alerts: [{ type: "webhook", url: "https://ntfy.sh/a" }, { type: "bogus" }] }, browser: { profiles: { "2": { cdpPort: 80 } } } }`);
    expect(configFindings(l, invalidOf(l), FILE, RESCUE).map((f) => f.detail)).toEqual([[`${FILE}: browser.profiles.2.cdpPort`], [`${FILE}: watch.alerts[1].type`]]);
  });

  it('a missing config points to creating the profile', () => {
    const [f] = configFindings({ state: 'missing', path: '/x' }, [], FILE, RESCUE);
    expect(f).toMatchObject({ kind: 'config-missing', severity: 'error', fixable: true });
    expect(f!.detail).toEqual([`expected at ${FILE}`]);
    expect(f!.fix).toBe('create it as setup does: state dir (0700), config (0600) with a free base for profile rescue, workspace');
  });

  it('a token broken beside its key shows nowhere: not in the excerpt, not as a lost key name (hostile pass)', () => {
    const TOKEN = 'TOKtok3nABCDEFGH1234567890xyzQQ';
    for (const member of [`token junk: "${TOKEN}"`, `token = "${TOKEN}"`, `token: "${TOKEN}" "${TOKEN}"`, `token: "SECRET" + "${TOKEN}"`]) {
      const text = `{ gateway: { port: 21789, auth: { ${member} } } }`;
      const [f] = configFindings(loaded(text), [], FILE, RESCUE, readTolerant(text));
      expect(f!.detail.join('\n')).not.toContain(TOKEN);
    }
  });

  it("an unreadable config's fix promises a default only for what could not be read: a token that still reads is kept, never called new (hostile pass)", () => {
    const fixOf = (text: string) => {
      const read = readTolerant(text);
      // As diagnose keeps it: what the schema rejects of the read (a short token) is not kept.
      return configFindings(loaded(text), [], FILE, RESCUE, { raw: stripInvalid(read.raw).raw, lost: read.lost })[0]!.fix;
    };
    const token = 'TOKtok3nABCDEFGH1234567890xyzQQ';
    expect(fixOf(`{ gateway: { port: 21789, auth: { token: "${token}" } }, oops }`)).toBe(
      'rewrite it from what can still be read (the auth token, gateway.port 21789); the broken file is kept as the backup',
    );
    expect(fixOf(`{ gateway: { auth: { token: "${token}" } }, oops }`)).toBe(
      'rewrite it from what can still be read (the auth token); what is missing gets a default (a free base for profile rescue); the broken file is kept as the backup',
    );
    expect(fixOf('{ gateway: { port: 21789, auth: { token: "short" } }, oops }')).toBe(
      'rewrite it from what can still be read (gateway.port 21789); what is missing gets a default (a new auth token); the broken file is kept as the backup',
    );
  });

  it('an unparseable config says file:line:column and shows the line with a caret', () => {
    const l = loaded('{\n  gateway: { port: 19789,\n  oops\n}\n');
    const [f] = configFindings(l, [], FILE, RESCUE);
    expect(f!.kind).toBe('config-syntax');
    expect(f!.summary).toMatch(/^the config cannot be read: not valid JSON5/);
    expect(f!.detail[0]).toBe(`${FILE}:4:1`);
    expect(f!.detail.slice(1)).toEqual(['4 | }', '    ^']);
    expect(f!.fix).toMatch(/fresh config/);
  });

  it('puts the caret under the error on the line as shown, its token masked (the mask is longer than the token)', () => {
    const text = '{ gateway: { port: 18789, bind: "lan", auth: { token: "0123456789abcdef0123" } ,, }';
    const [f] = configFindings(loaded(text), [], FILE, RESCUE);
    const [line, caret] = f!.detail.slice(1);
    expect(line).toBe(`1 | ${maskSecrets(text)}`);
    expect(line).not.toContain('0123456789abcdef0123');
    // Under the ",," JSON5 stopped on, not inside the mask.
    const at = caret!.indexOf('^');
    expect(line![at]).toBe(',');
    expect([line!.slice(at - 1, at + 1), line!.slice(at, at + 2)]).toContain(',,');
  });

  it('a token on the line after its key: the excerpt of that line hides it (user pass: a line masked alone showed it)', () => {
    for (const text of ['{ gateway: { auth: { token:\n   "secret-value-here', '{ gateway: { auth: { token:\n   "secret-value-here" ,, } } }', '{ gateway: { auth: { token\n : secret-value-here ,, } } }']) {
      const [f] = configFindings(loaded(text), [], FILE, RESCUE);
      expect(f!.detail[0]).toMatch(/:2:\d+$/);
      expect(f!.detail.join('\n'), text).not.toContain('secret-value-here');
      expect(f!.detail[1]).toContain(`${hidden('secret-value-here')}`);
    }
  });

  it('the caret stays under the error on a line masked as a part of the whole text', () => {
    const text = '{ gateway: { auth: { token:\n  "0123456789abcdef0123" ,, } } }';
    const [f] = configFindings(loaded(text), [], FILE, RESCUE);
    const [line, caret] = f!.detail.slice(1);
    expect(line).toBe(`2 |   "${hidden('0123456789abcdef0123')}" ,, } } }`);
    const at = caret!.indexOf('^');
    expect(line![at]).toBe(',');
    expect([line!.slice(at - 1, at + 1), line!.slice(at, at + 2)]).toContain(',,');
  });

  it('clips a long line to a window around the error, … on a clipped side, the caret still under the error', () => {
    const filler = `{ notes: "${'n'.repeat(1_000_000)}", gateway: { port: 18789 } `;
    for (const text of [filler + ',, }', '{ a: 1 ,, ' + 'x'.repeat(5000) + ' }', '{ a: 1 ,, }']) {
      const [f] = configFindings(loaded(text), [], FILE, RESCUE);
      const [line, caret] = f!.detail.slice(1);
      expect(line!.length).toBeLessThanOrEqual(140);
      expect(caret!.length).toBeLessThanOrEqual(140);
      const at = caret!.indexOf('^');
      expect(line![at]).toBe(',');
      expect([line!.slice(at - 1, at + 1), line!.slice(at, at + 2)]).toContain(',,');
      if (text.length > 200) expect(line).toMatch(/…$|^1 \| …/);
    }
  });

  it('a config that is not an object cannot be read either', () => {
    const [f] = configFindings(loaded('[1, 2]'), [], FILE, { role: 'main', label: 'main', invocation: 'epiloop --profile main' });
    expect(f).toMatchObject({ kind: 'config-syntax', detail: [FILE] });
  });

  it('a schema-invalid config gives one finding per key: path, value, what is allowed, the fix', () => {
    const l = loaded('{ gateway: { port: 99999, auth: { token: "abc" } }, browser: { controlUrl: "nope" } }');
    const findings = configFindings(l, invalidOf(l), FILE, RESCUE);
    expect(findings.map((f) => f.summary)).toEqual([
      'gateway.port is 99999, but must be a whole number from 1024 to 65425, so that base … base+110 fits below 65536',
      // The rejected token is never printed.
      'gateway.auth.token is a 3-character string, but must be a string of 16 to 512 visible ASCII characters without spaces (as "epiloop setup" writes: 32 random ones)',
      'browser.controlUrl is "nope", but must be an http:// URL on a port from 1024 to 65427, such as "http://127.0.0.1:18791" (its CDP range, port+9 … port+108, must fit below 65536)',
    ]);
    expect(findings.map((f) => f.fix)).toEqual([
      'replace it with a free base port',
      'replace it with a new random token',
      'remove it; browser control goes back to base + 2',
    ]);
    expect(JSON.stringify(findings)).not.toContain('abc');
  });

  it('a valid config has no config findings', () => {
    expect(configFindings(loaded('{ gateway: { port: 19789 } }'), [], FILE, RESCUE)).toEqual([]);
  });
});

describe('stripInvalid', () => {
  it('removes rejected keys, empties the ones to be replaced in place, keeps everything else', () => {
    const raw = { mine: { deep: [1, 2] }, gateway: { port: 5, bind: '127.0.0.1', auth: { token: 'short' } }, browser: { profiles: { 'Bad Name': {}, ok: { cdpUrl: 3 } } } };
    const { raw: kept, invalid } = stripInvalid(raw);
    expect(invalid.map((i) => i.keys.join('.')).sort()).toEqual(['browser.profiles.Bad Name', 'browser.profiles.ok.cdpUrl', 'gateway.auth.token', 'gateway.port']);
    expect(kept.mine).toEqual({ deep: [1, 2] });
    expect(Object.keys(kept.gateway as object)).toEqual(['port', 'bind', 'auth']);
    expect(getAt(kept, ['gateway', 'port'])).toBeUndefined();
    expect(getAt(kept, ['gateway', 'bind'])).toBe('127.0.0.1');
    expect(getAt(kept, ['browser', 'profiles'])).toEqual({ ok: {} });
    // The input is not touched.
    expect(raw.gateway.port).toBe(5);
  });

  it('says what replaces each rejected key', () => {
    expect(invalidKeyFix(['gateway', 'port']).replace).toBe('base');
    expect(invalidKeyFix(['gateway', 'auth', 'token']).replace).toBe('token');
    expect(invalidKeyFix(['browser', 'profiles', 'w', 'cdpPort']).after).toBe('the browser profile takes a port from the CDP range');
  });
});

describe('footprint overlaps and bound ports', () => {
  const MAIN = profileOf({ name: 'main', config: 18789 });
  const self = (name = 'rescue') => profileOf({ name, config: null, current: true });
  /** The conflicts doctor sees for `mine` on a host of these profiles and listeners. */
  function conflictsOn(mine: Footprint, config: Config | undefined, others: HostProfile[], listeners: Record<number, PortHolder[]> = {}, name = 'rescue') {
    const me = self(name);
    const view = viewOf([me, ...others], listeners);
    const conflicts = slotConflicts(config, footprintConflicts(view, me, mine));
    const foreign = new Map<number, PortState>(conflicts.filter((c) => c.holders.length > 0).map((c) => [c.slot.port, { state: 'bound', holders: c.holders }]));
    return { conflicts, foreign };
  }

  it('names the other profile, the shared ports and their roles, and moves the base', () => {
    const mine = footprint(undefined, 18809);
    const { conflicts } = conflictsOn(mine, undefined, [MAIN]);
    const [f, ...rest] = overlapFindings(conflicts, 18809, RESCUE, (label) => (label === 'main' ? '~/.epiloop-main/epiloop.json' : undefined));
    expect(rest).toEqual([]);
    expect(f!.kind).toBe('footprint-overlap');
    expect(f!.summary).toBe('footprint overlaps profile main: 83 shared ports (18809, 18811, 18813, 18820–18899)');
    expect(f!.detail).toContain('gateway 18809 is inside main\'s CDP range');
    expect(f!.detail).toContain("main's config: ~/.epiloop-main/epiloop.json");
    expect(f!.fix).toBe('move the base from 18809 to the first free block for profile rescue (at or above 19789)');
  });

  it('a pinned port in conflict is fixed by removing the pin, not by moving the base', () => {
    const config = { browser: { profiles: { work: { cdpPort: 18850 } } } };
    const mine = footprint(config, 19789);
    const { conflicts } = conflictsOn(mine, config, [MAIN]);
    expect(conflicts.map((c) => c.pin)).toEqual([['browser', 'profiles', 'work', 'cdpPort']]);
    const [f] = overlapFindings(conflicts, 19789, RESCUE, () => undefined);
    expect(f!.summary).toBe('footprint overlaps profile main: 1 shared port (18850)');
    expect(f!.fix).toBe('remove browser.profiles.work.cdpPort (the browser profile takes a port from the CDP range)');
  });

  it('a port held by a foreign process names it, and offers to move or to stop it', () => {
    const mine = footprint(undefined, 19789);
    const { conflicts, foreign } = conflictsOn(mine, undefined, [], { 19793: held(4242, 'nginx') });
    const [f, ...rest] = boundFindings(mine, conflicts, foreign, RESCUE);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kind: 'port-bound', severity: 'error', summary: 'canvas host 19793 is bound by nginx (pid 4242) on 127.0.0.1' });
    expect(f!.fix).toMatch(/^move the base from 19789 .*, or stop nginx \(pid 4242\)$/);
  });

  it("a port held by another profile's gateway names that profile and offers only to move", () => {
    const mine = footprint(undefined, 19791);
    // rescue's config moved to 30000; its gateway still serves 19789.
    const rescue = profileOf({ name: 'rescue', config: 30000, gateway: { pid: 10668, base: 19789 } });
    const { conflicts, foreign } = conflictsOn(mine, undefined, [rescue], { 19791: held(10668), 19793: held(10668) }, 'main');
    const findings = boundFindings(mine, conflicts, foreign, { role: 'main', label: 'main', invocation: 'epiloop --profile main' });
    expect(findings.map((f) => f.summary)).toEqual([
      "gateway 19791 is bound by rescue's gateway (pid 10668) on 127.0.0.1",
      "browser control 19793 is bound by rescue's gateway (pid 10668) on 127.0.0.1",
    ]);
    for (const f of findings) expect(f.fix).toBe('move the base from 19791 to the first free block for profile main (at or above 18789)');
  });

  it("this profile's own gateway and the browsers it started are no finding; a stranger beside them is", () => {
    const mine = footprint(undefined, 19789);
    const me = profileOf({ name: 'rescue', config: 19789, current: true, gateway: { pid: 500, browsers: [501] } });
    const view = viewOf([me], { 19789: held(500), 19791: held(500), 19800: held(501, 'chromium'), 19801: held(777, 'nginx') });
    const conflicts = slotConflicts(undefined, footprintConflicts(view, me, mine));
    expect(conflicts.map((c) => c.slot.port)).toEqual([19801]);
  });

  it('bound ports inside the CDP range are one finding for the range', () => {
    const mine = footprint(undefined, 19789);
    const { conflicts, foreign } = conflictsOn(mine, undefined, [], { 19800: [{ address: '::1' }], 19801: [{ address: '::1' }] });
    const [f] = boundFindings(mine, conflicts, foreign, RESCUE);
    expect(f!.summary).toBe('CDP range 19800–19899: 2 of 100 bound: 19800 bound on ::1 (owner not visible); 19801 bound on ::1 (owner not visible)');
    expect(f!.detail).toHaveLength(2);
  });
});

describe('sharedPinFindings', () => {
  it('finds a controlUrl pinned by another profile, however it is written', () => {
    const mine = pinsOf({ browser: { controlUrl: 'http://127.0.0.1:18791' } });
    const others = [{ label: 'main', pins: pinsOf({ browser: { controlUrl: 'http://127.0.0.1:18791/' } }) }];
    const [entry] = sharedPinFindings(mine, others);
    expect(entry!.pin.keys).toEqual(['browser', 'controlUrl']);
    expect(entry!.finding.summary).toBe('browser.controlUrl "http://127.0.0.1:18791" is also pinned by profile main (browser.controlUrl)');
    expect(entry!.finding.fix).toBe('remove browser.controlUrl from this profile (browser control goes back to base + 2)');
  });

  it('finds shared remote CDP URLs and CDP ports, and ignores different ones', () => {
    const mine = pinsOf({ browser: { cdpUrl: 'http://10.0.0.5:9222', profiles: { w: { cdpPort: 20000 }, x: { cdpPort: 20001 } } } });
    const theirs = pinsOf({ browser: { profiles: { remote: { cdpUrl: 'http://10.0.0.5:9222' }, y: { cdpPort: 20000 } } } });
    const found = sharedPinFindings(mine, [{ label: 'main', pins: theirs }]);
    expect(found.map((f) => f.pin.keys.join('.'))).toEqual(['browser.cdpUrl', 'browser.profiles.w.cdpPort']);
  });
});

describe('fsFindings', () => {
  it('reports modes that are too open and dirs that are missing', () => {
    const findings = fsFindings({
      stateDir: { shown: '~/.epiloop-rescue', mode: 0o40755 },
      config: { shown: FILE, mode: 0o100644 },
      workspace: { shown: '~/.epiloop/workspace-rescue', exists: false },
    });
    expect(findings.map((f) => [f.kind, f.fix])).toEqual([
      ['permissions', 'chmod 0700 ~/.epiloop-rescue'],
      ['permissions', `chmod 0600 ${FILE}`],
      ['workspace-missing', 'create ~/.epiloop/workspace-rescue (0700)'],
    ]);
    expect(findings[1]!.summary).toBe(`the config ${FILE} is 0644: other users can read the gateway's auth token`);
    expect(findings.map((f) => f.severity)).toEqual(['error', 'error', 'warning']);
    expect(isHealthy(findings)).toBe(false);
  });

  it('is silent for a private, complete profile', () => {
    const findings = fsFindings({
      stateDir: { shown: '~/.epiloop-rescue', mode: 0o40700 },
      config: { shown: FILE, mode: 0o100600 },
      workspace: { shown: '~/w', exists: true },
    });
    expect(findings).toEqual([]);
    expect(isHealthy(findings)).toBe(true);
  });

  it('reports a missing state dir', () => {
    const [f] = fsFindings({ stateDir: { shown: '~/s', mode: null }, config: null, workspace: null });
    expect(f).toMatchObject({ kind: 'state-dir-missing', fix: 'create ~/s (0700)' });
  });
});

describe('serviceFindings', () => {
  const base = { installed: true, usable: true, name: 'epiloop-gateway-main.service', file: '/h/unit' };
  it('reports an installed service that disagrees with the config, fixable by reinstalling', () => {
    const [f] = serviceFindings({ ...base, mismatches: ['service runs port 18789 but config says 18889'] }, '~/unit');
    expect(f).toMatchObject({ kind: 'service-mismatch', fixable: true, detail: ['service file: ~/unit'] });
    expect(f!.summary).toBe('the installed service epiloop-gateway-main.service disagrees with the config: service runs port 18789 but config says 18889');
  });

  it('cannot fix it without a service manager, and says why', () => {
    const [f] = serviceFindings({ ...base, usable: false, reason: 'systemd is not running', mismatches: ['a', 'b'] }, null);
    expect(f).toMatchObject({ fixable: false, fix: null });
    expect(f!.summary).toMatch(/: a \(and 1 more\)$/);
    expect(f!.detail).toEqual(['b', 'cannot reinstall it now: systemd is not running']);
  });

  it('is silent when nothing is installed or nothing differs', () => {
    expect(serviceFindings({ ...base, installed: false, mismatches: [] }, null)).toEqual([]);
    expect(serviceFindings({ ...base, mismatches: [] }, null)).toEqual([]);
  });
});

describe('maskSecrets', () => {
  const fp = (value: string) => `#${fingerprint(value)}`;

  it('hides the auth token in JSON and JSON5 lines, keeping its length and a fingerprint', () => {
    expect(maskSecrets('      "token": "abcdefghijklmnop"')).toBe(`      "token": "‹16 characters hidden, ${fp('abcdefghijklmnop')}›"`);
    expect(maskSecrets("  token: 'abc', // mine")).toBe(`  token: '‹3 characters hidden, ${fp('abc')}›', // mine`);
    expect(maskSecrets('{ gateway: { auth: { token: "a\\"b" }, port: 1 }, x: { "token": \'cd\' } }')).toBe(
      `{ gateway: { auth: { token: "‹4 characters hidden, ${fp('a\\"b')}›" }, port: 1 }, x: { "token": '‹2 characters hidden, ${fp('cd')}›' } }`,
    );
    expect(maskSecrets('  "port": 1, "tokens": 2')).toBe('  "port": 1, "tokens": 2');
  });

  it('masks two tokens of one length differently, so a replaced token is a changed line (issue 10)', () => {
    const before = maskSecrets('    "token": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"');
    const after = maskSecrets('    "token": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"');
    expect(before).not.toBe(after);
    expect(before).not.toContain('aaaa');
    expect(maskSecrets('"token": "x"', new Map([['x', 'a new random token']]))).toBe('"token": "‹a new random token›"');
    // A broken file may leave the quote open: the rest of the line is hidden all the same.
    expect(maskSecrets('  auth: { token: "secret-secret-secret')).toBe(`  auth: { token: "‹20 characters hidden, ${fp('secret-secret-secret')}›`);
  });
});

describe('a symlinked config', () => {
  const link = { shown: FILE, absolute: '/h/.epiloop-rescue/epiloop.json', target: '/tmp/real.json' };

  it('is an error a person fixes, with the command to do it', () => {
    const f = configLinkFinding(link);
    expect(f).toMatchObject({ kind: 'config-symlink', severity: 'error', fixable: false });
    expect(f.summary).toBe(`the config ${FILE} is a symlink to /tmp/real.json: epiloop will not write through it`);
    expect(f.fix).toBe(`by hand: replace the link with the file it points to: cp --remove-destination "$(readlink -f ${FILE})" ${FILE}`);
    expect(isHealthy([f])).toBe(false);
  });

  it('quotes a path the shell would split', () => {
    const f = configLinkFinding({ shown: "~/my bots/it's.json", absolute: "/h/my bots/it's.json", target: '/x' });
    expect(f.fix).toContain(`"$(readlink -f '/h/my bots/it'\\''s.json')" '/h/my bots/it'\\''s.json'`);
  });

  it('leaves every config fix to a person, and the others to doctor', () => {
    const found: Finding[] = [
      { kind: 'footprint-overlap', severity: 'error', summary: 's', detail: [], fixable: true, fix: 'move the base' },
      { kind: 'permissions', severity: 'error', summary: 's', detail: [], fixable: true, fix: 'chmod 0700 ~/s' },
    ];
    expect(blockedByLink(found).map((f) => [f.fixable, f.fix])).toEqual([
      [false, 'move the base (by hand, or with doctor --fix once the config is a regular file)'],
      [true, 'chmod 0700 ~/s'],
    ]);
  });
});

describe('sharedWorkspaceFindings', () => {
  const H = '/h';
  const shown = (p: string) => tildify(p, H);
  const main = profileOf({ name: 'main', config: 18789, home: H });
  const byDefault = profileOf({ name: null, config: 20789, home: H });
  /** doctor's workspace findings for a rescue whose workspace is `workspace`, on a host with main and the default profile. */
  function findingsFor(workspace: string, real = workspace) {
    const me = profileOf({ name: 'rescue', config: null, current: true, home: H });
    const conflicts = workspaceConflicts(viewOf([me, main, byDefault]), me, { path: workspace, real });
    return sharedWorkspaceFindings({ workspace, defaultWorkspace: me.paths.defaultWorkspace }, conflicts, shown);
  }

  it("names both profiles and sets this profile's default workspace", () => {
    const [f, ...rest] = findingsFor(`${H}/.epiloop/workspace-main`);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      kind: 'workspace-shared',
      severity: 'error',
      fixable: true,
      summary: "workspace shared with profile main: ~/.epiloop/workspace-main is also main's workspace",
      fix: "set agents.defaults.workspace to ~/.epiloop/workspace-rescue (this profile's default workspace)",
    });
  });

  it('finds a workspace inside or around another one, or inside a state dir', () => {
    const summaries = (workspace: string) => findingsFor(workspace).map((f) => f.summary);
    expect(summaries(`${H}/.epiloop/workspace-main/sub`)).toEqual(["workspace shared with profile main: ~/.epiloop/workspace-main/sub is inside main's workspace ~/.epiloop/workspace-main"]);
    expect(summaries(`${H}/.epiloop-main`)).toEqual(["workspace shared with profile main: ~/.epiloop-main is inside main's state dir ~/.epiloop-main"]);
    expect(summaries(H)).toEqual([
      "workspace shared with profile main: ~ contains main's workspace ~/.epiloop/workspace-main",
      "workspace shared with profile default: ~ contains default's workspace ~/.epiloop/workspace",
    ]);
    expect(summaries(`${H}/.epiloop/sessions`)).toEqual(["workspace shared with profile default: ~/.epiloop/sessions is inside default's state dir ~/.epiloop"]);
  });

  it('finds a workspace that is a symlink into another profile\'s (the host resolves it)', () => {
    expect(findingsFor(`${H}/bots/ws`, `${H}/.epiloop/workspace-main/ws`).map((f) => f.summary)).toEqual([
      "workspace shared with profile main: ~/bots/ws is inside main's workspace ~/.epiloop/workspace-main",
    ]);
  });

  it("is silent for the default workspace-* folders inside the default profile's state dir, and for a path that only starts alike", () => {
    for (const workspace of [`${H}/.epiloop/workspace-rescue`, `${H}/.epiloop/workspace-x/sub`, `${H}/.epiloop/workspace-mainly`, `${H}/elsewhere`]) {
      expect(findingsFor(workspace)).toEqual([]);
    }
  });

  it('cannot fix it here when this profile already uses its default: the other profile must move', () => {
    const me = profileOf({ name: 'main', config: 18789, current: true, home: H });
    const rescue = profileOf({ name: 'rescue', config: JSON.stringify({ agents: { defaults: { workspace: me.workspace } } }), home: H });
    const conflicts = workspaceConflicts(viewOf([me, rescue]), me, { path: me.workspace!, real: me.workspace! });
    const [f] = sharedWorkspaceFindings({ workspace: me.workspace!, defaultWorkspace: me.paths.defaultWorkspace }, conflicts, shown);
    expect(f).toMatchObject({ fixable: false, fix: 'by hand: this profile already uses its default workspace; give profile rescue another one' });
  });
});
