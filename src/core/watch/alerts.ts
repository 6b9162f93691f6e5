/**
 * The rescue's alerts, decided without I/O: the event a sink hears, its level, which sinks
 * get it, the rate limit, the body each webhook preset sends, the EPILOOP_EVENT_* variables
 * of a command, and how a sink is shown (its URL's secrets masked). The delivery is
 * src/host/watch/sinks.ts.
 */
import type { AlertSink } from '../config/schema';
import { maskUrl, maskUrlsIn } from '../config/url-secrets';
import { HOUR_MS, type ActionOutcome, type WatchState } from './state';

export const ALERT_LEVELS = ['info', 'warning', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/**
 * state: a watched profile changed state. restart / rollback: an action of the rescue on it
 * (rollback is sent by the last-known-good work; its outcomes are the restart's). test: `watch test`.
 */
export type AlertKind = 'state' | 'restart' | 'rollback' | 'test';

/** The event every sink gets, as JSON (webhook preset "json", a command's stdin); documented in the README. */
export interface AlertEvent {
  kind: AlertKind;
  level: AlertLevel;
  /** The watching profile that sends it ("rescue"). */
  from: string;
  /** The host it runs on, so one sink can serve several machines. */
  host: string;
  /** The watched profile it is about (for a test, the sender). */
  profile: string;
  /** Its state now and before; null where not known (a test, the first check). */
  state: WatchState | null;
  previous: WatchState | null;
  /** A gateway that lives but does not answer: state "degraded (not answering)". */
  notAnswering: boolean;
  /** restart / rollback only. */
  outcome: ActionOutcome | null;
  /** One line: "main is down". */
  title: string;
  /** What was found, in words. */
  finding: string;
  /** The command that fixes it, ready to paste; null when nothing is to be done. */
  fix: string | null;
  /** For a recovery: the level of the problem it ends, so it reaches every sink that heard that problem. */
  resolves: AlertLevel | null;
  /** ISO time. */
  time: string;
}

export const SINK_DEFAULTS = { minLevel: 'info' as AlertLevel, maxPerHour: 20, timeoutMs: 10_000, retries: 3 };
/** Wait before retry n (1-based): 1 s, 2 s, 4 s … capped at a minute. */
export const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 60_000;

function rank(level: AlertLevel): number {
  return ALERT_LEVELS.indexOf(level);
}

/** Whether this sink gets the event: its level is at or above the sink's minLevel, or it ends a problem that was. A test reaches every sink. */
export function sinkWants(sink: AlertSink, event: AlertEvent): boolean {
  if (event.kind === 'test') return true;
  const min = rank(sink.minLevel ?? SINK_DEFAULTS.minLevel);
  return rank(event.level) >= min || (event.resolves !== null && rank(event.resolves) >= min);
}

/** Whether one more event may go out now, given the times of those sent in the past (any order). Pure. */
export function rateDecision(sent: readonly number[], now: number, maxPerHour: number): { send: true } | { send: false; retryAt: number } {
  const lastHour = sent.filter((t) => now - t < HOUR_MS);
  if (lastHour.length < maxPerHour) return { send: true };
  return { send: false, retryAt: Math.min(...lastHour) + HOUR_MS };
}

/** The wait before retry number `attempt` (1 = the first retry): doubling from base, at most a minute. */
export function retryDelay(attempt: number, baseMs: number = RETRY_BASE_MS): number {
  return Math.min(RETRY_MAX_MS, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** The event as a few lines of text: what, the finding, the fix, who and when. */
export function eventText(event: AlertEvent): string {
  const lines = [event.title, event.finding];
  if (event.fix !== null) lines.push(`Fix: ${event.fix}`);
  lines.push(`(${event.from} on ${event.host}, ${event.time})`);
  return lines.join('\n');
}

/** EPILOOP_EVENT_* for a command sink: every field as a string ("" for none), and the text. */
export function eventEnv(event: AlertEvent): Record<string, string> {
  const text = (v: string | boolean | null) => (v === null ? '' : String(v));
  return {
    EPILOOP_EVENT_KIND: event.kind,
    EPILOOP_EVENT_LEVEL: event.level,
    EPILOOP_EVENT_FROM: event.from,
    EPILOOP_EVENT_HOST: event.host,
    EPILOOP_EVENT_PROFILE: event.profile,
    EPILOOP_EVENT_STATE: text(event.state),
    EPILOOP_EVENT_PREVIOUS: text(event.previous),
    EPILOOP_EVENT_NOT_ANSWERING: text(event.notAnswering),
    EPILOOP_EVENT_OUTCOME: text(event.outcome),
    EPILOOP_EVENT_TITLE: event.title,
    EPILOOP_EVENT_FINDING: event.finding,
    EPILOOP_EVENT_FIX: text(event.fix),
    EPILOOP_EVENT_RESOLVES: text(event.resolves),
    EPILOOP_EVENT_TIME: event.time,
    EPILOOP_EVENT_TEXT: eventText(event),
  };
}

export interface WebhookBody {
  headers: Record<string, string>;
  body: string;
}

/** ntfy's priorities (1–5) and tags (emoji short codes) per level; a recovery gets a check mark. */
const NTFY: Record<AlertLevel, { priority: string; tag: string }> = {
  info: { priority: '3', tag: 'information_source' },
  warning: { priority: '4', tag: 'warning' },
  critical: { priority: '5', tag: 'rotating_light' },
};

/** Header values must be Latin-1 for node:http: anything else becomes "?". */
function headerText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/** Slack's mrkdwn reads &, < and > as markup. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The POST body and headers of a webhook sink, per preset: the event as JSON, ntfy's text with Title/Priority/Tags, or Slack's {"text"}. */
export function webhookBody(event: AlertEvent, preset: 'json' | 'ntfy' | 'slack' = 'json'): WebhookBody {
  if (preset === 'ntfy') {
    const look = NTFY[event.level];
    const tag = event.resolves !== null ? 'white_check_mark' : look.tag;
    const body = [event.finding, ...(event.fix === null ? [] : [`Fix: ${event.fix}`]), `(${event.from} on ${event.host}, ${event.time})`].join('\n');
    return {
      headers: { 'Content-Type': 'text/plain; charset=utf-8', Title: headerText(`epiloop: ${event.title}`), Priority: look.priority, Tags: `${tag},epiloop` },
      body,
    };
  }
  if (preset === 'slack') {
    const fix = event.fix === null ? '' : `\nFix: \`${slackEscape(event.fix)}\``;
    const text = `*${slackEscape(event.title)}*\n${slackEscape(event.finding)}${fix}\n_${slackEscape(`${event.from} on ${event.host}, ${event.time}`)}_`;
    return { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text }) };
  }
  return { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) };
}

