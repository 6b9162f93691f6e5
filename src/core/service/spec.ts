import { HostError } from '../errors';
import type { ProfilePaths } from '../profile/paths';
import { invocationOf, PROFILE_FLAG, profileArgs, stateFile } from '../profile/identity';

/** The absolute programs a service runs: this node binary and this epiloop's bin/epiloop.js. */
export interface Program {
  node: string;
  cli: string;
}

/** What a service runs, independent of the manager that runs it. Both renderers take this. */
export interface ServiceSpec {
  description: string;
  /** "epiloop --profile rescue": how the file tells a reader which command manages it. */
  invocation: string;
  argv: string[];
  /** In the order written. EPILOOP_PROFILE is "" for the default profile: a value leaked into the manager's environment must not pick another profile. */
  env: [string, string][];
  /** Where the gateway's stderr goes (a refusal, a crash): its events go to gateway.log, written by the gateway itself; stdout is dropped. */
  errorPath: string;
}

/** What epiloop can read back from an installed unit or plist (fields it cannot read are null/absent). */
export interface InstalledView {
  argv: string[] | null;
  env: Record<string, string>;
  errorPath: string | null;
}

/** The manager's view of a loaded service; "not-installed" is decided by the file, never asked. */
export type RunState = 'active' | 'inactive' | 'failed' | 'activating' | 'unknown';

export interface ManagerView {
  /** What the manager says of a service: it knows it (loaded), starts it at login (enabled), and its run state. */
  loaded: boolean;
  enabled: boolean;
  state: RunState;
  pid: number | null;
}

export function serviceSpec(paths: ProfilePaths, program: Program, port: number): ServiceSpec {
  const spec: ServiceSpec = {
    description: paths.profile === null ? 'Epiloop Gateway (default profile)' : `Epiloop Gateway (profile ${paths.profile})`,
    // Named in the unit file's comment, read outside any shell: the plain form.
    invocation: invocationOf(paths.profile, false),
    argv: [program.node, program.cli, ...profileArgs(paths.profile), 'gateway', '--port', String(port)],
    env: [
      ['EPILOOP_PROFILE', paths.profile ?? ''],
      ['EPILOOP_STATE_DIR', paths.stateDir],
      ['EPILOOP_CONFIG_PATH', paths.configPath],
    ],
    errorPath: stateFile(paths.stateDir, 'gatewayErr'),
  };
  for (const value of [...spec.argv, spec.errorPath]) checkRepresentable(value);
  return spec;
}

/** Unit files and plists are line- and text-based: a control character in a path cannot be written faithfully. */
function checkRepresentable(value: string): void {
  if (/\p{Cc}/u.test(value)) {
    throw new HostError(
      `the path ${JSON.stringify(value)} contains a control character (such as a newline), which a service file cannot hold. Move the profile to a path without one (EPILOOP_STATE_DIR / EPILOOP_CONFIG_PATH).`,
    );
  }
}

export function flagValue(argv: readonly string[], flag: string): string | null {
  const i = argv.indexOf(flag);
  return i === -1 ? null : (argv[i + 1] ?? null);
}

const ENV_WORDS: Record<string, string> = {
  EPILOOP_PROFILE: 'profile',
  EPILOOP_STATE_DIR: 'state dir',
  EPILOOP_CONFIG_PATH: 'config',
};

const shown = (value: string | null) => (value === null || value === '' ? '(none)' : value);

/**
 * How an installed service differs from what this profile's config and this epiloop would
 * install, in words ("service runs port 18789 but config says 19789"). [] means no field differs.
 */
export function describeDrift(installed: InstalledView, expected: ServiceSpec): string[] {
  if (installed.argv === null || installed.argv.length < 2) return ['the service file has no command epiloop can read'];
  const drift: string[] = [];
  const [node, cli] = installed.argv;
  const want = expected.argv;
  if (node !== want[0]) drift.push(`service runs node ${node} but this epiloop runs on ${want[0]}`);
  if (cli !== want[1]) drift.push(`service runs the CLI at ${cli} but this epiloop is ${want[1]}`);
  const port = flagValue(installed.argv, '--port');
  const wantPort = flagValue(want, '--port');
  if (port !== wantPort) drift.push(`service runs port ${shown(port)} but config says ${wantPort}`);
  const profile = flagValue(installed.argv, PROFILE_FLAG);
  const wantProfile = flagValue(want, PROFILE_FLAG);
  if (profile !== wantProfile) drift.push(`service runs profile ${shown(profile)} but this is profile ${shown(wantProfile)}`);
  const rest = (argv: readonly string[]) => argv.slice(2).join(' ');
  if (drift.length === 0 && rest(installed.argv) !== rest(want)) {
    drift.push(`service runs "${rest(installed.argv)}" but epiloop would run "${rest(want)}"`);
  }
  for (const [key, value] of expected.env) {
    const actual = installed.env[key];
    if (actual !== value) drift.push(`service sets ${key}=${shown(actual ?? null)} but the profile's ${ENV_WORDS[key] ?? key} is ${shown(value)}`);
  }
  if (installed.errorPath !== expected.errorPath) drift.push(`service writes the gateway's errors to ${shown(installed.errorPath)} but this epiloop writes them to ${expected.errorPath} (the gateway keeps its own rotated gateway.log)`);
  return drift;
}

export type ManagerKind = 'systemd' | 'launchd';

export type Availability =
  | { usable: true; kind: ManagerKind }
  | { usable: false; kind: ManagerKind | null; reason: string };

export interface ServiceStatus {
  kind: ManagerKind | null;
  usable: boolean;
  reason?: string;
  /** The unit name or launchd label; null where there is no service manager. */
  name: string | null;
  installed: boolean;
  file: string | null;
  state: RunState | 'not-installed';
  /** The manager starts it at login; null when not known. */
  enabled: boolean | null;
  pid: number | null;
  /** In words: "service runs port 18789 but config says 19789". */
  mismatches: string[];
}

/** The unit (or label) a screen names before its state: none where no manager could install one and none is installed. */
export function shownUnit(status: Pick<ServiceStatus, 'usable' | 'installed' | 'name'>): string | null {
  return status.usable || status.installed ? status.name : null;
}

/** A service that is not installed, in the words status and top's details share: where no manager could install one, why not. */
export function notInstalledWords(status: Pick<ServiceStatus, 'usable' | 'kind'>): string {
  return status.usable ? 'not installed' : `not installed (no usable ${status.kind ?? 'service manager'} on this host)`;
}
