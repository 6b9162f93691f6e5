/** `epiloop top` on a real terminal: a resize clears the screen before Ink redraws, as the wizard's does. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'ink';
import type { TopFacts, TopIO } from '../../src/ui/top/io';
import type { ServiceStatus } from '../../src/core/service/spec';
import { hostRow } from '../../src/host/top/rows';
import { liveOf } from '../../src/host/gateway/live';
import { HOME, profileOf, viewOf } from '../helpers/view';

vi.mock('ink', async (original) => ({
  ...(await original<typeof import('ink')>()),
  // Ink stands in: the terminal is resized while top is drawn, then q.
  render: vi.fn(() => {
    process.stdout.emit('resize');
    return { waitUntilExit: async () => undefined };
  }),
}));

const CLEAR_SCREEN = '\u001b[2J\u001b[H';
const NOW = Date.parse('2026-01-01T00:05:00.000Z');

function factsOf(): TopFacts {
  const view = viewOf([profileOf({ name: 'main', config: 18789 })]);
  const service: ServiceStatus = { kind: null, usable: false, reason: 'none here', name: null, installed: false, file: null, state: 'not-installed', enabled: null, pid: null, mismatches: [] };
  return { view, rows: view.profiles.map((p) => hostRow(view, p, liveOf(p, HOME, NOW), { service, watch: null, lastBackup: null }, { home: HOME, addresses: ['127.0.0.1', '::1'] })), at: NOW };
}

/** A host whose first read takes `readMs`; it counts the reads and the logs asked. */
function slowIO(readMs: number, fail = false) {
  const asked = { reads: 0, logs: [] as [string, number][] };
  const io = {
    read: () => {
      asked.reads += 1;
      return new Promise<TopFacts>((resolve, reject) => setTimeout(() => (fail ? reject(new Error('no host')) : resolve(factsOf())), readMs));
    },
    log: async (label: string, count: number) => {
      asked.logs.push([label, count]);
      return ['a line of the log'];
    },
  } as unknown as TopIO;
  return { io, asked };
}

const io = slowIO(0).io;

afterEach(() => vi.restoreAllMocks());

describe('runTop', () => {
  it('clears the screen on a resize (the terminal re-wrapped the old frame; erasing it line by line left a stale strip at 40×12), and stops listening once it exits', async () => {
    const { runTop } = await import('../../components/top/run');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const listening = process.stdout.listenerCount('resize');
    await runTop(io, '/home/u');
    expect(write).toHaveBeenCalledWith(CLEAR_SCREEN);
    expect(process.stdout.listenerCount('resize')).toBe(listening);
  });

  it('draws the first frame whole when the first read ends within the wait: Ink gets its facts and the first profile\'s log, and the read is not asked twice', async () => {
    const { runTop } = await import('../../components/top/run');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const { io: quick, asked } = slowIO(5);
    vi.mocked(render).mockClear();
    await runTop(quick, '/home/u');
    const start = (vi.mocked(render).mock.calls[0]![0] as { props: { start: unknown } }).props.start as { facts?: TopFacts; log?: string[] };
    expect(start.facts?.rows.map((r) => r.label)).toEqual(['main']);
    expect(start.log).toEqual(['a line of the log']);
    expect(asked).toEqual({ reads: 1, logs: [['main', 24]] });
  });
});

describe('topStart', () => {
  it('hands over the read still under way when it is slower than the wait (the screen says "Reading the host…"), without asking it again', async () => {
    const { topStart } = await import('../../components/top/run');
    const { io: slow, asked } = slowIO(200);
    const t0 = Date.now();
    const start = await topStart(slow, 20);
    expect(Date.now() - t0).toBeLessThan(150);
    expect('reading' in start).toBe(true);
    const facts = await (start as { reading: Promise<TopFacts> }).reading;
    expect(facts.rows).toHaveLength(1);
    expect(asked).toEqual({ reads: 1, logs: [] });
  });

  it('hands over a first read that failed within the wait as the failed read, for the screen to report', async () => {
    const { topStart } = await import('../../components/top/run');
    const { io: failing, asked } = slowIO(1, true);
    const start = await topStart(failing, 200);
    expect('reading' in start).toBe(true);
    await expect((start as { reading: Promise<TopFacts> }).reading).rejects.toThrow('no host');
    expect(asked.logs).toEqual([]);
  });
});
