/**
 * One check of one watched profile, read-only: its config (never through a symlink out of
 * its state dir), its /health at the address its own config gives, who holds its three
 * ports, and its service where one is installed. What is wrong is a fact, never a throw.
 */
import { constants } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { formatConfigError, parseConfigText } from '../../core/config/parse';
import { fetchJson } from '../gateway/client';
import { HEALTH_TIMEOUT_MS } from '../gateway/live';
import { gatewayLockPath, readGatewayLock, type GatewayLock } from '../gateway/pidlock';
import { bindHost, clientHost, listenPlan, urlOf } from '../../core/gateway/plan';
import { ROLE_LABEL, type Footprint } from '../../core/ports/footprint';
import { describeHolders } from '../../core/ports/portmap';
import { snapshotListeners } from '../ports/probe';
import { readHost } from '../model';
import { currentOf, hostProfile, portFacts } from '../../core/host/view';
import { tildify, type ProfilePaths } from '../../core/profile/paths';
import type { CheckFacts } from '../../core/watch/state';
import { type LoadedConfig } from '../../core/config/parse';

export interface CheckOptions {
  home: string;
  /** For the service manager: the caller passes targetEnv() of its own, so nothing of its profile leaks in. */
  env: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** A config larger than this is not a config: reading it would only cost the watcher memory. */
const MAX_CONFIG_BYTES = 1024 * 1024;

type Confined = { state: 'ok'; real: string } | { state: 'missing' } | { state: 'refused'; reason: string };

/** Whether `file` may be read as the watched profile's: it resolves inside `dir`, whatever symlinks lie between. */
async function confined(file: string, dir: string, shown: (p: string) => string): Promise<Confined> {
  try {
    await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'refused', reason: `${shown(file)} cannot be inspected: ${(error as Error).message}` };
  }
  let real: string;
  let realDir: string;
  try {
    [real, realDir] = await Promise.all([realpath(file), realpath(dir)]);
  } catch {
    return { state: 'refused', reason: `${shown(file)} is a symlink to a file that does not exist; not read` };
  }
  if (!real.startsWith(realDir + path.sep)) return { state: 'refused', reason: `${shown(file)} is a symlink to ${real}, outside ${shown(dir)}; not read` };
  return { state: 'ok', real };
}

/**
 * The file's text, opened without following a last-moment symlink and without blocking on
 * a FIFO, or why it was not read.
 */
async function readRegular(file: string, shownFile: string): Promise<{ text: string } | { reason: string }> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return { reason: `${shownFile} cannot be read: ${(error as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (error as Error).message}` };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { reason: `${shownFile} is not a regular file; not read` };
    if (stats.size > MAX_CONFIG_BYTES) return { reason: `${shownFile} is ${stats.size} bytes, too large for a config; not read` };
    return { text: await handle.readFile('utf8') };
  } catch (error) {
    return { reason: `${shownFile} cannot be read: ${(error as Error).message}` };
  } finally {
    await handle.close();
  }
}

/** The watched profile's config as the store would load it, or why it was not read. */
async function readWatchedConfig(target: ProfilePaths, shown: (p: string) => string): Promise<LoadedConfig | { state: 'refused'; reason: string }> {
  const place = await confined(target.configPath, target.stateDir, shown);
  if (place.state === 'missing') return { state: 'missing', path: target.configPath };
  if (place.state === 'refused') return place;
  const read = await readRegular(place.real, shown(target.configPath));
  if ('reason' in read) return { state: 'refused', reason: read.reason };
  const parsed = parseConfigText(read.text, target.configPath);
  return parsed.ok
    ? { state: 'ok', path: target.configPath, text: read.text, raw: parsed.raw, config: parsed.config }
    : { state: 'invalid', path: target.configPath, text: read.text, raw: parsed.raw, error: parsed.error };
}

/** Its running gateway from its lock, if the lock is its own file (a symlinked lock is ignored). */
async function runningGateway(target: ProfilePaths, shown: (p: string) => string): Promise<GatewayLock | null> {
  if ((await confined(gatewayLockPath(target.stateDir), target.stateDir, shown)).state !== 'ok') return null;
  const state = await readGatewayLock(target.stateDir);
  return state.state === 'running' ? state.lock : null;
}

