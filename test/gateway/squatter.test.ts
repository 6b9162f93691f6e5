import { readFile, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bindProbe } from '../../src/host/ports/probe';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { setupProfile } from './gateways';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

function squat(port: number, host: string, ipv6Only = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen({ port, host, ipv6Only }, () => resolve());
    servers.push(server);
  });
}

async function hasIPv6Loopback(): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen({ port: 0, host: '::1' }, () => server.close(() => resolve(true)));
  });
}

const ipv6 = await hasIPv6Loopback();
const exists = (file: string) => stat(file).then(() => true, () => false);

describe.skipIf(!ipv6)(`a listener on another address family at one of the gateway's ports${ipv6 ? '' : ' (skipped: this kernel has no IPv6 loopback ::1)'}`, () => {
  for (const [role, offset, host, ipv6Only] of [
    ['gateway', 0, '::1', false],
    ['canvas host', 4, '::', true],
    ['browser control', 2, '0.0.0.0', false],
  ] as const) {
    it(`refuses to start when [${host}]:base+${offset} is held, naming the holder, binding nothing`, async () => {
      const { env, home } = await tempHome();
      const p = await setupProfile(env, 'main');
      const port = p.base + offset;
      await squat(port, host, ipv6Only);
      const result = await runCli(['--profile', 'main', 'gateway'], { env, timeoutMs: 8000 });
      expect(result.code, result.stdout + result.stderr).toBe(1);
      expect(result.stdout).not.toContain(' ready ');
      const comm = (await readFile('/proc/self/comm', 'utf8').catch(() => '')).trim();
      expect(result.stderr).toContain(`port ${port} (${role}) is already in use: bound by ${comm || 'a process'} (pid ${process.pid}) on ${host}`);
      expect(result.stderr).toContain('Nothing was bound. Fix: stop that process, or move this profile to a free base');
      const own = [p.base, p.base + 2, p.base + 4].filter((q) => q !== port);
      expect((await bindProbe(own)).size).toBe(0);
      expect(await exists(path.join(home, '.epiloop-main', 'gateway.lock'))).toBe(false);
    });
  }
});
