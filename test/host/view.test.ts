/** The host model and its rules, pure: every answer from a view built by hand (no disk, no sockets). */
import { describe, expect, it } from 'vitest';
import { attribute, describeAttribution, footprintConflicts, portMap, usable } from '../../src/core/host/view';
import { cdpUrlConflicts, gatewayMismatch, mayUseBase, ownServerConflict, mismatchFix, propose, proposalRole, roleOf, urlConflict, workspaceConflict, workspaceConflicts } from '../../src/core/host/rules';
import { footprint } from '../../src/core/ports/footprint';
import { buildPortMap, factsFrom } from '../../src/core/ports/portmap';
import { gatewayRole } from '../../src/core/wizard/answers';
import { hostFacts } from '../wizard/fixtures';
import { held, profileOf, viewOf } from '../helpers/view';

const MAIN = profileOf({ name: 'main', config: 18789 });

describe('attribute: who holds or claims a port', () => {
  it('names this gateway, its browser, another profile running or reserved, a stranger, or nothing', () => {
    const me = profileOf({ name: 'main', config: 18789, current: true, gateway: { pid: 500, browsers: [501] } });
    const rescue = profileOf({ name: 'rescue', config: 19789, gateway: { pid: 600 } });
    const lab = profileOf({ name: 'lab', config: 20789 });
    const view = viewOf([me, rescue, lab], { 18789: held(500), 18800: held(501, 'chromium'), 19789: held(600), 18801: held(777, 'nginx') });
    expect(attribute(18789, view, me)).toEqual({ kind: 'own-gateway', pid: 500 });
    expect(attribute(18800, view, me)).toEqual({ kind: 'own-browser', pid: 501 });
    expect(attribute(19789, view, me)).toMatchObject({ kind: 'profile', label: 'rescue', role: 'gateway', state: 'running', claimed: true, pid: 600 });
    expect(attribute(19800, view, me)).toMatchObject({ kind: 'profile', label: 'rescue', role: 'cdp', state: 'running', claimed: true });
    expect(attribute(20789, view, me)).toMatchObject({ kind: 'profile', label: 'lab', role: 'gateway', state: 'reserved' });
    expect(attribute(18801, view, me)).toEqual({ kind: 'foreign', holders: held(777, 'nginx') });
    expect(attribute(18802, view, me)).toEqual({ kind: 'free' });
    expect(attribute(18802, viewOf([me], null), me)).toEqual({ kind: 'unknown' });
    // The same port seen from rescue: main's gateway, never "this gateway".
    expect(attribute(18789, view, rescue)).toMatchObject({ kind: 'profile', label: 'main', state: 'running', pid: 500 });
    expect(describeAttribution(attribute(18800, view, rescue))).toBe("inside main's CDP range");
  });

  it('knows where a gateway runs when its config says otherwise', () => {
    // rescue's config moved to 30000; its gateway still serves 19789 (issue: "ports draws it up on ports it does not hold").
    const rescue = profileOf({ name: 'rescue', config: 30000, gateway: { pid: 600, base: 19789 } });
    const me = profileOf({ name: 'main', config: null, current: true });
    const view = viewOf([me, rescue], { 19789: held(600) });
    expect(attribute(19789, view, me)).toMatchObject({ kind: 'profile', label: 'rescue', state: 'running', claimed: false, pid: 600 });
    expect(describeAttribution(attribute(19789, view, me))).toBe("bound by rescue's gateway (pid 600)");
    expect(describeAttribution(attribute(19850, view, me))).toBe("inside rescue's running CDP range");
    expect(attribute(30000, view, me)).toMatchObject({ kind: 'profile', label: 'rescue', state: 'reserved' });
  });

  it("a listener whose owner /proc does not show is the gateway's when its lock says it serves that port", () => {
    const me = profileOf({ name: 'main', config: 18789, current: true, gateway: { pid: 500 } });
    const view = viewOf([me], { 18789: [{ address: '127.0.0.1' }], 18795: [{ address: '::1' }] });
    expect(attribute(18789, view, me)).toEqual({ kind: 'own-gateway', pid: null });
    expect(attribute(18795, view, me)).toEqual({ kind: 'foreign', holders: [{ address: '::1' }] });
  });
});

