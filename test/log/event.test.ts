import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors';
import { humanLines, lastEvents, timeFormFor, mergeByTime, parseEventLine, rotationOf, sinceCutoff, type LogEvent } from '../../src/core/log/event';
import { wrapText } from '../../src/core/text/wrap';
import { allOutcomesWords, changedNothing, lifecycleOrder, targetLine, waitMs, type LifecycleTarget } from '../../src/core/lifecycle/plan';

const event = (time: string, profile: string, message: string): LogEvent => ({ time, level: 'info', profile, source: 'gateway', message });

describe('log events', () => {
  it('wraps an event under its message, at the same column for every profile of --all (not at the padded name of a short one)', () => {
    const long = 'word '.repeat(30).trim();
    const continuations = (profile: string, level: LogEvent['level']) => {
      const e = { ...event('2026-11-30T10:00:00.000Z', profile, long), level };
      const [line] = humanLines(e, { width: 6 });
      const [, ...rest] = wrapText(line!.text, 80, line!.hang);
      return rest.map((l) => /^ */.exec(l)![0].length);
    };
    const under = 'rescue │ 2026-11-30T10:00:00.000Z info  '.length;
    for (const level of ['info', 'warn', 'error'] as const) {
      expect(continuations('main', level), level).toEqual([under, under, under]);
      expect(continuations('rescue', level), level).toEqual([under, under, under]);
    }
    expect(humanLines(event('2026-11-30T10:00:00.000Z', 'main', 'x'), null)[0]!.hang).toBe('2026-11-30T10:00:00.000Z info  '.length);
  });

  it('reads back what the gateway writes, and keeps older plain lines as info timed like the line before', () => {
    const line = JSON.stringify({ time: '2026-11-30T10:00:00.000Z', level: 'warn', profile: 'rescue', source: 'gateway', message: 'watch: main is down', pid: 7 });
    expect(parseEventLine(line, 'rescue', '')).toEqual({ time: '2026-11-30T10:00:00.000Z', level: 'warn', profile: 'rescue', source: 'gateway', message: 'watch: main is down', pid: 7 });
    expect(parseEventLine('2026-11-30T09:00:00.000Z gateway ready', 'main', '')).toEqual(event('2026-11-30T09:00:00.000Z', 'main', 'gateway ready'));
    expect(parseEventLine('    at a stack frame', 'main', '2026-11-30T09:00:00.000Z')).toEqual(event('2026-11-30T09:00:00.000Z', 'main', '    at a stack frame'));
    expect(parseEventLine('{"not": "an event"}', 'main', 'T')?.message).toBe('{"not": "an event"}');
    expect(parseEventLine('', 'main', 'T')).toBeNull();
  });

  it('merges several logs in time order, stable for equal times, and takes the last N', () => {
    const main = [event('2026-01-01T00:00:01Z', 'main', 'a'), event('2026-01-01T00:00:03Z', 'main', 'c')];
    const rescue = [event('2026-01-01T00:00:01Z', 'rescue', 'b'), event('2026-01-01T00:00:02Z', 'rescue', 'x')];
    const merged = mergeByTime([main, rescue]);
    expect(merged.map((e) => e.message)).toEqual(['a', 'b', 'x', 'c']);
    expect(lastEvents(merged, 2).map((e) => e.message)).toEqual(['x', 'c']);
    expect(lastEvents(merged, 0)).toEqual([]);
    expect(lastEvents(merged, undefined)).toHaveLength(4);
  });

  it('--since takes s, m, h, d or a date; anything else is a usage error naming both forms', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(sinceCutoff('10m', now)).toBe(now - 600_000);
    expect(sinceCutoff('2h', now)).toBe(now - 7_200_000);
    expect(sinceCutoff('1d', now)).toBe(now - 86_400_000);
    expect(sinceCutoff('2026-11-30T11:00:00Z', now)).toBe(now - 3_600_000);
    expect(() => sinceCutoff('yesterday', now)).toThrow(UsageError);
    expect(() => sinceCutoff('10 minutes', now)).toThrow(/30s, 10m, 2h or 1d/);
  });

  it('prints human lines, prefixed with the profile under --all, with control characters escaped', () => {
    const e = { ...event('2026-11-30T10:00:00.000Z', 'main', 'evil \u001b[2J here'), source: 'cli' as const };
    expect(humanLines(e, null)).toEqual([{ text: '2026-11-30T10:00:00.000Z info  cli: evil \\e[2J here', hang: 31 }]);
    expect(humanLines(e, { width: 6 })).toEqual([{ text: 'main   │ 2026-11-30T10:00:00.000Z info  cli: evil \\e[2J here', hang: 40 }]);
  });

  it('gives a message of several lines a line each, under the message column, each keeping its own indent (a carriage return before a break is part of it)', () => {
    const e = { ...event('2026-11-30T10:00:00.000Z', 'rescue', 'cannot start:\r\n  port 18789 is held\nNothing was bound.\n'), level: 'error' as const };
    const under = 'rescue │ 2026-11-30T10:00:00.000Z error '.length;
    expect(humanLines(e, { width: 6 })).toEqual([
      { text: 'rescue │ 2026-11-30T10:00:00.000Z error cannot start:', hang: under },
      { text: `${' '.repeat(under)}  port 18789 is held`, hang: under + 2 },
      { text: `${' '.repeat(under)}Nothing was bound.`, hang: under },
    ]);
  });

  it('continues 2 columns in (each line keeping its own indent) where the message column would leave fewer than 30 of the width', () => {
    const e = { ...event('2026-11-30T10:00:00.000Z', 'main', 'cannot start:\n  port 18789 is held\nNothing was bound.'), level: 'error' as const };
    const narrow = [
      { text: '10:00:00.000 error cannot start:', hang: 2 },
      { text: '    port 18789 is held', hang: 4 },
      { text: '  Nothing was bound.', hang: 2 },
    ];
    // 40 columns beside "10:00:00.000 error " leave 21; 49 leave 30, room enough.
    expect(humanLines(e, null, 'clock', 40)).toEqual(narrow);
    expect(humanLines(e, null, 'clock', 48)).toEqual(narrow);
    expect(humanLines(e, null, 'clock', 49)[1]).toEqual({ text: `${' '.repeat(19)}  port 18789 is held`, hang: 21 });
    expect(humanLines(e, null, 'iso', 80)[2]).toEqual({ text: `${' '.repeat(31)}Nothing was bound.`, hang: 31 });
    // A pipe (no width) keeps the message column.
    expect(humanLines(e, null, 'iso')[2]!.hang).toBe(31);
  });

  it('times a line by the clock alone below 80 columns, in UTC as the full form; a time that does not parse is shown as written', () => {
    expect([79, 80, Number.POSITIVE_INFINITY].map(timeFormFor)).toEqual(['clock', 'iso', 'iso']);
    expect(humanLines(event('2026-11-30T12:00:00.5+02:00', 'main', 'x'), null, 'clock')[0]).toEqual({ text: '10:00:00.500 info  x', hang: 19 });
    expect(humanLines(event('not a time', 'main', 'x'), null, 'clock')[0]!.text).toBe('not a time info  x');
  });

  it('rotation comes from the config, defaults for what it leaves out', () => {
    expect(rotationOf(undefined)).toEqual({ maxFileBytes: 5 * 1024 * 1024, keepFiles: 3 });
    expect(rotationOf({ logs: { keepFiles: 7 } })).toEqual({ maxFileBytes: 5 * 1024 * 1024, keepFiles: 7 });
  });
});

