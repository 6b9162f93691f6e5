/**
 * A token of the wrong kind through the built CLI (hostile pass): config set's refusal and
 * doctor --fix's diff never print it, whether it is a list, an object or a number.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'ignore' });
}, 60_000);

const SECRET = 'abcdefghijklmnopqrstuvwxyz';

async function configWithToken(home: string, token: string): Promise<void> {
  await mkdir(path.join(home, '.epiloop', 'workspace'), { recursive: true });
  await writeFile(path.join(home, '.epiloop', 'epiloop.json'), `{\n  "gateway": {\n    "port": 18789,\n    "auth": {\n      "token": ${token}\n    }\n  }\n}\n`, { mode: 0o600 });
}

describe('a token that is no string', () => {
  it('config set refuses a list, an object or a number without printing it; an all-digit one is told to quote it', async () => {
    const { home, env } = await tempHome();
    await configWithToken(home, `"${SECRET}"`);
    for (const value of [`["${SECRET}"]`, `{"a":"${SECRET}"}`, '1234567890123456789']) {
      const r = await runCli(['config', 'set', 'gateway.auth.token', value], { env });
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).not.toMatch(/abcdefghijklmnop|1234567890123456/);
      expect(r.stderr).toContain('characters hidden');
    }
    const digits = await runCli(['config', 'set', 'gateway.auth.token', '1234567890123456789'], { env });
    expect(digits.stderr).toContain(`quote it twice, as in: epiloop config set gateway.auth.token '"<your token>"'`);
  });

  it("doctor --fix's diff hides the old token, a list, an object or a number", async () => {
    for (const token of [`[\n        "${SECRET}"\n      ]`, `{ "a": "${SECRET}" }`, '12345678901234567000']) {
      const { home, env } = await tempHome();
      await configWithToken(home, token);
      const r = await runCli(['doctor', '--fix'], { env });
      expect(r.stdout + r.stderr).toContain('-      "token": ');
      expect(r.stdout + r.stderr).not.toMatch(/abcdefghijklmnop|1234567890123456/);
    }
  });
});
