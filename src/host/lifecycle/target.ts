import { existsSync } from 'node:fs';
import type { LoadedConfig } from '../../core/config/parse';
import { resolveBase, type ResolvedBase } from '../../core/ports/footprint';
import { bindHost, clientHost, urlOf } from '../../core/gateway/plan';
import { rotationOf, type Rotation } from '../../core/log/event';
import type { LifecycleTarget, Runner } from '../../core/lifecycle/plan';
import type { ProfilePaths } from '../../core/profile/paths';
import { launchdPlistFile } from '../../core/service/launchd';
import { systemdUnitFile } from '../../core/service/systemd';
import { targetEnv } from '../../core/watch/targets';
import { discoverProfiles } from '../profile/discover';
import { loadConfig } from '../store/store';
import { managerKindFor, systemdBooted } from '../service/manager';

type Env = Record<string, string | undefined>;

/** A target with what acting on it needs: its paths, its config as read, and the environment its gateway gets. */
export interface ResolvedTarget {
  target: LifecycleTarget;
  paths: ProfilePaths;
  loaded: LoadedConfig;
  rotation: Rotation;
  /** This shell's environment for the profile the command names; without any EPILOOP_* of this shell for the others (--all). */
  env: Env;
  /** The base the gateway would get (target.base) and where it comes from; null when there is none it could use. */
  base: ResolvedBase | null;
}

function runnerOf(paths: ProfilePaths, home: string, platform: NodeJS.Platform, env: Env): Runner {
  const kind = managerKindFor(platform);
  // A unit file on a host systemd did not boot (a container) runs nothing: the gateway is run as a detached process.
  if (kind === 'systemd' && existsSync(systemdUnitFile(paths, home)) && systemdBooted(env)) return 'systemd';
  if (kind === 'launchd' && existsSync(launchdPlistFile(paths, home))) return 'launchd';
  return 'detached';
}

export function resolveTarget(paths: ProfilePaths, loaded: LoadedConfig, options: { home: string; env: Env; platform?: NodeJS.Platform }): ResolvedTarget {
  const config = loaded.state === 'ok' ? loaded.config : undefined;
  const platform = options.platform ?? process.platform;
  const runner = runnerOf(paths, options.home, platform, options.env);
  let base: ResolvedBase | null = null;
  let url: string | null = null;
  if (config !== undefined) {
    try {
      base = resolveBase({ env: options.env, config });
      url = urlOf(clientHost(bindHost(config.gateway?.bind)), base.port);
    } catch {
      // a port or bind the gateway would refuse: it says why when started
    }
  }
  return {
    target: {
      label: paths.label,
      runner,
      service: runner === 'systemd' ? paths.systemdUnit : runner === 'launchd' ? paths.launchdLabel : null,
      // Its unit file is there, but no manager runs it: say so rather than "no service installed".
      ...(runner === 'detached' && managerKindFor(platform) === 'systemd' && existsSync(systemdUnitFile(paths, options.home)) ? { noManager: true as const } : {}),
      base: base?.port ?? null,
      url,
      stateDir: paths.stateDir,
      watches: [...(config?.watch?.profiles ?? [])],
    },
    paths,
    loaded,
    rotation: rotationOf(config),
    env: options.env,
    base,
  };
}

/** The profile the command names. */
export async function currentTarget(paths: ProfilePaths, options: { home: string; env: Env; platform?: NodeJS.Platform }): Promise<ResolvedTarget> {
  return resolveTarget(paths, await loadConfig(paths.configPath), options);
}

/** Every known profile on this host (discovery), each with its own paths and nothing of this shell's EPILOOP_*. */
export async function allTargets(options: { home: string; env: Env; platform?: NodeJS.Platform }): Promise<ResolvedTarget[]> {
  const env = targetEnv(options.env);
  return (await discoverProfiles(options.home)).map((known) => resolveTarget(known.paths, known.loaded, { ...options, env }));
}
