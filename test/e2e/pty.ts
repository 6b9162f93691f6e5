import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { KEYS, type KeyName } from '../components/keys';
import { BIN } from '../helpers/cli';

/**
 * The built CLI in a real pseudo-terminal, its output fed to a headless xterm: the
 * screen is what a person would see, after every cursor move and erase.
 */
export class Terminal {
  readonly term: xterm.Terminal;
  readonly proc: pty.IPty;
  /** Everything the program wrote, escape codes included. */
  raw = '';
  exitCode: number | null = null;
  private parsed: Promise<void> = Promise.resolve();
  private readonly exited: Promise<number>;

  /**
   * `ci`: the CI variable to run under (by default none, which a CI runner's environment would set).
   * `removedCwd`: a directory to create, enter and remove before the CLI starts (a shell standing in a deleted directory).
   */
  constructor(args: string[], options: { env: Record<string, string>; cols?: number; rows?: number; term?: string; ci?: string; removedCwd?: string }) {
    const cols = options.cols ?? 80;
    const rows = options.rows ?? 24;
    this.term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
    const env: Record<string, string> = { ...options.env, TERM: options.term ?? 'xterm-256color' };
    // A CI variable would (rightly) make the wizard refuse to draw.
    delete env.CI;
    delete env.CONTINUOUS_INTEGRATION;
    if (options.ci !== undefined) env.CI = options.ci;
    const [file, ...argv] =
      options.removedCwd === undefined
        ? [process.execPath, BIN, ...args]
        : ['sh', '-c', 'mkdir "$1" && cd "$1" && rmdir "$1" && shift && exec "$@"', 'sh', options.removedCwd, process.execPath, BIN, ...args];
    this.proc = pty.spawn(file!, argv, { cols, rows, env, name: env.TERM! });
    this.proc.onData((data) => {
      this.raw += data;
      this.parsed = this.parsed.then(() => new Promise<void>((resolve) => this.term.write(data, resolve)));
    });
    this.exited = new Promise((resolve) => {
      this.proc.onExit(({ exitCode }) => {
        this.exitCode = exitCode;
        resolve(exitCode);
      });
    });
  }

  /** The visible screen, one line per row, trailing blanks trimmed. */
  screen(): string {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < this.term.rows; row++) lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
    return lines.join('\n').replace(/\n+$/, '');
  }

  async waitFor(match: string | RegExp | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.parsed;
      const screen = this.screen();
      if (typeof match === 'string' ? screen.includes(match) : typeof match === 'function' ? match(screen) : match.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the screen never showed ${String(match)}; it shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  press(key: KeyName | { text: string }): void {
    this.proc.write(typeof key === 'string' ? KEYS[key] : key.text);
  }

  resize(cols: number, rows: number): void {
    this.term.resize(cols, rows);
    this.proc.resize(cols, rows);
  }

  async exit(timeoutMs = 10_000): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not exit in ${timeoutMs} ms; screen:\n${this.screen()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
      await this.parsed;
    }
  }

  kill(): void {
    if (this.exitCode === null) this.proc.kill();
  }
}
