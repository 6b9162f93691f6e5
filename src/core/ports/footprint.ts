import type { Config } from '../config/schema';
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
/** The highest base whose default footprint (base … base+110) still fits below 65536. */
export const MAX_BASE = MAX_PORT - FOOTPRINT_SPAN + 1;

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

/** A base leaves room for the whole footprint below 65536. */
export function isBasePort(port: number): boolean {
  return Number.isInteger(port) && port >= MIN_PORT && port <= MAX_BASE;
}

export function checkBasePort(port: number, source: string): number {
  if (!isBasePort(port)) {
    throw new UsageError(
      `${source}: ${port} is out of range. A base port must be from ${MIN_PORT} to ${MAX_BASE}, so that base … base+${FOOTPRINT_SPAN - 1} fits below ${MAX_PORT + 1}.`,
    );
  }
  return port;
}

/** Why no base could be proposed, with what the user can do next (`then`). */
export function noFreeBaseMessage(then?: string): string {
  return `no free base port was found on this host for a whole footprint (${FOOTPRINT_SPAN} ports)${then === undefined ? '' : `; ${then}`}.`;
}

/** The base a config gives by itself: gateway.port, else 18789. */
export function configBase(config: Config | undefined): ResolvedBase {
  const port = config?.gateway?.port;
  return port === undefined ? { port: DEFAULT_BASE, source: 'default' } : { port, source: 'config' };
}

/** --port > EPILOOP_GATEWAY_PORT > gateway.port > 18789. */
export function resolveBase(input: {
  flag?: number | undefined;
  env: Record<string, string | undefined>;
  config?: Config | undefined;
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
export function footprint(config: Config | undefined, base: number): Footprint {
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

export const ROLE_LABEL: Record<PortRole, string> = {
  gateway: 'gateway',
  'browser-control': 'browser control',
  canvas: 'canvas host',
  cdp: 'CDP range',
  'cdp-pinned': 'pinned CDP',
};
