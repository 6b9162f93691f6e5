/** The base-port step's live picture, pure: the host strip and the spacing note. The port map itself is portMap (core/host/view). */
import { FOOTPRINT_SPAN, footprintBounds, MAX_BASE, type Footprint } from '../ports/footprint';
import { MIN_PORT } from '../ports/limits';
import { layoutStrip, stripColumns } from '../ports/strip';
import { findOverlaps } from '../ports/overlap';

/** This profile in the overlap check: a name no profile can have. */
const THIS = '\u0000this';
import type { OtherProfile } from './facts';

export type StripCell = 'empty' | 'other' | 'this' | 'overlap';

export interface HostStrip {
  low: number;
  high: number;
  /** One cell per column; runs of one kind are drawn in one colour. */
  cells: StripCell[];
  /** Each profile's label under the column its footprint starts at (a label that would collide is left out there: the legend names it). */
  labels: string;
  /** What each mark means, every profile named: "█ rescue (this one)  ▒ main, lab  ▓ shared ports  · free". */
  legend: string;
  /** The profiles on the strip whose label is left out of `labels` (it would collide): only the legend names them. */
  unlabelled: string[];
  /** "main !, lab !": the profiles whose ports are not known (a broken config), marked as the table marks them; null when every one is known. */
  unknown: string | null;
}

/**
 * Every known profile's footprint and this one's on one axis of `width` columns. A profile whose
 * ports are not known (a broken config: no footprint) is named in `unknown`: the others' ports are
 * drawn all the same.
 */
export function hostStrip(label: string, fp: Footprint | null, others: readonly OtherProfile[], width: number): HostStrip {
  const named = others.flatMap((o) => (o.footprint ? [{ label: o.label, footprint: o.footprint }] : []));
  const mine = fp === null ? [] : [{ label, ...footprintBounds(fp) }];
  const spans = [...mine, ...named.map((o) => ({ label: o.label, ...footprintBounds(o.footprint) }))];
  const layout = layoutStrip(spans, width);
  // A column spans many ports: two blocks side by side can share one without sharing a port.
  // ▓ only where this footprint meets one it really shares ports with.
  const sharing = new Set(fp === null ? [] : findOverlaps([{ label: THIS, footprint: fp }, ...named]).flatMap((o) => (o.labels.includes(THIS) ? o.labels : [])));
  const cells = stripColumns(layout).map((rows): StripCell => {
    if (fp !== null && rows.includes(0)) return rows.some((r) => r !== 0 && sharing.has(spans[r]!.label)) ? 'overlap' : 'this';
    return rows.length > 0 ? 'other' : 'empty';
  });
  const chars = Array.from({ length: layout.width }, () => ' ');
  const unlabelled: string[] = [];
  // This profile's label first: it wins a collision.
  for (const row of layout.rows) {
    const start = Math.min(row.from, Math.max(0, layout.width - row.label.length));
    if (chars.slice(Math.max(0, start - 1), start + row.label.length + 1).some((c) => c !== ' ')) {
      unlabelled.push(row.label);
      continue;
    }
    for (let i = 0; i < row.label.length; i++) chars[start + i] = row.label[i]!;
  }
  const otherLabels = named.map((o) => o.label);
  const legend = [`█ ${label} (this one)`, ...(otherLabels.length > 0 ? [`▒ ${otherLabels.join(', ')}`] : []), '▓ shared ports', '· free'].join('  ');
  const unknown = [...(fp === null ? [label] : []), ...others.filter((o) => o.footprint === null).map((o) => o.label)];
  return { low: layout.low, high: layout.high, cells, labels: chars.join('').trimEnd(), legend, unlabelled, unknown: unknown.length === 0 ? null : unknown.map((l) => `${l} !`).join(', ') };
}

/** The labels line with the profiles whose ports are not known after it: "… ports not known" where that fits in `room` columns, else the marks alone. */
export function stripLabels(strip: Pick<HostStrip, 'labels' | 'unknown'>, room: number): string {
  if (strip.unknown === null) return strip.labels;
  const lead = strip.labels === '' ? '' : `${strip.labels}  `;
  const words = `${lead}${strip.unknown} ports not known`;
  return words.length <= room ? words : `${lead}${strip.unknown}`;
}

/**
 * One line when a base sits closer than a whole footprint to another profile's: the seed
 * says "20 ports apart", but the CDP range reaches base+110.
 */
export function spacingNote(base: number, others: readonly OtherProfile[]): string | null {
  const near = others
    .filter((o) => o.base !== null && Math.abs(o.base - base) < FOOTPRINT_SPAN)
    .sort((a, b) => Math.abs(a.base! - base) - Math.abs(b.base! - base))[0];
  if (!near) return null;
  const distance = Math.abs(near.base! - base);
  return `Only ${distance} from ${near.label} (${near.base}): CDP ranges end at base+${FOOTPRINT_SPAN - 1}, so "20 apart" overlaps.`;
}

/** Under the base field while it holds no valid base: the range a base may take (its footprint must fit below 65536). */
export function baseHint(): string {
  return `Type a base port from ${MIN_PORT} to ${MAX_BASE}: the map follows as soon as it is one.`;
}
