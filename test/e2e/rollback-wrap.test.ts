/**
 * doctor --target P --rollback on a terminal: what changes for clients wraps as the other lists
 * do, each continuation under its item's text (hangOf), colour or not (new-user pass: a coloured
 * "  ! …" line continued 7 spaces in, under nothing).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { writeLastGood } from '../helpers/last-good';
import { Terminal } from './pty';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.kill();
});

describe('doctor --target main --rollback at 40 columns, in colour', () => {
  it('continues each wrapped impact under its text, 4 spaces in', async () => {
    const { env } = await tempHome();
    for (const name of ['main', 'rescue']) expect((await runCli(['--profile', name, 'setup', '--port', String(await freeBase())], { env })).code).toBe(0);
    const file = path.join(env.HOME!, '.epiloop-main', 'epiloop.json');
    const good = await readFile(file, 'utf8');
    await writeLastGood(file, good);
    const config = JSON.parse(good);
    config.gateway.bind = 'lan';
    await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
    const coloured = { ...env };
    delete coloured.NO_COLOR;
    const term = new Terminal(['--profile', 'rescue', 'doctor', '--target', 'main', '--rollback'], { env: coloured, cols: 40, rows: 60 });
    terminals.push(term);
    const screen = (await term.waitFor('Roll back?')).split('\n');
    const impact = screen.findIndex((l) => l.startsWith('  ! '));
    expect(impact, screen.join('\n')).toBeGreaterThan(-1);
    expect(screen[impact + 1], screen.join('\n')).toMatch(/^ {4}\S/);
  }, 30_000);
});
