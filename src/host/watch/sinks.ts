/**
 * Delivering alerts: a command sink run with the event on stdin and in EPILOOP_EVENT_* (its
 * process group killed on timeout), a webhook POSTed with node:http(s) with a deadline. The
 * runner gives each sink its own bounded queue and delivers in the background, retrying with
 * bounded exponential backoff: notify() returns at once, so a slow or broken sink never holds
 * up the watcher. Every URL in what it logs or reports is masked.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AlertSink } from '../../core/config/schema';
import { maskCommandEcho, maskEchoedSecrets, maskUrl, maskUrlsIn } from '../../core/config/url-secrets';
import {
  eventEnv,
  idleSinkReport,
  rateDecision,
  RETRY_BASE_MS,
  retryDelay,
  SINK_DEFAULTS,
  sinkLabel,
  sinkWants,
  webhookBody,
  type AlertEvent,
  type SinkReport,
} from '../../core/watch/alerts';
import { HOUR_MS } from '../../core/watch/state';
import { targetEnv } from '../../core/watch/targets';
import { importEsm } from '../esm';

export type DeliveryResult = { ok: true; ms: number } | { ok: false; error: string; ms: number };

export interface DeliverOptions {
  /** The sender's environment: a command gets it without this profile's EPILOOP_* keys, plus EPILOOP_EVENT_*. */
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborting kills a running command's process group, or drops the request. */
  signal?: AbortSignal;
}

/** A command's stderr kept for its error message: enough for the last line. */
const STDERR_KEEP = 4096;
/** After a command exits, how long to wait for its stderr before reporting: a background child may hold it open. */
const STDERR_GRACE_MS = 100;
/** Events waiting per sink; past this the oldest is dropped. */
export const QUEUE_SIZE = 20;

declare const __EPILOOP_VERSION__: string;
const VERSION = typeof __EPILOOP_VERSION__ === 'string' ? __EPILOOP_VERSION__ : '0.0.0-dev';

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.slice(0, 300) ?? '';
}

/** The command with the event as JSON on stdin and EPILOOP_EVENT_* in its environment, in its own process group. */
function runCommand(sink: Extract<AlertSink, { type: 'command' }>, event: AlertEvent, timeoutMs: number, options: DeliverOptions): Promise<string | null> {
  const argv = typeof sink.command === 'string' ? ['/bin/sh', '-c', sink.command] : sink.command;
  return new Promise((resolve) => {
    let settled = false;
    let stderr = '';
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: { ...targetEnv(options.env), ...eventEnv(event) },
      stdio: ['pipe', 'ignore', 'pipe'],
      // Its own process group: a timeout kills the command and everything it started.
      detached: true,
    });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      child.stderr?.destroy();
      resolve(error);
    };
    const onAbort = () => {
      killGroup();
      finish('stopped: the watching gateway is shutting down');
    };
    const timer = setTimeout(() => {
      killGroup();
      finish(`no exit within ${timeoutMs} ms; its process group was killed`);
    }, timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < STDERR_KEEP) stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ENOENT' ? `cannot run ${argv[0]}: not found` : `cannot run ${argv[0]}: ${error.message}`));
    child.on('exit', (code, signal) => {
      // Its last stderr line, with the command's arguments masked out (they may hold secrets, and a failing program often prints them).
      const said = () => maskCommandEcho(lastLine(stderr), sink.command);
      const report = () => finish(code === 0 ? null : code !== null ? `exited with ${code}${said() ? `: ${said()}` : ''}` : `killed by ${signal}`);
      if (child.stderr!.closed) report();
      else {
        child.stderr!.once('close', report);
        setTimeout(report, STDERR_GRACE_MS).unref();
      }
    });
    // A command that does not read its stdin closes it early: that is its choice, not a failure.
    child.stdin!.on('error', () => {});
    child.stdin!.end(JSON.stringify(event) + '\n');
  });
}

