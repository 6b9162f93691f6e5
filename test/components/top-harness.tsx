/** `epiloop top` drawn by ink-testing-library from a host the test holds: the host, the screen, its keys. */
import { render } from 'ink-testing-library';
import { vi } from 'vitest';
import { Top } from '../../components/top/Top';
import type { TopStart } from '../../components/top/use-top';
import type { HostProfile } from '../../src/core/host/view';
import type { LogEvent } from '../../src/core/log/event';
import type { LifecycleAction, LifecycleOutcome } from '../../src/core/lifecycle/plan';
import type { ServiceStatus } from '../../src/core/service/spec';
import { liveOf } from '../../src/host/gateway/live';
import { hostRow } from '../../src/host/top/rows';
import type { TopIO } from '../../src/ui/top/io';
import { held, HOME, profileOf, viewOf } from '../helpers/view';

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
export const NO_SERVICE: ServiceStatus = { kind: 'systemd', usable: true, name: 'x', installed: false, file: null, state: 'not-installed', enabled: null, pid: null, mismatches: [] };

const LONG_MESSAGE = `${'a long line of the log that goes on '.repeat(4)}and ends here`;
export const LONG_LOG_LINE = `2026-01-01T00:00:01.000Z warn  ${LONG_MESSAGE}`;

/** Events of profile main's log: `[time, level, message]`. */
export function logEvents(events: readonly (readonly [string, LogEvent['level'], string])[]): LogEvent[] {
  return events.map(([time, level, message]) => ({ time, level, profile: 'main', source: 'gateway', message }));
}
/** The screen's words with its line breaks and indents folded: text wrapped between words reads back whole. */
export const words = (frame: string) => frame.replace(/\s+/g, ' ');

/** A host of main (running, pid 4242) and lab (down), or the profiles given (and the listeners given); `set` changes it between refreshes. */
export function fakeHost(service: ServiceStatus = NO_SERVICE, given?: HostProfile[], listeners?: Parameters<typeof viewOf>[1]) {
  let profiles: HostProfile[] = given ?? [profileOf({ name: 'main', config: 18789, gateway: { pid: 4242 } }), profileOf({ name: 'lab', config: 20789 })];
  const acted: [LifecycleAction, string][] = [];
  const io: TopIO = {
    async read() {
      const now = Date.parse('2026-01-01T00:05:00.000Z');
      const view = viewOf(profiles, listeners ?? (profiles[0]?.gateway == null ? {} : { 18789: held(4242) }));
      return { view, rows: view.profiles.map((p) => hostRow(view, p, liveOf(p, HOME, now), { service, watch: null, lastBackup: null }, { home: HOME, addresses: ['127.0.0.1', '::1'] })), at: now };
    },
    async log(label) {
      return logEvents([
        ['2026-01-01T00:00:00.000Z', 'info', `gateway of profile "${label}" ready`],
        ['2026-01-01T00:00:01.000Z', 'warn', LONG_MESSAGE],
      ]);
    },
    async act(action, label): Promise<LifecycleOutcome> {
      acted.push([action, label]);
      return { ok: true, state: 'stopped', detail: 'pid 4242 exited', pid: 4242, ms: 5 };
    },
    async doctor() {
      return [{ severity: 'error', summary: 'the config has no token', fix: 'run "epiloop --profile lab doctor --fix"' }];
    },
  };
  return { io, acted, set: (next: HostProfile[]) => (profiles = next) };
}

const mounted: (() => void)[] = [];

/** Each test file calls this after each test: every screen drawn is unmounted. */
export function unmountTops(): void {
  while (mounted.length > 0) mounted.pop()!();
}

export function draw(io: TopIO, columns = 80, rows = 24, onExit: () => void = () => undefined, start?: TopStart) {
  const app = render(<Top io={io} home={HOME} onExit={onExit} start={start} />);
  mounted.push(() => app.unmount());
  const size = (c: number, r: number) => {
    Object.defineProperty(app.stdout, 'columns', { value: c, configurable: true });
    Object.defineProperty(app.stdout, 'rows', { value: r, configurable: true });
    app.stdout.emit('resize');
  };
  size(columns, rows);
  const screen = () => ([...app.frames].reverse().find((f) => f !== '\n') ?? '').replace(ANSI, '');
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  return {
    screen,
    size,
    frames: () => app.frames.map((f) => f.replace(ANSI, '')),
    async press(...keys: string[]) {
      for (const key of keys) {
        app.stdin.write(key);
        await turn();
        await turn();
      }
    },
    /** Turns until no new frame comes (at most 50): the frame after a resize or a key, whatever it shows. */
    async settle() {
      for (let i = 0, seen = -1; i < 50 && seen !== app.frames.length; i++) {
        seen = app.frames.length;
        await turn();
        await turn();
      }
    },
    async waitFor(match: string | RegExp, timeout = 3000) {
      await vi.waitFor(
        () => {
          const f = screen();
          if (typeof match === 'string' ? !f.includes(match) : !match.test(f)) throw new Error(`screen does not show ${String(match)}:\n${f}`);
        },
        { timeout, interval: 10 },
      );
      return screen();
    },
  };
}
