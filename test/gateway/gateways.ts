import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import { BIN, runCli } from '../helpers/cli';
import { freeBase } from '../helpers/ports';

/** A gateway run as the built CLI (npm run build first), stopped after each test. */
export interface GatewayProcess {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<GatewayProcess>();

/** `suite: true`: not stopped after each test; the suite that started it stops it (afterAll). */
export function spawnGateway(args: string[], env: Record<string, string>, options: { suite?: boolean } = {}): GatewayProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const gateway: GatewayProcess = { child, pid: child.pid!, stdout: () => stdout, stderr: () => stderr, exited };
  if (options.suite !== true) {
    children.add(gateway);
    void exited.then(() => children.delete(gateway));
  }
  return gateway;
}

/** Resolves once the gateway logs "ready", rejects if it exits first or takes over 10 s. */
export async function startGateway(args: string[], env: Record<string, string>, options: { suite?: boolean } = {}): Promise<GatewayProcess> {
  const gateway = spawnGateway(args, env, options);
  const deadline = Date.now() + 10_000;
  while (!/ ready \(pid/.test(gateway.stdout())) {
    if (gateway.child.exitCode !== null || gateway.child.signalCode !== null || Date.now() > deadline) {
      throw new Error(`gateway ${args.join(' ')} did not become ready (exit ${gateway.child.exitCode}):\n${gateway.stdout()}\n${gateway.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return gateway;
}

/** SIGTERM first, so the gateway stops the browsers it started; SIGKILL after 3 s. */
export async function stopGateway(gateway: GatewayProcess): Promise<void> {
  if (gateway.child.exitCode !== null || gateway.child.signalCode !== null) return;
  gateway.child.kill('SIGTERM');
  const timer = setTimeout(() => gateway.child.kill('SIGKILL'), 3000);
  await gateway.exited;
  clearTimeout(timer);
}

afterEach(async () => {
  await Promise.all([...children].map(stopGateway));
});

export interface Profile {
  name: string;
  base: number;
  token: string;
  configPath: string;
  workspace: string;
}

/** `epiloop --profile NAME setup --port <a free base>`, as a user would. */
export async function setupProfile(env: Record<string, string>, name: string, base?: number): Promise<Profile> {
  const port = base ?? (await freeBase());
  const result = await runCli(['--profile', name, 'setup', '--port', String(port)], { env });
  if (result.code !== 0) throw new Error(`setup ${name} failed: ${result.stderr}`);
  const configPath = path.join(env.HOME!, `.epiloop-${name}`, 'epiloop.json');
  const config = JSON.parse(await readFile(configPath, 'utf8'));
  return { name, base: port, token: config.gateway.auth.token, configPath, workspace: config.agents.defaults.workspace };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request: the path is sent exactly as given (fetch would normalise "/../"). */
export function request(port: number, pathname: string, options: { method?: string; headers?: Record<string, string>; host?: string; timeoutMs?: number } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: options.host ?? '127.0.0.1', port, path: pathname, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    const timeoutMs = options.timeoutMs ?? 5000;
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${port}${pathname} in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** One WebSocket client of the gateway at `port`; resolves once it is open, or with the status its upgrade was refused with. */
export function openWebSocket(port: number, token: string): Promise<{ socket: WebSocket } | { refused: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: bearer(token) });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

const FAULT = pathToFileURL(path.join(import.meta.dirname, 'fixtures', 'fault.mjs')).href;

/** The environment for a gateway that preloads fixtures/fault.mjs with these faults (see there). */
export const withFault = (env: Record<string, string>, faults: string) => ({ ...env, NODE_OPTIONS: `--import=${FAULT}`, GATEWAY_FAULT: faults });
