import { HostError, UsageError } from '../../core/errors';
import type { Config } from '../../core/config/schema';
import { describeSelfOverlap, footprint, footprintSlots, noFreeBaseMessage, selfOverlaps, type Footprint } from '../../core/ports/footprint';
import { portsText, type PortMapRow } from '../../core/ports/portmap';
import type { GatewayRole, Proposal } from '../../core/ports/propose';
import type { HostProfile, HostView } from '../../core/host/view';
import { mayUseBase } from '../../core/host/rules';
import { confirmFree, proposeLive, withOwners } from '../model';

export interface ChooseBaseInput {
  /** "epiloop --profile rescue": the prefix of the repair hints. */
  invocation: string;
  role: GatewayRole;
  /** The host as this writer read it (under the host-wide port lock), and the profile written. */
  view: HostView;
  self: HostProfile;
  /** The profile's current config: its overrides shape the footprint. */
  config: Config | undefined;
  /**
   * The base asked for and where it came from; source 'default' means "propose one". `proposed`:
   * the base is an earlier proposal nobody chose by hand, so a writer that lost it to a race proposes again.
   */
  requested: { port: number; source: string; proposed?: boolean };
  /** The command line (or key) that would retry with a free base, for the refusal. */
  retry: (base: number) => string;
}

export interface ChosenBase {
  base: number;
  /** In words, for the summary: "--port", "config", "proposed: …". */
  source: string;
  proposal: Proposal | null;
}

/** A refused base, with what the refusal saw: the wizard shows those rows and offers the alternative. */
export class BaseRefused extends UsageError {
  constructor(
    message: string,
    readonly base: number,
    readonly rows: PortMapRow[],
    readonly view: HostView,
    readonly alternative: number | null,
  ) {
    super(message);
  }
}

/**
 * A refusal's last line: nothing was written, and the free base to use instead (`none` when
 * there is none); when that is the base the profile has, it keeps it: no command to offer.
 */
function nothingWritten(input: ChooseBaseInput, alternative: Proposal | null, none: string): string {
  if (alternative === null) return `Nothing was written. ${none}`;
  if (alternative.base === input.self.base) return `Nothing was written: profile "${input.self.paths.label}" keeps ${alternative.base}, its current base, which is free.`;
  return `Nothing was written. Use a free base instead: ${input.retry(alternative.base)}`;
}

function refusal(input: ChooseBaseInput, rows: PortMapRow[], view: HostView, alternative: Proposal | null): BaseRefused {
  const lines = rows.map((r) => `  ${portsText(r)} (${r.label}): ${r.text}`);
  return new BaseRefused(
    `base port ${input.requested.port} (from ${input.requested.source}) cannot be used for profile "${input.self.paths.label}":\n${lines.join('\n')}\n${nothingWritten(input, alternative, 'No free base was found on this host; free some ports or pick one by hand.')}`,
    input.requested.port,
    rows,
    view,
    alternative?.base ?? null,
  );
}

function proposedWords(proposal: Proposal): string {
  return `proposed: the first free block at or above ${proposal.skipped[0]?.base ?? proposal.base}`;
}

/**
 * The check every writer of a base port runs (setup, onboard) just before writing, under the
 * host-wide port lock: a proposal when none was asked for, else the asked-for base refused
 * when another profile claims or a process other than this profile's own gateway holds any
 * port of its footprint. The free ports are confirmed by binding them.
 */
export async function chooseBase(input: ChooseBaseInput): Promise<ChosenBase> {
  const { config, self, role, requested } = input;
  const shape = (base: number): Footprint => footprint(config, base);
  const proposeNow = async () => {
    const { proposal } = await proposeLive(input.view, self, role, shape);
    if (proposal === null) throw new HostError(noFreeBaseMessage());
    return proposal;
  };
  if (requested.source === 'default') {
    const proposal = await proposeNow();
    return { base: proposal.base, source: proposedWords(proposal), proposal };
  }
  // Its own pins (canvasHost.port, browser.controlUrl, cdpPort) stay where they are: they may land on its own roles.
  const fp = shape(requested.port);
  const overlaps = selfOverlaps(fp);
  if (overlaps.length > 0) {
    const { proposal: alternative } = await proposeLive(input.view, self, role, shape);
    throw new UsageError(
      `base port ${requested.port} (from ${requested.source}) cannot be used for profile "${self.paths.label}": ${overlaps.map((o) => describeSelfOverlap(o, fp)).join('; ')}.\n${nothingWritten(input, alternative, 'Pick another base.')}`,
    );
  }
  // The base this profile already has is kept (setup is idempotent): only another profile's claim stops it.
  const unchanged = config?.gateway?.port === requested.port;
  const ports = footprintSlots(fp).map((s) => s.port);
  // Its ports read again (owners named, a passing probe not taken for a holder), the free ones confirmed by a bind.
  const view = unchanged ? input.view : await confirmFree(await withOwners(input.view, ports), self, ports);
  const check = mayUseBase(view, self, fp);
  const rows = check.ok ? [] : check.rows.filter((r) => !unchanged || r.state === 'claimed');
  if (rows.length === 0) return { base: requested.port, source: requested.source, proposal: null };
  if (requested.proposed === true) {
    // Lost to a race since it was proposed: nobody chose this base, so propose again.
    const proposal = await proposeNow();
    return { base: proposal.base, source: `${proposedWords(proposal)} (${requested.port} was taken meanwhile)`, proposal };
  }
  if (unchanged) {
    throw new HostError(
      `profile "${self.paths.label}" already uses base ${requested.port}, which collides with another profile:\n${rows.map((r) => `  ${portsText(r)} (${r.label}): ${r.text}`).join('\n')}\nRepair it with "${input.invocation} onboard" or "${input.invocation} doctor --fix".`,
    );
  }
  const { proposal } = await proposeLive(view, self, role, shape);
  throw refusal(input, rows, view, proposal);
}
