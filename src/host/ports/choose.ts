import { HostError, UsageError } from '../../core/errors';
import type { Config } from '../../core/config/schema';
import { describeSelfOverlap, footprint, noFreeBaseMessage, selfOverlaps, type Footprint } from '../../core/ports/footprint';
import { conflictRows, mapFootprint, proposeLive } from './host';
import type { Claim } from '../../core/ports/overlap';
import { portsText, type PortMapRow } from '../../core/ports/portmap';
import type { GatewayRole, Proposal } from '../../core/ports/propose';

export interface ChooseBaseInput {
  /** "epiloop --profile rescue": the prefix of the repair hints. */
  invocation: string;
  label: string;
  role: GatewayRole;
  /** Ports the other profiles reserve. */
  claims: ReadonlyMap<number, readonly Claim[]>;
  /** The profile's current config: its overrides shape the footprint. */
  config: Config | undefined;
  /** The base asked for and where it came from; source 'default' means "propose one". */
  requested: { port: number; source: string };
  /** The command line that would retry with a free base, for the refusal. */
  retry: (base: number) => string;
}

export interface ChosenBase {
  base: number;
  /** In words, for the summary: "--port", "config", "proposed: …". */
  source: string;
  proposal: Proposal | null;
}

function refusal(input: ChooseBaseInput, problems: PortMapRow[], alternative: Proposal | null): UsageError {
  const lines = problems.map((r) => `  ${portsText(r)} (${r.label}): ${r.text}`);
  const instead = alternative
    ? `Use a free base instead: ${input.retry(alternative.base)}`
    : 'No free base was found on this host; free some ports or pick one by hand.';
  return new UsageError(
    `base port ${input.requested.port} (from ${input.requested.source}) cannot be used for profile "${input.label}":\n${lines.join('\n')}\nNothing was written. ${instead}`,
  );
}

/**
 * The check every writer of a base port runs (setup, onboard) just before writing: a
 * proposal when none was asked for, else the asked-for base refused when another profile
 * reserves or a process holds any port of its footprint.
 */
export async function chooseBase(input: ChooseBaseInput): Promise<ChosenBase> {
  const { config, claims, role, requested } = input;
  const shape = (base: number): Footprint => footprint(config, base);
  if (requested.source === 'default') {
    const proposal = await proposeLive({ role, claims, shape });
    if (proposal === null) throw new HostError(noFreeBaseMessage());
    return { base: proposal.base, source: `proposed: the first free block at or above ${proposal.skipped[0]?.base ?? proposal.base}`, proposal };
  }
  // Its own pins (canvasHost.port, browser.controlUrl, cdpPort) stay where they are: they may land on its own roles.
  const fp = shape(requested.port);
  const self = selfOverlaps(fp);
  if (self.length > 0) {
    const alternative = await proposeLive({ role, claims, shape });
    throw new UsageError(
      `base port ${requested.port} (from ${requested.source}) cannot be used for profile "${input.label}": ${self.map((o) => describeSelfOverlap(o, fp)).join('; ')}.\nNothing was written. ${alternative ? `Use a free base instead: ${input.retry(alternative.base)}` : 'Pick another base.'}`,
    );
  }
  // A port this profile already has may be bound by its own gateway: only others' claims count then.
  const unchanged = config?.gateway?.port === requested.port;
  const rows = await mapFootprint(shape(requested.port), claims, { live: !unchanged });
  const problems = conflictRows(rows);
  if (problems.length > 0) {
    if (unchanged) {
      throw new HostError(
        `profile "${input.label}" already uses base ${requested.port}, which collides with another profile:\n${problems.map((r) => `  ${portsText(r)} (${r.label}): ${r.text}`).join('\n')}\nRepair it with "${input.invocation} onboard" or "${input.invocation} doctor --fix".`,
      );
    }
    throw refusal(input, problems, await proposeLive({ role, claims, shape }));
  }
  return { base: requested.port, source: requested.source, proposal: null };
}
