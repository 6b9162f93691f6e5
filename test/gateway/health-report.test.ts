import { describe, expect, it } from 'vitest';
import { healthAnswerWords, healthReport, readHealthReport } from '../../src/core/gateway/health';

const ports = { gateway: 18789, browserControl: 18791, canvas: 18793, cdp: { from: 18800, to: 18899 } };
const real = healthReport({ label: 'main', pid: 42, startedAt: 1_000, ports }, 6_000);

describe('readHealthReport (what answers on a gateway port is read with care; hostile pass: a report without ports.cdp crashed list, status and ports with exit 70)', () => {
  it("takes a gateway's own report as it is", () => {
    expect(readHealthReport(JSON.parse(JSON.stringify(real)))).toEqual(real);
    expect(readHealthReport({ ...real, ports: { ...ports, canvas: null } })?.ports.canvas).toBeNull();
    // watch and alerts missing (an older build): none.
    const { watch: _w, alerts: _a, ...bare } = real;
    expect(readHealthReport(bare)).toEqual({ ...bare, watch: [], alerts: [] });
  });

  it('is no report when a field epiloop reads has another shape', () => {
    const bad: unknown[] = [
      null,
      42,
      [],
      { ...real, ports: { gateway: 18789, browserControl: 18791, canvas: 18793 } },
      { ...real, ports: [18789] },
      { ...real, ports: { ...ports, gateway: 'x' } },
      { ...real, ports: { ...ports, cdp: { from: 18899, to: 18800 } } },
      { ...real, ports: { ...ports, browserControl: 70_000 } },
      { ...real, pid: '42' },
      { ...real, uptimeMs: null },
      { ...real, profile: 7 },
      { ...real, watch: {} },
      { ...real, watch: [null] },
      { ...real, watch: [{ profile: 'main', state: 'up' }] },
      { ...real, alerts: [{}] },
    ];
    for (const body of bad) expect(readHealthReport(body), JSON.stringify(body)).toBeNull();
  });

  it('words what answered instead', () => {
    expect(healthAnswerWords({ ok: false, error: 'connection refused' }, null, 42)).toBe('connection refused');
    expect(healthAnswerWords({ ok: true, status: 200 }, null, 42)).toBe("GET /health answered 200 with something that is not a gateway's report");
    expect(healthAnswerWords({ ok: true, status: 404 }, null, 42)).toBe('GET /health answered 404');
    expect(healthAnswerWords({ ok: true, status: 200 }, { ...real, pid: 7 }, 42)).toBe('GET /health answered from pid 7, not 42');
  });
});
