import { existsSync, realpathSync } from 'node:fs';
import { access, mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../store/atomic';
import { withFileLock } from '../store/lock';
import { brokenConfig, notSetUpAmong } from '../../core/messages';
import { ensureStateDir, loadConfig } from '../store/store';
import { readProfileFile, type FileRead } from '../store/read';
import { refusalWords, type FileRefusal } from '../../core/profile/files';
import { HostError } from '../../core/errors';
import { readHost } from '../model';
import { othersOf } from '../profile/not-set-up';
import { currentOf, portMap } from '../../core/host/view';
import { portsText } from '../../core/ports/portmap';
import { knownFrom } from '../profile/discover';
import { tildify, type ProfilePaths } from '../../core/profile/paths';
import { stateFile } from '../../core/profile/identity';
import { invocationHere } from '../../host/profile/invocation';
import { launchctlCommands, launchdPlistFile, parseLaunchctlPrint, readLaunchdPlist, renderLaunchdPlist } from '../../core/service/launchd';
import { commandText, currentUid, detectServiceManager, firstLine, managerKindFor, noManagerReason, runManager, staticAvailability } from './manager';
import { describeDrift, flagValue, serviceSpec, type InstalledView, type ManagerView, type Program, type ServiceSpec } from '../../core/service/spec';
import { parseSystemdShow, readSystemdUnit, renderSystemdUnit, systemctlCommands, systemdUnitFile } from '../../core/service/systemd';
import { type Availability, type ManagerKind } from '../../core/service/spec';
import { type ServiceStatus } from '../../core/service/spec';

type Env = Record<string, string | undefined>;

export interface ServiceOptions {
  env: Env;
  home: string;
  dryRun?: boolean;
  /** Tests drive launchd on Linux through a stand-in launchctl. */
  platform?: NodeJS.Platform;
  /** The node binary and CLI the service runs; default: this process's. */
  program?: Program;
}

export interface InstallResult {
  status: 'installed' | 'updated' | 'unchanged' | 'dry-run';
  file: string;
  text: string;
  /** Run (or, for a dry run, to run) after the file is written. */
  commands: string[];
}

export interface UninstallResult {
  status: 'removed' | 'not-installed' | 'dry-run';
  file: string;
  commands: string[];
}

/** A command line, and whether its failure is expected when the service is not loaded. */
interface Step {
  argv: string[];
  tolerate?: boolean;
}

/** Everything that differs between systemd and launchd, for one profile. */
interface Driver {
  kind: ManagerKind;
  name: string;
  file: string;
  render(spec: ServiceSpec): string;
  read(text: string): InstalledView;
  query: string[];
  parse(stdout: string): ManagerView;
  /** After writing a new file. */
  start: Step[];
  /** After replacing the file of a service that may be running. */
  replace: Step[];
  /** Before removing the file. */
  stop: Step[];
  /** After removing the file. */
  forget: Step[];
  restart: Step[];
}

function driverFor(kind: ManagerKind, paths: ProfilePaths, home: string): Driver {
  if (kind === 'systemd') {
    const c = systemctlCommands(paths.systemdUnit);
    return {
      kind,
      name: paths.systemdUnit,
      file: systemdUnitFile(paths, home),
      render: renderSystemdUnit,
      read: readSystemdUnit,
      query: c.show,
      parse: parseSystemdShow,
      start: [{ argv: c.reload }, { argv: c.enableNow }],
      // enable --now leaves a running service on its old command line: restart it.
      replace: [{ argv: c.reload }, { argv: c.enable }, { argv: c.restart }],
      stop: [{ argv: c.disableNow }],
      forget: [{ argv: c.reload }],
      restart: [{ argv: c.restart }],
    };
  }
  const file = launchdPlistFile(paths, home);
  const c = launchctlCommands(paths.launchdLabel, file, currentUid());
  return {
    kind,
    name: paths.launchdLabel,
    file,
    render: (spec) => renderLaunchdPlist(spec, paths.launchdLabel),
    read: readLaunchdPlist,
    query: c.print,
    parse: parseLaunchctlPrint,
    start: [{ argv: c.bootstrap }, { argv: c.kickstart }],
    // bootstrap refuses a label that is still loaded, so take the old one out first.
    replace: [{ argv: c.bootout, tolerate: true }, { argv: c.bootstrap }, { argv: c.kickstart }],
    stop: [{ argv: c.bootout, tolerate: true }],
    forget: [],
    restart: [{ argv: c.restart }],
  };
}

/**
 * The CLI a service should run: this process's bin/epiloop.js (through any npm bin symlink),
 * else the one beside this code. Bundled chunks sit at different depths, so search upwards.
 */
export function installedCli(argv1: string | undefined = process.argv[1], from: string = fileURLToPath(import.meta.url)): string {
  const tail = path.join('bin', 'epiloop.js');
  if (argv1 !== undefined) {
    try {
      const real = realpathSync(argv1);
      if (real.endsWith(path.sep + tail)) return real;
    } catch {
      // argv[1] is not a file (e.g. node -e): fall back to the search
    }
  }
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, tail);
    if (existsSync(candidate)) return realpathSync(candidate);
    if (path.dirname(dir) === dir) throw new Error(`bin/epiloop.js was not found above ${from}`);
  }
}

