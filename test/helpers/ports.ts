import { footprint, footprintSlots } from '../../src/core/ports/footprint';
import { bindProbe } from '../../src/host/ports/probe';

const handedOut = new Set<number>();

/**
 * A base port whose whole default footprint (base … base+110), and base + 1's, is free right now and
 * was not handed to another test in this process. Random start: test files in other
 * workers (and other people's runs) rarely pick the same block, and the bind probe
 * catches the rest. Bounded: at most 50 tries.
 */
export async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Slots 120 apart, and base + 1's footprint checked too: tests move a base by one with ↑.
    // Below 32768, where Linux hands out ephemeral ports for outgoing connections.
    const base = 21000 + Math.floor(Math.random() * 96) * 120 + attempt;
    if ([...handedOut].some((b) => Math.abs(b - base) < 120)) continue;
    const ports = [...footprintSlots(footprint(undefined, base)), ...footprintSlots(footprint(undefined, base + 1))].map((s) => s.port);
    if ((await bindProbe(ports)).size === 0) {
      handedOut.add(base);
      return base;
    }
  }
  throw new Error('no free footprint found in 50 tries');
}
