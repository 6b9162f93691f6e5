// Install footprint: the packed tarball installed with production dependencies only, as a
// user's `npm install` would (the registry is the one source; nothing is built on install).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function duBytes(dir) {
  const out = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  return Number(out.stdout.split('\t')[0]);
}

export default async function bench({ root }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'epiloop-install-'));
  try {
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: root, encoding: 'utf8' });
    if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    spawnSync('npm', ['init', '-y'], { cwd: dir, stdio: 'ignore' });
    const install = spawnSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', `./${tarball}`], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    if (install.status !== 0) throw new Error(`npm install failed: ${install.stderr}`);
    const modules = path.join(dir, 'node_modules');
    const packages = spawnSync('find', [modules, '-name', 'package.json', '-not', '-path', '*/test/*'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).length;
    return [
      { name: 'install size (npm install of the tarball, production deps)', value: duBytes(modules) / 1e6, unit: 'MB', goal: 40 },
      { name: 'installed package.json files (packages)', value: packages, unit: '' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
