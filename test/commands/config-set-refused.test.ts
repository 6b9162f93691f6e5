/**
 * config set on a config the gateway would refuse for another key (new-user pass): the restart
 * advice names what to repair and its fix, in the words status gives (startVerdict's refusals,
 * ruleFixWords), not only "once the config is repaired".
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { startGateway } from '../gateway/gateways';

/** No interface has it: TEST-NET-3 (RFC 5737). */
const NOT_HERE = '203.0.113.9';

describe('config set beside a bind not on this host', { timeout: 60_000 }, () => {
  it('names the refusal and its fix, as status does, with the gateway running', async () => {
    const { env } = await tempHome();
    const base = await freeBase();
    expect((await runCli(['--profile', 'main', 'setup', '--port', String(base)], { env })).code).toBe(0);
    const file = path.join(env.HOME!, '.epiloop-main', 'epiloop.json');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    const config = JSON.parse(await readFile(file, 'utf8'));
    config.gateway.bind = NOT_HERE;
    await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
    const ran = await runCli(['--profile', 'main', 'config', 'set', 'logs.keepFiles', '3', '--dry-run'], { env });
    expect(ran.code, ran.stderr).toBe(0);
    const said = ran.stdout.replace(/\s+/g, ' ');
    expect(said).toContain(`The gateway (pid ${gateway.pid}) keeps its old config: it can restart once the config is repaired.`);
    expect(said).toContain(`gateway.bind is "${NOT_HERE}", not an address of this host.`);
    expect(said).toContain('Fix: set gateway.bind to an address of this host');
    expect(said).toContain('epiloop --profile main config set gateway.bind loopback');
    expect(said).not.toContain('doctor --fix');
  });
});
