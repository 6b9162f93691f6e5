import { access, constants } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { launchdProbe } from '../../core/service/launchd';
import { SYSTEMD_PROBE } from '../../core/service/systemd';
import { type ManagerKind, type Availability } from '../../core/service/spec';
import { importEsm } from '../esm';

/** The one module that runs systemctl / launchctl. execa loads on the first call, never at import. */

type Env = Record<string, string | undefined>;

export function managerKindFor(platform: NodeJS.Platform): ManagerKind | null {
  if (platform === 'linux') return 'systemd';
  if (platform === 'darwin') return 'launchd';
  return null;
}

export const MANAGER_TOOL: Record<ManagerKind, string> = { systemd: 'systemctl', launchd: 'launchctl' };

export function noManagerReason(platform: NodeJS.Platform): string {
  return `${platform === 'win32' ? 'Windows' : platform} has neither systemd nor launchd, so epiloop cannot install the gateway as a service here.`;
}

export async function findOnPath(command: string, env: Env): Promise<string | null> {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: try the next PATH entry
    }
  }
  return null;
}

/** The platform's manager and whether its tool is on PATH; nothing is run. */
async function toolAvailability(env: Env, platform: NodeJS.Platform): Promise<Availability> {
  const kind = managerKindFor(platform);
  if (kind === null) return { usable: false, kind: null, reason: noManagerReason(platform) };
  if ((await findOnPath(MANAGER_TOOL[kind], env)) === null) {
    return { usable: false, kind, reason: `${MANAGER_TOOL[kind]} was not found on PATH, so there is no ${kind} to run the service.` };
  }
  return { usable: true, kind };
}

/**
 * Where systemd, when it runs as PID 1, marks that it booted the host (sd_booted()). The
 * stand-in systemctl of the tests names a directory of its own: this host's PID 1 is no systemd.
 */
function systemdBootedDir(env: Env): string {
  return env.EPILOOP_SYSTEMD_BOOTED_DIR ?? SYSTEMD_BOOTED_DIR;
}

const SYSTEMD_BOOTED_DIR = '/run/systemd/system';

/** Whether systemd booted this host (sd_booted()), read from the disk without running anything. */
export function systemdBooted(env: Env): boolean {
  return existsSync(systemdBootedDir(env));
}
const SYSTEMD_NOT_BOOTED = 'systemd is not running on this host (PID 1 is not systemd, as in most containers and WSL without systemd), so there is no user service manager.';

/**
 * What can be said without running anything: the platform's manager, whether its tool is on
 * PATH and, for systemd, whether systemd booted this host (a systemctl in a container whose
 * PID 1 is something else cannot install anything). `epiloop status` uses this when no
 * service is installed, to stay fast and never advise an install that cannot work.
 */
export async function staticAvailability(env: Env, platform: NodeJS.Platform = process.platform): Promise<Availability> {
  const found = await toolAvailability(env, platform);
  if (!found.usable || found.kind !== 'systemd') return found;
  if (!(await exists(systemdBootedDir(env)))) return { usable: false, kind: 'systemd', reason: SYSTEMD_NOT_BOOTED };
  return found;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function systemdReason(stderr: string, env: Env): Promise<string> {
  if (!(await exists(systemdBootedDir(env)))) return SYSTEMD_NOT_BOOTED;
  if (/No medium found/i.test(stderr)) {
    return 'the systemd user manager cannot be reached because XDG_RUNTIME_DIR is not set (typical under sudo or su: log in as this user instead).';
  }
  if (/No such file or directory|Connection refused/i.test(stderr)) {
    return 'no systemd user manager runs for this user (log in to start one, or run "loginctl enable-linger" so it runs without a login).';
  }
  return `systemctl --user does not answer: ${firstLine(stderr)}.`;
}

export function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? 'no output').trim().replace(/\.$/, '');
}

/** Asks the manager itself: is there a user manager (systemd) / a GUI session (launchd) to install into? */
export async function detectServiceManager(env: Env, platform: NodeJS.Platform = process.platform): Promise<Availability> {
  // The manager's own answer decides: the tool on PATH is enough to ask it.
  const found = await toolAvailability(env, platform);
  if (!found.usable) return found;
  const kind = found.kind;
  const probe = kind === 'systemd' ? SYSTEMD_PROBE : launchdProbe(currentUid());
  const result = await runManager(probe, env);
  if (result.ok) return { usable: true, kind };
  const reason =
    kind === 'systemd'
      ? await systemdReason(result.stderr, env)
      : `launchd has no GUI session for this user (for example over SSH before anyone logged in at the screen), so the agent cannot be loaded: ${firstLine(result.stderr)}.`;
  return { usable: false, kind, reason };
}

export function currentUid(): number {
  return process.getuid?.() ?? 0;
}

export interface ManagerResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs one systemctl/launchctl command line. Never throws for a failing command: callers decide. */
export async function runManager(argv: readonly string[], env: Env): Promise<ManagerResult> {
  const { execa } = await importEsm<typeof import('execa')>('execa');
  const [file, ...args] = argv;
  const result = await execa(file!, args, { env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 30_000 });
  const ok = result.exitCode === 0 && !result.failed;
  return { ok, stdout: String(result.stdout), stderr: String(result.stderr) || (ok ? '' : (result.shortMessage ?? 'failed')) };
}

/** A command as a user can paste it into a shell. */
export function commandText(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_/.,:+=@%-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
