import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';
import { REPO } from './cli';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/**
 * Another command bind-probing these ports over and over, as setup, the wizard and a proposal
 * do (bounded: it stops by itself after `ms`, and is killed after the test).
 */
export function probeLoop(ports: readonly number[], ms = 60_000): Promise<ChildProcess> {
  const script = `
    import { bindProbe } from ${JSON.stringify(`${REPO}/src/host/ports/probe.ts`)};
    const ports = ${JSON.stringify(ports)};
    const until = Date.now() + ${ms};
    process.send('ready');
    while (Date.now() < until) await bindProbe(ports, { retry: false });
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`the probe loop exited (${code})`)));
  });
}
