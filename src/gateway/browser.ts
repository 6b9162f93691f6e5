import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeHolders } from '../core/ports/portmap';
import { escapeControl, quoteValue } from '../core/text/escape';
import { probePorts } from '../host/ports/probe';
import { requestToken, tokenMatches } from './auth';
import type { BrowserProfilePlan } from '../core/gateway/browser-profiles';
import { fetchJson } from '../host/gateway/client';
import { sendJson } from './http';

/** Looked up on PATH in this order; then the usual macOS app bundles. */
const BINARIES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
const MAC_APPS = [
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];
const CDP_WAIT_MS = 15_000;
const STDERR_TAIL = 2048;

export function findBrowserBinary(env: Record<string, string | undefined>): string | null {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const candidates = [...BINARIES.flatMap((name) => dirs.map((dir) => path.join(dir, name))), ...(process.platform === 'darwin' ? MAC_APPS : [])];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; next
    }
  }
  return null;
}

/**
 * Every dir a browser of one browser profile writes, all inside the gateway's state dir: its
 * user data (kept across starts), and a home of its own for what Chromium would otherwise put
 * in the user's HOME, the shared XDG dirs and its crash reports. TMPDIR is kept short (see
 * fitsSocketPath).
 */
export function browserDirs(stateDir: string, name: string) {
  const home = path.join(stateDir, 'browser-home', name);
  return {
    userData: path.join(stateDir, 'browser', name),
    home,
    tmp: path.join(stateDir, 'tmp', name),
    config: path.join(home, '.config'),
    cache: path.join(home, '.cache'),
    data: path.join(home, '.local', 'share'),
    state: path.join(home, '.local', 'state'),
    crashDumps: path.join(home, 'crashes'),
  };
}

export type BrowserDirs = ReturnType<typeof browserDirs>;

/**
 * Chromium binds its singleton socket at $TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket
 * (Chrome: .com.google.Chrome.XXXXXX) and aborts when that is longer than a Unix socket path
 * may be: 103 bytes on macOS, 107 on Linux.
 */
const SINGLETON_SOCKET = '/org.chromium.Chromium.XXXXXX/SingletonSocket';
const SOCKET_PATH_MAX = 103;

export function fitsSocketPath(tmpdir: string): boolean {
  return Buffer.byteLength(tmpdir) + SINGLETON_SOCKET.length <= SOCKET_PATH_MAX;
}

/** The gateway's environment with every place Chromium writes pointed into `dirs` (TMPDIR at `tmpdir`, which leads there). */
export function chromiumEnv(env: Record<string, string | undefined>, dirs: BrowserDirs, tmpdir = dirs.tmp): Record<string, string | undefined> {
  return { ...env, HOME: dirs.home, TMPDIR: tmpdir, XDG_CONFIG_HOME: dirs.config, XDG_CACHE_HOME: dirs.cache, XDG_DATA_HOME: dirs.data, XDG_STATE_HOME: dirs.state };
}

