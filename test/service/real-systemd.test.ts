import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../../src/core/profile/paths';
import { serviceSpec } from '../../src/core/service/spec';
import { renderSystemdUnit, systemdUnitFile } from '../../src/core/service/systemd';
import { BIN } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';

const DRIVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'with-user-manager.sh');

/** Runs a script beside a real `systemd --user` (see the driver). Exit 77: no manager can run here. */
function withUserManager(script: string, env: Record<string, string>) {
  return spawnSync('bash', [DRIVER, script], { env, encoding: 'utf8', timeout: 90_000 });
}

// A real user manager needs Linux, root (mount and cgroup namespaces, see the driver) and the
// systemd binary. Where the driver cannot isolate it (exit 77: e.g. a container that forbids
// unshare), these tests skip and the stand-in systemctl tests (install.test.ts) remain.
// Opt-in (EPILOOP_REAL_SYSTEMD=1): starting a manager means mounting cgroup hierarchies as
// root, which a shared CI sandbox should not be exposed to by default.
function managerRuns(): boolean {
  if (process.env.EPILOOP_REAL_SYSTEMD !== '1') return false;
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const home = mkdtempSync(path.join(os.tmpdir(), 'epiloop-test-'));
  try {
    return withUserManager('true', { ...(process.env as Record<string, string>), HOME: home }).status === 0;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
const canRun = managerRuns();

describe.runIf(canRun)('against a real systemd user manager', () => {
  it('runs the rendered ExecStart with exactly the argv, env and log path epiloop wrote, odd paths included', async () => {
    const { home, env } = await tempHome();
    // A stand-in "node" at an odd path that records how systemd started it.
    const binDir = path.join(home, 'node dir $HOME %h;é');
    const state = path.join(home, `state $HOME %h "q" 'a' \\b;c é`);
    await mkdir(binDir, { recursive: true });
    await mkdir(state, { recursive: true });
    const node = path.join(binDir, 'node');
    await writeFile(
      node,
      '#!/bin/bash\nprintf \'%s\\0\' "$0" "$@" > "$EPILOOP_STATE_DIR/argv"\nprintf \'%s\\0\' "$EPILOOP_PROFILE" "$EPILOOP_STATE_DIR" "$EPILOOP_CONFIG_PATH" > "$EPILOOP_STATE_DIR/env"\necho "started by systemd" >&2\n',
    );
    await chmod(node, 0o755);
    const paths = resolveProfile({ flag: 'odd', env: { EPILOOP_STATE_DIR: state, EPILOOP_CONFIG_PATH: path.join(state, 'conf %i $x.json') }, home });
    const spec = serviceSpec(paths, { node, cli: path.join(state, `cli "x" $y.js`) }, 19789);
    const file = systemdUnitFile(paths, home);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, renderSystemdUnit(spec));
    const run = withUserManager(
      `set -e
systemctl --user daemon-reload
systemctl --user start ${paths.systemdUnit}
for i in $(seq 1 50); do [ -s "$OUT/env" ] && break; sleep 0.1; done`,
      { ...env, OUT: state },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const nul = (text: string) => text.split('\0').slice(0, -1);
    expect(nul(await readFile(path.join(state, 'argv'), 'utf8'))).toEqual(spec.argv);
    expect(nul(await readFile(path.join(state, 'env'), 'utf8'))).toEqual(spec.env.map(([, value]) => value));
    expect(await readFile(spec.errorPath, 'utf8')).toBe('started by systemd\n');
  });

  it('epiloop gateway install / status / restart / uninstall, two profiles side by side', async () => {
    const { home, env } = await tempHome();
    const [main, rescue] = [await freeBase(), await freeBase()];
    const out = path.join(home, 'out');
    await mkdir(out);
    const run = withUserManager(
      `cd "$OUT"
step() { name=$1; shift; "$@" >"$name.out" 2>"$name.err"; echo $? >"$name.rc"; }
e() { node "${BIN}" "$@"; }
waitActive() { for i in $(seq 1 100); do e --profile "$1" gateway status --json | grep -q '"state": "active"' && return 0; sleep 0.1; done; }
step setup-main e --profile main setup --port ${main}
step setup-rescue e --profile rescue setup --port ${rescue}
step install-main e --profile main gateway install
step install-rescue e --profile rescue gateway install
waitActive main; waitActive rescue
step again e --profile rescue gateway install
step status e --profile rescue gateway status --json
step restart e --profile rescue gateway restart
waitActive rescue
step status2 e --profile rescue gateway status --json
step uninstall e --profile rescue gateway uninstall
step status-rescue e --profile rescue gateway status --json
step status-main e --profile main gateway status --json
step uninstall-main e --profile main gateway uninstall
step left ls -A "$HOME/.config/systemd/user"`,
      { ...env, OUT: out },
    );
    expect(run.status, run.stderr).toBe(0);
    const read = async (name: string) => ({
      rc: Number(await readFile(path.join(out, `${name}.rc`), 'utf8')),
      out: await readFile(path.join(out, `${name}.out`), 'utf8'),
      err: await readFile(path.join(out, `${name}.err`), 'utf8'),
    });
    for (const name of ['setup-main', 'setup-rescue', 'install-main', 'install-rescue', 'again', 'restart', 'uninstall', 'uninstall-main']) {
      const result = await read(name);
      expect(result.rc, `${name}: ${result.out}${result.err}`).toBe(0);
    }
    expect((await read('install-rescue')).out).toContain('Installed ~/.config/systemd/user/epiloop-gateway-rescue.service');
    expect((await read('again')).out).toContain('already installed, up to date and enabled: nothing to do');
    const status = JSON.parse((await read('status')).out);
    expect(status).toMatchObject({ kind: 'systemd', usable: true, installed: true, state: 'active', enabled: true, mismatches: [], healthy: true });
    const status2 = JSON.parse((await read('status2')).out);
    expect(status2.state).toBe('active');
    expect(status2.pid).not.toBe(status.pid);
    expect(JSON.parse((await read('status-rescue')).out)).toMatchObject({ installed: false, state: 'not-installed' });
    expect(JSON.parse((await read('status-main')).out)).toMatchObject({ installed: true, state: 'active', mismatches: [] });
    expect((await read('left')).out).toBe('');
  }, 60_000);
});
