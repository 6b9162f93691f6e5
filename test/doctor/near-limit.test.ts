import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { MAX_FILE_BYTES } from '../../src/core/profile/files';

describe('doctor --fix on a config near the 1 MiB limit', () => {
  it('says the repaired config would be over the limit and what to do, and that the token was missing (not unread); nothing written', async () => {
    const { home, env } = await tempHome();
    const onboard = await runCli(['onboard', '--yes', '--port', String(await freeBase()), '--no-install-service'], { env });
    expect(onboard.code, onboard.stderr).toBe(0);
    const file = path.join(home, '.epiloop', 'epiloop.json');
    const config = JSON.parse(await readFile(file, 'utf8'));
    delete config.gateway.auth;
    const bare = JSON.stringify({ ...config, notes: '' });
    const text = JSON.stringify({ ...config, notes: 'n'.repeat(MAX_FILE_BYTES - bare.length - 20) });
    await writeFile(file, text, { mode: 0o600 });
    const fix = await runCli(['doctor', '--fix', '--yes'], { env, timeoutMs: 30_000 });
    const out = fix.stdout + fix.stderr;
    expect(fix.code).not.toBe(0);
    expect(out).toContain('the auth token was missing, so a new one is written');
    expect(out).not.toContain('could not be read');
    expect(out).toMatch(/the repaired ~\/\.epiloop\/epiloop\.json would be \d{7} bytes, over the 1 MiB \(1048576 bytes\) epiloop reads back; nothing was written\./);
    expect(out).not.toContain('Make the value smaller');
    expect(out).toContain('mv ~/.epiloop/epiloop.json ~/.epiloop/epiloop.json.aside');
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});