/** POST the preset's body; a 2xx answer within the timeout is a delivery. Redirects are not followed. */
async function postWebhook(sink: Extract<AlertSink, { type: 'webhook' }>, event: AlertEvent, timeoutMs: number, options: DeliverOptions): Promise<string | null> {
  const { headers, body } = webhookBody(event, sink.preset);
  const client = sink.url.startsWith('https:') ? await importEsm<typeof import('node:https')>('node:https') : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(error);
    };
    const req = client.request(
      sink.url,
      { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)), 'User-Agent': `epiloop/${VERSION}` }, agent: false },
      (res) => {
        const status = res.statusCode ?? 0;
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          if (text.length < 300) text += chunk;
        });
        res.on('end', () => {
          if (status >= 200 && status < 300) return finish(null);
          const redirect = status >= 300 && status < 400 ? '; redirects are not followed' : '';
          finish(`answered ${status} ${res.statusMessage ?? ''}`.trimEnd() + (lastLine(text) ? `: ${lastLine(text)}` : '') + redirect);
        });
        res.on('error', (error) => finish(error.message));
      },
    );
    const onAbort = () => {
      req.destroy();
      finish('stopped: the watching gateway is shutting down');
    };
    const timer = setTimeout(() => {
      req.destroy();
      finish(`no answer within ${timeoutMs} ms`);
    }, timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ECONNREFUSED' ? 'connection refused' : error.message));
    req.end(body);
  });
}

/** One attempt to deliver one event to one sink; never throws. Errors come back with every URL masked. */
export async function deliver(sink: AlertSink, event: AlertEvent, options: DeliverOptions): Promise<DeliveryResult> {
  const started = Date.now();
  const timeoutMs = sink.timeoutMs ?? SINK_DEFAULTS.timeoutMs;
  let error: string | null;
  try {
    error = sink.type === 'command' ? await runCommand(sink, event, timeoutMs, options) : await postWebhook(sink, event, timeoutMs, options);
  } catch (thrown) {
    error = (thrown as Error).message;
  }
  const ms = Date.now() - started;
  if (error === null) return { ok: true, ms };
  // The sink's own URL may come back verbatim in a message; so may others (a body, a command's stderr).
  const scrubbed = sink.type === 'webhook' ? maskEchoedSecrets(error.split(sink.url).join(maskUrl(sink.url)), sink.url) : error;
  return { ok: false, error: maskUrlsIn(scrubbed), ms };
}

export interface SinkRunnerOptions {
  sinks: readonly AlertSink[];
  env: Record<string, string | undefined>;
  cwd: string;
  /** Where each delivery, failure, drop and limit is told (the watch log and the gateway's output). */
  log: (line: string) => void;
  queueSize?: number;
  /** First retry's wait; doubles per retry (tests shorten it). */
  retryBaseMs?: number;
  now?: () => number;
}

export interface SinkRunner {
  /** Queues the event for every sink that wants it and returns at once: how many took it (the rate limit may hold it back). */
  notify(event: AlertEvent): number;
  report(): SinkReport[];
  /** Waits for deliveries under way at most graceMs, then abandons them (killing commands) and what is queued. */
  stop(graceMs: number): Promise<void>;
}

