import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { listBackups } from '../../src/host/store/store';

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'ignore' });
}, 60_000);

async function configured(home: string): Promise<{ file: string; text: string }> {
  const file = path.join(home, '.epiloop', 'epiloop.json');
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const text = "{\n  gateway: { port: 18789, auth: { token: 'main-token-0123456789abcdef' } },\n}\n";
  await writeFile(file, text, { mode: 0o600 });
  return { file, text };
}

describe('config get / set / unset on hostile input', () => {
  it('refuses a quoted key with a bad escape or a raw control character as a bad key path (exit 2), in get, set and unset', async () => {
    const { home, env } = await tempHome();
    const { file, text } = await configured(home);
    for (const key of ['a["\\q"]', 'a["\\u12"]', 'a["x\ny"]', 'a["\u001b[2J"]']) {
      for (const args of [['get', key], ['set', key, '1'], ['unset', key]]) {
        const run = await runCli(['config', ...args], { env });
        expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(2);
        expect(run.stderr).toContain('is not a key path');
        expect(run.stderr).toContain('[N] for an array index');
        expect(run.stderr).not.toMatch(/internal error|SyntaxError|\n\s+at /);
      }
    }
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('refuses a set that would nest the config deeper than it reads back (a long path, a deep value): exit 2, nothing written, the config still reads', async () => {
    const { home, env } = await tempHome();
    const { file, text } = await configured(home);
    for (const args of [[Array(65).fill('a').join('.'), '1'], ['deep', '['.repeat(64) + ']'.repeat(64)]]) {
      const run = await runCli(['config', 'set', ...args], { env });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/would nest deeper than the 64 levels epiloop reads back; nothing was written/);
      expect(await readFile(file, 'utf8')).toBe(text);
      expect(await listBackups(file)).toEqual([]);
    }
    expect((await runCli(['config', 'validate'], { env })).code).toBe(0);
  });
});
