import { EXIT, exitFor, type ExitCode } from '../core/errors';
import { footprintBounds, footprintSlots } from '../core/ports/footprint';
import { compactPorts, describeClaim, findOverlaps, type Overlap } from '../core/ports/overlap';
import { describeHolders } from '../core/ports/portmap';
import { layoutStrip, stripColumns } from '../core/ports/strip';
import { tildify } from '../core/profile/paths';
import { profileOfLabel } from '../core/profile/identity';
import { invocationHere } from '../host/profile/invocation';
import { liveOf, type GatewayLive } from '../host/gateway/live';
import { readHost } from '../host/model';
import { portFacts, portMap, type HostProfile, type HostView } from '../core/host/view';
import { gatewayMismatch, mismatchFix, type GatewayMismatch } from '../core/host/rules';
import { table, tableWidth, wrappedLines, type Output } from '../ui/output';
import { type CommandContext } from '../ui/context';
import type { JSON_FLAGS } from '../flags';

/** Ports of a profile's footprint held by anything but its own gateway and browsers, each with its holders in words. */
function heldByOthers(view: HostView, profile: HostProfile): { port: number; holders: string }[] {
  if (profile.footprint === null) return [];
  const ports = [...new Set(footprintSlots(profile.footprint).map((s) => s.port))];
  return ports.flatMap((port) => {
    const { others } = portFacts(port, view, profile);
    return others.length === 0 ? [] : [{ port, holders: describeHolders(others) }];
  });
}

function liveText(live: GatewayLive, mismatch: GatewayMismatch | null, held: readonly unknown[]): string {
  const gateway = !live.running
    ? 'gateway stopped'
    : mismatch !== null
      ? `gateway up, pid ${live.pid}, serves ${mismatch.serves}, not ${mismatch.base}`
      : `gateway up, pid ${live.pid}${live.health === 'answered' ? '' : ' (no answer)'}`;
  return held.length === 0 ? gateway : `${gateway}; ${held.length} port${held.length === 1 ? '' : 's'} held by others`;
}

/** One row per profile on a shared axis; ▓ only where two profiles really share ports (adjacent blocks can share a column). */
function drawMap(out: Output, profiles: readonly HostProfile[], overlaps: readonly Overlap[]): string[] {
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
  const view = await readHost({ home });
  const profiles = view.profiles;
  const now = Date.now();
  const lives = profiles.map((p) => liveOf(p, home, now));
  const mismatches = profiles.map((p) => (p.footprint === null ? null : gatewayMismatch(p, p.footprint, 'config')));
  const held = profiles.map((p) => heldByOthers(view, p));
  const withFootprint = profiles.filter((p) => p.footprint);
  const overlaps = findOverlaps(withFootprint.map((p) => ({ label: p.paths.label, footprint: p.footprint! })));
  const broken = profiles.filter((p) => p.loaded.state === 'invalid');
  const healthy = overlaps.length === 0 && broken.length === 0 && mismatches.every((m) => m === null);

  if (ctx.flags.json === true) {
    out.json({
      profiles: profiles.map((p, i) => ({
        gateway: lives[i],
        mismatch: mismatches[i],
        profile: p.paths.profile,
        label: p.paths.label,
        stateDir: p.paths.stateDir,
        configPath: p.paths.configPath,
        config: p.loaded.state,
        base: p.base,
        footprint: p.footprint,
        ports: p.footprint ? portMap(view, p, p.footprint) : [],
      })),
      overlaps: overlaps.map((o) => ({ profiles: o.labels, ports: o.ports.map((s) => s.port) })),
      healthy,
    });
    return exitFor(healthy);
  }

  if (profiles.length === 0) {
    out.line('No epiloop profiles on this host yet.');
    out.line(`Create one: ${out.cyan(`${invocationHere(null)} setup`)} (default profile) or ${out.cyan(`${invocationHere('rescue')} setup`)}.`);
    return EXIT.ok;
  }
  out.line(out.bold(`Gateways on this host: ${profiles.length} profile${profiles.length === 1 ? '' : 's'}`));
  out.line('');
  const rows = profiles.map((p, i) => {
    const fp = p.footprint;
    const live = liveText(lives[i]!, mismatches[i]!, held[i]!);
    const paint = p.loaded.state === 'invalid' || mismatches[i] !== null ? out.red : held[i]!.length > 0 ? out.yellow : lives[i]!.running ? out.green : out.dim;
    return [
      p.paths.label,
      p.base === null ? '?' : String(p.base),
      fp ? String(fp.gateway) : '–',
      fp ? String(fp.browserControl) : '–',
      fp?.canvas ? String(fp.canvas) : '–',
      fp ? `${fp.cdp.from}–${fp.cdp.to}` : '–',
      tildify(p.paths.configPath, home),
      p.loaded.state === 'invalid' ? out.red('config broken') : paint(live),
    ];
  });
  // LIVE holds the state words: it comes last, so a narrow terminal wraps it whole; GATEWAY (the base) goes first, then CONTROL, CANVAS, CONFIG, CDP.
  const header = ['PROFILE', 'BASE', 'GATEWAY', 'CONTROL', 'CANVAS', 'CDP', 'CONFIG', 'LIVE'].map((h) => out.dim(h));
  for (const line of table([header, ...rows], tableWidth(out), { drop: [2, 3, 4, 6, 5], minLast: 30 })) out.line(line);
  if (withFootprint.length > 0) {
    out.line('');
    for (const line of drawMap(out, withFootprint, overlaps)) out.line(line);
  }
  // The findings wrap whole at the terminal's width, each continuation under its sentence.
  const say = (text: string) => wrappedLines(out, text, 2).forEach((l) => out.line(l));
  out.line('');
  if (overlaps.length === 0) say(`${out.green('✔')} No two profiles share a port.`);
  for (const o of overlaps) {
    const first = o.ports[0]!;
    say(
      `${out.red('✖')} ${o.labels[0]} and ${o.labels[1]} share ${o.ports.length} port${o.ports.length === 1 ? '' : 's'}: ${compactPorts(o.ports.map((s) => s.port))} (e.g. ${first.port}: ${first.claims.map(describeClaim).join(' and ')}).`,
    );
    const moved = invocationHere(profileOfLabel(o.labels[1]));
    say(`  Fix: ${out.cyan(`${moved} doctor --fix`)} or re-run ${out.cyan(`${moved} onboard`)}.`);
  }
  for (const p of broken) {
    // A config that parses but breaks the rules is read: it is invalid (as list says), not unreadable.
    const why = p.loaded.state === 'invalid' && p.loaded.error.kind === 'schema' ? 'is invalid' : 'cannot be read';
    say(`${out.red('✖')} ${p.paths.label}: config at ${tildify(p.paths.configPath, home)} ${why}; see "${invocationHere(p.paths.profile)} status".`);
  }
  profiles.forEach((p, i) => {
    const m = mismatches[i];
    if (m !== null && m !== undefined) say(`${out.red('✖')} ${p.paths.label}: ${m.text}; ${mismatchFix(m, invocationHere(p.paths.profile), false)}.`);
  });
  profiles.forEach((p, i) => {
    for (const b of held[i]!.slice(0, 3)) say(out.yellow(`! ${p.paths.label}: ${b.port} is ${b.holders}`));
  });
  return exitFor(healthy);
}
