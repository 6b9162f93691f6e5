import path from 'node:path';
import type { LoadedConfig } from '../config/parse';
import type { Config } from '../config/schema';
import { expandHome, type ProfilePaths } from './paths';
import { isToken, stringOfLength } from '../config/token';

function objectAt(raw: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = raw[key];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  const fresh: Record<string, unknown> = {};
  raw[key] = fresh;
  return fresh;
}

export interface ProfilePlan {
  base: number;
  workspace: string;
  /** Extra edits (browser, watch, …) applied after the base ones. */
  edit?: (raw: Record<string, unknown>) => void;
}

/**
 * The config after a plan: every key the user had is kept; only ours are set. The token is
 * used only where the config has none (or a short one). With `paths`, a workspace the user
 * wrote their way (~/…, relative) stays as written when it names the planned directory.
 */
export function planConfig(
  current: Record<string, unknown>,
  plan: ProfilePlan,
  token: string,
  paths?: Pick<ProfilePaths, 'stateDir' | 'home'>,
): Record<string, unknown> {
  const raw = structuredClone(current);
  const gateway = objectAt(raw, 'gateway');
  gateway.port = plan.base;
  const auth = objectAt(gateway, 'auth');
  if (!isToken(auth.token)) auth.token = token;
  const defaults = objectAt(objectAt(raw, 'agents'), 'defaults');
  const written = defaults.workspace;
  const same = typeof written === 'string' && written !== '' && paths !== undefined && resolveWorkspace(written, paths) === path.resolve(plan.workspace);
  if (!same) defaults.workspace = plan.workspace;
  plan.edit?.(raw);
  return raw;
}

/** A workspace as written in a config: ~ expanded, a relative path taken from the state dir. */
export function resolveWorkspace(written: string, paths: Pick<ProfilePaths, 'stateDir' | 'home'>): string {
  return path.resolve(paths.stateDir, expandHome(written, paths.home));
}

/** agents.defaults.workspace resolved (resolveWorkspace), else the default. */
export function workspaceFor(config: Config | undefined, paths: ProfilePaths): string {
  const configured = config?.agents?.defaults?.workspace;
  return configured === undefined ? paths.defaultWorkspace : resolveWorkspace(configured, paths);
}

export function workspaceOf(loaded: LoadedConfig, paths: ProfilePaths): string {
  return workspaceFor(loaded.state === 'ok' ? loaded.config : undefined, paths);
}

/** What setup does to the token of the config it keeps: nothing, adds one, or replaces one that is not a valid token (never shown). */
export function tokenChange(current: LoadedConfig): 'kept' | 'added' | { replaced: string } {
  const raw = current.state === 'missing' ? undefined : current.raw;
  const gateway = raw?.gateway;
  const token = gateway !== null && typeof gateway === 'object' ? ((gateway as { auth?: { token?: unknown } }).auth?.token ?? undefined) : undefined;
  if (isToken(token)) return 'kept';
  if (token === undefined) return 'added';
  return { replaced: typeof token === 'string' ? stringOfLength(token.length) : `a value of type ${typeof token}` };
}

/** A config whose only rejected key is the token: setup replaces it (and says so) instead of refusing the whole file. */
export function onlyTokenInvalid(current: LoadedConfig): boolean {
  return current.state === 'invalid' && current.error.kind === 'schema' && current.error.problems.every((p) => p.path === 'gateway.auth.token');
}
