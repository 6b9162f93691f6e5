import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../../src/core/profile/paths';
import { act } from '../../src/host/lifecycle/act';
import { currentTarget } from '../../src/host/lifecycle/target';
import { installService } from '../../src/host/service/install';
import { tempHome } from '../helpers/home';
import { setupProfile, startGateway } from '../gateway/gateways';
import { standIn } from '../service/standin';

// launchd's path on this Linux host: the platform is passed in, launchctl is the stand-in.
describe('start / stop / restart of a launchd agent (stand-in launchctl, in process)', () => {
  it('bootstraps and kickstarts to start, kickstart -k to restart, bootout to stop: this profile\'s label only', async () => {
    const { home, env } = await tempHome();
    const stand = await standIn(home, env);
    const main = await setupProfile(stand.env, 'main');
    const paths = resolveProfile({ flag: 'main', env: {}, home });
    const darwin = { home, env: stand.env, platform: 'darwin' as const };
    await installService(paths, darwin);
    const resolved = await currentTarget(paths, darwin);
    expect(resolved.target).toMatchObject({ label: 'main', runner: 'launchd', service: 'ai.epiloop.gateway.main', base: main.base });
    const gateway = await startGateway(['--profile', 'main', 'gateway'], stand.env);
    const uid = process.getuid?.() ?? 0;
    const agent = `gui/${uid}/ai.epiloop.gateway.main`;
    const options = { home, waitMs: 5000, by: 'test' };

    const mark = (await stand.calls()).length;
    expect(await act('start', resolved, options)).toMatchObject({ ok: true, state: 'started', pid: gateway.pid });
    expect(await act('restart', resolved, options)).toMatchObject({ ok: true, state: 'restarted', pid: gateway.pid });
    expect(await act('stop', resolved, options)).toMatchObject({ ok: true, state: 'stopped', pid: gateway.pid });
    expect((await gateway.exited).code).toBe(0);
    const file = `${home}/Library/LaunchAgents/ai.epiloop.gateway.main.plist`;
    expect((await stand.calls()).slice(mark)).toEqual([
      `launchctl bootstrap gui/${uid} ${file}`,
      `launchctl kickstart ${agent}`,
      `launchctl bootstrap gui/${uid} ${file}`,
      `launchctl kickstart -k ${agent}`,
      `launchctl bootout ${agent}`,
    ]);
  });
});