describe("mayUseBase: a profile's own running gateway is no stranger (issue 10, first bullet)", () => {
  it("accepts the base its own gateway serves, refuses one a stranger or another profile holds", () => {
    const me = profileOf({ name: 'main', config: '{ gateway: { port: "18789" } }', current: true, gateway: { pid: 500, base: 18789 } });
    const view = viewOf([me], { 18789: held(500), 18791: held(500), 18793: held(500) });
    expect(me.base).toBe(18789);
    expect(mayUseBase(view, me, footprint(undefined, 18789))).toEqual({ ok: true });
    const stranger = viewOf([me], { 18789: held(999, 'node') });
    const refused = mayUseBase(stranger, me, footprint(undefined, 18789));
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.rows[0]!.text).toBe('bound by node (pid 999) on 127.0.0.1');
    const rescue = profileOf({ name: 'rescue', config: 18800 });
    expect(mayUseBase(viewOf([me, rescue], { 18789: held(500) }), me, footprint(undefined, 18789)).ok).toBe(false);
  });

  it("the proposal for a profile whose gateway runs is the base it serves, never a move", () => {
    const me = profileOf({ name: 'main', config: '{ gateway: { port: "abc" } }', current: true, gateway: { pid: 500, base: 18799 } });
    const view = viewOf([me], { 18799: held(500), 18801: held(500) });
    expect(me.base).toBeNull();
    expect(propose(view, me, roleOf(me), { shape: (b) => footprint(undefined, b) })!.base).toBe(18799);
  });
});

describe('gatewayMismatch: a gateway serving another base than its config (issue 10, second bullet)', () => {
  it('is a finding in words, with the fix', () => {
    const me = profileOf({ name: 'main', config: 18999, current: true, gateway: { pid: 500, base: 18789, startedAt: '2026-03-01T10:00:00.000Z' } });
    const m = gatewayMismatch(me, me.footprint!, 'config')!;
    expect(m).toMatchObject({ says: 'the config', base: 18999, serves: 18789, pid: 500 });
    expect(m.text).toBe('the config says 18999, the gateway (pid 500) serves 18789 since 2026-03-01T10:00:00.000Z');
    expect(mismatchFix(m, 'epiloop --profile main', false)).toBe('restart it ("epiloop --profile main restart") or set the port back ("epiloop --profile main setup --port 18789")');
    expect(mismatchFix(m, 'epiloop --profile main', true)).toMatch(/^restart it \("epiloop --profile main gateway restart"\)/);
    // A gateway on its config's base is no finding; a stopped one is none either.
    expect(gatewayMismatch(profileOf({ name: 'main', config: 18789, current: true, gateway: { pid: 1 } }), footprint(undefined, 18789), 'config')).toBeNull();
    expect(gatewayMismatch(profileOf({ name: 'main', config: 18789, current: true }), footprint(undefined, 18789), 'config')).toBeNull();
  });

  it('the config footprint it no longer holds is free in the port map, and the rows it holds are its own', () => {
    const me = profileOf({ name: 'main', config: 18999, current: true, gateway: { pid: 500, base: 18789 } });
    const view = viewOf([me], { 18789: held(500) });
    expect(portMap(view, me, me.footprint!).map((r) => r.state)).toEqual(['free', 'free', 'free', 'free']);
    expect(portMap(view, me, footprint(undefined, 18789))[0]).toMatchObject({ state: 'bound', own: true, text: 'this gateway (pid 500)' });
  });
});

