// The watcher's cost: CPU and RSS of an idle rescue gateway watching one profile (main, up,
// default 10 s interval) against an identical gateway watching none, both measured over the
// same window from /proc/<pid>/stat (utime + stime) and /proc/<pid>/status (VmRSS).
// WATCH_BENCH_SECONDS sets the window (default 20 s, so `npm run bench` stays short; the
// README quotes a 60 s run).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const WINDOW_S = Number(process.env.WATCH_BENCH_SECONDS) > 0 ? Number(process.env.WATCH_BENCH_SECONDS) : 20;
/** After ready: the first check has run and its modules are loaded before the window opens. */
const SETTLE_MS = 3000;

export function clockTicks() {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(out.stdout) > 0 ? Number(out.stdout) : 100;
}

/** utime + stime in clock ticks: fields 14 and 15, counted after the command name, which may hold spaces. */
export async function cpuTicks(pid) {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function rssKb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

export function startGateway(node, bin, profile, env) {
  const child = spawn(node, [bin, '--profile', profile, 'gateway'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (out += d));
  const ready = (async () => {
    const deadline = Date.now() + 10_000;
    while (!/ ready \(pid/.test(out)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`gateway ${profile} did not start: ${out}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return { child, ready, log: () => out };
}

export function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export default async function bench({ bin, node, tempHome, median } = {}) {
  if (process.platform !== 'linux') return [];
  const binPath = bin ?? path.resolve('bin/epiloop.js');
  const nodePath = node ?? process.execPath;
  const mid = median ?? ((xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]);
  const made = tempHome ? await tempHome() : { home: await mkdtemp(path.join(os.tmpdir(), 'epiloop-bench-')) };
  const env = { ...(made.env ?? process.env), HOME: made.home, NO_COLOR: '1' };
  for (const key of Object.keys(env)) if (key.startsWith('EPILOOP_')) delete env[key];
  const gateways = [];
  try {
    for (const profile of ['main', 'rescue', 'spare']) {
      const setup = spawnSync(nodePath, [binPath, '--profile', profile, 'setup'], { env, encoding: 'utf8' });
      if (setup.status !== 0) throw new Error(`setup ${profile} failed: ${setup.stderr}`);
    }
    const rescueConfig = path.join(made.home, '.epiloop-rescue', 'epiloop.json');
    const config = JSON.parse(await readFile(rescueConfig, 'utf8'));
    await writeFile(rescueConfig, JSON.stringify({ ...config, watch: { profiles: ['main'] } }, null, 2), { mode: 0o600 });

    // Main first: rescue's first check runs at once, and the next one only an interval later.
    gateways.push(startGateway(nodePath, binPath, 'main', env));
    await gateways[0].ready;
    for (const profile of ['rescue', 'spare']) gateways.push(startGateway(nodePath, binPath, profile, env));
    await Promise.all(gateways.map((g) => g.ready));
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const [, watching, idle] = gateways.map((g) => g.child.pid);
    if (!/watch: main is up/.test(gateways[1].log())) throw new Error(`the rescue gateway does not see main up:\n${gateways[1].log()}`);

    const ticks = clockTicks();
    const before = await Promise.all([cpuTicks(watching), cpuTicks(idle)]);
    const rss = [[], []];
    const started = performance.now();
    for (let s = 0; s < WINDOW_S; s++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      rss[0].push(await rssKb(watching));
      rss[1].push(await rssKb(idle));
    }
    const seconds = (performance.now() - started) / 1000;
    const after = await Promise.all([cpuTicks(watching), cpuTicks(idle)]);
    const cpu = after.map((a, i) => ((a - before[i]) / ticks / seconds) * 100);
    const rssMb = rss.map((samples) => mid(samples) / 1024);
    const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;
    return [
      { name: `idle gateway watching main, CPU over ${WINDOW_S} s`, value: round(cpu[0], 2), unit: '% of a core' },
      { name: `idle gateway watching none, CPU over ${WINDOW_S} s`, value: round(cpu[1], 2), unit: '% of a core' },
      { name: 'watcher extra CPU (watching 1 − none)', value: round(Math.max(0, cpu[0] - cpu[1]), 2), unit: '% of a core', goal: 1 },
      { name: `idle gateway watching main, RSS (median over ${WINDOW_S} s)`, value: round(rssMb[0], 1), unit: 'MB' },
      { name: 'watcher extra RSS (watching 1 − none)', value: round(rssMb[0] - rssMb[1], 1), unit: 'MB', goal: 5 },
    ];
  } finally {
    await Promise.all(gateways.map((g) => stop(g.child)));
    if (!tempHome) await rm(made.home, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await bench()) console.log(`${r.name}: ${r.value} ${r.unit}${r.goal === undefined ? '' : ` (goal ≤ ${r.goal})`}`);
}
