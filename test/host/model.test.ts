/**
 * The host model against real sockets: another command's bind probes are never taken for
 * holders (hardening item 5: "owner not visible" made doctor --fix move a healthy base).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { writeConfig } from '../../src/host/store/store';
import { confirmFree, readHost } from '../../src/host/model';
import { currentOf, footprintConflicts, portFacts } from '../../src/core/host/view';
import { footprint, footprintSlots } from '../../src/core/ports/footprint';
import { resolveProfile } from '../../src/core/profile/paths';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { REPO } from '../helpers/cli';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Another command probing these ports, over and over, as setup, the wizard and doctor do (bounded: 30 s at most). */
function probeLoop(ports: number[]): Promise<ChildProcess> {
  const script = `
    import { bindProbe } from ${JSON.stringify(`${REPO}/src/host/ports/probe.ts`)};
    const ports = ${JSON.stringify(ports)};
    const until = Date.now() + 30_000;
    process.send('ready');
    while (Date.now() < until) await bindProbe(ports, { retry: false });
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`the probe loop exited (${code})`)));
  });
}

describe('readHost beside another command probing the same ports', () => {
  it('never calls a probe bind a holder, and confirms free ports free', { timeout: 60_000 }, async () => {
    const { home } = await tempHome();
    const base = await freeBase();
    const paths = resolveProfile({ flag: 'main', env: {}, home });
    await writeConfig(paths, { gateway: { port: base, auth: { token: 'a-token-of-more-than-16-chars' } } });
    const fp = footprint(undefined, base);
    const ports = [...new Set(footprintSlots(fp).map((s) => s.port))];
    await probeLoop(ports);

    const seen: string[] = [];
    for (let round = 0; round < 20; round++) {
      const view = await readHost({ home, current: paths, health: 'none' });
      const self = currentOf(view);
      for (const conflict of footprintConflicts(view, self, fp)) seen.push(`round ${round}: ${conflict.slot.port} held by ${JSON.stringify(conflict.others)}`);
      const confirmed = await confirmFree(view, self, ports);
      for (const port of ports) if (portFacts(port, confirmed, self).others.length > 0) seen.push(`round ${round}: a bind called ${port} busy`);
    }
    expect(seen).toEqual([]);
  });
});
