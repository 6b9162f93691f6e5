/**
 * `epiloop top` end to end: the built CLI in a real pseudo-terminal, with two real gateways.
 * A gateway stopped from another shell shows as down within two refreshes; r brings it back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { setupProfile } from '../gateway/gateways';
import { Terminal } from './pty';

const terminals: Terminal[] = [];
const homes: Record<string, string>[] = [];
afterEach(async () => {
  for (const t of terminals.splice(0)) t.kill();
  // Detached gateways outlive the CLI that started them: stop what the test started.
  for (const env of homes.splice(0)) await runCli(['stop', '--all', '--wait', '3'], { env, timeoutMs: 20_000 });
});

/** The refresh period of top (components/top/use-top.ts). */
const REFRESH_MS = 1000;

describe('epiloop top (pseudo-terminal)', () => {
  it('shows main and rescue live; main stopped from outside is down within two refreshes; r restarts it after asking', async () => {
    const { env } = await tempHome();
    homes.push(env);
    const main = await setupProfile(env, 'main');
    await setupProfile(env, 'rescue');
    expect((await runCli(['--profile', 'rescue', 'config', 'set', 'watch.profiles', '["main"]'], { env })).code).toBe(0);
    const up = await runCli(['start', '--all'], { env, timeoutMs: 30_000 });
    expect(up.code, up.stdout + up.stderr).toBe(0);

    const term = new Terminal(['top'], { env });
    terminals.push(term);
    // Rescue's row keeps what it watches in sight (at 80 columns every column fits; narrower, ROLE gives way first).
    await term.waitFor((s) => /› main +(?:main +)?\d+ +up · pid \d+/.test(s) && /rescue +(?:rescue +)?\d+ +up · pid \d+ .* main up /.test(s));
    const screen = term.screen();
    expect(screen.split('\n').length).toBeLessThan(24);
    expect(screen).toMatch(new RegExp(`${main.base} +gateway +this gateway \\(pid \\d+\\)`));

    const down = await runCli(['--profile', 'main', 'stop'], { env, timeoutMs: 20_000 });
    expect(down.code, down.stderr).toBe(0);
    const stoppedAt = Date.now();
    await term.waitFor(/› main +(?:main +)?\d+ +down /, 2 * REFRESH_MS + 500);
    expect(Date.now() - stoppedAt).toBeLessThanOrEqual(2 * REFRESH_MS + 500);
    // The rescue's own watch of main (its /health) says so too, within two seconds of the stop, not at its next round (10 s).
    await term.waitFor(/rescue +(?:rescue +)?\d+ +up · pid \d+ .* main down /, 2000);
    expect(Date.now() - stoppedAt).toBeLessThanOrEqual(2000);

    term.press({ text: 'r' });
    await term.waitFor('restart main? y yes · n no');
    term.press({ text: 'y' });
    await term.waitFor(/✔ main: (restarted|started) in \d+ ms: healthy/, 20_000);
    const after = await term.waitFor(/› main +(?:main +)?\d+ +up · pid \d+/);
    // After a real action the frame was replaced, not stacked on the last one.
    expect(after.split('\n').filter((l) => /main +(?:main +)?\d+ +(up|down)/.test(l))).toHaveLength(1);
    expect(after.split('\n').filter((l) => /rescue +(?:rescue +)?\d+ +(up|down)/.test(l))).toHaveLength(1);
    expect(after.split('\n').filter((l) => /PROFILE +(ROLE|BASE)/.test(l))).toHaveLength(1);

    term.press({ text: 'q' });
    expect(await term.exit()).toBe(0);
    // NO_COLOR (tempHome sets it): no colour escape was ever written.
    expect(term.raw).not.toMatch(/\u001b\[(3[0-7]|9[0-7]|2)m/);
  }, 90_000);

  it('redraws in place at 80×24, 80×40 and 60×20: after refreshes and after an action no row, heading or log line is there twice, and the footer shows', async () => {
    const { env } = await tempHome();
    await setupProfile(env, 'main');
    await setupProfile(env, 'lab');
    const count = (screen: string, re: RegExp) => screen.split('\n').filter((l) => re.test(l)).length;
    for (const [cols, rows] of [[80, 24], [80, 40], [60, 20]] as const) {
      const term = new Terminal(['top'], { env, cols, rows });
      terminals.push(term);
      await term.waitFor((s) => /› lab /.test(s) && /^ +main +(?:main +)?\d+/m.test(s));
      // Two refreshes, then an action asked and cancelled, then a view and back.
      await new Promise((resolve) => setTimeout(resolve, 2 * REFRESH_MS + 200));
      term.press({ text: 's' });
      await term.waitFor('start lab? y yes · n no');
      term.press({ text: 'n' });
      const screen = await term.waitFor('Nothing done: start of lab cancelled.');
      const at = `${cols}×${rows}:\n${screen}`;
      expect(count(screen, /^. ?lab /), at).toBe(1);
      expect(count(screen, /^ +main +(?:main +)?\d+/), at).toBe(1);
      expect(count(screen, /y yes · n no|Nothing done|↑↓ select/), at).toBe(1);
      expect(count(screen, /PROFILE +(ROLE|BASE)/), at).toBe(1);
      expect(count(screen, /^epiloop top/), at).toBe(1);
      expect(count(screen, /no events yet/), at).toBeLessThanOrEqual(1);
      expect(screen.split('\n').length, at).toBeLessThanOrEqual(rows);
      // A view and back: the full log's lines are gone, the table is there once.
      term.press({ text: 'l' });
      await term.waitFor('log of lab ·');
      term.press('esc');
      const back = await term.waitFor((s) => !s.includes('log of lab ·') && /› lab /.test(s));
      expect(count(back, /PROFILE +(ROLE|BASE)/), back).toBe(1);
      expect(count(back, /^. ?lab /), back).toBe(1);
      expect(count(back, /no events yet/), back).toBeLessThanOrEqual(1);
      term.press({ text: 'q' });
      expect(await term.exit()).toBe(0);
    }
  }, 60_000);

  it('without a terminal exits 2 and names the commands that print the same facts', async () => {
    const { env } = await tempHome();
    // Without CI in its environment (CI runs this suite with CI=true): the reason is the missing terminal alone.
    delete env.CI;
    const result = await runCli(['top'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"epiloop ports"');
    expect(result.stderr).toContain('"epiloop list --json"');
    expect(result.stderr).toContain('stdin or stdout is not a terminal');
  });

  it('under CI in a real terminal exits 2 and says CI is the reason, as onboard does (it said it needed a terminal)', async () => {
    const { env } = await tempHome();
    const term = new Terminal(['top'], { env, ci: '1' });
    terminals.push(term);
    expect(await term.exit()).toBe(2);
    expect(term.raw.replace(/\r?\n/g, ' ')).toContain('"epiloop top" draws a live screen in a terminal, and CI is set.');
    expect(term.raw).not.toContain('needs a terminal');
    expect(term.raw).toContain('"epiloop ports"');
  });
});
