import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ensureStateDir, updateConfig, type WriteResult } from '../store/store';
import { HostError, UsageError } from '../../core/errors';
import { withFileLock } from '../store/lock';
import { readHost } from '../model';
import { configOwner } from './discover';
import { currentOf, type HostProfile, type HostView } from '../../core/host/view';
import { workspaceConflicts, workspaceConflictWords } from '../../core/host/rules';
import { writeFileAtomic } from '../store/atomic';
import { systemDirOf, tildify, type ProfilePaths } from '../../core/profile/paths';
import { resolvedPath } from './resolve';
import { type LoadedConfig } from '../../core/config/parse';
import { type ProfilePlan, planConfig } from '../../core/profile/plan';
import { hostLockPath, stateFile } from '../../core/profile/identity';

export function newAuthToken(): string {
  return process.getBuiltinModule('node:crypto').randomBytes(24).toString('base64url');
}

function sameConfig(a: LoadedConfig, b: LoadedConfig): boolean {
  return a.state === b.state && (a.state === 'missing' || (b.state !== 'missing' && a.text === b.text));
}

/** What a writer decides from: the config as it is now, and the host as read under the host-wide port lock. */
export type Decide = (current: LoadedConfig, host: { view: HostView; self: HostProfile }) => Promise<ProfilePlan> | ProfilePlan;

/** A workspace must be a directory (or not exist yet), no system directory, and collide with no other profile's (workspaceConflicts). */
export async function checkWorkspace(given: string, view: HostView, self: HostProfile): Promise<void> {
  const paths = self.paths;
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
  const conflict = workspaceConflicts(view, self, { path: given, real: workspace })[0];
  if (conflict !== undefined) {
    const whose = conflict.relation === 'own-state-dir' ? 'is this profile\'s state dir' : `belongs to profile "${conflict.label}" (${workspaceConflictWords(conflict, tildify(given, paths.home), (p) => tildify(p, paths.home))})`;
    throw new UsageError(
      `workspace ${tildify(given, paths.home)} ${whose}; each gateway needs a workspace of its own. Leave --workspace out for ${tildify(paths.defaultWorkspace, paths.home)}.`,
    );
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
): Promise<{ result: WriteResult; plan: ProfilePlan; stateDirCreated: boolean; self: HostProfile }> {
  return withFileLock(
    hostLockPath(paths.home),
    async () => {
      if (paths.explicit.configPath) await refuseSharedConfig(paths);
      const view = await readHost({ home: paths.home, current: paths, health: 'none' });
      const host = { view, self: currentOf(view) };
      const first = await decide(before, host);
      await checkWorkspace(path.resolve(first.workspace), view, host.self);
      const { created } = await ensureStateDir(paths.stateDir);
      let plan: ProfilePlan | undefined;
      const result = await updateConfig(
        paths,
        async (current) => {
          plan = sameConfig(current, before) ? first : await decide(current, host);
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
      return { result, plan: plan!, stateDirCreated: created, self: host.self };
    },
    { what, timeoutMs: 30_000 },
  );
}
