import { execFileSync } from 'node:child_process';
import { mkdir, writeFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'ignore' });
}, 60_000);

/** Configs doctor --fix does not replace (it reports them, 0 fixable): every command's advice is the fix by hand. */
const KINDS: Record<string, (file: string, home: string) => Promise<void>> = {
  directory: (file) => mkdir(file).then(() => undefined),
  FIFO: async (file) => void execFileSync('mkfifo', [file]),
  'symlink out of the profile': async (file, home) => {
    await writeFile(path.join(home, 'elsewhere.json'), '{}', { mode: 0o600 });
    await symlink(path.join(home, 'elsewhere.json'), file);
  },
};

describe('a config doctor --fix cannot repair', () => {
  it.each(Object.keys(KINDS))('is a %s: status, config get and config set advise the fix by hand, not doctor --fix (which has nothing to fix)', async (kind) => {
    const { home, env } = await tempHome();
    const dir = path.join(home, '.epiloop');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await KINDS[kind]!(path.join(dir, 'epiloop.json'), home);
    const fix = await runCli(['doctor', '--fix', '--yes'], { env });
    expect(fix.stdout).toMatch(/0 fixable/);
    for (const args of [['status'], ['config', 'get', 'gateway.port'], ['config', 'set', 'gateway.port', '19789']]) {
      const run = await runCli(args, { env });
      const out = run.stdout + run.stderr;
      expect(run.code, `${args.join(' ')}: ${out}`).not.toBe(0);
      expect(out, args.join(' ')).toMatch(/Fix: .*(mv|cp --remove-destination)/);
      expect(out, args.join(' ')).not.toContain('doctor --fix');
    }
  }, 60_000);
});
