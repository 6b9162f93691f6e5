/**
 * Property (issue 10): on a random host (profiles, running gateways on their own or other
 * bases, their browsers, foreign listeners), the pure functions every command uses, fed the
 * same view, attribute every port the same way; and no proposal lands on anything but free
 * ports or the profile's own gateway and browsers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attribute, claimsAgainst, conflictRows, footprintConflicts, portFacts, portMap, usable, type HostProfile, type HostView } from '../../src/core/host/view';
import { mayUseBase, propose, roleOf } from '../../src/core/host/rules';
import { footprint, footprintSlots, resolveBase } from '../../src/core/ports/footprint';
import { MAX_PORT, MIN_PORT } from '../../src/core/ports/limits';
import { footprintConflicts as gatewayStartConflicts, listenPlan } from '../../src/core/gateway/plan';
import { boundFindings, overlapFindings, slotConflicts } from '../../src/core/doctor/findings';
import { checkBase } from '../../src/core/wizard/state';
import { othersOf, type WizardFacts } from '../../src/core/wizard/facts';
import type { PortHolder, PortState } from '../../src/core/ports/listeners';
import { profileOf, viewOf } from '../helpers/view';
import { invocationOf } from '../../src/core/profile/identity';

const NAMES = [null, 'main', 'rescue', 'lab', 'work'] as const;
/** Bases close together, so footprints overlap and gateways run inside each other's blocks. */
const base = fc.integer({ min: 0, max: 60 }).map((k) => 20000 + k * 10);

const hostArb = fc
  .record({
    names: fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 4 }),
    profiles: fc.array(
      fc.record({
        base,
        running: fc.option(fc.record({ elsewhere: fc.option(base, { nil: undefined }), browsers: fc.integer({ min: 0, max: 2 }), unnamed: fc.boolean() }), { nil: undefined }),
      }),
      { minLength: 4, maxLength: 4 },
    ),
    foreign: fc.array(fc.record({ port: fc.integer({ min: 19990, max: 20700 }), pid: fc.option(fc.integer({ min: 3000, max: 3005 }), { nil: undefined }) }), { maxLength: 6 }),
  })
  .map(({ names, profiles, foreign }) => {
    const listeners: Record<number, PortHolder[]> = {};
    const hold = (port: number, holder: PortHolder) => {
      // One listener per port: two on one port would be two addresses, which the words fold together.
      listeners[port] ??= [holder];
    };
    const built = names.map((name, i) => {
      const spec = profiles[i]!;
      const running = spec.running;
      const pid = 1000 + i;
      const browsers = running === undefined ? [] : Array.from({ length: running.browsers }, (_, j) => 2000 + i * 10 + j);
      const p = profileOf({ name, config: spec.base, ...(running === undefined ? {} : { gateway: { pid, base: running.elsewhere ?? spec.base, browsers } }) });
      if (p.gateway !== null) {
        const g = p.gateway.ports;
        // Its three ports; the owner of one may not be visible (another user's process).
        for (const port of [g.gateway, g.browserControl, g.canvas!]) hold(port, running!.unnamed && port === g.canvas ? { address: '127.0.0.1' } : { address: '127.0.0.1', pid, command: 'node' });
        browsers.forEach((b, j) => hold(g.cdp.from + j * 7, { address: '127.0.0.1', pid: b, command: 'chromium' }));
      }
      return p;
    });
    for (const f of foreign) hold(f.port, f.pid === undefined ? { address: '::1' } : { address: '127.0.0.1', pid: f.pid, command: 'nginx' });
    return { profiles: built, listeners };
  });

/** The view as the command acting on `self` reads it: the same host, self marked current. */
function seenFrom(profiles: HostProfile[], listeners: Record<number, PortHolder[]>, self: number): { view: HostView; me: HostProfile } {
  const marked = profiles.map((p, i) => ({ ...p, via: i === self ? ('current' as const) : ('state-dir' as const) }));
  return { view: viewOf(marked, listeners), me: marked[self]! };
}

function wizardFacts(view: HostView, me: HostProfile): WizardFacts {
  const claimsOnly = { ...view, listeners: null };
  return { paths: me.paths, home: me.paths.home, invocation: 'epiloop', loaded: me.loaded, dirsFound: [me.paths.stateDir], view: claimsOnly, others: othersOf(claimsOnly), diagnosis: null, given: {}, addresses: [] };
}

