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

describe('a secret behind a comment, an escaped key name or a line continuation (user pass: shown in clear)', () => {
  const TOK = 'SECRETtok0123456789abcdefXYZ';
  const write = async (home: string, text: string) => {
    await mkdir(path.join(home, '.epiloop', 'workspace'), { recursive: true });
    await writeFile(path.join(home, '.epiloop', 'epiloop.json'), text, { mode: 0o600 });
  };

  it("config set --dry-run's diff hides each of them", async () => {
    const files = [
      `{\n  gateway: {\n    port: 18789,\n    auth: { token: /* x */ "${TOK}" },\n  },\n}\n`,
      `{\n  gateway: {\n    port: 18789,\n    auth: { "token" /* c */ : "${TOK}" },\n  },\n}\n`,
      `{\n  gateway: {\n    port: 18789,\n    auth: { \\u0074oken: "${TOK}" },\n  },\n}\n`,
      `{\n  gateway: {\n    port: 18789,\n    auth: { token: "SECRETtok0123\\\n456789abcdefXYZ" },\n  },\n}\n`,
      `{\n  gateway: { port: 18789, auth: { token: "${TOK}" } },\n  watch: { alerts: [{ type: "command", command: ["notify", /* ] */ "SECRETarg1"] }] },\n}\n`,
    ];
    for (const file of files) {
      const { home, env } = await tempHome();
      await write(home, file);
      const r = await runCli(['config', 'set', 'gateway.port', '18900', '--dry-run'], { env });
      expect(r.stdout + r.stderr).toContain('18900');
      expect(r.stdout + r.stderr).toContain('characters hidden');
      expect(r.stdout + r.stderr).not.toMatch(/SECRET|456789abcdefXYZ/);
    }
  });

  it('doctor, doctor --json and doctor --fix hide a token without quotes behind a comment in a broken file', async () => {
    const { home, env } = await tempHome();
    await write(home, `{ gateway: { auth: { token: /* x */ ${TOK} } } }\n`);
    for (const args of [['doctor'], ['doctor', '--json'], ['doctor', '--fix']]) {
      const r = await runCli(args, { env });
      expect(r.stdout + r.stderr).not.toContain('SECRET');
    }
  });
});
