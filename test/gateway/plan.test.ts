import { describe, expect, it } from 'vitest';
import { HostError } from '../../src/errors';
import { footprint } from '../../src/ports/footprint';
import { claimMap } from '../../src/ports/overlap';
import { bindHost, claimConflicts, clientHost, listenPlan, urlOf } from '../../src/gateway/plan';

describe('bindHost', () => {
  it('binds loopback unless gateway.bind opens it up', () => {
    expect(bindHost(undefined)).toBe('127.0.0.1');
    expect(bindHost('loopback')).toBe('127.0.0.1');
    expect(bindHost('lan')).toBe('0.0.0.0');
    expect(bindHost('all')).toBe('0.0.0.0');
    expect(bindHost('192.168.1.20')).toBe('192.168.1.20');
    expect(bindHost('::1')).toBe('::1');
  });

  it('refuses a word it does not know, saying what it accepts', () => {
    expect(() => bindHost('everywhere')).toThrow(HostError);
    expect(() => bindHost('everywhere')).toThrow(/"loopback".*"lan" or "all".*IP address/);
  });
});

describe('clientHost and urlOf', () => {
  it('reaches a wildcard on loopback and brackets IPv6', () => {
    expect(clientHost('0.0.0.0')).toBe('127.0.0.1');
    expect(clientHost('::')).toBe('::1');
    expect(clientHost('10.0.0.5')).toBe('10.0.0.5');
    expect(urlOf('::1', 21000)).toBe('http://[::1]:21000');
    expect(urlOf('127.0.0.1', 21000)).toBe('http://127.0.0.1:21000');
  });
});

describe('listenPlan and claimConflicts', () => {
  it('listens on base, +2 and +4, and on no canvas port when the canvas is off', () => {
    expect(listenPlan(footprint(undefined, 21000))).toEqual([
      { role: 'gateway', port: 21000 },
      { role: 'browser-control', port: 21002 },
      { role: 'canvas', port: 21004 },
    ]);
    expect(listenPlan(footprint({ canvasHost: { enabled: false } }, 21000)).map((l) => l.role)).toEqual(['gateway', 'browser-control']);
  });

  it("names the other profile's role for every port it reserves", () => {
    const claims = claimMap([{ label: 'main', footprint: footprint(undefined, 21000) }]);
    expect(claimConflicts(listenPlan(footprint(undefined, 21002)), claims)).toEqual([
      "21002 (gateway) is inside main's browser control",
      "21004 (browser control) is inside main's canvas host",
    ]);
    expect(claimConflicts(listenPlan(footprint(undefined, 21100)), claims)).toEqual([
      "21100 (gateway) is inside main's CDP range",
      "21102 (browser control) is inside main's CDP range",
      "21104 (canvas host) is inside main's CDP range",
    ]);
    expect(claimConflicts(listenPlan(footprint(undefined, 21111)), claims)).toEqual([]);
  });
});
