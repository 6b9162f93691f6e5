/**
 * The hostile pass's worst: one profile's config with 5,000 bad watch.alerts entries (249 KB)
 * stalled every command on the host, other profiles' too (list, ports, doctor > 25 s; rescue's
 * status 80 s), and rescue's finding carried every problem on one 1.26 MB line.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';

/** Seconds, not minutes: under 3 s on an idle machine; a margin for two cores shared with the rest of npm test. */
const BOUND_MS = 8000;

describe('a config with 5,000 bad list entries', () => {
  it('slows no command on the host: rescue status, list, ports and main doctor finish in seconds, the finding capped', async () => {
    const { home, env } = await tempHome();
    const [mainBase, rescueBase] = [await freeBase(), await freeBase()];
    const alerts = Array.from({ length: 5000 }, (_, i) => ({ type: 'webhook', url: `nourl${i}`, retries: 99 }));
    const configs = {
      main: { gateway: { port: mainBase, auth: { token: 'a-token-of-more-than-16-chars' } }, watch: { profiles: ['rescue'], alerts } },
      rescue: { gateway: { port: rescueBase, auth: { token: 'a-token-of-more-than-16-chars' } }, watch: { profiles: ['main'] } },
    };
    for (const [name, config] of Object.entries(configs)) {
      await mkdir(path.join(home, `.epiloop-${name}`), { recursive: true, mode: 0o700 });
      await writeFile(path.join(home, `.epiloop-${name}`, 'epiloop.json'), JSON.stringify(config), { mode: 0o600 });
    }
    const runs = {
      status: await runCli(['--profile', 'rescue', 'status'], { env, timeoutMs: 60_000 }),
      list: await runCli(['list'], { env, timeoutMs: 60_000 }),
      ports: await runCli(['ports'], { env, timeoutMs: 60_000 }),
      doctor: await runCli(['--profile', 'main', 'doctor'], { env, timeoutMs: 60_000 }),
    };
    for (const [name, run] of Object.entries(runs)) {
      expect(run.code, `${name}: ${run.stderr}`).not.toBe(70);
      expect(run.ms, name).toBeLessThan(BOUND_MS);
    }
    const finding = runs.status.stdout.split('\n').find((l) => /^\s+main\s+down/.test(l)) ?? '';
    expect(finding).toMatch(/config is broken: .*; … and 9997 more problems; "epiloop --profile main config validate" lists every one$/);
    expect(finding.length).toBeLessThan(600);
    // One finding per bad value: the url (its entry goes with it) and the retries of each entry.
    // Twenty of them printed, the rest counted (doctor --json lists every one).
    expect(runs.doctor.stdout.split('\n').filter((l) => l.startsWith('✖ watch.alerts['))).toHaveLength(20);
    expect(runs.doctor.stdout).toContain('… and 9981 more findings like these; "epiloop --profile main doctor --json" lists every one');
    expect(runs.doctor.stdout).toMatch(/\n10001 problems \(10000 errors, 1 warning\)/);
    expect(runs.doctor.stdout).not.toContain('is missing');
  }, 120_000);

  it('doctor --fix caps its plan, its diff and its Applied lines as doctor caps findings; no step for a key inside an entry another step removes', async () => {
    const { home, env } = await tempHome();
    const alerts = Array.from({ length: 5000 }, (_, i) => ({ type: 'webhook', url: `nourl${i}`, retries: 99 }));
    const config = { gateway: { port: await freeBase(), auth: { token: 'a-token-of-more-than-16-chars' } }, watch: { alerts } };
    await mkdir(path.join(home, '.epiloop-main'), { recursive: true, mode: 0o700 });
    await writeFile(path.join(home, '.epiloop-main', 'epiloop.json'), JSON.stringify(config, null, 2), { mode: 0o600 });

    const fix = await runCli(['--profile', 'main', 'doctor', '--fix', '--yes'], { env, timeoutMs: 60_000 });
    expect(fix.code, fix.stderr).not.toBe(70);
    const lines = fix.stdout.split('\n');
    expect(lines.length).toBeLessThan(200);
    // Each entry goes once: its retries are not a step of their own.
    expect(fix.stdout).not.toMatch(/remove watch\.alerts\.\d+\.retries/);
    expect(lines.filter((l) => /^ {2}\d+\. /.test(l))).toHaveLength(20);
    expect(fix.stdout).toContain('  … and 4981 more steps; "epiloop --profile main doctor --fix --json" lists every one');
    const diff = lines.slice(lines.findIndex((l) => l.startsWith('Change to ')) + 1, lines.findIndex((l) => l.includes('more changed lines')));
    expect(diff.length).toBeLessThanOrEqual(40);
    expect(fix.stdout).toMatch(/\n {2}… \d+ more changed lines; the old file is kept as a backup\n/);
    expect(lines.filter((l) => l.startsWith('  - remove watch.alerts['))).toHaveLength(20);
    expect(fix.stdout).toContain('  … and 4981 more applied');
    expect(JSON.parse(await readFile(path.join(home, '.epiloop-main', 'epiloop.json'), 'utf8')).watch.alerts).toEqual([]);
  }, 120_000);
});
