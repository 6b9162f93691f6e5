import { envValue } from '../profile/paths';
import { UsageError } from '../errors';
import { MAX_PORT, MIN_PORT } from './limits';

export const DEFAULT_BASE = 18789;
export const CONTROL_OFFSET = 2;
export const CANVAS_OFFSET = 4;
export const CDP_FIRST_OFFSET = 9;
export const CDP_LAST_OFFSET = 108;
/** base … control + 108 = base + 110: the span a default footprint covers. */
export const FOOTPRINT_SPAN = CONTROL_OFFSET + CDP_LAST_OFFSET + 1;
/** The highest base whose footprint (base … base+110) still fits below 65536. */
export const MAX_BASE = MAX_PORT - FOOTPRINT_SPAN + 1;
/** The highest pinned browser control port whose CDP range (control+9 … control+108) still fits. */
export const MAX_CONTROL_PORT = MAX_PORT - CDP_LAST_OFFSET;

/**
 * The keys of a config a footprint depends on. Structural, so this module does not import
 * the schema: the schema checks footprints with it.
 */
export interface PortConfig {
  gateway?: { port?: number | undefined } | undefined;
  browser?: { controlUrl?: string | undefined; profiles?: Record<string, { cdpPort?: number | undefined }> | undefined } | undefined;
  canvasHost?: { enabled?: boolean | undefined; port?: number | undefined } | undefined;
}

export type PortRole = 'gateway' | 'browser-control' | 'canvas' | 'cdp' | 'cdp-pinned';

export interface PortSlot {
  port: number;
  role: PortRole;
  /** For cdp-pinned: the browser profile that pins it. */
  detail?: string;
}

export interface Footprint {
  base: number;
  gateway: number;
  browserControl: number;
  /** null when canvasHost.enabled is false. */
  canvas: number | null;
  cdp: { from: number; to: number };
  /** browser.profiles.<name>.cdpPort, outside or inside the range. */
  pinnedCdp: { name: string; port: number }[];
}

export type BaseSource = '--port' | 'EPILOOP_GATEWAY_PORT' | 'config' | 'default';

export interface ResolvedBase {
  port: number;
  source: BaseSource;
}

export function parsePortValue(value: string, source: string): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new UsageError(`${source}: "${value}" is not a port. Use a whole number from ${MIN_PORT} to ${MAX_BASE}.`);
  }
  return checkBasePort(Number(value), source);
}

/** The one rule for a base port: the whole footprint must fit below 65536. */
export function isBasePort(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= MIN_PORT && port <= MAX_BASE;
}

/** The base port rule in words, with the real highest base: every refusal of a base says this. */
export const BASE_PORT_RULE = `a whole number from ${MIN_PORT} to ${MAX_BASE}, so that base … base+${FOOTPRINT_SPAN - 1} fits below ${MAX_PORT + 1}`;

/** A base must leave room for the whole footprint below 65535. */
export function checkBasePort(port: number, source: string): number {
  if (!isBasePort(port)) throw new UsageError(`${source}: ${port} is out of range. A base port must be ${BASE_PORT_RULE}.`);
  return port;
}

/** Why no base could be proposed, with what the user can do next (`then`). */
export function noFreeBaseMessage(then?: string): string {
  return `no free base port was found on this host for a whole footprint (${FOOTPRINT_SPAN} ports)${then === undefined ? '' : `; ${then}`}.`;
}

/** The base a config gives by itself: gateway.port, else 18789. */
export function configBase(config: PortConfig | undefined): ResolvedBase {
  const port = config?.gateway?.port;
  return port === undefined ? { port: DEFAULT_BASE, source: 'default' } : { port, source: 'config' };
}

/** --port > EPILOOP_GATEWAY_PORT > gateway.port > 18789. */
export function resolveBase(input: {
  flag?: number | undefined;
  env: Record<string, string | undefined>;
  config?: PortConfig | undefined;
}): ResolvedBase {
  if (input.flag !== undefined) return { port: checkBasePort(input.flag, '--port'), source: '--port' };
  const fromEnv = envValue(input.env, 'EPILOOP_GATEWAY_PORT');
  if (fromEnv !== undefined) return { port: parsePortValue(fromEnv, 'EPILOOP_GATEWAY_PORT'), source: 'EPILOOP_GATEWAY_PORT' };
  return configBase(input.config);
}

function portOfUrl(value: string | undefined): number | null {
  if (value === undefined) return null;
  try {
    const url = new URL(value);
    if (url.port !== '') return Number(url.port);
    return url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : null;
  } catch {
    return null;
  }
}

