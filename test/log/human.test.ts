/**
 * `epiloop logs` as a person reads it, on a terminal and through a pipe, and the lines `top`'s
 * full log draws: a message of several lines (a gateway's refusal) shows as lines under its
 * message, never as a literal "\n"; `--json` keeps the message as it was written.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { run as logs } from '../../src/commands/logs';
import { eventLine, type LogEvent } from '../../src/core/log/event';
import { resolveProfile } from '../../src/core/profile/paths';
import { stateFile } from '../../src/core/profile/identity';
import type { CommandContext } from '../../src/ui/context';
import type { Output } from '../../src/ui/output';
import { hostTopIO } from '../../src/ui/top/io';
import { tempHome } from '../helpers/home';

const REFUSAL = 'not started: the gateway of profile "main" cannot start:\n  port 18789 is held by pid 99 (node) on 127.0.0.1\nNothing was bound.';
const TIME = '2026-11-30T10:00:00.000Z';

/** A host of main (set up, not running) whose log holds one event of several lines and one of one. */
async function hostWithRefusal() {
  const { home, env } = await tempHome();
  const paths = resolveProfile({ flag: 'main', env: {}, home });
  await mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
  await writeFile(paths.configPath, JSON.stringify({ gateway: { port: 18789, auth: { token: 'a-token-of-more-than-16-chars' } } }), { mode: 0o600 });
  const events: LogEvent[] = [
    { time: TIME, level: 'error', profile: 'main', source: 'gateway', message: REFUSAL },
    { time: '2026-11-30T10:00:01.000Z', level: 'info', profile: 'main', source: 'gateway', message: 'gateway of profile "main" ready' },
  ];
  await writeFile(stateFile(paths.stateDir, 'gatewayLog'), events.map(eventLine).join(''), { mode: 0o600 });
  return { home, env, paths, events };
}

/** `logs` in this process, its stdout lines captured: on a terminal of `columns`, or piped (null). */
async function logsAt(home: string, columns: number | null, flags: Record<string, unknown> = {}): Promise<string[]> {
  const lines: string[] = [];
  const plain = (text: string) => text;
  const out: Output = { color: false, isTTY: columns !== null, columns: columns ?? 80, line: (text = '') => lines.push(text), error: () => undefined, bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain, json: () => undefined, jsonLine: (value) => lines.push(JSON.stringify(value)) };
  const ctx = { flags, positionals: [], paths: resolveProfile({ flag: 'main', env: {}, home }), env: {}, home, out, invocation: 'epiloop --profile main' } as unknown as CommandContext;
  await logs(ctx as never);
  return lines;
}

describe('a message of several lines', () => {
  it('epiloop logs shows it as lines, each under the message column, on a terminal and piped; --json keeps it as written', async () => {
    const { home } = await hostWithRefusal();
    const under = `${TIME} error `.length;
    for (const columns of [120, null]) {
      const lines = await logsAt(home, columns);
      expect(lines.join('\n')).not.toContain('\\n');
      expect(lines).toEqual([
        `${TIME} error not started: the gateway of profile "main" cannot start:`,
        `${' '.repeat(under)}  port 18789 is held by pid 99 (node) on 127.0.0.1`,
        `${' '.repeat(under)}Nothing was bound.`,
        '2026-11-30T10:00:01.000Z info  gateway of profile "main" ready',
      ]);
    }
    const json = await logsAt(home, 120, { json: true });
    expect(JSON.parse(json[0]!).message).toBe(REFUSAL);
  });

  it('below 80 columns shows the time as the clock alone, UTC as the full form, so that --all leaves the message room; at 80 columns and piped, the full ISO time', async () => {
    const { home } = await hostWithRefusal();
    const narrow = await logsAt(home, 60, { all: true });
    expect(narrow.join('\n')).not.toContain('2026-11-30T');
    expect(narrow[0]).toMatch(/^main │ 10:00:00\.000 error not started: /);
    expect(narrow.at(-1)).toBe('main │ 10:00:01.000 info  gateway of profile "main" ready');
    const under = 'main │ 10:00:00.000 error '.length;
    for (const line of narrow.slice(1, -1)) expect(line, narrow.join('\n')).toMatch(new RegExp(`^ {${under}}(?: {2})?\\S`));
    for (const line of narrow) expect(line.length, narrow.join('\n')).toBeLessThanOrEqual(60);
    expect((await logsAt(home, 80, { all: true }))[0]).toMatch(/^main │ 2026-11-30T10:00:00\.000Z error not started: /);
    expect((await logsAt(home, null, { all: true }))[0]).toMatch(/^main │ 2026-11-30T10:00:00\.000Z error not started: /);
  });

  it('at 40 columns its lines continue 2 columns in (the message column would leave them 21), at 80 under the message column as before', async () => {
    const { home } = await hostWithRefusal();
    expect(await logsAt(home, 40)).toEqual([
      '10:00:00.000 error not started: the',
      '  gateway of profile "main" cannot',
      '  start:',
      '    port 18789 is held by pid 99 (node)',
      '    on 127.0.0.1',
      '  Nothing was bound.',
      '10:00:01.000 info  gateway of profile',
      '  "main" ready',
    ]);
    const under = ' '.repeat(`${TIME} error `.length);
    expect(await logsAt(home, 80)).toEqual([
      `${TIME} error not started: the gateway of profile "main" cannot`,
      `${under}start:`,
      `${under}  port 18789 is held by pid 99 (node) on`,
      `${under}  127.0.0.1`,
      `${under}Nothing was bound.`,
      '2026-11-30T10:00:01.000Z info  gateway of profile "main" ready',
    ]);
    const all = await logsAt(home, 40, { all: true });
    expect(all.slice(0, 3)).toEqual(['main │ 10:00:00.000 error not started:', '  the gateway of profile "main" cannot', '  start:']);
    for (const line of all) expect(line.length, all.join('\n')).toBeLessThanOrEqual(40);
  });

  it("top is handed the events as written (it words them for its width, as logs does): no literal \\n", async () => {
    const { home, env, events } = await hostWithRefusal();
    const io = hostTopIO({ home, env });
    await io.read();
    expect(await io.log('main', 10)).toEqual(events);
  });
});
