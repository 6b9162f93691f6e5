import net from 'node:net';
import { afterEach } from 'vitest';
import { footprint, footprintPorts } from '../../src/core/ports/footprint';

const held: net.Server[] = [];

/** A listener of this test process on 127.0.0.1:port (a "foreign process" to doctor), closed after the test. */
export function holdPort(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      held.push(server);
      resolve();
    });
  });
}

afterEach(async () => {
  await Promise.all(held.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** Whether default footprints at these two bases share no port. */
export function disjoint(a: number, b: number): boolean {
  const mine = footprintPorts(footprint(undefined, a));
  return ![...footprintPorts(footprint(undefined, b))].some((p) => mine.has(p));
}
