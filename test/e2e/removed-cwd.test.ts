/**
 * Every command a new user may type in a directory removed under the shell (`mkdir d; cd d;
 * rmdir ../d`) runs or refuses with a usage error: never exit 70, never "internal error".
 * The terminal commands (onboard's wizard, top) in a real pseudo-terminal; the rest piped.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { Terminal } from './pty';

const parents: string[] = [];
const terminals: Terminal[] = [];
afterEach(async () => {
  for (const t of terminals.splice(0)) t.kill();
  while (parents.length > 0) await rm(parents.pop()!, { recursive: true, force: true });
});

async function goneDir(): Promise<string> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'epiloop-gone-'));
  parents.push(parent);
  return path.join(parent, 'gone');
}

/** The built CLI started from a shell whose current directory was removed. */
async function runGone(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const gone = await goneDir();
  return new Promise((resolve) => {
    const script = 'mkdir "$1" && cd "$1" && rmdir "$1" && shift && exec "$@"';
    const child = spawn('sh', ['-c', script, 'sh', gone, process.execPath, BIN, ...args], { env, cwd: path.dirname(gone), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('a command typed in a directory removed under the shell', () => {
  it('onboard --non-interactive, gateway status/install/install --dry-run/restart: no exit 70', async () => {
    const { env } = await tempHome();
    const base = await freeBase();
    expect((await runCli(['--profile', 'main', 'setup', '--port', String(base)], { env })).code).toBe(0);
    for (const args of [
      ['--profile', 'lab', 'onboard', '--non-interactive', '--no-install-service'],
      ['--profile', 'lab2', 'onboard', '--non-interactive'],
      ['--profile', 'main', 'gateway', 'status'],
      ['--profile', 'main', 'gateway', 'install', '--dry-run'],
      ['--profile', 'main', 'gateway', 'install'],
      ['--profile', 'main', 'gateway', 'restart'],
      ['--profile', 'main', 'gateway', 'uninstall'],
    ]) {
      const { code, out } = await runGone(args, env);
      expect({ args, exit70: code === 70, internal: out.includes('internal error') }, out).toEqual({ args, exit70: false, internal: false });
    }
    const dry = await runGone(['--profile', 'main', 'gateway', 'install', '--dry-run'], env);
    expect([dry.code, dry.out]).toEqual([0, expect.stringContaining('[Service]')]);
  }, 90_000);

  it('onboard (the wizard) and top draw in a terminal', async () => {
    const { env } = await tempHome();
    const wizard = new Terminal(['--profile', 'main', 'onboard'], { env, removedCwd: await goneDir() });
    terminals.push(wizard);
    await wizard.waitFor(/profile|Profile/);
    wizard.press('ctrlC');
    const code = await wizard.exit();
    expect(code, wizard.screen()).not.toBe(70);
    expect(wizard.raw).not.toContain('internal error');
    const top = new Terminal(['top'], { env, removedCwd: await goneDir() });
    terminals.push(top);
    await top.waitFor(/PROFILE|no profile|No profile/);
    top.press({ text: 'q' });
    expect(await top.exit(), top.screen()).toBe(0);
    expect(top.raw).not.toContain('internal error');
  }, 60_000);
});
