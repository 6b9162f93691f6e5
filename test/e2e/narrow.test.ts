/**
 * The new-user pass at 80×24 and 60×20, through the built CLI in a pseudo-terminal: a command
 * to run is never broken across lines where a line holds it, and a table keeps its indent.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { Terminal } from './pty';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.kill();
});

/** The lines the command wrote on a terminal of `cols` columns, and its exit code. */
async function linesAt(args: string[], env: Record<string, string>, cols: number): Promise<{ code: number; lines: string[] }> {
  const term = new Terminal(args, { env, cols, rows: 60 });
  terminals.push(term);
  const code = await term.exit(15_000);
  const lines = term.raw.replace(/\r/g, '').split('\n');
  for (const l of lines) expect(l.length, lines.join('\n')).toBeLessThanOrEqual(cols);
  return { code, lines };
}

async function configOf(home: string, name: string, config: object): Promise<void> {
  const dir = path.join(home, `.epiloop-${name}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(path.join(dir, 'epiloop.json'), JSON.stringify({ gateway: { auth: { token: 'a-token-of-more-than-16-chars' } }, ...config }, null, 2), { mode: 0o600 });
}

describe('a command named in a wrapped line stays whole', () => {
  it('ports at 60 columns: the fix for an overlap keeps "epiloop --profile main onboard" on one line', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    await configOf(home, 'main', { gateway: { port: base, auth: { token: 'a-token-of-more-than-16-chars' } } });
    // 50 ports up: lab's footprint overlaps main's CDP range; the fix names the second of the two, main.
    await configOf(home, 'lab', { gateway: { port: base + 50, auth: { token: 'a-token-of-more-than-16-chars' } } });
    const { lines } = await linesAt(['ports'], env, 60);
    const text = lines.join('\n');
    expect(text).toContain('Fix:');
    expect(text).toMatch(/^ *epiloop --profile main onboard\.$/m);
    expect(text).toMatch(/epiloop --profile main doctor --fix/);
  }, 30_000);

  it("status at 80 columns: the Alerts line moves its quoted \"epiloop --profile rescue watch test\" whole to the next line", async () => {
    const { home, env } = await tempHome();
    await configOf(home, 'main', { gateway: { port: await freeBase(), auth: { token: 'a-token-of-more-than-16-chars' } } });
    await configOf(home, 'rescue', { gateway: { port: await freeBase(), auth: { token: 'a-token-of-more-than-16-chars' } }, watch: { profiles: ['main'] } });
    const { lines } = await linesAt(['--profile', 'rescue', 'status'], env, 80);
    expect(lines.join('\n')).toContain('"epiloop --profile rescue watch test" shows');
  }, 30_000);

  it('config set at 80 columns: the whole-item hint keeps its config set command on one line', async () => {
    const { home, env } = await tempHome();
    await configOf(home, 'rescue', { gateway: { port: await freeBase(), auth: { token: 'a-token-of-more-than-16-chars' } }, watch: { alerts: [] } });
    const { code, lines } = await linesAt(['--profile', 'rescue', 'config', 'set', 'watch.alerts[0].url', 'http://127.0.0.1:9/x'], env, 80);
    expect(code).toBe(2);
    expect(lines.join('\n')).toMatch(/^epiloop --profile rescue config set 'watch\.alerts\[0\]' '\{ .* \}'$/m);
  }, 30_000);
});

describe('a table under an indented line keeps its indent at 60 columns', () => {
  it("status: the port map and the Watching table sit 2 columns in, their rows under their heading", async () => {
    const { home, env } = await tempHome();
    await configOf(home, 'main', { gateway: { port: await freeBase(), auth: { token: 'a-token-of-more-than-16-chars' } } });
    await configOf(home, 'rescue', { gateway: { port: await freeBase(), auth: { token: 'a-token-of-more-than-16-chars' } }, watch: { profiles: ['main'] } });
    const { lines } = await linesAt(['--profile', 'rescue', 'status'], env, 60);
    const text = lines.join('\n');
    expect(text).toMatch(/^ {2}PORT {2,}ROLE {2,}STATE$/m);
    expect(text).toMatch(/^ {2}PROFILE {2,}STATE {2,}SINCE {2,}FINDING$/m);
    expect(text).toMatch(/^ {2}main {2,}down {2,}/m);
  }, 30_000);
});

describe('an option of another command', () => {
  it('status --all says where every profile is shown, exit 2', async () => {
    const { env } = await tempHome();
    const ran = await runCli(['status', '--all'], { env });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('unknown option --all for "epiloop status"; to see every profile, run "epiloop list" (or "epiloop ports").');
  });
});
