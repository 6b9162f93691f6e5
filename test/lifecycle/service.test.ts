import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { setupProfile, startGateway } from '../gateway/gateways';
import { standIn } from '../service/standin';

// The CLI picks systemd on Linux; the stand-in systemctl records the calls. It runs nothing, so
// the test runs the gateway the unit would run itself, and /health answers from that one.
describe.runIf(process.platform === 'linux')('start / stop / restart through the service manager (stand-in systemctl, built CLI)', () => {
  async function installed() {
    const { home, env } = await tempHome();
    const stand = await standIn(home, env);
    const main = await setupProfile(stand.env, 'main');
    const install = await runCli(['--profile', 'main', 'gateway', 'install'], { env: stand.env });
    expect(install.code, install.stderr).toBe(0);
    return { stand, main };
  }

  it('acts on exactly this profile\'s unit, names it first, and waits for /health', async () => {
    const { stand, main } = await installed();
    const gateway = await startGateway(['--profile', 'main', 'gateway'], stand.env);
    const before = (await stand.calls()).length;

    const up = await runCli(['--profile', 'main', 'start'], { env: stand.env, timeoutMs: 20_000 });
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout.split('\n')[0]).toBe(`→ main · epiloop-gateway-main.service · :${main.base} · ~/.epiloop-main`);
    expect(up.stdout).toContain(`✔ started in`);
    expect(up.stdout).toContain(`(pid ${gateway.pid})`);

    const again = await runCli(['--profile', 'main', 'restart', '--json'], { env: stand.env, timeoutMs: 20_000 });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).profiles[0]).toMatchObject({ target: { runner: 'systemd', service: 'epiloop-gateway-main.service', base: main.base }, outcome: { ok: true, state: 'restarted' } });

    // The stand-in stops nothing: the gateway it "ran" still holds the lock, and stop ends it by its pid.
    const down = await runCli(['--profile', 'main', 'stop'], { env: stand.env, timeoutMs: 20_000 });
    expect(down.code, down.stdout).toBe(0);
    expect(down.stdout).toContain(`✔ stopped in`);
    expect(down.stdout).toContain(`epiloop-gateway-main.service is stopped, and a gateway of this profile it did not run: pid ${gateway.pid} exited`);
    expect((await gateway.exited).code).toBe(0);

    expect((await stand.calls()).slice(before)).toEqual([
      'systemctl --user start epiloop-gateway-main.service',
      'systemctl --user restart epiloop-gateway-main.service',
      'systemctl --user stop epiloop-gateway-main.service',
    ]);
  });

  it('a manager step that fails, or no health within --wait, is a failed outcome with the reason, exit 1', async () => {
    const { stand } = await installed();
    const refused = await runCli(['--profile', 'main', 'start'], { env: { ...stand.env, STANDIN_FAIL: 'start' }, timeoutMs: 20_000 });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('✘ failed in');
    expect(refused.stdout).toContain('"systemctl --user start epiloop-gateway-main.service" failed: Failed to start unit: Access denied');

    const silent = await runCli(['--profile', 'main', 'restart', '--wait', '1'], { env: stand.env, timeoutMs: 20_000 });
    expect(silent.code).toBe(1);
    expect(silent.stdout).toMatch(/✘ failed in \d+ ms: no healthy answer within the wait \(.*connection refused\)/);
  });
});
