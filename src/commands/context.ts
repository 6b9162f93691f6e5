import type { FlagSpec } from '../argv';
import { type CommandContext } from '../ui/context';

export interface CommandModule {
  run(ctx: CommandContext): Promise<number>;
}

export interface CommandSpec {
  path: string[];
  summary: string;
  usage?: string;
  flags: FlagSpec[];
  examples?: string[];
  /** Lazy: a command's code (and Ink, for the wizard) loads only when that command runs. */
  load: () => Promise<CommandModule>;
}

export const JSON_FLAG: FlagSpec = { name: 'json', type: 'boolean', help: 'print machine-readable JSON (documented in the README)' };
