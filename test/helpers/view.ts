/** Host views built by hand, for the pure tests of the model and its rules (no disk, no sockets). */
import { parseConfigText, type LoadedConfig } from '../../src/core/config/parse';
import { healthPorts } from '../../src/core/gateway/health';
import { hostProfile, type HostProfile, type HostView, type RunningGateway } from '../../src/core/host/view';
import { footprint } from '../../src/core/ports/footprint';
import type { PortHolder } from '../../src/core/ports/listeners';
import { derivedPaths } from '../../src/core/profile/paths';

export const HOME = '/home/ada';

export function loadedFrom(text: string | null, path: string): LoadedConfig {
  if (text === null) return { state: 'missing', path };
  const parsed = parseConfigText(text, path);
  return parsed.ok ? { state: 'ok', path, text, raw: parsed.raw, config: parsed.config } : { state: 'invalid', path, text, raw: parsed.raw, error: parsed.error };
}

export interface ProfileSpec {
  /** null: the default profile. */
  name: string | null;
  /** The config text (JSON5), a base (a config with that port), or null (no config). */
  config?: string | number | null;
  /** A running gateway: its pid, the base it serves (default: the config's), its browsers. */
  gateway?: { pid: number; base?: number; browsers?: number[]; startedAt?: string; host?: string };
  current?: boolean;
  home?: string;
  /** The workspace with symlinks resolved, when it differs. */
  workspaceReal?: string;
}

export function profileOf(spec: ProfileSpec): HostProfile {
  const home = spec.home ?? HOME;
  const paths = { ...derivedPaths(spec.name, home), explicit: { stateDir: false, configPath: false } };
  const text = typeof spec.config === 'number' ? JSON.stringify({ gateway: { port: spec.config, auth: { token: 'x'.repeat(24) } } }) : (spec.config ?? null);
  const loaded = loadedFrom(text, paths.configPath);
  const bare = hostProfile(paths, loaded, { via: spec.current ? 'current' : 'state-dir' });
  let gateway: RunningGateway | null = null;
  if (spec.gateway !== undefined) {
    const base = spec.gateway.base ?? bare.base!;
    gateway = {
      pid: spec.gateway.pid,
      startedAt: spec.gateway.startedAt ?? '2026-01-01T00:00:00.000Z',
      host: spec.gateway.host ?? '127.0.0.1',
      ports: healthPorts(footprint(bare.readable.config, base)),
      health: 'answered',
      detail: null,
      browsers: spec.gateway.browsers ?? [],
    };
  }
  return hostProfile(paths, loaded, {
    via: spec.current ? 'current' : 'state-dir',
    gateway,
    ...(spec.workspaceReal === undefined ? {} : { real: { workspace: spec.workspaceReal } }),
  });
}

/** listeners: port → holders; null leaves the host unread (claims only). */
export function viewOf(profiles: HostProfile[], listeners: Record<number, PortHolder[]> | null = {}): HostView {
  return {
    profiles,
    listeners: listeners === null ? null : new Map(Object.entries(listeners).map(([port, holders]) => [Number(port), holders])),
    ephemeral: null,
  };
}

/** A listener on 127.0.0.1 held by this pid. */
export const held = (pid: number, command = 'node'): PortHolder[] => [{ address: '127.0.0.1', pid, command }];
