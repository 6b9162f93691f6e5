/**
 * Repairs and rollbacks while the profile's gateway runs: what changes for clients and
 * whether a restart is needed are judged against what the gateway serves (its lock), not only
 * the old file against the new one (new-user pass: a port hand-edited to 99999 while the
 * gateway served its base drew "clients must use the new one" and "restart it").
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { startGateway } from '../gateway/gateways';
import { sha256Of } from '../../src/host/watch/last-good';
import { renderLastGood } from '../../src/core/watch/last-good';

/** The default profile set up on a free base, and rescue beside it; the default's gateway running. */
async function running() {
  const { home, env } = await tempHome();
  const base = await freeBase();
  expect((await runCli(['setup', '--port', String(base)], { env })).code).toBe(0);
  expect((await runCli(['--profile', 'rescue', 'setup', '--port', String(await freeBase())], { env })).code).toBe(0);
  const file = path.join(home, '.epiloop', 'epiloop.json');
  const good = await readFile(file, 'utf8');
  const gateway = await startGateway(['gateway'], env);
  return { home, env, base, file, good, gateway };
}

async function withPort(file: string, port: number): Promise<void> {
  const config = JSON5.parse(await readFile(file, 'utf8'));
  config.gateway.port = port;
  await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
}

describe('a repair of a profile whose gateway runs', { timeout: 60_000 }, () => {
  it('doctor --fix --yes puts back the base the gateway serves, and says no client change and no restart (also --target)', async () => {
    for (const args of [['doctor'], ['--profile', 'rescue', 'doctor', '--target', 'default']]) {
      const { env, base, file, gateway } = await running();
      await withPort(file, 99999);
      const fixed = await runCli([...args, '--fix', '--yes'], { env });
      expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
      expect(JSON5.parse(await readFile(file, 'utf8')).gateway.port, args.join(' ')).toBe(base);
      expect(fixed.stdout, args.join(' ')).not.toContain('clients must use');
      expect(fixed.stdout, args.join(' ')).not.toContain('still uses its old');
      expect(fixed.stdout).not.toContain(`pid ${gateway.pid}) still`);
      gateway.child.kill('SIGKILL');
      await gateway.exited;
    }
  });

  it('doctor --fix of gateway.port 99999 says the base it puts back is the one its own gateway serves, not "the first free block" (also --target)', async () => {
    for (const args of [['doctor'], ['--profile', 'rescue', 'doctor', '--target', 'default']]) {
      const { env, base, file, gateway } = await running();
      await withPort(file, 99999);
      const asked = await runCli([...args, '--fix'], { env });
      expect(asked.stdout, args.join(' ')).toContain(`replace gateway.port 99999 with base ${base} (the base its running gateway (pid ${gateway.pid}) serves: no client change)`);
      expect(asked.stdout, args.join(' ')).not.toContain('first free block');
      gateway.child.kill('SIGKILL');
      await gateway.exited;
    }
  });

  it('doctor --rollback of a bind the running gateway never used says nothing of who can reach it (also --target)', async () => {
    const { home, env, file, good, gateway } = await running();
    const record = { version: 1 as const, sha256: sha256Of(good), recordedAt: new Date().toISOString(), by: 'rescue', text: good };
    await writeFile(path.join(home, '.epiloop', 'last-good.json'), renderLastGood(record), { mode: 0o600 });
    const config = JSON5.parse(await readFile(file, 'utf8'));
    config.gateway.bind = '10.9.9.9';
    await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
    for (const args of [['doctor', '--rollback'], ['--profile', 'rescue', 'doctor', '--target', 'default', '--rollback']]) {
      const asked = await runCli(args, { env });
      expect(asked.stdout, args.join(' ')).toContain('Change to');
      expect(asked.stdout, args.join(' ')).toContain('10.9.9.9');
      expect(asked.stdout, args.join(' ')).not.toContain('can reach');
    }
    gateway.child.kill('SIGKILL');
    await gateway.exited;
  });

  it('doctor --rollback --yes back to the config the gateway runs on: no port move, and no "start" for a gateway that runs', async () => {
    const { home, env, base, file, good, gateway } = await running();
    const text = good;
    const record = { version: 1 as const, sha256: sha256Of(text), recordedAt: new Date().toISOString(), by: 'rescue', text };
    await writeFile(path.join(home, '.epiloop', 'last-good.json'), renderLastGood(record), { mode: 0o600 });
    await withPort(file, base + 200);
    for (const args of [['doctor', '--rollback'], ['--profile', 'rescue', 'doctor', '--target', 'default', '--rollback']]) {
      const asked = await runCli(args, { env });
      expect(asked.stdout, args.join(' ')).toContain('Change to');
      expect(asked.stdout, args.join(' ')).not.toContain('base port moves');
    }
    const rolled = await runCli(['doctor', '--rollback', '--yes'], { env });
    expect(rolled.code, rolled.stdout + rolled.stderr).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(good);
    expect(rolled.stdout).not.toContain('start the gateway');
    expect(rolled.stdout).toContain(`the gateway (pid ${gateway.pid}) already runs this config: nothing to restart`);
  });

  it('doctor --rollback --yes to a config the gateway did not start on (other bytes than its lock records) says to restart it', async () => {
    const { home, env, base, file, good, gateway } = await running();
    const other = `${good}\n`;
    const record = { version: 1 as const, sha256: sha256Of(other), recordedAt: new Date(Date.now() - 3_600_000).toISOString(), by: 'rescue', text: other };
    await writeFile(path.join(home, '.epiloop', 'last-good.json'), renderLastGood(record), { mode: 0o600 });
    await withPort(file, base + 200);
    const rolled = await runCli(['doctor', '--rollback', '--yes'], { env });
    expect(rolled.code, rolled.stdout + rolled.stderr).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(other);
    expect(rolled.stdout).toContain(`the gateway (pid ${gateway.pid}) reads the restored config when it restarts: epiloop restart`);
  });

  it('doctor --target default --rollback --yes from rescue names default\'s gateway and a restart that reaches default, also with EPILOOP_PROFILE=rescue', async () => {
    const { home, env, base, file, good, gateway } = await running();
    // Other bytes than the gateway started on: a restart is what reads them.
    const other = `${good}\n`;
    const record = { version: 1 as const, sha256: sha256Of(other), recordedAt: new Date(Date.now() - 3_600_000).toISOString(), by: 'rescue', text: other };
    await writeFile(path.join(home, '.epiloop', 'last-good.json'), renderLastGood(record), { mode: 0o600 });
    for (const [args, extra, restart] of [
      [['--profile', 'rescue'], {}, 'epiloop restart'],
      [[], { EPILOOP_PROFILE: 'rescue' }, 'EPILOOP_PROFILE= epiloop restart'],
    ] as const) {
      await withPort(file, base + 200);
      const rolled = await runCli([...args, 'doctor', '--target', 'default', '--rollback', '--yes'], { env: { ...env, ...extra } });
      expect(rolled.code, rolled.stdout + rolled.stderr).toBe(0);
      expect(rolled.stdout).toContain(`default's gateway (pid ${gateway.pid}) reads the restored config when it restarts: ${restart}\n`);
    }
  });
});