describe("the profile's own browser (issue 10, third bullet)", () => {
  it('is its own in every view of the port: status rows, ports rows, doctor conflicts', () => {
    const me = profileOf({ name: 'main', config: 18789, current: true, gateway: { pid: 500, browsers: [501] } });
    const view = viewOf([me], { 18789: held(500), 18800: held(501, 'chromium') });
    const rows = portMap(view, me, me.footprint!);
    expect(rows[3]).toMatchObject({ role: 'cdp', state: 'bound', own: true, text: '1 of 100 bound by a browser of this gateway (pid 501)' });
    expect(footprintConflicts(view, me, me.footprint!)).toEqual([]);
    expect(usable(attribute(18800, view, me))).toBe(true);
  });
});

describe('one proposal per role (issue 10, fourth bullet)', () => {
  it("gives lab the same base from setup's rule, the wizard's rule and doctor's rule", () => {
    const lab = profileOf({ name: 'lab', config: null, current: true });
    const view = viewOf([lab, MAIN]);
    const shape = (b: number) => footprint(undefined, b);
    const fromSetup = propose(view, lab, roleOf(lab), { shape })!.base;
    const fromWizard = propose(view, lab, gatewayRole(hostFacts({ profile: 'lab' }), 'main'), { shape })!.base;
    expect(fromSetup).toBe(20789);
    expect(fromWizard).toBe(fromSetup);
    expect(proposalRole('lab', true)).toBe('rescue');
    expect(proposalRole(null, false)).toBe('main');
  });
});

describe('urlConflict (issue 10, fifth bullet)', () => {
  it("refuses a remote CDP URL on this host inside another profile's footprint or pinned by it; a remote host is fine", () => {
    const main = profileOf({ name: 'main', config: JSON.stringify({ gateway: { port: 18789 }, browser: { cdpUrl: 'http://127.0.0.1:9222' } }) });
    const me = profileOf({ name: 'rescue', config: null, current: true });
    const view = viewOf([me, main]);
    expect(urlConflict({ url: 'http://127.0.0.1:18850' }, view, me)).toEqual({ label: 'main', text: "port 18850 is inside main's CDP range" });
    expect(urlConflict({ url: 'ws://localhost:18791/devtools' }, view, me)?.label).toBe('main');
    expect(urlConflict({ url: 'http://127.0.0.1:9222/' }, view, me)).toEqual({ label: 'main', text: 'main already uses http://127.0.0.1:9222/' });
    expect(urlConflict({ url: 'http://10.0.0.5:18850' }, view, me)).toBeNull();
    expect(urlConflict({ url: 'http://127.0.0.1:9333' }, view, me)).toBeNull();
    expect(urlConflict({ port: 18811 }, view, me)?.label).toBe('main');
  });
});

describe("ownServerConflict and cdpUrlConflicts: a remote browser on the profile's own servers", () => {
  it('names the own gateway, browser control or canvas port on this host; its CDP range and other hosts pass', () => {
    const me = profileOf({ name: 'rescue', config: JSON.stringify({ gateway: { port: 19789 } }), current: true });
    const view = viewOf([me]);
    const fp = me.footprint!;
    expect(ownServerConflict('http://127.0.0.1:19789', fp, 'rescue', view)).toBe("port 19789 is rescue's own gateway port, not a Chrome's");
    expect(ownServerConflict('ws://localhost:19791/devtools', fp, 'rescue', view)).toBe("port 19791 is rescue's own browser control port, not a Chrome's");
    expect(ownServerConflict('http://[::1]:19793', fp, 'rescue', view)).toBe("port 19793 is rescue's own canvas host port, not a Chrome's");
    // Other spellings of loopback reach the same server: a fully qualified localhost, an IPv4-mapped IPv6 address.
    expect(ownServerConflict('http://localhost.:19789', fp, 'rescue', view)).toBe("port 19789 is rescue's own gateway port, not a Chrome's");
    expect(ownServerConflict('ws://[::ffff:127.0.0.1]:19791', fp, 'rescue', view)).toBe("port 19791 is rescue's own browser control port, not a Chrome's");
    expect(ownServerConflict('http://[::ffff:10.0.0.5]:19789', fp, 'rescue', view)).toBeNull();
    expect(ownServerConflict('http://127.0.0.1:19800', fp, 'rescue', view)).toBeNull();
    expect(ownServerConflict('http://10.0.0.5:19789', fp, 'rescue', view)).toBeNull();
    expect(ownServerConflict('not a url', fp, 'rescue', view)).toBeNull();
    const pin = { kind: 'url' as const, keys: ['browser', 'profiles', 'default', 'cdpUrl'], value: 'http://127.0.0.1:19789', shown: 'http://127.0.0.1:19789' };
    expect(cdpUrlConflicts([pin], view, me)).toEqual([{ pin, text: "port 19789 is rescue's own gateway port, not a Chrome's", own: true }]);
    // The gateway passes the base it is about to bind: a --port elsewhere moves its servers.
    expect(cdpUrlConflicts([pin], view, me, footprint(undefined, 20789))).toEqual([]);
  });
});