interface SinkState {
  sink: AlertSink;
  label: string;
  report: SinkReport;
  queue: AlertEvent[];
  /** Times events were accepted, for the hourly limit. */
  accepted: number[];
  /** The limit was logged for this stretch; cleared when an event goes through again. */
  limitTold: boolean;
  worker: Promise<void> | null;
  inFlight: boolean;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

export function startSinks(options: SinkRunnerOptions): SinkRunner {
  const queueSize = options.queueSize ?? QUEUE_SIZE;
  const retryBase = options.retryBaseMs ?? RETRY_BASE_MS;
  const now = options.now ?? Date.now;
  /** closing: no new event, no retry, no wait; killing: what is under way is abandoned (a command's group killed). */
  const closing = new AbortController();
  const killing = new AbortController();
  const states: SinkState[] = options.sinks.map((sink, index) => ({
    sink,
    label: sinkLabel(sink, index),
    report: idleSinkReport(sink, index),
    queue: [],
    accepted: [],
    limitTold: false,
    worker: null,
    inFlight: false,
  }));

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        closing.signal.removeEventListener('abort', done);
        resolve();
      }
      closing.signal.addEventListener('abort', done, { once: true });
    });

  async function deliverWithRetries(state: SinkState, event: AlertEvent): Promise<void> {
    const attempts = 1 + (state.sink.retries ?? SINK_DEFAULTS.retries);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const result = await deliver(state.sink, event, { env: options.env, cwd: options.cwd, signal: killing.signal });
      const time = new Date(now()).toISOString();
      if (result.ok) {
        state.report.sent++;
        state.report.last = { time, ok: true, title: event.title, attempts: attempt, error: null };
        options.log(`alert "${event.title}" sent to ${state.label}${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
        return;
      }
      if (closing.signal.aborted) return;
      if (attempt < attempts) {
        const wait = retryDelay(attempt, retryBase);
        options.log(`alert "${event.title}" to ${state.label} failed (attempt ${attempt} of ${attempts}): ${result.error}; retrying in ${seconds(wait)}`);
        await pause(wait);
        if (closing.signal.aborted) return;
      } else {
        state.report.failed++;
        state.report.last = { time, ok: false, title: event.title, attempts, error: result.error };
        options.log(`alert "${event.title}" to ${state.label} failed (attempt ${attempt} of ${attempts}): ${result.error}; giving up on it`);
      }
    }
  }

  function pump(state: SinkState): void {
    if (state.worker !== null) return;
    state.worker = (async () => {
      // Not on the caller's turn: spawning a command or opening a socket costs time notify() must not.
      await new Promise((resolve) => setImmediate(resolve));
      while (state.queue.length > 0 && !closing.signal.aborted) {
        const event = state.queue.shift()!;
        state.inFlight = true;
        await deliverWithRetries(state, event);
        state.inFlight = false;
      }
      state.worker = null;
    })();
  }

  function accept(state: SinkState, event: AlertEvent): boolean {
    const at = now();
    const max = state.sink.maxPerHour ?? SINK_DEFAULTS.maxPerHour;
    state.accepted = state.accepted.filter((t) => at - t < HOUR_MS);
    const decision = rateDecision(state.accepted, at, max);
    if (!decision.send) {
      state.report.limited++;
      if (!state.limitTold) {
        state.limitTold = true;
        options.log(`alert "${event.title}" not sent to ${state.label}: its limit of ${max} per hour is reached until ${new Date(decision.retryAt).toISOString()}; alerts held back are counted in status`);
      }
      return false;
    }
    state.limitTold = false;
    state.accepted.push(at);
    if (state.queue.length >= queueSize) {
      const dropped = state.queue.shift()!;
      state.report.dropped++;
      options.log(`${state.label} is behind (${queueSize} alerts waiting): dropped the oldest, "${dropped.title}"; ${state.report.dropped} dropped so far`);
    }
    state.queue.push(event);
    pump(state);
    return true;
  }

  return {
    notify(event) {
      if (closing.signal.aborted) return 0;
      return states.filter((state) => sinkWants(state.sink, event) && accept(state, event)).length;
    },
    report: () => states.map((s) => ({ ...s.report, queued: s.queue.length + (s.inFlight ? 1 : 0) })),
    async stop(graceMs) {
      closing.abort();
      for (const state of states) {
        if (state.queue.length > 0) options.log(`${state.queue.length} alert${state.queue.length === 1 ? '' : 's'} to ${state.label} not sent: the watching gateway stopped`);
        state.queue.length = 0;
      }
      const running = states.flatMap((s) => (s.worker === null ? [] : [s.worker]));
      if (running.length > 0) await Promise.race([Promise.all(running), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      killing.abort();
    },
  };
}
