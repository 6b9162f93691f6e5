// `epiloop top` with main and rescue running (rescue watches main): spawn → first full frame
// in a real pseudo-terminal (median of 7), its CPU while idle over TOP_BENCH_SECONDS (default
// 30 s; utime + stime from /proc/<pid>/stat) once both gateways are up over a minute (before
// that their uptime shows seconds, and the screen is drawn every second), and `list` as a
// ratio to a bare node.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { clockTicks, cpuTicks } from './watch.mjs';

const RUNS = 7;
const WINDOW_S = Number(process.env.TOP_BENCH_SECONDS) > 0 ? Number(process.env.TOP_BENCH_SECONDS) : 30;
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
/** The hint line closes every full frame. */
const FULL_FRAME = 'd doctor';

function open(pty, node, args, env) {
  const clean = { ...env, TERM: 'xterm-256color' };
  delete clean.CI;
  const proc = pty.spawn(node, args, { cols: 80, rows: 24, env: clean, name: 'xterm-256color' });
  const session = { proc, output: '', exited: new Promise((resolve) => proc.onExit(resolve)) };
  proc.onData((data) => (session.output += data.replace(ANSI, '')));
  return session;
}

async function until(what, test, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function quit(session) {
  session.proc.write('q');
  await Promise.race([session.exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
}

export default async function bench({ bin, node, root, tempHome, median, ratio }) {
  if (process.platform !== 'linux') return [];
  const pty = createRequire(`${root}/package.json`)('@lydell/node-pty');
  const { env } = tempHome();
  const run = (args) => {
    const done = spawnSync(node, [bin, ...args], { env, encoding: 'utf8' });
    if (done.status !== 0) throw new Error(`epiloop ${args.join(' ')} failed: ${done.stderr}`);
  };
  run(['--profile', 'main', 'setup']);
  run(['--profile', 'rescue', 'setup']);
  run(['--profile', 'rescue', 'config', 'set', 'watch.profiles', '["main"]']);
  run(['start', '--all']);
  const upSince = Date.now();
  try {
    const firstFrame = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const session = open(pty, node, [bin, 'top'], env);
      await until('the first full frame of top', () => session.output.includes(FULL_FRAME));
      firstFrame.push(performance.now() - started);
      await quit(session);
    }
    const session = open(pty, node, [bin, 'top'], env);
    await until('the first full frame of top', () => session.output.includes(FULL_FRAME));
    // Past start-up, and past the first minute of the gateways: the window holds refreshes only.
    await new Promise((resolve) => setTimeout(resolve, Math.max(2000, upSince + 62_000 - Date.now())));
    const before = await cpuTicks(session.proc.pid);
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_S * 1000));
    const ticks = (await cpuTicks(session.proc.pid)) - before;
    const seconds = (performance.now() - t0) / 1000;
    await quit(session);
    const list = ratio([bin, 'list'], env, 11);
    // The first run of a build has no compile cache yet (src/host/bundle.ts): every run as that one.
    const cold = ratio([bin, 'list'], { ...env, EPILOOP_NO_COMPILE_CACHE: '1' }, 11);
    return [
      { name: 'top: spawn → first full frame (median, 2 gateways)', value: median(firstFrame), unit: 'ms', goal: 400 },
      { name: `top: CPU while idle over ${WINDOW_S} s (% of one core)`, value: (100 * ticks) / clockTicks() / seconds, unit: '%', goal: 2 },
      { name: 'epiloop list (2 profiles, 2 gateways)', value: list.ms, unit: 'ms' },
      { name: 'epiloop list ÷ bare node', value: list.ratio, unit: '×', goal: 2 },
      { name: 'epiloop list ÷ bare node, without the compile cache (a build\'s first run)', value: cold.ratio, unit: '×' },
    ];
  } finally {
    spawnSync(node, [bin, 'stop', '--all', '--wait', '5'], { env, stdio: 'ignore' });
  }
}
