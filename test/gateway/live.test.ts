import { describe, expect, it } from 'vitest';
import { footprint } from '../../src/core/ports/footprint';
import { describeGateway, formatUptime, gatewayProblem, type GatewayLive } from '../../src/host/gateway/live';
import { portMap } from '../../src/core/host/view';
import { held, profileOf, viewOf } from '../helpers/view';


describe("the port map of a profile whose gateway runs (portMap)", () => {
  const fp = footprint(undefined, 21000);

  it("relabels the gateway's own ports and its browsers' CDP ports, and nothing else", () => {
    const me = profileOf({ name: 'rescue', config: 21000, current: true, gateway: { pid: 500, browsers: [501] } });
    const view = viewOf([me], { 21000: held(500), 21002: held(500), 21004: held(777, 'nginx'), 21011: held(501, 'chromium') });
    const rows = portMap(view, me, fp);
    expect(rows.map((r) => [r.label, r.text, r.own ?? false])).toEqual([
      ['gateway', 'this gateway (pid 500)', true],
      ['browser control', 'this gateway (pid 500)', true],
      ['canvas host', 'bound by nginx (pid 777) on 127.0.0.1', false],
      ['CDP range', '1 of 100 bound by a browser of this gateway (pid 501)', true],
    ]);
  });

  it('leaves a row alone when an owner is unknown or another profile claims it', () => {
    const stopped = profileOf({ name: 'rescue', config: 21000, current: true });
    expect(portMap(viewOf([stopped], { 21000: [{ address: '127.0.0.1' }] }), stopped, fp)[0]!.own).toBeUndefined();
    const me = profileOf({ name: 'rescue', config: 21000, current: true, gateway: { pid: 500 } });
    const main = profileOf({ name: 'main', config: 21002 });
    const claimed = portMap(viewOf([me, main], { 21002: held(500) }), me, fp);
    expect(claimed[1]).toMatchObject({ state: 'claimed', text: "inside main's gateway" });
    expect(claimed[1]!.own).toBeUndefined();
  });
});

describe('gateway words', () => {
  const running: GatewayLive = { running: true, pid: 9, startedAt: 'x', uptimeMs: 192_000, health: 'answered', host: '127.0.0.1', url: 'http://127.0.0.1:21000', ports: null, detail: null, lock: null };

  it('formats uptime at a glance', () => {
    expect([0, 42_000, 192_000, 7_500_000, 3 * 86_400_000 + 4 * 3_600_000].map(formatUptime)).toEqual(['0s', '42s', '3m 12s', '2h 05m', '3d 4h']);
  });

  it('describes and judges the gateway', () => {
    expect(describeGateway(running)).toBe('running, pid 9, up 3m 12s, health answered at http://127.0.0.1:21000/health');
    expect(gatewayProblem(running, 'epiloop')).toBeNull();
    const silent = { ...running, health: 'no answer' as const, detail: 'no answer within 500 ms' };
    expect(gatewayProblem(silent, 'epiloop')).toBe('The gateway (pid 9) runs but does not answer http://127.0.0.1:21000/health: no answer within 500 ms.');
    const stopped: GatewayLive = { ...running, running: false, pid: null, health: null, url: null };
    expect(describeGateway(stopped)).toBe('not running');
    expect(gatewayProblem(stopped, 'epiloop --profile rescue')).toMatch(/^The gateway is not running\. Start it: "epiloop --profile rescue start"/);
    // Where no service manager is usable, nothing advises installing a service (issue 13).
    expect(gatewayProblem(stopped, 'epiloop', false)).toBe('The gateway is not running. Start it: "epiloop start".');
    // While something keeps it from starting, no start before that is fixed: it would be refused.
    expect(gatewayProblem(stopped, 'epiloop', true, 'the config is repaired')).toBe('The gateway is not running. It can start once the config is repaired.');
  });

  it('says what is left of a lock after "not running": a stray copy with its removal, a broken lock as the problem itself (no "Start it")', () => {
    const stopped: GatewayLive = { ...running, running: false, pid: null, health: null, url: null };
    const copy = { ...stopped, lock: 'copy' as const, detail: "its gateway.lock is a copy of p16's (pid 9712): remove the stray copy (rm ~/.epiloop-p11/gateway.lock)" };
    expect(describeGateway(copy)).toBe("not running; its gateway.lock is a copy of p16's (pid 9712): remove the stray copy (rm ~/.epiloop-p11/gateway.lock)");
    expect(gatewayProblem(copy, 'epiloop --profile p11', false)).toBe(
      'The gateway is not running; its gateway.lock is a copy of p16\'s (pid 9712): remove the stray copy (rm ~/.epiloop-p11/gateway.lock). Start it: "epiloop --profile p11 start".',
    );
    const broken = { ...stopped, lock: 'broken' as const, detail: 'X is a directory. No gateway of this profile can start while it is there: remove it (rm -r X)' };
    expect(gatewayProblem(broken, 'epiloop')).toBe('X is a directory. No gateway of this profile can start while it is there: remove it (rm -r X).');
  });
});
