import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../../src/core/profile/paths';
import { installedCli } from '../../src/host/service/install';
import { serviceSpec } from '../../src/core/service/spec';
import { renderSystemdUnit } from '../../src/core/service/systemd';
import { tempHome } from '../helpers/home';
import { verifyUnit } from './verify';

// systemd exists on Linux only; .ci/run installs systemd-analyze there.
describe.skipIf(process.platform !== 'linux')('rendered units pass systemd-analyze verify', () => {
  const cases: [string, string | undefined, boolean][] = [
    ['the default profile', undefined, false],
    ['main', 'main', false],
    ['rescue', 'rescue', false],
    ['a profile whose paths hold spaces, quotes, $, %, \\ and ;', 'odd', true],
  ];
  for (const [name, flag, odd] of cases) {
    it(name, async () => {
      const { home } = await tempHome();
      const runtime = path.join(home, 'runtime');
      await mkdir(runtime, { mode: 0o700 });
      // verify checks that the ExecStart binary exists: give it a real node at the odd path too.
      // systemd refuses \\ " ' in the program path itself (renderSystemdUnit says so); the profile's paths may hold anything.
      const dir = path.join(home, odd ? 'odd dir $HOME %h;c é' : 'plain');
      await mkdir(dir, { recursive: true });
      const node = path.join(dir, 'node');
      await symlink(process.execPath, node);
      const oddState = path.join(home, `state $HOME %h "q" 'a' \\b;c é`);
      const env = odd ? { EPILOOP_STATE_DIR: oddState, EPILOOP_CONFIG_PATH: path.join(oddState, 'conf %i.json') } : {};
      const paths = resolveProfile({ flag, env, home });
      const text = renderSystemdUnit(serviceSpec(paths, { node, cli: installedCli() }, 19789));
      const file = path.join(home, 'units', paths.systemdUnit);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      expect(verifyUnit(file, runtime)).toEqual({ code: 0, output: '' });
    });
  }

  it('and verify does complain about a broken unit (the check can fail)', async () => {
    const { home } = await tempHome();
    const runtime = path.join(home, 'runtime');
    await mkdir(runtime, { mode: 0o700 });
    const file = path.join(home, 'epiloop-gateway-broken.service');
    await writeFile(file, '[Service]\nExecStart=/nonexistent/node "unbalanced\n');
    const result = verifyUnit(file, runtime);
    expect(result.output).not.toBe('');
  });
});