/**
 * A sink as shown in logs, status and errors: its number, its type, and its target — a
 * webhook's URL with its secrets masked, a command's program only (its arguments may hold secrets).
 */
export function sinkLabel(sink: AlertSink, index: number): string {
  return `#${index + 1} ${sink.type} ${sinkTarget(sink)}`;
}

function sinkTarget(sink: AlertSink): string {
  if (sink.type === 'webhook') return `${maskUrl(sink.url)}${sink.preset !== undefined && sink.preset !== 'json' ? ` (${sink.preset})` : ''}`;
  const words = typeof sink.command === 'string' ? sink.command.trim().split(/\s+/) : sink.command;
  return `${maskUrlsIn(words[0] ?? '')}${words.length > 1 ? ' …' : ''}`;
}

/** The last delivery of a sink, in status. */
export interface SinkDelivery {
  time: string;
  ok: boolean;
  title: string;
  attempts: number;
  /** Why it failed, masked; null when it went through. */
  error: string | null;
}

/** One sink in the rescue's /health (`alerts`) and `status --json` (`watch.sinks`); documented in the README. */
export interface SinkReport {
  sink: string;
  type: AlertSink['type'];
  minLevel: AlertLevel;
  maxPerHour: number;
  /** Events delivered, given up on after every retry, dropped from a full queue, held back by the rate limit. */
  sent: number;
  failed: number;
  dropped: number;
  limited: number;
  /** Waiting or being delivered now. */
  queued: number;
  last: SinkDelivery | null;
}

/** The report of a sink nothing was sent to yet (and of every sink while the watching gateway is down). */
export function idleSinkReport(sink: AlertSink, index: number): SinkReport {
  return {
    sink: sinkLabel(sink, index),
    type: sink.type,
    minLevel: sink.minLevel ?? SINK_DEFAULTS.minLevel,
    maxPerHour: sink.maxPerHour ?? SINK_DEFAULTS.maxPerHour,
    sent: 0,
    failed: 0,
    dropped: 0,
    limited: 0,
    queued: 0,
    last: null,
  };
}
