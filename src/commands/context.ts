import type { FlagSpec } from '../argv';
import { type CommandContext } from '../ui/context';

export interface CommandModule {
  run(ctx: CommandContext): Promise<number>;
}

/** A positional argument: `config set <path> <value>`. */
export interface ArgSpec {
  name: string;
  optional?: boolean;
}

export interface CommandSpec {
  path: string[];
  summary: string;
  usage?: string;
  /** The positional arguments it takes; without this, none. */
  args?: ArgSpec[];
  flags: FlagSpec[];
  examples?: string[];
  /** Lazy: a command's code (and Ink, for the wizard) loads only when that command runs. */
  load: () => Promise<CommandModule>;
}

export const JSON_FLAG: FlagSpec = { name: 'json', type: 'boolean', help: 'print machine-readable JSON (documented in the README)' };
