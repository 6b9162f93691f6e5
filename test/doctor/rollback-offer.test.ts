/**
 * When the way back to the last-known-good config is offered (new-user pass): only when the
 * config on disk differs from it (as doctor --rollback judges it), by doctor as by status and
 * start; a running gateway's refused config said as what it is; and the restart hint after a
 * rollback judged by the config the gateway started on.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { startGateway } from '../gateway/gateways';
import { writeLastGood } from '../helpers/last-good';

const OFFER = 'go back to the config it last ran healthy on with "epiloop --profile main doctor --rollback"';

async function setupMain(env: Record<string, string>): Promise<{ file: string; good: string; base: number }> {
  const base = await freeBase();
  const ran = await runCli(['--profile', 'main', 'setup', '--port', String(base)], { env });
  expect(ran.code, ran.stderr).toBe(0);
  const file = path.join(env.HOME!, '.epiloop-main', 'epiloop.json');
  return { file, good: await readFile(file, 'utf8'), base };
}

function withBind(good: string, bind: string): string {
  const config = JSON.parse(good);
  config.gateway.bind = bind;
  return JSON.stringify(config, null, 2);
}

describe('the rollback offer', { timeout: 60_000 }, () => {
  it('is not made by status, start, browser status or doctor when the config on disk already is the last-known-good one', async () => {
    const { env } = await tempHome();
    const { file, good } = await setupMain(env);
    const broken = JSON.parse(good);
    broken.gateway.port = 99999;
    for (const text of [withBind(good, '10.9.9.9'), JSON.stringify(broken, null, 2)]) {
      await writeFile(file, text, { mode: 0o600 });
      await writeLastGood(file, text);
      const runs = [
        await runCli(['--profile', 'main', 'status'], { env }),
        await runCli(['--profile', 'main', 'status', '--json'], { env }),
        await runCli(['--profile', 'main', 'start'], { env, timeoutMs: 20_000 }),
        await runCli(['--profile', 'main', 'browser', 'status'], { env }),
        await runCli(['--profile', 'main', 'doctor'], { env }),
      ];
      for (const ran of runs) {
        expect(ran.code).not.toBe(0);
        expect(ran.stdout + ran.stderr).not.toContain('--rollback');
      }
      expect((await runCli(['--profile', 'main', 'doctor', '--rollback'], { env })).stdout).toContain('already holds it: nothing to roll back');
    }
  });

  it('is made by doctor for a config a start rule refuses, in the words status and start use, when the last-known-good one differs', async () => {
    const { env } = await tempHome();
    const { file, good } = await setupMain(env);
    await writeFile(file, withBind(good, '10.9.9.9'), { mode: 0o600 });
    const without = await runCli(['--profile', 'main', 'doctor'], { env });
    expect(without.stdout).not.toContain('--rollback');
    await writeLastGood(file, good);
    const status = await runCli(['--profile', 'main', 'status'], { env });
    expect(status.stdout.replace(/\s+/g, ' ')).toContain(OFFER);
    const doctor = await runCli(['--profile', 'main', 'doctor'], { env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(OFFER);
    const json = JSON.parse((await runCli(['--profile', 'main', 'doctor', '--json'], { env })).stdout);
    expect(json.findings.find((f: { kind: string }) => f.kind === 'bind-address').fix).toContain(OFFER);
  });
});

describe('status of a refused config while the gateway runs', { timeout: 60_000 }, () => {
  it('says the running gateway keeps serving where it started and that a restart would be refused, in text and --json', async () => {
    const { env } = await tempHome();
    const { file, good, base } = await setupMain(env);
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    await writeFile(file, withBind(good, '10.9.9.9'), { mode: 0o600 });
    const sentence = `The gateway (pid ${gateway.pid}) keeps serving on http://127.0.0.1:${base}, the address it started with, but a restart would be refused with this config.`;
    const text = await runCli(['--profile', 'main', 'status'], { env });
    expect(text.stdout.replace(/\s+/g, ' ')).toContain(sentence);
    expect(text.stdout).not.toContain('refuses to start with this config');
    const json = JSON.parse((await runCli(['--profile', 'main', 'status', '--json'], { env })).stdout);
    expect(json.problems.join('\n')).toContain(sentence);
    expect(json.problems.join('\n')).not.toContain('refuses to start with this config');
  });

  it('browser status says it as status does, and exits as status does', async () => {
    const { env } = await tempHome();
    const { file, good, base } = await setupMain(env);
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    await writeFile(file, withBind(good, '203.0.113.9'), { mode: 0o600 });
    const sentence = `The gateway (pid ${gateway.pid}) keeps serving on http://127.0.0.1:${base}, the address it started with, but a restart would be refused with this config.`;
    const status = await runCli(['--profile', 'main', 'status'], { env });
    const browser = await runCli(['--profile', 'main', 'browser', 'status'], { env });
    expect(browser.stdout.replace(/\s+/g, ' ')).toContain(sentence);
    expect(browser.stdout).toContain('config set gateway.bind loopback');
    expect(browser.code).toBe(status.code);
    const json = JSON.parse((await runCli(['--profile', 'main', 'browser', 'status', '--json'], { env })).stdout);
    expect(json.problems.join('\n')).toContain(sentence);
    expect(json.healthy).toBe(false);
  });
});

describe('the restart hint after doctor --rollback --yes while the gateway runs', { timeout: 60_000 }, () => {
  it('says no restart is needed when the gateway started on the restored bytes, even when they were recorded before it started', async () => {
    const { env } = await tempHome();
    const { file, good } = await setupMain(env);
    await writeLastGood(file, good, new Date(Date.now() - 3_600_000));
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    await writeFile(file, withBind(good, '10.9.9.9'), { mode: 0o600 });
    const rolled = await runCli(['--profile', 'main', 'doctor', '--rollback', '--yes'], { env });
    expect(rolled.code, rolled.stdout + rolled.stderr).toBe(0);
    expect(rolled.stdout).toContain(`the gateway (pid ${gateway.pid}) already runs this config: nothing to restart`);
  });

  it('says to restart when the gateway started on other bytes, even when they were recorded after it started', async () => {
    const { env } = await tempHome();
    const { file, good } = await setupMain(env);
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    const other = `${good.trimEnd()}\n\n`;
    await writeLastGood(file, other);
    await writeFile(file, withBind(good, '10.9.9.9'), { mode: 0o600 });
    const rolled = await runCli(['--profile', 'main', 'doctor', '--rollback', '--yes'], { env });
    expect(rolled.code, rolled.stdout + rolled.stderr).toBe(0);
    expect(rolled.stdout).toContain(`the gateway (pid ${gateway.pid}) reads the restored config when it restarts: epiloop --profile main restart`);
  });
});