export function currentProgram(): Program {
  return { node: process.execPath, cli: installedCli() };
}

function byHand(paths: ProfilePaths): string {
  return `Start it without a service instead: ${invocationHere(paths.profile)} start`;
}

function unusable(paths: ProfilePaths, availability: Availability & { usable: false }, what: string): HostError {
  return new HostError(`${what} ${availability.reason} ${byHand(paths)}`);
}

function kindOrThrow(paths: ProfilePaths, options: ServiceOptions, what: string): ManagerKind {
  const platform = options.platform ?? process.platform;
  const kind = managerKindFor(platform);
  if (kind !== null) return kind;
  throw new HostError(`${what} ${noManagerReason(platform)} ${byHand(paths)}`);
}

async function requireManager(paths: ProfilePaths, options: ServiceOptions, what: string): Promise<void> {
  const availability = await detectServiceManager(options.env, options.platform ?? process.platform);
  if (!availability.usable) throw unusable(paths, availability, what);
}

function pathExists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** An installed unit or plist, read like every profile file (a FIFO or a symlink out of its dir is refused, never waited on). */
function readUnit(file: string): Promise<FileRead> {
  return readProfileFile(file, { within: [path.dirname(file)] });
}

function unitRefusal(file: string, refusal: FileRefusal): string {
  return refusalWords(refusal, { absolute: file, shown: file }, 'epiloop').problem;
}

async function readIfExists(file: string): Promise<string | null> {
  const read = await readUnit(file);
  if (read.state === 'refused') throw new HostError(`Cannot read ${unitRefusal(file, read.refusal)}. Move it away, then run this again.`);
  return read.state === 'ok' ? read.text : null;
}

async function writeFileAtomically(file: string, text: string): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, text, 0o644);
  } catch (error) {
    throw new HostError(`Cannot write ${file}: ${(error as Error).message}`);
  }
}

/**
 * Without profiles, two gateways told apart only by EPILOOP_CONFIG_PATH share one service
 * name. A service whose config still exists elsewhere belongs to that other gateway.
 */
async function refuseOtherOwner(driver: Driver, existing: string, paths: ProfilePaths, verb: string): Promise<void> {
  const owner = driver.read(existing).env.EPILOOP_CONFIG_PATH;
  if (owner === undefined || owner === '' || path.resolve(owner) === path.resolve(paths.configPath)) return;
  if (!(await pathExists(owner))) return;
  throw new HostError(
    `${driver.name} runs the gateway of another config (${owner}), not this one (${paths.configPath}); epiloop will not ${verb} it. Give this gateway its own profile ("${invocationHere('<name>')} gateway ${verb}") so it gets its own service, or set EPILOOP_CONFIG_PATH=${owner} to act on that one.`,
  );
}

async function runSteps(steps: readonly Step[], env: Env): Promise<{ failed: Step; stderr: string } | null> {
  for (const step of steps) {
    const result = await runManager(step.argv, env);
    if (!result.ok && !step.tolerate) return { failed: step, stderr: result.stderr };
  }
  return null;
}

async function bestEffort(steps: readonly Step[], env: Env): Promise<void> {
  for (const step of steps) await runManager(step.argv, env);
}

async function queryManager(driver: Driver, env: Env): Promise<ManagerView> {
  const result = await runManager(driver.query, env);
  return result.ok ? driver.parse(result.stdout) : notLoaded(driver);
}

/** A query that failed although the manager answers: launchctl print fails for an agent that is not loaded. */
function notLoaded(driver: Driver): ManagerView {
  return { loaded: false, enabled: false, state: driver.kind === 'launchd' ? 'inactive' : 'unknown', pid: null };
}

