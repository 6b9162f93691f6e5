import { describe, expect, it } from 'vitest';
import { HostError } from '../../src/core/errors';
import { footprint } from '../../src/core/ports/footprint';
import { claimMap } from '../../src/core/ports/overlap';
import { baseFix, bindHost, bindReach, bracketedBindHint, clientHost, footprintConflicts, isLoopbackHost, listenPlan, urlOf } from '../../src/core/gateway/plan';

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

describe('bracketedBindHint', () => {
  it('asks for an IPv6 address written as in a URL ([::1], [::1]:18789) without its brackets (and port), with the command', () => {
    expect(bracketedBindHint('[::1]', 'epiloop --profile main')).toBe('Write an IPv6 address without brackets: epiloop --profile main config set gateway.bind ::1');
    expect(bracketedBindHint('[fe80::1%eth0]', 'epiloop')).toBe('Write an IPv6 address without brackets: epiloop config set gateway.bind fe80::1%eth0');
    expect(bracketedBindHint('[2001:db8::5]:18789', 'epiloop')).toBe('Write an IPv6 address without brackets, and no port (gateway.port sets it): epiloop config set gateway.bind 2001:db8::5');
    for (const bind of ['::1', '[lan]', '[127.0.0.1]', '[::1', 'loopback', 42]) expect(bracketedBindHint(bind, 'epiloop')).toBeNull();
  });
});

describe('bindReach', () => {
  it('tells a gateway only this machine reaches from one other machines reach too', () => {
    for (const bind of [undefined, 'loopback', 'localhost', '127.0.0.1', '127.0.0.2', '::1']) expect(bindReach(bind), String(bind)).toBe('loopback');
    for (const bind of ['lan', 'all', '0.0.0.0', '192.168.1.20', '::']) expect(bindReach(bind), bind).toBe('lan');
    expect(bindReach('everywhere')).toBeNull();
    // An IPv4 address mapped into IPv6 is no bind: written so, its reach and its Host header disagree.
    for (const bind of ['::ffff:127.0.0.1', '::ffff:7f00:1', '::FFFF:192.168.1.20', '0:0:0:0:0:ffff:c0a8:114']) expect(bindReach(bind), bind).toBeNull();
    expect(bindReach('::ffff:1')).toBe('lan');
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
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

describe('listenPlan', () => {
  it('listens on base, +2 and +4, and on no canvas port when the canvas is off', () => {
    expect(listenPlan(footprint(undefined, 21000))).toEqual([
      { role: 'gateway', port: 21000 },
      { role: 'browser-control', port: 21002 },
      { role: 'canvas', port: 21004 },
    ]);
    expect(listenPlan(footprint({ canvasHost: { enabled: false } }, 21000)).map((l) => l.role)).toEqual(['gateway', 'browser-control']);
  });
});

describe('footprintConflicts', () => {
  const claims = claimMap([{ label: 'main', footprint: footprint(undefined, 21000) }]);

  it("names the other profile's role for every port it reserves", () => {
    expect(footprintConflicts(footprint(undefined, 21002), claims)).toEqual([
      "gateway 21002 is inside main's browser control",
      "browser control 21004 is inside main's canvas host",
      "CDP range 21013–21110 is inside main's CDP range",
    ]);
    expect(footprintConflicts(footprint(undefined, 21111), claims)).toEqual([]);
  });

  it('checks the whole footprint: a CDP range over main is refused though the three bound ports are free', () => {
    // The QA case: r6 at 18700 beside main at 18789, here shifted to 21000 - 89.
    expect(footprintConflicts(footprint(undefined, 20911), claims)).toEqual([
      "CDP range 21000 is inside main's gateway",
      "CDP range 21002 is inside main's browser control",
      "CDP range 21004 is inside main's canvas host",
      "CDP range 21011–21021 is inside main's CDP range",
    ]);
  });

  it('checks pinned CDP ports, and names every profile that reserves a port', () => {
    const two = claimMap([
      { label: 'main', footprint: footprint(undefined, 21000) },
      { label: 'rescue', footprint: footprint({ browser: { profiles: { work: { cdpPort: 21050 } } } }, 22000) },
    ]);
    expect(footprintConflicts(footprint({ browser: { profiles: { mine: { cdpPort: 21050 } } } }, 23000), two)).toEqual([
      `pinned CDP (mine) 21050 is inside main's CDP range`,
      `pinned CDP (mine) 21050 is inside rescue's pinned CDP port of browser profile "work"`,
    ]);
  });
});

describe('baseFix', () => {
  const invocation = 'epiloop --profile main';
  const own = { port: 18789, source: 'config' as const, clear: true };

  it('sends a base from the config to onboard or doctor --fix', () => {
    for (const source of ['config', 'default'] as const) {
      expect(baseFix({ source, invocation, own, free: null })).toBe(
        'move this profile to a free base with "epiloop --profile main onboard" (or "epiloop --profile main doctor --fix")',
      );
    }
  });

  it('fixes a base from --port or the environment where it came from, naming the config base and a free one', () => {
    expect(baseFix({ source: 'EPILOOP_GATEWAY_PORT', invocation, own, free: 18899 })).toBe(
      "unset EPILOOP_GATEWAY_PORT to use the config's base 18789, or pick a free base: EPILOOP_GATEWAY_PORT=18899",
    );
    expect(baseFix({ source: '--port', invocation, own, free: 18789 })).toBe("drop --port to use the config's base 18789");
    expect(baseFix({ source: '--port', invocation, own: { port: 18789, source: 'default', clear: true }, free: null })).toBe(
      'drop --port to use the default base 18789',
    );
    expect(baseFix({ source: '--port', invocation, own: { ...own, clear: false }, free: 18899 })).toBe(
      `pick a free base: --port 18899, or drop --port after moving the config's base 18789, which collides too, with "epiloop --profile main onboard" or "epiloop --profile main doctor --fix"`,
    );
  });
});
