import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ensureStateDir, updateConfig, type LoadedConfig, type WriteResult } from '../config/store';
import { HostError } from '../errors';
import { expandHome, type ProfilePaths } from './paths';
import type { Config } from '../config/schema';

export interface ProfilePlan {
  base: number;
  workspace: string;
  /** Extra edits (browser, watch, …) applied after the base ones. */
  edit?: (raw: Record<string, unknown>) => void;
}

export function newAuthToken(): string {
  return randomBytes(24).toString('base64url');
}

function objectAt(raw: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = raw[key];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  const fresh: Record<string, unknown> = {};
  raw[key] = fresh;
  return fresh;
}

/** The config after a plan: every key the user had is kept; only ours are set. Pure but for the token. */
export function planConfig(current: Record<string, unknown>, plan: ProfilePlan, token = newAuthToken()): Record<string, unknown> {
  const raw = structuredClone(current);
  const gateway = objectAt(raw, 'gateway');
  gateway.port = plan.base;
  const auth = objectAt(gateway, 'auth');
  if (typeof auth.token !== 'string' || auth.token.length < 16) auth.token = token;
  objectAt(objectAt(raw, 'agents'), 'defaults').workspace = plan.workspace;
  plan.edit?.(raw);
  return raw;
}

/** agents.defaults.workspace with ~ expanded and a relative path taken from the state dir, else the default. */
export function workspaceFor(config: Config | undefined, paths: ProfilePaths): string {
  const configured = config?.agents?.defaults?.workspace;
  return configured === undefined ? paths.defaultWorkspace : path.resolve(paths.stateDir, expandHome(configured, paths.home));
}

export function workspaceOf(loaded: LoadedConfig, paths: ProfilePaths): string {
  return workspaceFor(loaded.state === 'ok' ? loaded.config : undefined, paths);
}

function sameConfig(a: LoadedConfig, b: LoadedConfig): boolean {
  return a.state === b.state && (a.state === 'missing' || (b.state !== 'missing' && a.text === b.text));
}

/**
 * Writes a profile under its lock: state dir (0700), config (0600, atomic, backed up),
 * workspace. `decide` runs first on the config as read before (so a refusal creates
 * nothing), and again under the lock if the config changed meanwhile, so two runs on
 * one profile cannot interleave.
 */
export async function writeProfile(
  paths: ProfilePaths,
  before: LoadedConfig,
  decide: (current: LoadedConfig) => Promise<ProfilePlan> | ProfilePlan,
  what: string,
): Promise<{ result: WriteResult; plan: ProfilePlan; stateDirCreated: boolean }> {
  const first = await decide(before);
  const { created } = await ensureStateDir(paths.stateDir);
  let plan: ProfilePlan | undefined;
  const result = await updateConfig(
    paths,
    async (current) => {
      plan = sameConfig(current, before) ? first : await decide(current);
      const base = current.state === 'ok' ? current.raw : current.state === 'invalid' ? (current.raw ?? {}) : {};
      return planConfig(base, plan);
    },
    { what },
  );
  try {
    await mkdir(path.resolve(plan!.workspace), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new HostError(`the config was written, but the workspace ${plan!.workspace} could not be created: ${(error as Error).message}`);
  }
  return { result, plan: plan!, stateDirCreated: created };
}
