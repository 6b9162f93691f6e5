import { randomBytes } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ensureStateDir, updateConfig, type LoadedConfig, type WriteResult } from '../config/store';
import { HostError, UsageError } from '../errors';
import { withFileLock } from '../config/lock';
import { loadHostProfiles } from '../ports/host';
import type { Claim } from '../ports/overlap';
import { CONFIG_POINTER, type KnownProfile } from './discover';
import { writeFileAtomic } from '../config/atomic';
import { CONFIG_FILE, expandHome, tildify, type ProfilePaths } from './paths';
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

/** Serializes choosing and writing base ports across every profile of this HOME (per-profile locks cannot). */
export function hostLockPath(home: string): string {
  return path.join(home, '.epiloop.ports.lock');
}

export type Decide = (current: LoadedConfig, claims: ReadonlyMap<number, readonly Claim[]>) => Promise<ProfilePlan> | ProfilePlan;

/** A workspace must be a directory (or not exist yet) and belong to no other profile. */
async function checkWorkspace(workspace: string, paths: ProfilePaths, others: readonly KnownProfile[]): Promise<void> {
  const info = await stat(workspace).catch(() => null);
  if (info !== null && !info.isDirectory()) {
    throw new UsageError(`workspace ${tildify(workspace, paths.home)} exists and is not a directory. Give a directory with --workspace.`);
  }
  const inside = (dir: string, parent: string) => dir === parent || dir.startsWith(parent + path.sep);
  // Every profile's default workspace lives in ~/.epiloop (the seed's layout), which is also
  // the default profile's state dir: those folders are nobody's state.
  const inWorkspaceArea = path.dirname(workspace) === path.join(paths.home, '.epiloop') && path.basename(workspace).startsWith('workspace');
  for (const other of others) {
    const theirs = workspaceOf(other.loaded, other.paths);
    if (inside(workspace, theirs) || inside(theirs, workspace) || (!inWorkspaceArea && inside(workspace, other.paths.stateDir))) {
      throw new UsageError(
        `workspace ${tildify(workspace, paths.home)} belongs to profile "${other.paths.label}" (its ${inside(workspace, other.paths.stateDir) ? 'state dir' : 'workspace'}); each gateway needs a workspace of its own. Leave --workspace out for ${tildify(paths.defaultWorkspace, paths.home)}.`,
      );
    }
  }
}

/**
 * Writes a profile: state dir (0700), config (0600, atomic, backed up), workspace. Under a
 * host-wide lock, so two profiles set up at once cannot pick overlapping ports, and under
 * the profile's own lock. `decide` runs first on the config as the caller read it, with
 * the other profiles' claims read under the host lock (so a refusal creates nothing), and
 * again if the config changed meanwhile.
 */
export async function writeProfile(
  paths: ProfilePaths,
  before: LoadedConfig,
  decide: Decide,
  what: string,
): Promise<{ result: WriteResult; plan: ProfilePlan; stateDirCreated: boolean }> {
  return withFileLock(
    hostLockPath(paths.home),
    async () => {
      const host = await loadHostProfiles(paths, paths.home);
      const first = await decide(before, host.claims);
      await checkWorkspace(path.resolve(first.workspace), paths, host.others);
      const { created } = await ensureStateDir(paths.stateDir);
      let plan: ProfilePlan | undefined;
      const result = await updateConfig(
        paths,
        async (current) => {
          plan = sameConfig(current, before) ? first : await decide(current, host.claims);
          const base = current.state === 'ok' ? current.raw : current.state === 'invalid' ? (current.raw ?? {}) : {};
          return planConfig(base, plan);
        },
        { what },
      );
      if (path.resolve(paths.configPath) !== path.join(paths.stateDir, CONFIG_FILE)) {
        // Lets discovery find a config kept outside its state dir (EPILOOP_CONFIG_PATH).
        await writeFileAtomic(path.join(paths.stateDir, CONFIG_POINTER), path.resolve(paths.configPath) + '\n', 0o600);
      }
      try {
        await mkdir(path.resolve(plan!.workspace), { recursive: true, mode: 0o700 });
      } catch (error) {
        throw new HostError(`the config was written, but the workspace ${plan!.workspace} could not be created: ${(error as Error).message}`);
      }
      return { result, plan: plan!, stateDirCreated: created };
    },
    { what, timeoutMs: 30_000 },
  );
}
