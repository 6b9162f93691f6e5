import { discoverProfiles, type KnownProfile } from '../host/profile/discover';
import { EXIT, exitFor, type ExitCode } from '../core/errors';
import { footprintBounds, footprintSlots } from '../core/ports/footprint';
import { claimsOf } from '../host/ports/host';
import { compactPorts, describeClaim, findOverlaps, type Overlap } from '../core/ports/overlap';
import { buildPortMap, describeHolders } from '../core/ports/portmap';
import { probePorts } from '../host/ports/probe';
import { layoutStrip, stripColumns } from '../core/ports/strip';
import { tildify } from '../core/profile/paths';
import { invocationOf, profileOfLabel } from '../core/profile/identity';
import { probeGateway, type GatewayLive } from '../host/gateway/live';
import { table, type Output } from '../ui/output';
import { type PortState } from '../core/ports/listeners';
import { type CommandContext } from '../ui/context';
import type { JSON_FLAGS } from '../flags';

/** Ports of a profile's footprint bound on the host, each with its holder, its own gateway's marked. */
function boundPorts(profile: KnownProfile, states: ReadonlyMap<number, PortState>, live: GatewayLive): { port: number; holders: string; own: boolean }[] {
  if (!profile.footprint) return [];
  const ports = [...new Set(footprintSlots(profile.footprint).map((s) => s.port))];
  return ports.flatMap((port) => {
    const s = states.get(port);
    if (s?.state !== 'bound') return [];
    const own = live.running && s.holders.every((h) => h.pid === live.pid);
    return [{ port, holders: own ? `its gateway (pid ${live.pid})` : describeHolders(s.holders), own }];
  });
}

function liveText(live: GatewayLive, bound: { own: boolean }[]): string {
  const foreign = bound.filter((b) => !b.own).length;
  const gateway = !live.running
    ? 'gateway stopped'
    : `gateway up, pid ${live.pid}${live.health === 'answered' ? '' : ' (no answer)'}`;
  return foreign === 0 ? gateway : `${gateway}; ${foreign} port${foreign === 1 ? '' : 's'} held by others`;
}

/** One row per profile on a shared axis; ▓ only where two profiles really share ports (adjacent blocks can share a column). */
function drawMap(out: Output, profiles: KnownProfile[], overlaps: readonly Overlap[]): string[] {
  const overlapLabels = new Set(overlaps.flatMap((o) => o.labels));
  const sharing = new Set(overlaps.map((o) => o.labels.join('\0')));
  const drawn = profiles.filter((p) => p.footprint);
  const labelWidth = Math.max(...drawn.map((p) => p.paths.label.length));
  const width = Math.max(20, Math.min(64, out.columns - labelWidth - 8));
  const layout = layoutStrip(
    drawn.map((p) => ({ label: p.paths.label, ...footprintBounds(p.footprint!) })).map((s) => ({ label: s.label, low: s.low, high: s.high })),
    width,
  );
  const columns = stripColumns(layout);
  const lines = [`  ${' '.repeat(labelWidth)}  ${String(layout.low).padEnd(width - String(layout.high).length)}${layout.high}`];
  layout.rows.forEach((row, index) => {
    let cells = '';
    for (let c = 0; c < layout.width; c++) {
      const covering = columns[c]!;
      if (!covering.includes(index)) cells += out.dim('·');
      else {
        const shared = covering.some((other) => other !== index && sharing.has([row.label, layout.rows[other]!.label].sort().join('\0')));
        cells += shared ? out.red('▓') : overlapLabels.has(row.label) ? out.yellow('█') : out.cyan('█');
      }
    }
    lines.push(`  ${row.label.padEnd(labelWidth)}  ${cells}`);
  });
  return lines;
}

