import { chmod, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';

async function onboarded(): Promise<{ env: Record<string, string>; dir: string; file: string }> {
  const { home, env } = await tempHome();
  const onboard = await runCli(['onboard', '--yes', '--port', String(await freeBase()), '--no-install-service'], { env });
  expect(onboard.code, onboard.stderr).toBe(0);
  const dir = path.join(home, '.epiloop');
  return { env, dir, file: path.join(dir, 'epiloop.json') };
}

describe('a symlinked config', () => {
  it("judges the mode of the file the link leads to: one other users can read is said, as for a regular config, with the chmod by hand", async () => {
    const { env, dir, file } = await onboarded();
    await rename(file, path.join(dir, 'real.json'));
    await symlink('real.json', file);
    await chmod(path.join(dir, 'real.json'), 0o644);
    const doctor = await runCli(['doctor'], { env });
    expect(doctor.stdout).toContain('is a symlink to real.json');
    expect(doctor.stdout).toMatch(/the config ~\/\.epiloop\/epiloop\.json leads to ~\/\.epiloop\/real\.json, which is 0644: other users can read the gateway's auth token/);
    expect(doctor.stdout).toContain('chmod 0600 ~/.epiloop/real.json');
    // 0600: nothing said of its mode.
    await chmod(path.join(dir, 'real.json'), 0o600);
    expect((await runCli(['doctor'], { env })).stdout).not.toContain('other users can read');
  }, 60_000);

  it('in a loop (epiloop.json → a → b → a) is said to be a loop, not a link to a file that does not exist', async () => {
    const { env, dir, file } = await onboarded();
    const text = await readFile(file, 'utf8');
    await writeFile(path.join(dir, 'saved.json'), text);
    await rename(file, path.join(dir, 'gone.json'));
    await symlink('a', file);
    await symlink('b', path.join(dir, 'a'));
    await symlink('a', path.join(dir, 'b'));
    for (const args of [['doctor'], ['status'], ['config', 'get', 'gateway.port']]) {
      const run = await runCli(args, { env });
      const out = run.stdout + run.stderr;
      expect(out, args.join(' ')).toMatch(/is a symlink loop/);
      expect(out, args.join(' ')).not.toContain('does not exist');
    }
  }, 60_000);
});
