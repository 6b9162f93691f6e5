// The rescue's alerts: how long from main's death to the alert at a sink, with watch.intervalMs
// 2 s (main killed with SIGKILL 5 times; the command sink stamps its own arrival time, the
// loopback webhook is stamped as it arrives); and the watcher's CPU with two sinks configured,
// idle with main up, against a gateway watching none over the same window (WATCH_BENCH_SECONDS,
// default 20 s) — at the default 10 s interval, as the watch bench measures it, and at 2 s.
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { clockTicks, cpuTicks, startGateway, stop } from './watch.mjs';

const INTERVAL_MS = 2000;
const TRIALS = 5;
const WINDOW_S = Number(process.env.WATCH_BENCH_SECONDS) > 0 ? Number(process.env.WATCH_BENCH_SECONDS) : 20;

async function waitFor(what, get, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function health(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => (body += d));
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.setTimeout(2000, () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

export default async function bench({ bin, node, tempHome, median }) {
  if (process.platform !== 'linux') return [];
  const { home, env } = tempHome();
  const received = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ title: JSON.parse(body).title, at: Date.now() });
      res.end('ok');
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const gateways = [];
  try {
    for (const profile of ['main', 'rescue', 'quiet', 'spare']) {
      const setup = spawnSync(node, [bin, '--profile', profile, 'setup'], { env, encoding: 'utf8' });
      if (setup.status !== 0) throw new Error(`setup ${profile} failed: ${setup.stderr}`);
    }
    const sinkFile = path.join(home, 'alerts.txt');
    const alerts = [
      { type: 'command', command: `echo "$(date +%s%3N) $EPILOOP_EVENT_TITLE" >> ${sinkFile}` },
      { type: 'webhook', url: `http://127.0.0.1:${receiver.address().port}/epiloop` },
    ];
    const watchWith = async (profile, watch) => {
      const file = path.join(home, `.epiloop-${profile}`, 'epiloop.json');
      const config = JSON.parse(await readFile(file, 'utf8'));
      await writeFile(file, JSON.stringify({ ...config, watch }, null, 2), { mode: 0o600 });
      return config.gateway.port;
    };
    const rescuePort = await watchWith('rescue', { profiles: ['main'], intervalMs: INTERVAL_MS, alerts });
    // The same sinks at the default interval: told nothing while main is up, so only their cost of being there shows.
    await watchWith('quiet', { profiles: ['main'], alerts: alerts.map((a) => (a.type === 'command' ? { ...a, command: 'true' } : a)) });

    const rescue = startGateway(node, bin, 'rescue', env);
    const spare = startGateway(node, bin, 'spare', env);
    gateways.push(rescue, spare);
    await Promise.all([rescue.ready, spare.ready]);

    const toCommand = [];
    const toWebhook = [];
    const downs = async () => (await readFile(sinkFile, 'utf8').catch(() => '')).split('\n').filter((l) => l.endsWith(' main is down'));
    for (let trial = 0; trial < TRIALS; trial++) {
      const main = startGateway(node, bin, 'main', env);
      gateways.push(main);
      await main.ready;
      await waitFor('rescue sees main up', async () => ((await health(rescuePort))?.watch?.[0]?.state === 'up' ? true : undefined), 3 * INTERVAL_MS);
      const before = (await downs()).length;
      const webhookBefore = received.filter((r) => r.title === 'main is down').length;
      // Seeing "up" lines up with a check: die at a random point of the interval, as a real main would.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * INTERVAL_MS));
      main.child.kill('SIGKILL');
      const killedAt = Date.now();
      const line = await waitFor('the command sink hears "main is down"', async () => (await downs())[before], 4 * INTERVAL_MS);
      toCommand.push(Number(line.split(' ')[0]) - killedAt);
      const hook = await waitFor('the webhook hears "main is down"', () => received.filter((r) => r.title === 'main is down')[webhookBefore], 4 * INTERVAL_MS);
      toWebhook.push(hook.at - killedAt);
    }

    // Idle: main up, nothing to tell; quiet (10 s) and rescue (2 s), both watching main with two sinks, against spare (watching none).
    const main = startGateway(node, bin, 'main', env);
    const quiet = startGateway(node, bin, 'quiet', env);
    gateways.push(main, quiet);
    await Promise.all([main.ready, quiet.ready]);
    await waitFor('rescue sees main up', async () => ((await health(rescuePort))?.watch?.[0]?.state === 'up' ? true : undefined), 3 * INTERVAL_MS);
    // Its first check has run and its modules are loaded before the window opens.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const ticks = clockTicks();
    const pids = [quiet.child.pid, rescue.child.pid, spare.child.pid];
    const before = await Promise.all(pids.map(cpuTicks));
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_S * 1000));
    const seconds = (performance.now() - started) / 1000;
    const after = await Promise.all(pids.map(cpuTicks));
    const cpu = after.map((a, i) => ((a - before[i]) / ticks / seconds) * 100);
    const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;
    return [
      { name: `main killed → "down" at a command sink, interval 2 s (median of ${TRIALS})`, value: median(toCommand), unit: 'ms', goal: 2 * INTERVAL_MS },
      { name: `main killed → "down" at a command sink (worst of ${TRIALS})`, value: Math.max(...toCommand), unit: 'ms', goal: 2 * INTERVAL_MS },
      { name: `main killed → "down" at a webhook, interval 2 s (median of ${TRIALS})`, value: median(toWebhook), unit: 'ms', goal: 2 * INTERVAL_MS },
      { name: `main killed → "down" at a webhook (worst of ${TRIALS})`, value: Math.max(...toWebhook), unit: 'ms', goal: 2 * INTERVAL_MS },
      { name: `idle gateway watching main with 2 sinks, CPU over ${WINDOW_S} s`, value: round(cpu[0], 2), unit: '% of a core' },
      { name: 'watcher extra CPU with 2 sinks, 10 s interval (watching − none)', value: round(Math.max(0, cpu[0] - cpu[2]), 2), unit: '% of a core', goal: 1 },
      { name: 'watcher extra CPU with 2 sinks, 2 s interval (watching − none)', value: round(Math.max(0, cpu[1] - cpu[2]), 2), unit: '% of a core' },
    ];
  } finally {
    await Promise.all(gateways.map((g) => stop(g.child)));
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  }
}