/** The one footprint derivation every command uses (the peer had three that disagreed). */
export function footprint(config: PortConfig | undefined, base: number): Footprint {
  const browserControl = portOfUrl(config?.browser?.controlUrl) ?? base + CONTROL_OFFSET;
  const canvasEnabled = config?.canvasHost?.enabled !== false;
  const pinnedCdp = Object.entries(config?.browser?.profiles ?? {})
    .flatMap(([name, p]) => (p.cdpPort === undefined ? [] : [{ name, port: p.cdpPort }]))
    .sort((a, b) => a.port - b.port);
  return {
    base,
    gateway: base,
    browserControl,
    canvas: canvasEnabled ? (config?.canvasHost?.port ?? base + CANVAS_OFFSET) : null,
    cdp: { from: browserControl + CDP_FIRST_OFFSET, to: browserControl + CDP_LAST_OFFSET },
    pinnedCdp,
  };
}

/** Every port the footprint reserves, each with its role; the CDP range expanded. */
export function footprintSlots(fp: Footprint): PortSlot[] {
  const slots: PortSlot[] = [
    { port: fp.gateway, role: 'gateway' },
    { port: fp.browserControl, role: 'browser-control' },
  ];
  if (fp.canvas !== null) slots.push({ port: fp.canvas, role: 'canvas' });
  for (let port = fp.cdp.from; port <= fp.cdp.to; port++) slots.push({ port, role: 'cdp' });
  for (const pinned of fp.pinnedCdp) slots.push({ port: pinned.port, role: 'cdp-pinned', detail: pinned.name });
  return slots;
}

export function footprintPorts(fp: Footprint): Set<number> {
  return new Set(footprintSlots(fp).map((s) => s.port));
}

/** Whether the footprint reserves `port`: footprintPorts(fp).has(port) without listing 103 ports. */
export function footprintHas(fp: Footprint, port: number): boolean {
  return (
    port === fp.gateway ||
    port === fp.browserControl ||
    port === fp.canvas ||
    (port >= fp.cdp.from && port <= fp.cdp.to) ||
    fp.pinnedCdp.some((pinned) => pinned.port === port)
  );
}

/** The lowest and highest port a footprint touches: what maps draw. */
export function footprintBounds(fp: Footprint): { low: number; high: number } {
  let low = Infinity;
  let high = -Infinity;
  for (const { port } of footprintSlots(fp)) {
    if (port < low) low = port;
    if (port > high) high = port;
  }
  return { low, high };
}

/** Two roles of one footprint on one port; `pinned` is the one a pin put there (the other follows the base, or was pinned first). */
export interface SelfOverlap {
  port: number;
  first: PortSlot;
  pinned: PortSlot;
}

/**
 * Where a footprint runs into itself: two roles on one port (the canvas pinned on the
 * base), or the gateway, browser control or canvas inside the CDP range the browsers take
 * their ports from. A pinned CDP port inside the range is allowed: it is the browser's.
 */
export function selfOverlaps(fp: Footprint): SelfOverlap[] {
  // In the order pins are blamed: a later slot moved onto an earlier one.
  const single: PortSlot[] = [
    { port: fp.gateway, role: 'gateway' },
    { port: fp.browserControl, role: 'browser-control' },
    ...(fp.canvas === null ? [] : [{ port: fp.canvas, role: 'canvas' as const }]),
    ...fp.pinnedCdp.map((p) => ({ port: p.port, role: 'cdp-pinned' as const, detail: p.name })),
  ];
  const found: SelfOverlap[] = [];
  single.forEach((slot, i) => {
    const earlier = single.slice(0, i).find((s) => s.port === slot.port);
    if (earlier !== undefined) found.push({ port: slot.port, first: earlier, pinned: slot });
    else if (slot.role !== 'cdp-pinned' && slot.port >= fp.cdp.from && slot.port <= fp.cdp.to) {
      found.push({ port: slot.port, first: { port: slot.port, role: 'cdp' }, pinned: slot });
    }
  });
  return found;
}

/** "the canvas host 18789 is on the gateway's port", "the canvas host 18800 is inside the CDP range 18800–18899". */
export function describeSelfOverlap(o: SelfOverlap, fp: Footprint): string {
  const name = (slot: PortSlot) => (slot.role === 'cdp-pinned' ? `the pinned CDP port of browser profile "${slot.detail}"` : `the ${ROLE_LABEL[slot.role]}`);
  return o.first.role === 'cdp'
    ? `${name(o.pinned)} ${o.port} is inside the CDP range ${fp.cdp.from}–${fp.cdp.to}`
    : `${name(o.pinned)} ${o.port} is on ${name(o.first)}'s port`;
}

export const ROLE_LABEL: Record<PortRole, string> = {
  gateway: 'gateway',
  'browser-control': 'browser control',
  canvas: 'canvas host',
  cdp: 'CDP range',
  'cdp-pinned': 'pinned CDP',
};