describe('lifecycle plan', () => {
  const target = (label: string, watches: string[] = []): LifecycleTarget => ({ label, runner: 'detached', service: null, base: 19789, url: null, stateDir: `/home/ada/.epiloop-${label}`, watches });

  it('counts only the outcomes where the state asked for already held as changing nothing (no duration is shown for them)', () => {
    expect((['already running', 'not running'] as const).map(changedNothing)).toEqual([true, true]);
    expect((['started', 'stopped', 'restarted', 'failed'] as const).map(changedNothing)).toEqual([false, false, false, false]);
  });

  it("--all's last line says refused of a start a rule refused, as its own line does, and failed of one that failed", () => {
    const done = { ok: true, state: 'started' as const, ms: 5 };
    const refused = { ok: false, state: 'failed' as const, ms: 1, refused: true as const };
    const failed = { ok: false, state: 'failed' as const, ms: 900 };
    expect(allOutcomesWords('start', [{ label: 'rescue', outcome: done }, { label: 'main', outcome: done }])).toBe('All 2 profiles: start done.');
    expect(allOutcomesWords('start', [{ label: 'rescue', outcome: done }, { label: 'lab', outcome: refused }, { label: 'main', outcome: done }])).toBe('1 of 3 refused: lab.');
    expect(allOutcomesWords('restart', [{ label: 'lab', outcome: refused }, { label: 'main', outcome: failed }, { label: 'dev', outcome: refused }])).toBe('1 of 3 failed: main; 2 refused: lab, dev.');
  });

  it('starts watching profiles first and stops them last, then by name with the default first', () => {
    const targets = [target('main'), target('rescue', ['main']), target('default'), target('lab')];
    expect(lifecycleOrder(targets, 'start').map((t) => t.label)).toEqual(['rescue', 'default', 'lab', 'main']);
    expect(lifecycleOrder(targets, 'restart').map((t) => t.label)).toEqual(['rescue', 'default', 'lab', 'main']);
    expect(lifecycleOrder(targets, 'stop').map((t) => t.label)).toEqual(['main', 'lab', 'default', 'rescue']);
  });

  it('names the target the way the issue shows it', () => {
    expect(targetLine({ ...target('rescue'), runner: 'systemd', service: 'epiloop-gateway-rescue.service' }, '/home/ada')).toBe('→ rescue · epiloop-gateway-rescue.service · :19789 · ~/.epiloop-rescue');
    expect(targetLine({ ...target('main'), base: null }, '/home/ada')).toBe('→ main · detached process (no service installed) · port unknown (the config is broken) · ~/.epiloop-main');
  });

  it('wraps the target between its " · " parts at a terminal\'s width, never inside one', () => {
    const line = targetLine({ ...target('default'), stateDir: '/home/ada/.epiloop' }, '/home/ada', 60);
    expect(line).toBe('→ default · detached process (no service installed) ·\n  :19789 · ~/.epiloop');
    expect(targetLine({ ...target('default'), stateDir: '/home/ada/.epiloop' }, '/home/ada', 80)).toBe('→ default · detached process (no service installed) · :19789 · ~/.epiloop');
    for (const l of targetLine(target('rescue'), '/home/ada', 30).split('\n')) expect(l.length).toBeLessThanOrEqual(30);
  });

  it('--wait is whole seconds from 0 to 600', () => {
    expect(waitMs(undefined)).toBe(10_000);
    expect(waitMs(0)).toBe(0);
    expect(() => waitMs(-1)).toThrow(UsageError);
    expect(() => waitMs(601)).toThrow(UsageError);
  });
});
