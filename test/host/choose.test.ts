/** The check every writer of a base runs just before writing (setup, onboard's apply), on real sockets. */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BaseRefused, chooseBase } from '../../src/host/ports/choose';
import { readHost } from '../../src/host/model';
import { currentOf } from '../../src/core/host/view';
import { resolveProfile } from '../../src/core/profile/paths';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function hold(port: number): Promise<void> {
  const server = net.createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen({ port, host: '127.0.0.1' }, resolve));
}

describe('chooseBase', () => {
  it('a writer whose proposed base was taken meanwhile proposes again; a base chosen by hand is refused with the rows and a free one (hardening item 5)', async () => {
    const { home } = await tempHome();
    const base = await freeBase();
    const paths = resolveProfile({ flag: 'lab', env: {}, home });
    const view = await readHost({ home, current: paths, health: 'none' });
    await hold(base + 2);
    const input = { invocation: 'epiloop --profile lab', role: 'other' as const, view, self: currentOf(view), config: undefined, retry: (b: number) => `--port ${b}` };

    const again = await chooseBase({ ...input, requested: { port: base, source: 'the proposal', proposed: true } });
    expect(again.base).not.toBe(base);
    expect(again.source).toMatch(new RegExp(`^proposed: .*\\(${base} was taken meanwhile\\)$`));

    const refused = await chooseBase({ ...input, requested: { port: base, source: '--port' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BaseRefused);
    const r = refused as BaseRefused;
    expect(r.rows.map((row) => [row.label, row.text])).toEqual([['browser control', `bound by node (pid ${process.pid}) on 127.0.0.1`]]);
    expect(r.alternative).not.toBeNull();
    expect(r.message).toContain(`Use a free base instead: --port ${r.alternative}`);
  });
});