/** The host its gateway listens on, as a client on this host reaches it: from its config's gateway.bind. */
function hostOf(loaded: Exclude<LoadedConfig, { state: 'missing' }>): { host: string } | { error: string } {
  const bind = (loaded.raw?.gateway as { bind?: unknown } | undefined)?.bind;
  try {
    return { host: clientHost(bindHost(typeof bind === 'string' ? bind : undefined)) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * "21002 (browser control) is bound by nginx (pid 812) on 127.0.0.1", for each of its ports a
 * process other than its own gateway holds, attributed by the host view as every command does
 * (another profile's gateway is named as such).
 */
async function foreignHolders(fp: Footprint, target: ProfilePaths, home: string): Promise<string[]> {
  const plan = listenPlan(fp);
  // Only ports a listener already holds: a bind probe would briefly take a free port the watched gateway may be starting on.
  const snapshot = await snapshotListeners();
  const held = plan.filter((p) => snapshot.bound.has(p.port));
  if (held.length === 0) return [];
  // The view reads the locks, then the listeners (and the locks again if a holder is no known gateway's).
  const view = await readHost({ home, current: target, health: 'none', only: held.map((p) => p.port) });
  const self = currentOf(view);
  return held.flatMap(({ role, port }) => {
    const { others } = portFacts(port, view, self);
    return others.length === 0 ? [] : [`${port} (${ROLE_LABEL[role]}) is ${describeHolders(others)}`];
  });
}

async function health(url: string, timeoutMs: number): Promise<CheckFacts['health']> {
  const answer = await fetchJson(`${url}/health`, { timeoutMs });
  if (!answer.ok) return { answered: false, error: answer.error };
  const profile = (answer.body as { profile?: unknown } | null)?.profile;
  if (answer.status !== 200 || typeof profile !== 'string') {
    return { answered: false, error: `GET /health answered ${answer.status}${typeof profile === 'string' ? '' : ' without a gateway report'}` };
  }
  return { answered: true, profile };
}

async function service(target: ProfilePaths, options: CheckOptions): Promise<CheckFacts['service']> {
  // Loaded only here: a gateway that watches nothing never loads the service module.
  const { serviceStatus } = await import('../service/install');
  // serviceStatus spawns nothing unless a unit file (or plist) is installed.
  const status = await serviceStatus(target, { env: options.env, home: options.home }).catch(() => null);
  return status === null ? null : { installed: status.installed, usable: status.usable, state: status.state };
}

export async function checkProfile(target: ProfilePaths, options: CheckOptions): Promise<CheckFacts> {
  const shown = (p: string) => tildify(p, options.home);
  const [loaded, gateway] = await Promise.all([readWatchedConfig(target, shown), runningGateway(target, shown)]);
  const facts: CheckFacts = { profile: target.label, config: { state: 'ok' }, gatewayAddress: null, health: null, foreignHolders: [], service: null };
  if (loaded.state === 'refused') return { ...facts, config: { state: 'invalid', message: loaded.reason } };
  if (loaded.state === 'missing') return { ...facts, config: { state: 'missing', shown: shown(target.configPath) } };
  if (loaded.state === 'invalid') facts.config = { state: 'invalid', message: formatConfigError(loaded.error, shown(target.configPath)).split('\n').join('; ') };

  // Its base and footprint by the rule every command follows (a broken file's port, where a tolerant read recovers it).
  const known = hostProfile(target, loaded, { via: 'state-dir' });
  const address = known.base === null ? null : hostOf(loaded);
  if (address !== null && 'error' in address && facts.config.state === 'ok') facts.config = { state: 'invalid', message: address.error };
  // No base in its config (a broken one): where its running gateway says it listens is still known, never guessed.
  const url =
    address !== null && 'host' in address
      ? urlOf(address.host, known.base!)
      : gateway !== null
        ? urlOf(clientHost(gateway.host), gateway.ports.gateway)
        : null;
  const [answer, holders, serviceFacts] = await Promise.all([
    url === null ? null : health(url, options.timeoutMs ?? HEALTH_TIMEOUT_MS),
    known.footprint === null ? [] : foreignHolders(known.footprint, target, options.home),
    service(target, options),
  ]);
  return { ...facts, gatewayAddress: url === null ? null : url.slice('http://'.length), health: answer, foreignHolders: holders, service: serviceFacts };
}