/** The spec this profile's config asks for, after the checks an install must pass. */
async function specToInstall(paths: ProfilePaths, options: ServiceOptions): Promise<ServiceSpec> {
  const inv = invocationHere(paths.profile);
  const view = await readHost({ home: options.home, current: paths, health: 'none' });
  const self = currentOf(view);
  const loaded = self.loaded;
  if (loaded.state === 'missing') {
    throw new HostError(notSetUpAmong({ label: paths.label, invocation: inv }, tildify(paths.configPath, options.home), othersOf(view.profiles, paths), 'gateway install', 'Nothing was installed.'));
  }
  if (loaded.state === 'invalid') {
    throw new HostError(`${brokenConfig({ label: paths.label, invocation: inv }, loaded.error, tildify(loaded.path, options.home))} Nothing was installed.`);
  }
  const fp = self.footprint!;
  // Another profile's claim stops an install; a process on a port is the gateway's to report when it starts.
  const clashes = portMap(view, self, fp).filter((r) => r.state === 'claimed');
  if (clashes.length > 0) {
    throw new HostError(
      `profile "${paths.label}" uses base port ${fp.base}, which collides with another profile:\n${clashes.map((r) => `  ${portsText(r)} (${r.label}): ${r.text}`).join('\n')}\nRepair it with "${inv} onboard" or "${inv} doctor --fix" first. Nothing was installed.`,
    );
  }
  return serviceSpec(paths, options.program ?? currentProgram(), fp.base);
}

function commandLines(steps: readonly Step[]): string[] {
  return steps.map((s) => commandText(s.argv));
}

/** One install/uninstall per profile at a time. No state dir (and so no profile to race): no lock. */
async function withServiceLock<T>(paths: ProfilePaths, what: string, fn: () => Promise<T>): Promise<T> {
  return (await pathExists(paths.stateDir)) ? withFileLock(stateFile(paths.stateDir, 'serviceLock'), fn, { what }) : fn();
}

function stepFailure(paths: ProfilePaths, failure: { failed: Step; stderr: string }, undone: string): HostError {
  return new HostError(`"${commandText(failure.failed.argv)}" failed: ${firstLine(failure.stderr)}. ${undone} ${byHand(paths)}`);
}

/**
 * Writes this profile's unit/plist and starts it. Up to date and running: nothing happens.
 * Out of date: replaced and restarted. Any failed step puts back what was there before.
 */
export async function installService(paths: ProfilePaths, options: ServiceOptions): Promise<InstallResult> {
  const kind = kindOrThrow(paths, options, 'Nothing was installed:');
  const driver = driverFor(kind, paths, options.home);
  const spec = await specToInstall(paths, options);
  const text = driver.render(spec);
  if (options.dryRun) {
    const existing = await readIfExists(driver.file);
    if (existing !== null) await refuseOtherOwner(driver, existing, paths, 'install');
    const steps = existing === null ? driver.start : existing === text ? [] : driver.replace;
    return { status: 'dry-run', file: driver.file, text, commands: commandLines(steps) };
  }
  await requireManager(paths, options, 'Nothing was installed:');
  await ensureStateDir(paths.stateDir);
  return withServiceLock(paths, 'epiloop gateway install', async () => {
    const existing = await readIfExists(driver.file);
    if (existing !== null) await refuseOtherOwner(driver, existing, paths, 'install');
    if (existing === text) {
      const view = await queryManager(driver, options.env);
      if (view.loaded && view.enabled) return { status: 'unchanged', file: driver.file, text, commands: [] };
    }
    await writeFileAtomically(driver.file, text);
    const steps = existing === null || existing === text ? driver.start : driver.replace;
    const failure = await runSteps(steps, options.env);
    if (failure !== null) {
      if (existing === null) {
        await bestEffort(driver.stop, options.env);
        await unlink(driver.file).catch(() => undefined);
        await bestEffort(driver.forget, options.env);
        throw stepFailure(paths, failure, `Nothing was left installed: ${tildify(driver.file, options.home)} was removed again.`);
      }
      await writeFileAtomically(driver.file, existing);
      await bestEffort(driver.replace, options.env);
      throw stepFailure(paths, failure, `The previous ${tildify(driver.file, options.home)} was put back.`);
    }
    return { status: existing === null || existing === text ? 'installed' : 'updated', file: driver.file, text, commands: commandLines(steps) };
  });
}

/** Stops this profile's service and removes its file; nothing of any other profile is touched. */
export async function uninstallService(paths: ProfilePaths, options: ServiceOptions): Promise<UninstallResult> {
  const kind = kindOrThrow(paths, options, 'Nothing was removed:');
  const driver = driverFor(kind, paths, options.home);
  const existing = await readIfExists(driver.file);
  if (existing === null) return { status: 'not-installed', file: driver.file, commands: [] };
  await refuseOtherOwner(driver, existing, paths, 'uninstall');
  const commands = [...commandLines(driver.stop), commandText(['rm', driver.file]), ...commandLines(driver.forget)];
  if (options.dryRun) return { status: 'dry-run', file: driver.file, commands };
  await requireManager(paths, options, `Nothing was removed (${tildify(driver.file, options.home)} is still there; delete it by hand if the service should go):`);
  return withServiceLock(paths, 'epiloop gateway uninstall', () => removeService(driver, options, commands));
}

