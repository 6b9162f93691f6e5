/**
 * A "__proto__" key through the built CLI (hostile pass): config set refuses it wherever the
 * path puts it, validate and doctor name it, doctor --fix removes it.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSON5 from 'json5';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'ignore' });
}, 60_000);

async function configWith(home: string, extra: string): Promise<string> {
  const file = path.join(home, '.epiloop', 'epiloop.json');
  await mkdir(path.join(home, '.epiloop', 'workspace'), { recursive: true });
  await writeFile(file, `{\n  "gateway": { "port": 18789, "auth": { "token": "abcdefghijklmnopqrstuvwxyz" } },\n${extra}}\n`, { mode: 0o600 });
  return file;
}

describe('a "__proto__" key', () => {
  it('config set refuses it as a browser profile (the name rule) and as any other key; nothing is written', async () => {
    const { home, env } = await tempHome();
    const file = await configWith(home, '');
    const before = await readFile(file, 'utf8');
    for (const [key, value] of [
      ['browser.profiles.__proto__', '{cdpUrl:"ftp://x", cdpPort: 80}'],
      ['browser.profiles.__proto__', '5'],
      ['__proto__.polluted', '1'],
      ['gateway.__proto__.port', '1'],
    ]) {
      const r = await runCli(['config', 'set', key!, value!], { env });
      expect([key, r.code, r.stderr]).toEqual([key, 2, expect.stringMatching(/__proto__.*but must be[\s\S]*Nothing was written/)]);
    }
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('validate and doctor find a hand-written one; doctor --fix removes it', async () => {
    const { home, env } = await tempHome();
    const file = await configWith(home, '  "browser": { "profiles": { "__proto__": { "cdpPort": 7, "cdpUrl": "ftp://z" }, "work": { "cdpPort": 18800 } } },\n');
    const validate = await runCli(['config', 'validate'], { env });
    expect([validate.code, validate.stdout + validate.stderr]).toEqual([1, expect.stringContaining('browser.profiles.__proto__ is "__proto__", but must be a browser profile name')]);
    const doctor = await runCli(['doctor'], { env });
    expect(doctor.stdout + doctor.stderr).toContain('browser.profiles.__proto__');
    await runCli(['doctor', '--fix', '--yes'], { env });
    const raw = JSON5.parse(await readFile(file, 'utf8')) as { browser: { profiles: object } };
    expect(Object.keys(raw.browser.profiles)).toEqual(['work']);
    expect((await runCli(['config', 'validate'], { env })).code).toBe(0);
  });
});
