import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configBase, describeSelfOverlap, footprint, footprintBounds, footprintHas, footprintPorts, FOOTPRINT_SPAN, isBasePort, MAX_BASE, noFreeBaseMessage, resolveBase, selfOverlaps } from '../../src/core/ports/footprint';
import { MAX_PORT, MIN_PORT } from '../../src/core/ports/limits';
import { claimMap, compactPorts, describeClaim, findOverlaps } from '../../src/core/ports/overlap';
import { UsageError } from '../../src/core/errors';
import { runs } from '../helpers/runs';

describe('footprint', () => {
  it('derives the seed\'s map: base, +2, +4, CDP control+9 … control+108', () => {
    const fp = footprint(undefined, 18789);
    expect(fp).toMatchObject({ gateway: 18789, browserControl: 18791, canvas: 18793, cdp: { from: 18800, to: 18899 } });
    expect(footprintBounds(fp)).toEqual({ low: 18789, high: 18899 });
    expect(footprintPorts(fp).size).toBe(103);
  });

  it('follows browser.controlUrl and canvasHost.port overrides, and pinned CDP ports', () => {
    const fp = footprint(
      {
        browser: { controlUrl: 'http://127.0.0.1:30000', profiles: { work: { cdpPort: 31000 } } },
        canvasHost: { port: 30500 },
      },
      18789,
    );
    expect(fp.browserControl).toBe(30000);
    expect(fp.cdp).toEqual({ from: 30009, to: 30108 });
    expect(fp.canvas).toBe(30500);
    expect(fp.pinnedCdp).toEqual([{ name: 'work', port: 31000 }]);
    expect(footprintPorts(fp).has(31000)).toBe(true);
  });

  it('property: footprintHas answers exactly as the list of the footprint\'s ports', () => {
    const port = fc.integer({ min: 1024, max: 65535 });
    const config = fc.record(
      {
        browser: fc.record({ controlUrl: port.map((p) => `http://127.0.0.1:${p}`), profiles: fc.dictionary(fc.constantFrom('a', 'b'), fc.record({ cdpPort: port })) }, { requiredKeys: [] }),
        canvasHost: fc.record({ enabled: fc.boolean(), port }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(config, fc.integer({ min: 1024, max: 65425 }), fc.array(fc.integer({ min: 1000, max: 65535 }), { maxLength: 40 }), (cfg, base, probes) => {
        const fp = footprint(cfg, base);
        const ports = footprintPorts(fp);
        for (const p of [...probes, ...ports, fp.cdp.from - 1, fp.cdp.to + 1, base + 1, base + 3]) expect(footprintHas(fp, p), String(p)).toBe(ports.has(p));
      }),
      { numRuns: runs(100) },
    );
  });

  it('drops the canvas port when the canvas host is disabled', () => {
    expect(footprint({ canvasHost: { enabled: false } }, 18789).canvas).toBeNull();
  });
});

describe('resolveBase precedence: --port > EPILOOP_GATEWAY_PORT > config > 18789', () => {
  const config = { gateway: { port: 20000 } };
  it('takes each source in order', () => {
    expect(resolveBase({ flag: 21000, env: { EPILOOP_GATEWAY_PORT: '22000' }, config })).toEqual({ port: 21000, source: '--port' });
    expect(resolveBase({ env: { EPILOOP_GATEWAY_PORT: '22000' }, config })).toEqual({ port: 22000, source: 'EPILOOP_GATEWAY_PORT' });
    expect(resolveBase({ env: {}, config })).toEqual({ port: 20000, source: 'config' });
    expect(resolveBase({ env: {} })).toEqual({ port: 18789, source: 'default' });
  });

  it('rejects ports whose footprint leaves the valid range, saying the range', () => {
    expect(() => resolveBase({ flag: 80, env: {} })).toThrow(/1024 to 65425/);
    expect(() => resolveBase({ flag: 65500, env: {} })).toThrow(UsageError);
    expect(() => resolveBase({ env: { EPILOOP_GATEWAY_PORT: 'abc' } })).toThrow(/EPILOOP_GATEWAY_PORT.*not a port/);
  });

  it('reads EPILOOP_GATEWAY_PORT as a whole number, spaces around it allowed, anything else refused as no port', () => {
    expect(resolveBase({ env: { EPILOOP_GATEWAY_PORT: ' 20000 ' } })).toEqual({ port: 20000, source: 'EPILOOP_GATEWAY_PORT' });
    for (const value of ['x20000', '20000x', '20 000', '2e4', '-20000']) {
      expect(() => resolveBase({ env: { EPILOOP_GATEWAY_PORT: value } }), value).toThrow(
        new UsageError(`EPILOOP_GATEWAY_PORT: "${value}" is not a port. Use a whole number from 1024 to 65425.`),
      );
    }
  });
});

describe('port facts', () => {
  it('the span covers a default footprint, and MAX_BASE is the highest base whose footprint fits', () => {
    expect(FOOTPRINT_SPAN).toBe(111);
    expect(footprintBounds(footprint(undefined, 18789)).high - 18789 + 1).toBe(FOOTPRINT_SPAN);
    expect(footprintBounds(footprint(undefined, MAX_BASE)).high).toBe(MAX_PORT);
    expect([MIN_PORT - 1, MIN_PORT, MAX_BASE, MAX_BASE + 1, 20000.5].map(isBasePort)).toEqual([false, true, true, false, false]);
  });

  it('a config gives its own base, or the default one', () => {
    expect(configBase({ gateway: { port: 20000 } })).toEqual({ port: 20000, source: 'config' });
    expect(configBase({ gateway: {} })).toEqual({ port: 18789, source: 'default' });
    expect(configBase(undefined)).toEqual({ port: 18789, source: 'default' });
    expect(configBase({})).toEqual({ port: 18789, source: 'default' });
  });

  it('says how many ports a free block needs when none is found, and what to do', () => {
    expect(noFreeBaseMessage()).toBe('no free base port was found on this host for a whole footprint (111 ports).');
    expect(noFreeBaseMessage('pass --port')).toBe('no free base port was found on this host for a whole footprint (111 ports); pass --port.');
  });
});

describe('overlaps', () => {
  it('finds the seed\'s "20 ports apart" collision and names both roles', () => {
    const overlaps = findOverlaps([
      { label: 'main', footprint: footprint(undefined, 18789) },
      { label: 'r2', footprint: footprint(undefined, 18809) },
    ]);
    expect(overlaps).toHaveLength(1);
    expect(overlaps[0]!.labels).toEqual(['main', 'r2']);
    expect(overlaps[0]!.ports[0]!.port).toBe(18809);
    expect(overlaps[0]!.ports[0]!.claims.map((c) => c.role).sort()).toEqual(['cdp', 'gateway']);
  });

  it('finds none for bases 111 apart, and some for 110 apart', () => {
    const at = (b: number) => ({ label: String(b), footprint: footprint(undefined, b) });
    expect(findOverlaps([at(18789), at(18900)])).toEqual([]);
    expect(findOverlaps([at(18789), at(18899)])).toHaveLength(1);
  });

  it('a browser profile pinned inside its own CDP range is no overlap: one claim per profile and port', () => {
    const main = { label: 'main', footprint: footprint({ browser: { profiles: { work: { cdpPort: 18850 } } } }, 18789) };
    expect(findOverlaps([main])).toEqual([]);
    expect(claimMap([main]).get(18850)).toEqual([{ label: 'main', role: 'cdp' }]);
  });

  it('a claim names a browser profile only for a pinned CDP port', () => {
    const claims = claimMap([{ label: 'main', footprint: footprint({ browser: { profiles: { work: { cdpPort: 30000 } } } }, 18789) }]);
    expect(claims.get(18789)).toStrictEqual([{ label: 'main', role: 'gateway' }]);
    expect(claims.get(30000)).toStrictEqual([{ label: 'main', role: 'cdp-pinned', detail: 'work' }]);
  });

  it('lists the shared ports in port order, a pinned port below the range included', () => {
    // main pins 18750, below its own range, which r2's CDP range (18701–18800) covers along with main's gateway, control and canvas.
    const overlaps = findOverlaps([
      { label: 'main', footprint: footprint({ browser: { profiles: { work: { cdpPort: 18750 } } } }, 18789) },
      { label: 'r2', footprint: footprint(undefined, 18690) },
    ]);
    expect(overlaps.map((o) => o.ports.map((p) => p.port))).toEqual([[18750, 18789, 18791, 18793, 18800]]);
  });

  it('lists the overlapping pairs in the order of their names, each pair in name order', () => {
    const at = (label: string, b: number) => ({ label, footprint: footprint(undefined, b) });
    const overlaps = findOverlaps([at('c', 18789), at('b', 18809), at('a', 18829)]);
    expect(overlaps.map((o) => o.labels)).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ]);
  });

  it('keeps pairs apart whose names run together (a + bc, ab + c)', () => {
    const at = (label: string, b: number) => ({ label, footprint: footprint(undefined, b) });
    const overlaps = findOverlaps([at('a', 18789), at('bc', 18809), at('ab', 30000), at('c', 30020)]);
    expect(overlaps.map((o) => [o.labels, o.ports[0]!.port])).toEqual([
      [['a', 'bc'], 18809],
      [['ab', 'c'], 30020],
    ]);
  });

  it('describes a claim by profile and role, a running gateway as running', () => {
    expect(describeClaim({ label: 'main', role: 'gateway' })).toBe("main's gateway");
    expect(describeClaim({ label: 'main', role: 'cdp', served: true })).toBe("main's running CDP range");
    expect(describeClaim({ label: 'main', role: 'cdp-pinned', detail: 'work' })).toBe(`main's pinned CDP port of browser profile "work"`);
  });

  it('compacts port lists into ranges', () => {
    expect(compactPorts([5, 1, 2, 3, 9, 10])).toBe('1–3, 5, 9–10');
    expect(compactPorts([])).toBe('');
  });
});

