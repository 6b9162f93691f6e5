/**
 * The default profile's commands as another profile's command prints them: the default profile
 * has no --profile, so where EPILOOP_PROFILE selects another one (a rescue's shell, its
 * service), a plain "epiloop restart" would act on that one. Emptied first, they reach the
 * default profile; with no EPILOOP_PROFILE set they stay plain.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { startGateway, stopGateway } from '../gateway/gateways';

/** The default profile's gateway serving its base while its config names another: a port mismatch others advise a restart for. */
async function mismatched() {
  const { home, env } = await tempHome();
  const base = await freeBase();
  expect((await runCli(['setup', '--port', String(base)], { env })).code).toBe(0);
  expect((await runCli(['--profile', 'rescue', 'setup', '--port', String(await freeBase())], { env })).code).toBe(0);
  expect((await runCli(['--profile', 'rescue', 'config', 'set', 'watch.profiles', '["default"]'], { env })).code).toBe(0);
  const gateway = await startGateway(['gateway'], env);
  const file = path.join(home, '.epiloop', 'epiloop.json');
  const config = JSON5.parse(await readFile(file, 'utf8'));
  config.gateway.port = base + 200;
  await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  return { env, base, gateway };
}

/** A command line that names the default profile without emptying EPILOOP_PROFILE. */
const PLAIN_DEFAULT = /(?<!EPILOOP_PROFILE= )"epiloop (?!--profile)/;

describe('the default profile named by a command of another profile', { timeout: 60_000 }, () => {
  it('status, ports and doctor --target default run with EPILOOP_PROFILE=rescue empty it before the default profile\'s restart', async () => {
    const { env, base, gateway } = await mismatched();
    try {
      for (const args of [['status'], ['ports'], ['doctor', '--target', 'default']]) {
        const run = await runCli(args, { env: { ...env, EPILOOP_PROFILE: 'rescue' } });
        const text = run.stdout + run.stderr;
        expect(text, args.join(' ')).toContain('("EPILOOP_PROFILE= epiloop restart")');
        expect(text, args.join(' ')).toContain(`("EPILOOP_PROFILE= epiloop setup --port ${base}")`);
        expect(text, args.join(' ')).not.toMatch(PLAIN_DEFAULT);
      }
    } finally {
      await stopGateway(gateway);
    }
  });

  it('stay plain where no EPILOOP_PROFILE is set: --profile selects the other profile', async () => {
    const { env, gateway } = await mismatched();
    try {
      for (const args of [['--profile', 'rescue', 'status'], ['ports'], ['--profile', 'rescue', 'doctor', '--target', 'default']]) {
        const run = await runCli(args, { env });
        expect(run.stdout + run.stderr, args.join(' ')).toContain('("epiloop restart")');
        expect(run.stdout + run.stderr, args.join(' ')).not.toContain('EPILOOP_PROFILE=');
      }
    } finally {
      await stopGateway(gateway);
    }
  });
});
