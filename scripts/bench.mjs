// npm run bench: prints the figures the README quotes. Every module in scripts/bench/
// contributes rows; this file holds the shared helpers and the foundation's figures.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'epiloop.js');
const node = process.execPath;
const homes = [];

function tempHome() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'epiloop-bench-'));
  homes.push(home);
  const env = { ...process.env, HOME: home, NO_COLOR: '1' };
  for (const key of Object.keys(env)) if (key.startsWith('EPILOOP_')) delete env[key];
  return { home, env };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function wall(args, env) {
  const started = process.hrtime.bigint();
  spawnSync(node, args, { env, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Median wall time of a command and of a bare `node -e 0`, run alternately so load hits both alike. */
function ratio(args, env, runs = 21) {
  const bare = [];
  const cmd = [];
  wall(['-e', '0'], env);
  wall(args, env);
  for (let i = 0; i < runs; i++) {
    bare.push(wall(['-e', '0'], env));
    cmd.push(wall(args, env));
  }
  return { ms: median(cmd), bareMs: median(bare), ratio: median(cmd) / median(bare) };
}

async function foundation() {
  const { env } = tempHome();
  spawnSync(node, [bin, '--profile', 'main', 'setup'], { env, stdio: 'ignore' });
  const version = ratio([bin, '--version'], env);
  const status = ratio([bin, '--profile', 'main', 'status'], env);
  const { tsImport } = await import('tsx/esm/api');
  const { proposeBase } = await tsImport(pathToFileURL(path.join(root, 'src/core/ports/propose.ts')).href, import.meta.url);
  const { footprint } = await tsImport(pathToFileURL(path.join(root, 'src/core/ports/footprint.ts')).href, import.meta.url);
  const { claimMap } = await tsImport(pathToFileURL(path.join(root, 'src/core/ports/overlap.ts')).href, import.meta.url);
  const times = [];
  for (let run = 0; run < 200; run++) {
    const started = performance.now();
    // Built inside the timing: the claim map is part of every real proposal.
    const claims = claimMap(Array.from({ length: 20 }, (_, i) => ({ label: `p${i}`, footprint: footprint(undefined, 18789 + i * 111) })));
    const busySet = new Set(Array.from({ length: 2000 }, (_, i) => 21000 + i * 7));
    proposeBase({ role: 'main', claims, busy: (p) => (busySet.has(p) ? 'bound' : null) });
    times.push(performance.now() - started);
  }
  return [
    { name: 'bare node -e 0', value: version.bareMs, unit: 'ms' },
    { name: 'epiloop --version', value: version.ms, unit: 'ms' },
    { name: 'epiloop --version ÷ bare node', value: version.ratio, unit: '×', goal: 1.5 },
    { name: 'epiloop status', value: status.ms, unit: 'ms' },
    { name: 'epiloop status ÷ bare node', value: status.ratio, unit: '×', goal: 2 },
    { name: 'proposal, 20 profiles + 2,000 busy ports (p50)', value: median(times), unit: 'ms', goal: 20 },
    { name: 'proposal, 20 profiles + 2,000 busy ports (p95)', value: percentile(times, 95), unit: 'ms', goal: 20 },
  ];
}

const rows = [];
try {
  rows.push(...(await foundation()));
  const dir = path.join(root, 'scripts', 'bench');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort()) {
    const mod = await import(pathToFileURL(path.join(dir, file)).href);
    try {
      rows.push(...(await mod.default({ bin, node, root, tempHome, median, percentile, ratio, wall })));
    } catch (error) {
      rows.push({ name: `${file} failed: ${error.message.split('\n')[0]}`, value: NaN, unit: '' });
    }
  }
} finally {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
}

const width = Math.max(...rows.map((r) => r.name.length));
console.log(`epiloop bench — node ${process.version}, ${os.cpus().length} cores, ${os.platform()}`);
for (const r of rows) {
  const value = Number.isFinite(r.value) ? (r.value < 10 ? r.value.toFixed(2) : r.value.toFixed(0)) : '—';
  const goal = r.goal === undefined ? '' : `  goal ≤ ${r.goal} ${r.unit}  ${r.value <= r.goal ? 'ok' : 'MISSED'}`;
  console.log(`${r.name.padEnd(width)}  ${value.padStart(7)} ${r.unit}${goal}`);
}