describe('workspaceConflict', () => {
  it('is the same folder, or one inside the other, on paths with symlinks already resolved', () => {
    expect(workspaceConflict('/h/w', '/h/w')).toBe('same');
    expect(workspaceConflict('/h/w/sub', '/h/w')).toBe('inside');
    expect(workspaceConflict('/h', '/h/w')).toBe('contains');
    expect(workspaceConflict('/h/w2', '/h/w')).toBeNull();
  });

  it("catches a symlink into another profile's workspace through the real path the host resolved", () => {
    const me = profileOf({ name: 'rescue', config: null, current: true });
    const view = viewOf([me, MAIN]);
    expect(workspaceConflicts(view, me, { path: '/home/ada/link', real: '/home/ada/link' })).toEqual([]);
    expect(workspaceConflicts(view, me, { path: '/home/ada/link', real: '/home/ada/.epiloop/workspace-main/x' })).toEqual([
      { label: 'main', relation: 'inside', other: '/home/ada/.epiloop/workspace-main' },
    ]);
    expect(workspaceConflicts(view, me, { path: me.paths.stateDir, real: me.paths.stateDir })).toEqual([{ label: 'rescue', relation: 'own-state-dir', other: me.paths.stateDir }]);
  });
});

describe('the port map has one builder', () => {
  it("draws the host view's map and doctor's (a probe result alone) the same when every holder is foreign", () => {
    const me = profileOf({ name: 'main', config: 18789, current: true });
    const listeners = { 18791: held(777, 'nginx'), 18805: held(778, 'redis-server'), 18806: held(779) };
    const view = viewOf([me], listeners);
    const states = new Map(Object.entries(listeners).map(([port, holders]) => [Number(port), { state: 'bound' as const, holders }]));
    const fp = me.footprint!;
    const fromView = portMap(view, me, fp);
    expect(buildPortMap(fp, true, factsFrom(states, new Map()))).toEqual(fromView);
    expect(fromView.map((r) => r.state)).toEqual(['free', 'bound', 'free', 'bound']);
    expect(fromView[3]!.text).toBe('2 of 100 bound: 18805 bound by redis-server (pid 778) on 127.0.0.1; 18806 bound by node (pid 779) on 127.0.0.1');
    // Nothing probed (the gateway's plan): every row unknown, claims still named.
    const rescue = profileOf({ name: 'rescue', config: 18800 });
    const planned = buildPortMap(fp, false, factsFrom(null, new Map([[18800, [{ label: 'rescue', role: 'gateway' as const }]]])));
    expect(planned.map((r) => r.state)).toEqual(['unknown', 'unknown', 'unknown', 'claimed']);
    expect(portMap(viewOf([me, rescue], null), me, fp).map((r) => r.state)).toEqual(planned.map((r) => r.state));
  });
});
