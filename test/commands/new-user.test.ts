/**
 * What a new user met in a first session (the new-user pass of this round), through the built
 * CLI: advice that leads somewhere, words that agree with what is listed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';

async function setup(env: Record<string, string>, name: string): Promise<string> {
  const ran = await runCli(['--profile', name, 'setup', '--port', String(await freeBase())], { env });
  expect(ran.code, ran.stderr).toBe(0);
  return path.join(env.HOME!, `.epiloop-${name}`, 'epiloop.json');
}

describe('a host with main and rescue, and no default profile', () => {
  it('status and doctor without --profile name the profiles there are, so doctor --fix is not read as the way in', async () => {
    const { env } = await tempHome();
    await setup(env, 'main');
    await setup(env, 'rescue');
    const status = await runCli(['status'], { env });
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('profile "default" is not set up');
    expect(status.stdout).toContain('This host has profiles main, rescue: name one with --profile, e.g. "epiloop --profile main status".');
    const doctor = await runCli(['doctor'], { env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('This host has profiles main, rescue: name one with --profile, e.g. "epiloop --profile main doctor".');
  });

  it('a host with no profile at all gets no such line', async () => {
    const { env } = await tempHome();
    const status = await runCli(['status'], { env });
    expect(status.stdout).not.toContain('This host has');
  });
});

describe('a config the gateway refuses (its token deleted)', () => {
  it('status does not call the config ok, puts the refusal first with its fix, and does not advise a start that would fail', async () => {
    const { env } = await tempHome();
    const file = await setup(env, 'main');
    const config = JSON.parse(await readFile(file, 'utf8'));
    delete config.gateway.auth;
    await writeFile(file, JSON.stringify(config), { mode: 0o600 });
    const status = await runCli(['--profile', 'main', 'status'], { env });
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/config\s+~\/\.epiloop-main\/epiloop\.json\s+needs a fix/);
    expect(status.stdout).toContain('The gateway refuses to start with this config. Fix it with "epiloop --profile main doctor --fix".');
    expect(status.stdout).not.toContain('Start it');
  });
});
