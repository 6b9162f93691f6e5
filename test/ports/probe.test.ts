import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HOST, bindProbe, findOwners, probePorts, readEphemeralRange, snapshotListeners } from '../../src/host/ports/probe';
import { type PortState } from '../../src/core/ports/listeners';

const onLinux = process.platform === 'linux';
const servers: net.Server[] = [];

/** Listens on a loopback address; port 0 lets the kernel pick a free one. Closed after each test. */
function listen(host: '127.0.0.1' | '::1', port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host, port, ipv6Only: host === '::1' }, () => {
      servers.push(server);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** A port next to `port` that nothing listens on, checked independently of the code under test. */
async function freeNeighbour(port: number, taken: number[]): Promise<number> {
  for (const candidate of [port + 1, port - 1, port + 2, port - 2, port + 3]) {
    if (taken.includes(candidate)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen({ port: candidate }, () => server.close(() => resolve(true)));
    });
    if (free) return candidate;
  }
  throw new Error(`no free port near ${port}`);
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('probePorts', () => {
  it('reports an IPv4 and an IPv6-only listener as bound by this process, and a neighbour as free', async () => {
    const v4 = await listen('127.0.0.1');
    const v6 = await listen('::1');
    const free = await freeNeighbour(v4, [v6]);

    const states = await probePorts([v4, v6, free]);

    expect(states.get(free)).toEqual({ state: 'free' });
    const command = onLinux ? (await readFile('/proc/self/comm', 'utf8')).trim() : undefined;
    for (const [port, address] of [[v4, '127.0.0.1'], [v6, '::1']] as const) {
      const state = states.get(port);
      expect(state?.state).toBe('bound');
      if (state?.state !== 'bound') continue;
      if (onLinux) {
        expect(state.holders).toEqual([{ address, pid: process.pid, command }]);
      } else {
        expect(state.holders.length).toBeGreaterThan(0);
      }
    }
  });

  it('leaves out owners when asked', async () => {
    const v4 = await listen('127.0.0.1');
    const states = await probePorts([v4], { owners: false });
    expect(states.get(v4)).toEqual({
      state: 'bound',
      holders: onLinux ? [{ address: '127.0.0.1' }] : expect.any(Array),
    });
  });

  it('confirms ports a stale snapshot calls free with a bind probe, and names the hosts that refused', async () => {
    const snapshot = await snapshotListeners();
    const v4 = await listen('127.0.0.1');
    const v6 = await listen('::1');
    expect(snapshot.bound.has(v4) || snapshot.bound.has(v6)).toBe(false);

    const states = await probePorts([v4, v6], { snapshot });

    const v4State = states.get(v4);
    const v6State = states.get(v6);
    expect(v4State?.state === 'bound' && v4State.holders.map((holder) => holder.address)).toContain('127.0.0.1');
    expect(v6State?.state === 'bound' && v6State.holders.map((holder) => holder.address)).toContain('::1');
    expect(v4State?.state === 'bound' && v4State.holders.every((holder) => holder.pid === undefined)).toBe(true);
  });

  it('probes a 111-port footprint quickly', async () => {
    const v4 = await listen('127.0.0.1');
    const v6 = await listen('::1');
    const footprint = [...Array.from({ length: 110 }, (_, i) => v4 - 55 + i), v6];

    await probePorts(footprint); // warm up: first use loads and compiles the code paths
    const timings: number[] = [];
    let states = new Map<number, PortState>();
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      states = await probePorts(footprint);
      timings.push(performance.now() - start);
    }
    const median = [...timings].sort((a, b) => a - b)[2]!;
    console.log(`probePorts, ${new Set(footprint).size} ports: median ${median.toFixed(1)} ms, runs ${timings.map((ms) => ms.toFixed(1)).join(' ')}`);

    expect(states.get(v4)?.state).toBe('bound');
    expect(states.get(v6)?.state).toBe('bound');
    expect(median).toBeLessThan(500);
  });
});

describe('bindProbe', () => {
  it('finds busy ports on their own address family, without /proc', async () => {
    const v4 = await listen('127.0.0.1');
    const v6 = await listen('::1');
    const free = await freeNeighbour(v4, [v6]);

    const busy = await bindProbe([v4, v6, free]);

    expect(busy.get(v4)).toContain('127.0.0.1');
    expect(busy.get(v6)).toContain('::1');
    expect(busy.has(free)).toBe(false);
    if (onLinux) {
      // The default host is dual-stack, so it sees both; each loopback sees only its own family.
      expect(busy.get(v4)).toEqual([DEFAULT_HOST, '0.0.0.0', '127.0.0.1']);
      expect(busy.get(v6)).toEqual([DEFAULT_HOST, '::1']);
    }
  });

  it('probes only the hosts it is given', async () => {
    const v6 = await listen('::1');
    expect(await bindProbe([v6], { hosts: ['127.0.0.1'], concurrency: 1 })).toEqual(new Map());
  });
});

describe.runIf(onLinux)('/proc readers', () => {
  it('snapshotListeners sees our listener, and findOwners finds our pid for its inode', async () => {
    const v4 = await listen('127.0.0.1');
    const snapshot = await snapshotListeners();
    expect(snapshot.bound.has(v4)).toBe(true);
    const listener = snapshot.listeners.find((l) => l.port === v4 && l.address === '127.0.0.1');
    expect(listener).toMatchObject({ family: 4 });

    const owners = await findOwners([listener!.inode]);

    expect(owners.get(listener!.inode)).toEqual({
      pid: process.pid,
      command: (await readFile('/proc/self/comm', 'utf8')).trim(),
    });
  });

  it('snapshotListeners reads socket tables longer than one page (a read is at most 4 KiB)', async () => {
    const ports = await Promise.all(Array.from({ length: 60 }, () => listen('127.0.0.1')));
    const snapshot = await snapshotListeners();
    expect(ports.filter((port) => !snapshot.bound.has(port))).toEqual([]);
  });

  it('readEphemeralRange reads the kernel setting', async () => {
    const [from, to] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/).map(Number);
    expect(await readEphemeralRange()).toEqual({ from, to });
  });
});
