import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { bearer, request, setupProfile, startGateway, stopGateway } from './gateways';

/** ESC, BEL, the C1 CSI and a bidi override: none may reach a terminal from a value. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

describe('values echoed by the gateway are escaped, never raw terminal codes', () => {
  it('a config value with terminal codes is quoted escaped in the error', async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const config = JSON.parse(await readFile(p.configPath, 'utf8'));
    config.gateway.bind = '\u001b]0;owned\u0007\u001b[2Jlan\u202e';
    await writeFile(p.configPath, JSON.stringify(config), { mode: 0o600 });
    const result = await runCli(['--profile', 'main', 'gateway'], { env });
    expect(result.code).toBe(1);
    // The schema's one error, the gateway's too: the value as the JSON literal that writes it in the config.
    expect(result.stderr).toContain('gateway.bind is "\\u001b]0;owned\\u0007\\u001b[2Jlan\\u202e", but must be "loopback" (the default), "lan" or "all"');
    expect(result.stderr).not.toMatch(RAW_CONTROL);
  });

  it('a Host header and a browser profile name from a client come back and go to the log escaped', async () => {
    const { env } = await tempHome();
    const p = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);

    // 0x9b is a CSI on terminals that read 8-bit controls; HTTP lets it through as obs-text.
    const refused = await request(p.base, '/health', { headers: { Host: '\u009b2Jevil.test' } });
    expect(refused.status).toBe(421);
    expect(JSON.parse(refused.body).error).toContain('"\\x9b2Jevil.test"');
    const unknown = await request(p.base + 2, '/profiles/%1b%5b31mx%c2%9b/start', { method: 'POST', headers: bearer(p.token) });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error).toContain('no browser profile "\\e[31mx\\x9b"');
    for (const answer of [refused, unknown]) expect(JSON.parse(answer.body).error).not.toMatch(RAW_CONTROL);

    await stopGateway(gateway);
    expect(gateway.stdout()).toContain('Host "\\x9b2Jevil.test" is not this gateway');
    expect(gateway.stdout()).not.toMatch(RAW_CONTROL);
  });
});