describe('every command attributes every port of a random host the same way', () => {
  it('status, ports, doctor, the wizard, gateway start and the watcher agree; proposals land only on free or own ports', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(hostArb, ({ profiles, listeners }) => {
        for (let i = 0; i < profiles.length; i++) {
          const { view, me } = seenFrom(profiles, listeners, i);
          const fp = me.footprint!;
          // status and ports draw the footprint the config gives: the same one the view holds.
          expect(footprint(me.readable.config, resolveBase({ env: {}, config: me.readable.config }).port)).toEqual(fp);
          const ports = [...new Set(footprintSlots(fp).map((s) => s.port))];
          const blocked = new Set(ports.filter((port) => !usable(attribute(port, view, me))));

          // setup / apply / onboard's check: mayUseBase and its conflicts.
          expect(new Set(footprintConflicts(view, me, fp).map((c) => c.slot.port))).toEqual(blocked);
          expect(mayUseBase(view, me, fp).ok).toBe(blocked.size === 0);

          // status and ports: one row is a problem exactly when one of its ports is blocked.
          const rows = portMap(view, me, fp);
          for (const row of rows) {
            const rowBlocked = [...blocked].some((port) => port >= row.from && port <= row.to);
            expect(conflictRows([row]).length > 0, `${row.label} ${row.text}`).toBe(rowBlocked);
          }

          // doctor: its conflicts and port findings, from the same facts.
          const conflicts = slotConflicts(me.readable.config, footprintConflicts(view, me, fp));
          expect(new Set(conflicts.map((c) => c.slot.port))).toEqual(blocked);
          const foreign = new Map<number, PortState>(conflicts.filter((c) => c.holders.length > 0).map((c) => [c.slot.port, { state: 'bound', holders: c.holders }]));
          const who = { role: roleOf(me), label: me.paths.label, invocation: invocationOf(me.paths.profile, false) };
          const portFindings = [...overlapFindings(conflicts, fp.base, who, () => undefined), ...boundFindings(fp, conflicts, foreign, who)];
          expect(portFindings.length > 0).toBe(blocked.size > 0);

          // The wizard's port step, probed: Enter goes on exactly when mayUseBase does.
          expect(checkBase(wizardFacts(view, me), fp.base, fp.base, view).kind === 'ok').toBe(blocked.size === 0);

          // gateway start refuses another profile's claim (a process is the bind's to find).
          const claimed = ports.some((port) => attribute(port, view, me).kind === 'profile' && portFacts(port, view, me).claims.length > 0);
          expect(gatewayStartConflicts(fp, claimsAgainst(view, me)).length > 0).toBe(claimed);

          // The watcher (and ports' "held by others"): a holder other than its own gateway is named.
          for (const { port } of listenPlan(fp)) {
            const a = attribute(port, view, me);
            const others = portFacts(port, view, me).others;
            if (others.length > 0) expect(['profile', 'foreign']).toContain(a.kind);
            else expect(a.kind === 'foreign').toBe(false);
          }

          // Seen from any other profile, self's own gateway and browsers are self's.
          for (const port of Object.keys(listeners).map(Number)) {
            const mine = attribute(port, view, me);
            if (mine.kind !== 'own-gateway' && mine.kind !== 'own-browser') continue;
            for (const other of view.profiles.filter((p) => p !== me)) {
              expect(attribute(port, view, other)).toMatchObject({ kind: 'profile', label: me.paths.label, state: 'running' });
            }
          }

          // The one proposal: only free ports or self's own gateway and browsers.
          const proposal = propose(view, me, roleOf(me), { shape: (b) => footprint(me.readable.config, b) });
          if (proposal !== null) {
            for (const { port } of footprintSlots(proposal.footprint)) {
              expect(port).toBeGreaterThanOrEqual(MIN_PORT);
              expect(port).toBeLessThanOrEqual(MAX_PORT);
              expect(['free', 'own-gateway', 'own-browser']).toContain(attribute(port, view, me).kind);
            }
          }
        }
      }),
      { numRuns: 50 },
    );
  });
});