export async function run(ctx: CommandContext<typeof JSON_FLAGS>): Promise<ExitCode> {
  const { out, home } = ctx;
  const profiles = await discoverProfiles(home);
  const withFootprint = profiles.filter((p) => p.footprint);
  const allPorts = [...new Set(withFootprint.flatMap((p) => footprintSlots(p.footprint!).map((s) => s.port)))];
  const [states, lives] = await Promise.all([
    probePorts(allPorts, { confirm: false }),
    Promise.all(profiles.map((p) => probeGateway(p.paths.stateDir))),
  ]);
  const bound = profiles.map((p, i) => boundPorts(p, states, lives[i]!));
  const overlaps = findOverlaps(withFootprint.map((p) => ({ label: p.paths.label, footprint: p.footprint! })));
  const broken = profiles.filter((p) => p.loaded.state === 'invalid');
  const healthy = overlaps.length === 0 && broken.length === 0;

  if (ctx.flags.json === true) {
    out.json({
      profiles: profiles.map((p, i) => {
        const others = claimsOf(profiles.filter((o) => o !== p));
        return {
          gateway: lives[i],
          profile: p.paths.profile,
          label: p.paths.label,
          stateDir: p.paths.stateDir,
          configPath: p.paths.configPath,
          config: p.loaded.state,
          base: p.base,
          footprint: p.footprint,
          ports: p.footprint ? buildPortMap(p.footprint, states, others) : [],
        };
      }),
      overlaps: overlaps.map((o) => ({ profiles: o.labels, ports: o.ports.map((s) => s.port) })),
      healthy,
    });
    return exitFor(healthy);
  }

  if (profiles.length === 0) {
    out.line('No epiloop profiles on this host yet.');
    out.line(`Create one: ${out.cyan(`${invocationOf(null)} setup`)} (default profile) or ${out.cyan(`${invocationOf('rescue')} setup`)}.`);
    return EXIT.ok;
  }
  out.line(out.bold(`Gateways on this host: ${profiles.length} profile${profiles.length === 1 ? '' : 's'}`));
  out.line('');
  const rows = profiles.map((p, i) => {
    const fp = p.footprint;
    const live = liveText(lives[i]!, bound[i]!);
    return [
      p.paths.label,
      p.base === null ? '?' : String(p.base),
      fp ? String(fp.gateway) : '–',
      fp ? String(fp.browserControl) : '–',
      fp?.canvas ? String(fp.canvas) : '–',
      fp ? `${fp.cdp.from}–${fp.cdp.to}` : '–',
      p.loaded.state === 'invalid' ? out.red('config broken') : bound[i]!.some((b) => !b.own) ? out.yellow(live) : lives[i]!.running ? out.green(live) : out.dim(live),
      tildify(p.paths.configPath, home),
    ];
  });
  for (const line of table([['PROFILE', 'BASE', 'GATEWAY', 'CONTROL', 'CANVAS', 'CDP', 'LIVE', 'CONFIG'].map((h) => out.dim(h)), ...rows])) out.line(line);
  if (withFootprint.length > 0) {
    out.line('');
    for (const line of drawMap(out, withFootprint, overlaps)) out.line(line);
  }
  out.line('');
  if (overlaps.length === 0) out.line(`${out.green('✔')} No two profiles share a port.`);
  for (const o of overlaps) {
    const first = o.ports[0]!;
    out.line(
      `${out.red('✖')} ${o.labels[0]} and ${o.labels[1]} share ${o.ports.length} port${o.ports.length === 1 ? '' : 's'}: ${compactPorts(o.ports.map((s) => s.port))} (e.g. ${first.port}: ${first.claims.map(describeClaim).join(' and ')}).`,
    );
    const moved = invocationOf(profileOfLabel(o.labels[1]));
    out.line(`  Fix: ${out.cyan(`${moved} doctor --fix`)} or re-run ${out.cyan(`${moved} onboard`)}.`);
  }
  for (const p of broken) out.line(`${out.red('✖')} ${p.paths.label}: config at ${tildify(p.paths.configPath, home)} cannot be read; see "${invocationOf(p.paths.profile)} status".`);
  profiles.forEach((p, i) => {
    for (const b of bound[i]!.filter((x) => !x.own).slice(0, 3)) out.line(out.yellow(`! ${p.paths.label}: ${b.port} is ${b.holders}`));
  });
  return exitFor(healthy);
}