describe('footprint details', () => {
  it('takes browser control from controlUrl: its port, else the scheme\'s, else base+2 for a URL it cannot use', () => {
    const control = (controlUrl: string) => footprint({ browser: { controlUrl } }, 18789).browserControl;
    expect(control('http://127.0.0.1:20000')).toBe(20000);
    expect(control('https://example.test/')).toBe(443);
    expect(control('http://example.test/')).toBe(80);
    expect(control('ftp://example.test/')).toBe(18791);
    expect(control('not a url')).toBe(18791);
  });

  it('lists pinned CDP ports in port order, and only the profiles that pin one', () => {
    const fp = footprint({ browser: { profiles: { b: { cdpPort: 30002 }, a: { cdpPort: 30001 }, c: {} } } }, 18789);
    expect(fp.pinnedCdp).toEqual([
      { name: 'a', port: 30001 },
      { name: 'b', port: 30002 },
    ]);
  });

  it('bounds a footprint by every port it touches, pinned ones outside the range included', () => {
    expect(footprintBounds(footprint({ browser: { profiles: { w: { cdpPort: 2000 }, x: { cdpPort: 60000 } } } }, 18789))).toEqual({ low: 2000, high: 60000 });
    expect(footprintBounds(footprint({ browser: { profiles: { w: { cdpPort: 2000 } } } }, 18789))).toEqual({ low: 2000, high: 18899 });
  });

  it('finds where a footprint runs into itself, and says it in words', () => {
    const onBase = footprint({ canvasHost: { port: 18789 } }, 18789);
    expect(selfOverlaps(onBase)).toEqual([{ port: 18789, first: { port: 18789, role: 'gateway' }, pinned: { port: 18789, role: 'canvas' } }]);
    expect(describeSelfOverlap(selfOverlaps(onBase)[0]!, onBase)).toBe("the canvas host 18789 is on the gateway's port");

    const inRange = footprint({ canvasHost: { port: 18899 } }, 18789);
    expect(selfOverlaps(inRange)).toEqual([{ port: 18899, first: { port: 18899, role: 'cdp' }, pinned: { port: 18899, role: 'canvas' } }]);
    expect(describeSelfOverlap(selfOverlaps(inRange)[0]!, inRange)).toBe('the canvas host 18899 is inside the CDP range 18800–18899');

    const pinnedOnBase = footprint({ browser: { profiles: { work: { cdpPort: 18789 } } } }, 18789);
    expect(selfOverlaps(pinnedOnBase)).toEqual([
      { port: 18789, first: { port: 18789, role: 'gateway' }, pinned: { port: 18789, role: 'cdp-pinned', detail: 'work' } },
    ]);
    expect(describeSelfOverlap(selfOverlaps(pinnedOnBase)[0]!, pinnedOnBase)).toBe(`the pinned CDP port of browser profile "work" 18789 is on the gateway's port`);

    // A browser's pinned port inside the range is its own; a disabled canvas takes no port.
    expect(selfOverlaps(footprint({ browser: { profiles: { work: { cdpPort: 18850 } } } }, 18789))).toEqual([]);
    expect(selfOverlaps(footprint({ canvasHost: { enabled: false, port: 18789 } }, 18789))).toEqual([]);
    expect(selfOverlaps(footprint({ canvasHost: { port: 18799 } }, 18789))).toEqual([]);
  });

  it('finds the canvas on the browser control port, and the gateway inside a CDP range that browser control moved', () => {
    const onControl = footprint({ canvasHost: { port: 18791 } }, 18789);
    expect(selfOverlaps(onControl)).toEqual([{ port: 18791, first: { port: 18791, role: 'browser-control' }, pinned: { port: 18791, role: 'canvas' } }]);
    expect(describeSelfOverlap(selfOverlaps(onControl)[0]!, onControl)).toBe("the canvas host 18791 is on the browser control's port");

    // Browser control at 18700: its CDP range 18709–18808 takes the gateway (18789) and the canvas (18793).
    const moved = footprint({ browser: { controlUrl: 'http://127.0.0.1:18700' } }, 18789);
    expect(selfOverlaps(moved).map((o) => [o.pinned.role, o.port, o.first.role])).toEqual([
      ['gateway', 18789, 'cdp'],
      ['canvas', 18793, 'cdp'],
    ]);
    expect(describeSelfOverlap(selfOverlaps(moved)[0]!, moved)).toBe('the gateway 18789 is inside the CDP range 18709–18808');
  });
});
