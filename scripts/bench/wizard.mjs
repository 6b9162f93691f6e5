// The wizard in a real pseudo-terminal: spawn → first interactive frame (median of 11), and on
// the base-port step (p50/p95 of 30 keystrokes): keystroke → the port map redrawn for the new
// base (drawn from the last snapshot of the host, dim), and keystroke → its states confirmed
// (the debounced probe of the new base answered: the states drawn without dim).
import { createRequire } from 'node:module';

const RUNS = 11;
const KEYSTROKES = 30;
const UP = '\u001b[A';
const DOWN = '\u001b[B';
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** The wizard in a PTY; `output` is everything it wrote, escape codes stripped, `raw` with them. */
function open(pty, node, args, env, { colour = false } = {}) {
  const clean = { ...env, TERM: 'xterm-256color' };
  delete clean.CI;
  // Colour on where the bench reads it: a confirmed state is drawn without dim, and NO_COLOR draws no dim.
  if (colour) delete clean.NO_COLOR;
  const proc = pty.spawn(node, args, { cols: 80, rows: 24, env: clean, name: 'xterm-256color' });
  const session = { proc, output: '', raw: '', waiters: [], exited: new Promise((resolve) => proc.onExit(resolve)) };
  proc.onData((data) => {
    session.raw += data;
    session.output += data.replace(ANSI, '');
    for (const waiter of [...session.waiters]) waiter();
  });
  return session;
}

/** Resolves when the output written since `from` contains `text` (or, for a RegExp, the raw output since `from` matches it). */
function waitFor(session, text, from = 0, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${text}" on screen within ${timeoutMs} ms`)), timeoutMs);
    const check = () => {
      if (typeof text === 'string' ? !session.output.includes(text, from) : !text.test(session.raw.slice(from))) return;
      clearTimeout(timer);
      session.waiters.splice(session.waiters.indexOf(check), 1);
      resolve();
    };
    session.waiters.push(check);
    check();
  });
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function quit(session) {
  session.proc.write('\u0003');
  await Promise.race([session.exited, pause(5000)]);
}

export default async function bench({ bin, node, root, tempHome, median, percentile }) {
  const pty = createRequire(`${root}/package.json`)('@lydell/node-pty');
  const { env } = tempHome();

  const firstFrame = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const session = open(pty, node, [bin, '--profile', 'rescue', 'onboard'], env);
    await waitFor(session, 'Enter start');
    firstFrame.push(performance.now() - started);
    await quit(session);
  }

  const session = open(pty, node, [bin, '--profile', 'rescue', 'onboard', '--no-install-service'], env, { colour: true });
  await waitFor(session, 'Enter start');
  session.proc.write('\r');
  await waitFor(session, '› ● rescue');
  session.proc.write('\r');
  await waitFor(session, 'workspace');
  session.proc.write('\r');
  await waitFor(session, 'CDP range');
  await pause(300);
  let base = Number(/Base port › (\d+)/.exec(session.output.slice(session.output.lastIndexOf('Base port ›')))[1]);
  const keystroke = [];
  const confirmed = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    const up = i < KEYSTROKES / 2;
    base += up ? 1 : -1;
    const from = session.output.length;
    const rawFrom = session.raw.length;
    const started = performance.now();
    session.proc.write(up ? UP : DOWN);
    // The frame counts once the base and the map's last row (the CDP range) are redrawn.
    await waitFor(session, `${base + 11}–${base + 110}  CDP range`, from);
    keystroke.push(performance.now() - started);
    // Confirmed once that row's state is drawn without dim (with or without a colour before it).
    await waitFor(session, new RegExp(`${base + 11}–${base + 110}  CDP range +(?!(?:\u001b\\[\\d+m)?\u001b\\[2m)\\S`), rawFrom);
    confirmed.push(performance.now() - started);
    // Let Ink's frame throttle pass, as between a person's keys.
    await pause(100);
  }
  await quit(session);

  return [
    { name: 'onboard: spawn → first interactive frame (median)', value: median(firstFrame), unit: 'ms', goal: 400 },
    { name: 'onboard: keystroke → port map redrawn (p50)', value: median(keystroke), unit: 'ms' },
    { name: 'onboard: keystroke → port map redrawn (p95)', value: percentile(keystroke, 95), unit: 'ms', goal: 50 },
    // No goal of its own: the probe is debounced 90 ms (a burst of keys probes once) and binds the footprint's ports.
    { name: 'onboard: keystroke → states confirmed (p50)', value: median(confirmed), unit: 'ms' },
    { name: 'onboard: keystroke → states confirmed (p95)', value: percentile(confirmed, 95), unit: 'ms' },
  ];
}
