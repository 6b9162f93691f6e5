import { randomBytes } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ensureStateDir, updateConfig, type WriteResult } from '../store/store';
import { HostError, UsageError } from '../../core/errors';
import { withFileLock } from '../store/lock';
import { loadHostProfiles } from '../ports/host';
import type { Claim } from '../../core/ports/overlap';
import { configOwner, type KnownProfile } from './discover';
import { writeFileAtomic } from '../store/atomic';
import { systemDirOf, tildify, type ProfilePaths } from '../../core/profile/paths';
import { resolvedPath } from './resolve';
import { type LoadedConfig } from '../../core/config/parse';
import { type ProfilePlan, planConfig, workspaceOf } from '../../core/profile/plan';
import { hostLockPath, isWorkspaceName, stateFile, workspaceArea } from '../../core/profile/identity';

export function newAuthToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameConfig(a: LoadedConfig, b: LoadedConfig): boolean {
  return a.state === b.state && (a.state === 'missing' || (b.state !== 'missing' && a.text === b.text));
}

export type Decide = (current: LoadedConfig, claims: ReadonlyMap<number, readonly Claim[]>) => Promise<ProfilePlan> | ProfilePlan;

/** A workspace must be a directory (or not exist yet) and belong to no other profile. */
async function checkWorkspace(given: string, paths: ProfilePaths, others: readonly KnownProfile[]): Promise<void> {
  const info = await stat(given).catch(() => null);
  if (info !== null && !info.isDirectory()) {
    throw new UsageError(`workspace ${tildify(given, paths.home)} exists and is not a directory. Give a directory with --workspace.`);
  }
  // Compared as the disk resolves them: a symlink to another profile's workspace, or to /etc, is that.
  const workspace = await resolvedPath(given);
  const system = systemDirOf(workspace);
  if (system !== null) {
    throw new UsageError(`workspace ${tildify(given, paths.home)} is ${workspace === system ? 'the' : `${workspace}, inside the`} system directory ${system}; a gateway serves files from its workspace, so it must be a directory of your own. Leave --workspace out for ${tildify(paths.defaultWorkspace, paths.home)}.`);
  }
  const inside = (dir: string, parent: string) => dir === parent || dir.startsWith(parent + path.sep);
  // Every profile's default workspace lives in ~/.epiloop (the seed's layout), which is also
  // the default profile's state dir: those folders are nobody's state.
  const area = await resolvedPath(workspaceArea(paths.home));
  const inWorkspaceArea = path.dirname(workspace) === area && isWorkspaceName(path.basename(workspace));
  for (const other of others) {
    const [theirs, stateDir] = await Promise.all([resolvedPath(workspaceOf(other.loaded, other.paths)), resolvedPath(other.paths.stateDir)]);
    if (inside(workspace, theirs) || inside(theirs, workspace) || (!inWorkspaceArea && inside(workspace, stateDir))) {
      throw new UsageError(
        `workspace ${tildify(given, paths.home)} belongs to profile "${other.paths.label}" (its ${inside(workspace, stateDir) ? 'state dir' : 'workspace'}); each gateway needs a workspace of its own. Leave --workspace out for ${tildify(paths.defaultWorkspace, paths.home)}.`,
      );
    }
  }
}

/** A config given by EPILOOP_CONFIG_PATH that another profile already owns: writing it, and a pointer to it, would make it this profile's. */
async function refuseSharedConfig(paths: ProfilePaths): Promise<void> {
  const owner = await configOwner(paths.configPath, paths.stateDir, paths.home);
  if (owner === null) return;
  throw new UsageError(
    `EPILOOP_CONFIG_PATH is ${tildify(paths.configPath, paths.home)}, the config of profile "${owner}"; profile "${paths.label}" must not share it. Nothing was written. Unset EPILOOP_CONFIG_PATH (it may be left over in this shell) so "${paths.label}" gets its own config, or point it at a file of its own.`,
  );
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
      if (paths.explicit.configPath) await refuseSharedConfig(paths);
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
          return planConfig(base, plan, newAuthToken(), paths);
        },
        { what },
      );
      if (path.resolve(paths.configPath) !== stateFile(paths.stateDir, 'config')) {
        // Lets discovery find a config kept outside its state dir (EPILOOP_CONFIG_PATH).
        await writeFileAtomic(stateFile(paths.stateDir, 'configPointer'), path.resolve(paths.configPath) + '\n', 0o600);
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
