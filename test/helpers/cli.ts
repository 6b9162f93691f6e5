import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO, 'bin', 'epiloop.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** How long the run took, spawn to exit. */
  ms: number;
}

/** Runs the built CLI (test/global-setup.ts rebuilds a stale dist/) as a subprocess, stdin closed, no TTY. */
export function runCli(
  args: string[],
  options: {
    env: Record<string, string>;
    timeoutMs?: number;
    input?: string;
    /** Flags for node itself, before the CLI (a small heap). */
    nodeArgs?: readonly string[];
    /** Run as this uid and gid (a user who may not read a root-owned file). */
    user?: number;
    /** The directory it runs in (default: the test runner's). */
    cwd?: string;
  },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(options.user === undefined ? {} : { uid: options.user, gid: options.user }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`epiloop ${args.join(' ')} did not finish in ${options.timeoutMs ?? 15_000} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(options.input ?? '');
  });
}
