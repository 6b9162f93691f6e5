/**
 * `list` is the facts of `status` and `ports`, once per profile: for the same host, every
 * fact it prints is the one those commands print (issue 15, "one truth").
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { setupProfile, startGateway } from '../gateway/gateways';
import { freeBase } from '../helpers/ports';

const stable = (g: Record<string, unknown>) => {
  const { uptimeMs: _, ...rest } = g;
  return rest;
};
const watchStates = (w: { profiles: { profile: string; state: string; finding: string }[] } | null) => w?.profiles.map((r) => [r.profile, r.state, r.finding]) ?? null;

describe('epiloop list', () => {
  it('says of every profile what status --json and ports --json say of it', async () => {
    const { env } = await tempHome();
    await setupProfile(env, 'main');
    const lab = await setupProfile(env, 'lab');
    await setupProfile(env, 'rescue');
    expect((await runCli(['--profile', 'rescue', 'config', 'set', 'watch.profiles', '["main"]'], { env })).code).toBe(0);
    await startGateway(['--profile', 'main', 'gateway'], env);
    await startGateway(['--profile', 'lab', 'gateway'], env);
    // lab's config moves while its gateway serves the old base: degraded, by the host model's mismatch rule.
    const moved = await freeBase();
    expect((await runCli(['--profile', 'lab', 'config', 'set', 'gateway.port', String(moved)], { env })).code).toBe(0);

    const [list, ports, ...statuses] = await Promise.all([
      runCli(['list', '--json'], { env }),
      runCli(['ports', '--json'], { env }),
      ...['main', 'lab', 'rescue'].map((p) => runCli(['--profile', p, 'status', '--json'], { env })),
    ]);
    expect(list.code, list.stderr).toBe(1);
    const rows = JSON.parse(list.stdout).profiles as Record<string, any>[];
    expect(rows.map((r) => [r.label, r.state])).toEqual([
      ['lab', 'degraded'],
      ['main', 'up'],
      ['rescue', 'down'],
    ]);
    const byPorts = JSON.parse(ports.stdout).profiles as Record<string, any>[];
    for (const [i, name] of ['main', 'lab', 'rescue'].entries()) {
      const status = JSON.parse(statuses[i]!.stdout);
      const row = rows.find((r) => r.label === name)!;
      const inPorts = byPorts.find((p) => p.label === name)!;
      expect(stable(row.gateway)).toEqual(stable(status.gateway));
      expect(row.mismatch).toEqual(status.mismatch);
      expect(row.service).toEqual(status.service);
      expect(row.base).toBe(status.base.port);
      expect(watchStates(row.watch)).toEqual(watchStates(status.watch));
      expect(row.base).toBe(inPorts.base);
      expect(row.mismatch).toEqual(inPorts.mismatch);
      expect([row.gateway.running, row.gateway.pid, row.gateway.ports]).toEqual([inPorts.gateway.running, inPorts.gateway.pid, inPorts.gateway.ports]);
    }
    expect(rows.find((r) => r.label === 'lab')!.serves).toBe(lab.base);
    expect(rows.find((r) => r.label === 'rescue')!.watch.profiles[0]).toMatchObject({ profile: 'main', state: 'up' });

    const text = await runCli(['list'], { env });
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PROFILE +ROLE +BASE +GATEWAY +SERVICE +WATCHES +BACKUP$/);
    expect(lines[1]).toMatch(new RegExp(`^lab +other +${moved} +degraded · pid \\d+ · serves ${lab.base} `));
    expect(lines[2]).toMatch(/^main +main +\d+ +up · pid \d+ · \d+s /);
    expect(lines[3]).toMatch(/^rescue +rescue +\d+ +down +not installed +main up \(one check\) +\d+s ago$/);
  }, 60_000);

  it('names how to begin on an empty host, and --json is an empty list', async () => {
    const { env } = await tempHome();
    const text = await runCli(['list'], { env });
    expect([text.code, text.stdout.split('\n')[0]]).toEqual([0, 'No epiloop profiles on this host yet.']);
    expect(JSON.parse((await runCli(['list', '--json'], { env })).stdout)).toEqual({ profiles: [], healthy: true });
  });
});