/** Headless, quiet, isolated in its own dirs; no sandbox only as root, where Chromium refuses to start with one. */
export function chromiumArgs(input: { cdpPort: number; dirs: BrowserDirs; root: boolean }): string[] {
  return [
    '--headless',
    ...(input.root ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--remote-debugging-port=${input.cdpPort}`,
    `--user-data-dir=${input.dirs.userData}`,
    `--crash-dumps-dir=${input.dirs.crashDumps}`,
    'about:blank',
  ];
}

interface Spawned {
  name: string;
  pid: number;
  exited: Promise<void>;
}

interface RunningBrowser extends Spawned {
  cdpPort: number;
}

type Outcome = { status: number; body: Record<string, unknown> };

export interface BrowserControlOptions {
  label: string;
  token: string;
  stateDir: string;
  controlUrl: string;
  cdp: { from: number; to: number };
  profiles: BrowserProfilePlan[];
  env: Record<string, string | undefined>;
  log: (line: string) => void;
}

/** The browser control service on base + 2: status, browser profiles, start/stop of local browsers. Token required. */
export function createBrowserControl(options: BrowserControlOptions) {
  const running = new Map<string, RunningBrowser>();
  const starting = new Map<string, Promise<Outcome>>();
  /** Every browser process alive, including one still starting: shutdown stops them all. */
  const spawned = new Set<Spawned>();
  /** Browsers we are stopping: their exit is not news. */
  const stopping = new WeakSet<Spawned>();

  async function terminate(browser: Spawned, graceMs: number): Promise<void> {
    stopping.add(browser);
    killGroup(browser.pid, 'SIGTERM');
    const late = await Promise.race([browser.exited.then(() => false), sleep(graceMs, true, { ref: false })]);
    if (late) {
      killGroup(browser.pid, 'SIGKILL');
      await browser.exited;
    }
    options.log(`browser "${browser.name}" stopped (pid ${browser.pid})`);
  }

  const view = (plan: BrowserProfilePlan) => {
    const browser = running.get(plan.name);
    return { ...plan, running: browser !== undefined, pid: browser?.pid ?? null };
  };

  async function launch(plan: BrowserProfilePlan & { cdpPort: number }): Promise<Outcome> {
    const binary = findBrowserBinary(options.env);
    if (binary === null) {
      return {
        status: 501,
        body: { error: `no Chromium or Chrome found on PATH (looked for ${BINARIES.join(', ')}). Install one, e.g. "apt-get install chromium", then try again.` },
      };
    }
    const state = (await probePorts([plan.cdpPort])).get(plan.cdpPort);
    if (state?.state === 'bound') {
      return { status: 409, body: { error: `CDP port ${plan.cdpPort} of browser profile "${plan.name}" is already in use: ${escapeControl(describeHolders(state.holders))}.` } };
    }
    const dirs = browserDirs(options.stateDir, plan.name);
    // What the last run left in its TMPDIR (sockets, scratch files) is of no use to this one.
    await rm(dirs.tmp, { recursive: true, force: true });
    for (const dir of [dirs.userData, dirs.tmp, dirs.config, dirs.cache, dirs.data, dirs.state, dirs.crashDumps]) await mkdir(dir, { recursive: true, mode: 0o700 });
    const root = process.getuid?.() === 0;
    // A state dir too deep for Chromium's socket path: a private dir in /tmp holds one symlink to
    // the real TMPDIR, so what Chromium writes there still lands in the state dir.
    const shortcut = fitsSocketPath(dirs.tmp) ? null : await mkdtemp('/tmp/epiloop-');
    if (shortcut !== null) await symlink(dirs.tmp, path.join(shortcut, 't'));
    // Its own process group, so stopping it also stops the renderer and helper processes it forks.
    // node:child_process when a browser starts: most gateways never start one, and none before it listens.
    const child = process.getBuiltinModule('node:child_process').spawn(binary, chromiumArgs({ cdpPort: plan.cdpPort, dirs, root }), {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: chromiumEnv(options.env, dirs, shortcut === null ? dirs.tmp : path.join(shortcut, 't')),
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_TAIL)));
    let gone = false;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        gone = true;
        const cleared = [dirs.tmp, shortcut].flatMap((dir) => (dir === null ? [] : [rm(dir, { recursive: true, force: true })]));
        void Promise.allSettled(cleared).then(() => resolve());
      }),
    );
    // Helpers outside its process group (crashpad) may hold the stderr pipe open after it exits.
    void exited.then(() => setTimeout(() => child.stderr!.destroy(), 100).unref());
    child.once('error', () => undefined);
    if (child.pid === undefined) {
      if (shortcut !== null) await rm(shortcut, { recursive: true, force: true });
      return { status: 502, body: { error: `could not start ${binary}` } };
    }
    const launched: Spawned = { name: plan.name, pid: child.pid, exited };
    spawned.add(launched);
    void exited.then(() => spawned.delete(launched));
    const deadline = Date.now() + CDP_WAIT_MS;
    while (!gone && Date.now() < deadline) {
      const answer = await fetchJson(`http://127.0.0.1:${plan.cdpPort}/json/version`, { timeoutMs: 500 });
      if (answer.ok && answer.status === 200) {
        const browser: RunningBrowser = { ...launched, cdpPort: plan.cdpPort };
        running.set(plan.name, browser);
        void exited.then(() => {
          if (running.get(plan.name) === browser) running.delete(plan.name);
          if (!stopping.has(launched)) options.log(`browser "${plan.name}" (pid ${browser.pid}) exited on its own (${child.exitCode ?? child.signalCode})`);
        });
        options.log(`browser "${plan.name}" started: ${binary}, pid ${child.pid}, CDP http://127.0.0.1:${plan.cdpPort}`);
        const version = answer.body as { Browser?: string; webSocketDebuggerUrl?: string };
        return {
          status: 200,
          body: { ...view(plan), alreadyRunning: false, binary, browser: version.Browser ?? null, webSocketDebuggerUrl: version.webSocketDebuggerUrl ?? null },
        };
      }
      await Promise.race([sleep(100), exited]);
    }
    killGroup(child.pid, 'SIGKILL');
    const why = gone ? `exited with code ${child.exitCode ?? child.signalCode}` : `did not open CDP port ${plan.cdpPort} within ${CDP_WAIT_MS / 1000} s`;
    const lastLines = stderr.trim().split('\n').slice(-3).join(' | ');
    return { status: 502, body: { error: escapeControl(`${binary} ${why}.${lastLines ? ` Its last output: ${lastLines}` : ''}`) } };
  }

  async function start(name: string): Promise<Outcome> {
    const plan = options.profiles.find((p) => p.name === name);
    if (plan === undefined) return { status: 404, body: { error: `no browser profile ${quoteValue(name)}; known: ${options.profiles.map((p) => p.name).join(', ')}.` } };
    if (plan.source === 'remote') return { status: 409, body: { error: `browser profile "${name}" is remote (${escapeControl(plan.cdpUrl ?? '')}); there is nothing to start here.` } };
    if (plan.cdpPort === null) return { status: 409, body: { error: `browser profile "${name}" has no CDP port: the CDP range ${options.cdp.from}–${options.cdp.to} is full. Pin one with browser.profiles.${name}.cdpPort.` } };
    const already = running.get(name);
    if (already) return { status: 200, body: { ...view(plan), alreadyRunning: true } };
    const pending = starting.get(name) ?? launch({ ...plan, cdpPort: plan.cdpPort }).finally(() => starting.delete(name));
    starting.set(name, pending);
    return pending;
  }

  async function stop(name: string, graceMs = 1500): Promise<Outcome> {
    const browser = running.get(name);
    if (!options.profiles.some((p) => p.name === name)) return { status: 404, body: { error: `no browser profile ${quoteValue(name)}.` } };
    if (browser === undefined) return { status: 200, body: { name, stopped: false, message: `browser "${name}" was not running` } };
    await terminate(browser, graceMs);
    return { status: 200, body: { name, stopped: true, pid: browser.pid } };
  }

  async function route(req: IncomingMessage): Promise<Outcome> {
    const pathname = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && pathname === '/') {
      return {
        status: 200,
        body: {
          service: 'browser-control',
          profile: options.label,
          pid: process.pid,
          controlUrl: options.controlUrl,
          cdp: options.cdp,
          profiles: options.profiles.length,
          running: running.size,
          binary: findBrowserBinary(options.env),
        },
      };
    }
    if (req.method === 'GET' && pathname === '/profiles') return { status: 200, body: { profiles: options.profiles.map(view) } };
    const action = /^\/profiles\/([^/]+)\/(start|stop)$/.exec(pathname);
    if (action) {
      if (req.method !== 'POST') return { status: 405, body: { error: `use POST ${pathname}` } };
      let name: string;
      try {
        name = decodeURIComponent(action[1]!);
      } catch {
        return { status: 400, body: { error: 'the profile name is not valid percent-encoding' } };
      }
      return action[2] === 'start' ? start(name) : stop(name);
    }
    return { status: 404, body: { error: 'not found; try GET /, GET /profiles, POST /profiles/<name>/start or /stop' } };
  }

  return {
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      if (!tokenMatches(requestToken(req.headers, req.url), options.token)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return sendJson(res, 401, { error: 'this needs the gateway token: send "Authorization: Bearer <gateway.auth.token>"' });
      }
      const outcome = await route(req);
      sendJson(res, outcome.status, outcome.body);
    },
    /** Every browser this gateway started (or is starting), stopped together within graceMs, then killed. */
    async stopAll(graceMs: number): Promise<void> {
      await Promise.all([...spawned].map((p) => terminate(p, graceMs)));
    },
    /** Every browser this gateway started, killed at once: for a process about to exit. */
    killAll(): void {
      for (const browser of spawned) killGroup(browser.pid, 'SIGKILL');
    },
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
