import type { FlagSpec } from '../argv';
import type { ExitCode } from '../core/errors';
import { type CommandContext } from '../ui/context';

/** A command's code, loaded when it runs: `run` gets exactly the flags its table parses to. */
export interface CommandModule<Table extends readonly FlagSpec[]> {
  run: (ctx: CommandContext<Table>) => Promise<ExitCode>;
}

/** A positional argument: `config set <path> <value>`. */
export interface ArgSpec {
  name: string;
  optional?: boolean;
}

export interface CommandSpec<Table extends readonly FlagSpec[]> {
  path: string[];
  summary: string;
  usage?: string;
  /** The positional arguments it takes; without this, none. */
  args?: ArgSpec[];
  flags: Table;
  examples?: string[];
  /** Lazy: a command's code (and Ink, for the wizard) loads only when that command runs. */
  load: () => Promise<CommandModule<Table>>;
}

/**
 * A command as the CLI sees them all: any flag table, and a run that takes what that table
 * parsed. (Method syntax, so every command() fits the list; command() did the strict check.)
 */
export interface Command extends Omit<CommandSpec<readonly FlagSpec[]>, 'load'> {
  load: () => Promise<{ run(ctx: CommandContext): Promise<ExitCode> }>;
}

/** Checks that a command's module takes the flags its table parses to, then lists it among the others. */
export function command<const Table extends readonly FlagSpec[]>(spec: CommandSpec<Table>): Command {
  return spec;
}
