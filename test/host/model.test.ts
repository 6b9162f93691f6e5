/**
 * The host model against real sockets: another command's bind probes are never taken for
 * holders (hardening item 5: "owner not visible" made doctor --fix move a healthy base).
 */
import { describe, expect, it } from 'vitest';
import { writeConfig } from '../../src/host/store/store';
import { confirmFree, readHost } from '../../src/host/model';
import { currentOf, footprintConflicts, portFacts } from '../../src/core/host/view';
import { footprint, footprintSlots } from '../../src/core/ports/footprint';
import { resolveProfile } from '../../src/core/profile/paths';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { probeLoop } from '../helpers/probe-loop';

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
