import { render } from 'ink-testing-library';
import { expect, vi } from 'vitest';
import { App } from '../../components/App';
import { resolveProfile } from '../../src/core/profile/paths';
import { type ServiceSupport, type WizardFacts } from '../../src/core/wizard/facts';
import { hostIO, loadFacts, loadProposals, type WizardIO } from '../../src/ui/wizard/io';
import { freeBase } from '../helpers/ports';
import { KEYS, type KeyName } from './keys';

const NO_SERVICE: ServiceSupport = { usable: false, kind: 'systemd', reason: 'tests install no service.' };
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export interface Wizard {
  facts: WizardFacts;
  /** The last frame drawn, colours stripped. Under CI=true Ink writes a lone "\n" on exit: that is no frame. */
  screen(): string;
  /** Writes keys one by one; the input parser needs a turn after each (a lone Esc is only flushed then). */
  press(...keys: (KeyName | { text: string })[]): Promise<void>;
  /** Polls the frame until it matches: the only synchronisation the tests use. */
  waitFor(match: string | RegExp | ((frame: string) => boolean), timeout?: number): Promise<string>;
  /** The terminal takes this size, as a person dragging its corner would make it. */
  resize(columns: number, rows: number): Promise<void>;
  exitCode(): number | null;
  waitForExit(): Promise<number>;
  unmount(): void;
}

const mounted: (() => void)[] = [];

export function unmountAll(): void {
  while (mounted.length > 0) mounted.pop()!();
}

/**
 * Renders the real wizard for a profile in a temp HOME (real files, real probes) on an
 * 80×24 screen. The test answers the service manager (none, so nothing is installed) and
 * starts the live proposal in a block that is free right now: other people's gateways and
 * tests on this machine use the seed's 18789 and 19789. `addresses`: the host's interface
 * addresses as the wizard and its doctor see them (the host's own when absent).
 */
export async function startWizard(
  profile: string | null,
  env: Record<string, string>,
  options: { given?: WizardFacts['given']; service?: ServiceSupport; serviceAfterMs?: number; columns?: number; rows?: number; addresses?: readonly string[] } = {},
): Promise<Wizard> {
  const home = env.HOME!;
  const paths = resolveProfile({ flag: profile ?? undefined, env, home });
  const invocation = profile === null ? 'epiloop' : `epiloop --profile ${profile}`;
  const facts = await loadFacts(paths, { home, env, invocation, given: options.given ?? {}, ...(options.addresses === undefined ? {} : { addresses: options.addresses }) });
  const start = await freeBase();
  const io: WizardIO = {
    ...hostIO(facts, env),
    // serviceAfterMs: a service manager that is slow to answer, as a host without systemd can be.
    detectService: () => new Promise((resolve) => setTimeout(() => resolve(options.service ?? NO_SERVICE), options.serviceAfterMs ?? 0)),
    propose: () => loadProposals(facts, start),
  };
  let code: number | null = null;
  const app = render(<App facts={facts} io={io} onExit={(c) => (code = c)} />);
  mounted.push(() => app.unmount());

  const screen = () => {
    const frame = [...app.frames].reverse().find((f) => f !== '\n') ?? '';
    return frame.replace(ANSI, '');
  };
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  const size = (columns: number, rows: number) => {
    Object.defineProperty(app.stdout, 'columns', { value: columns, configurable: true });
    Object.defineProperty(app.stdout, 'rows', { value: rows, configurable: true });
    app.stdout.emit('resize');
  };
  const wizard: Wizard = {
    facts,
    screen,
    async press(...keys) {
      for (const key of keys) {
        app.stdin.write(typeof key === 'string' ? KEYS[key] : key.text);
        await turn();
        await turn();
      }
    },
    async waitFor(match, timeout = 5000) {
      await vi.waitFor(
        () => {
          const frame = screen();
          if (typeof match === 'string' ? !frame.includes(match) : typeof match === 'function' ? !match(frame) : !match.test(frame)) throw new Error(`screen does not show ${String(match)}:\n${frame}`);
        },
        { timeout, interval: 10 },
      );
      return screen();
    },
    async resize(columns, rows) {
      size(columns, rows);
      await turn();
      await turn();
    },
    exitCode: () => code,
    async waitForExit() {
      await vi.waitFor(
        () => {
          if (code === null) throw new Error(`the wizard has not exited; screen:\n${screen()}`);
        },
        { timeout: 10_000, interval: 10 },
      );
      return code!;
    },
    unmount: () => app.unmount(),
  };
  // ink-testing-library's stdout is 100 columns and has no rows: make it a terminal of this size.
  size(options.columns ?? 80, options.rows ?? 24);
  const columns = options.columns ?? 80;
  await vi.waitFor(() => {
    const title = screen().split('\n')[0]!;
    if (!title.startsWith('epiloop onboard · profile') || title.length > columns) throw new Error(`not drawn at ${columns} columns yet:\n${screen()}`);
  });
  return wizard;
}

/** Every frame fits the terminal: no line wider than it, and one row to spare. */
export function expectFits(frame: string, columns = 80, rows = 24): void {
  const lines = frame.split('\n');
  expect(lines.length, frame).toBeLessThan(rows);
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns);
}

/** Words that end in "…" because something is under way, not because text was cut. */
const PROGRESS = /(Looking for a free block on this host|checking|Checking the ports; continuing when the check is done|Writing .*|writing|Checking the ports once more; nothing to write|finishing|stopping|working|Planning the fixes \(nothing is written yet\)|Repairing)…$/;

/** A frame reads whole: no line past the edge, none cut with "…", the heading once, and a row to spare. */
export function expectWhole(frame: string, columns: number, rows: number): void {
  const lines = frame.split('\n');
  expect(lines.length, frame).toBeLessThan(rows);
  expect(frame.match(/epiloop onboard · profile/g), frame).toHaveLength(1);
  for (const line of lines) {
    expect(line.length, `${line}\n--- in ---\n${frame}`).toBeLessThanOrEqual(columns);
    if (line.endsWith('…')) expect(line, `cut: ${line}\n--- in ---\n${frame}`).toMatch(PROGRESS);
  }
}