async function removeService(driver: Driver, options: ServiceOptions, commands: string[]): Promise<UninstallResult> {
  const failure = await runSteps(driver.stop, options.env);
  if (failure !== null) {
    throw new HostError(`"${commandText(failure.failed.argv)}" failed: ${firstLine(failure.stderr)}. ${tildify(driver.file, options.home)} was left in place.`);
  }
  // A tolerated failure means "was not loaded"; make sure it is not running before the file goes.
  if ((await queryManager(driver, options.env)).state === 'active') {
    throw new HostError(`${driver.name} is still running after "${commandText(driver.stop[0]!.argv)}". ${tildify(driver.file, options.home)} was left in place.`);
  }
  await unlink(driver.file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw new HostError(`Cannot remove ${driver.file}: ${error.message}`);
  });
  await bestEffort(driver.forget, options.env);
  return { status: 'removed', file: driver.file, commands };
}

export async function restartService(paths: ProfilePaths, options: ServiceOptions): Promise<void> {
  const kind = kindOrThrow(paths, options, 'Nothing was restarted:');
  const driver = driverFor(kind, paths, options.home);
  // Asked first: where no manager is usable, advising "gateway install" would advise what cannot work.
  await requireManager(paths, options, 'Nothing was restarted:');
  if ((await readIfExists(driver.file)) === null) {
    throw new HostError(`no gateway service is installed for profile "${paths.label}". Install it with "${invocationHere(paths.profile)} gateway install". ${byHand(paths)}`);
  }
  const failure = await runSteps(driver.restart, options.env);
  if (failure !== null) throw stepFailure(paths, failure, 'The service was not restarted.');
}

/** The port and paths the config asks for now, compared with the installed file. */
async function mismatchesOf(driver: Driver, text: string, paths: ProfilePaths, options: ServiceOptions): Promise<string[]> {
  const installed = driver.read(text);
  const loaded = await loadConfig(paths.configPath);
  const problems: string[] = [];
  if (loaded.state === 'missing') problems.push(`the profile has no config at ${paths.configPath}, so the service cannot start`);
  // An unreadable port is the config's problem (status reports it): compare the rest.
  const port = knownFrom(paths, loaded, 'current').base ?? Number(flagValue(installed.argv ?? [], '--port'));
  const expected = serviceSpec(paths, options.program ?? currentProgram(), port);
  const drift = describeDrift(installed, expected);
  if (drift.length === 0 && text !== driver.render(expected)) drift.push('the file differs from what this epiloop writes (reinstall to update it)');
  return [...problems, ...drift];
}

/**
 * The service of this profile: installed or not, the manager's own state, and whether the
 * file still matches the config. Spawns nothing when no file is installed (unless probe).
 */
export async function serviceStatus(paths: ProfilePaths, options: ServiceOptions & { probe?: boolean }): Promise<ServiceStatus> {
  const platform = options.platform ?? process.platform;
  const kind = managerKindFor(platform);
  if (kind === null) {
    const availability = (await staticAvailability(options.env, platform)) as Availability & { usable: false };
    return { kind, usable: false, reason: availability.reason, name: null, installed: false, file: null, state: 'not-installed', enabled: null, pid: null, mismatches: [] };
  }
  const driver = driverFor(kind, paths, options.home);
  const read = await readUnit(driver.file);
  const base = { kind, name: driver.name, file: driver.file };
  if (read.state === 'refused') {
    // Something is in the unit's place: installed, as far as the manager may know, but nothing epiloop can compare.
    return { ...base, ...usability(await staticAvailability(options.env, platform)), installed: true, state: 'unknown', enabled: null, pid: null, mismatches: [unitRefusal(driver.file, read.refusal)] };
  }
  const text = read.state === 'ok' ? read.text : null;
  if (text === null) {
    const availability = options.probe ? await detectServiceManager(options.env, platform) : await staticAvailability(options.env, platform);
    return { ...base, ...usability(availability), installed: false, state: 'not-installed', enabled: null, pid: null, mismatches: [] };
  }
  const [asked, mismatches] = await Promise.all([runManager(driver.query, options.env), mismatchesOf(driver, text, paths, options)]);
  // The manager answered: it is usable. Only a failed query needs the probe, to say why.
  const availability: Availability = asked.ok ? { usable: true, kind } : await detectServiceManager(options.env, platform);
  const view: ManagerView | null = asked.ok ? driver.parse(asked.stdout) : availability.usable ? notLoaded(driver) : null;
  return {
    ...base,
    ...usability(availability),
    installed: true,
    state: view?.state ?? 'unknown',
    enabled: view?.enabled ?? null,
    pid: view?.pid ?? null,
    mismatches,
  };
}

function usability(availability: Availability): { usable: boolean; reason?: string } {
  return availability.usable ? { usable: true } : { usable: false, reason: availability.reason };
}
