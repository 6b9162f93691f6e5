// The service commands' cost. `status` must stay fast: with no unit installed it spawns
// nothing; with one installed it asks systemctl twice (here the stand-in from
// test/service/fixtures, as CI has no systemd user manager).
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

export default async function bench({ bin, node, root, tempHome, ratio }) {
  const { home, env } = tempHome();
  spawnSync(node, [bin, '--profile', 'rescue', 'setup'], { env, stdio: 'ignore' });
  const status = ratio([bin, '--profile', 'rescue', 'status'], env, 11);
  const serviceStatus = ratio([bin, '--profile', 'rescue', 'gateway', 'status'], env, 11);
  const dryRun = ratio([bin, '--profile', 'rescue', 'gateway', 'install', '--dry-run'], env, 11);

  const standinBin = path.join(home, 'standin-bin');
  mkdirSync(path.join(home, 'standin-state'), { recursive: true });
  mkdirSync(standinBin, { recursive: true });
  for (const tool of ['systemctl', 'launchctl']) {
    copyFileSync(path.join(root, 'test', 'service', 'fixtures', 'standin', tool), path.join(standinBin, tool));
    chmodSync(path.join(standinBin, tool), 0o755);
  }
  const withUnit = { ...env, PATH: `${standinBin}${path.delimiter}${env.PATH}`, STANDIN_STATE: path.join(home, 'standin-state'), EPILOOP_SYSTEMD_BOOTED_DIR: path.join(home, 'standin-state') };
  spawnSync(node, [bin, '--profile', 'rescue', 'gateway', 'install'], { env: withUnit, stdio: 'ignore' });
  const statusInstalled = ratio([bin, '--profile', 'rescue', 'status'], withUnit, 11);

  return [
    { name: 'status, no service installed', value: status.ms, unit: 'ms' },
    { name: 'status, no service installed ÷ bare node', value: status.ratio, unit: '×', goal: 2 },
    { name: 'status, service installed (stand-in systemctl)', value: statusInstalled.ms, unit: 'ms' },
    { name: 'gateway status, none installed', value: serviceStatus.ms, unit: 'ms' },
    { name: 'gateway install --dry-run', value: dryRun.ms, unit: 'ms' },
  ];
}
