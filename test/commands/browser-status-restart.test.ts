/**
 * A config changed while its gateway runs is read by the gateway only when it starts: browser
 * status, which asks browser control with the token the config holds now, knows the running
 * gateway started on other bytes (its lock's configSha256) and says to restart it, rather than
 * that browser control does not answer.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { setupProfile, startGateway } from '../gateway/gateways';

const NEW_TOKEN = 'a-new-token-of-more-than-16-chars';

describe('browser status after the token changed under a running gateway', () => {
  it('says the running gateway still uses the token it started with and to restart it, not that browser control is not answering', { timeout: 60_000 }, async () => {
    const { env } = await tempHome();
    await setupProfile(env, 'rescue');
    const gateway = await startGateway(['--profile', 'rescue', 'gateway'], env);
    const before = await runCli(['--profile', 'rescue', 'browser', 'status'], { env });
    expect(before.code, before.stdout).toBe(0);
    const set = await runCli(['--profile', 'rescue', 'config', 'set', 'gateway.auth.token', NEW_TOKEN], { env });
    expect(set.code, set.stderr).toBe(0);

    const text = await runCli(['--profile', 'rescue', 'browser', 'status'], { env });
    expect(text.stdout).not.toMatch(/not answering|does not answer/);
    expect(text.stdout).toMatch(/^ {2}control +\S+ +answers with the token its gateway started with \(pid \d+\): restart due$/m);
    expect(text.stdout.replace(/\s+/g, ' ')).toContain(
      `✖ The gateway (pid ${gateway.pid}) started on an earlier config and still uses the auth token it started with, so its browser control refuses the one the config holds now: restart it with "epiloop --profile rescue restart".`,
    );
    expect(text.code).toBe(1);

    const json = JSON.parse((await runCli(['--profile', 'rescue', 'browser', 'status', '--json'], { env })).stdout);
    expect(json).toMatchObject({ running: true, restartDue: true, healthy: false });
    expect(json.problems).toEqual([expect.stringContaining('restart it with "epiloop --profile rescue restart"')]);

    // status agrees that the change waits for a restart: a note under the gateway, not a problem.
    const status = await runCli(['--profile', 'rescue', 'status'], { env });
    expect(status.stdout.replace(/\s+/g, ' ')).toContain(`gateway running, pid ${gateway.pid}`);
    expect(status.stdout.replace(/\s+/g, ' ')).toContain('started on an earlier config: restart it to apply the changes: "epiloop --profile rescue restart"');
    expect(status.code).toBe(0);
    expect(JSON.parse((await runCli(['--profile', 'rescue', 'status', '--json'], { env })).stdout)).toMatchObject({ restartDue: true, healthy: true });
  });
});
