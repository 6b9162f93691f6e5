import type { FlagSpec, Flags } from '../argv';
import type { ProfilePaths } from '../profile/paths';
import type { Output } from '../ui/output';

export interface CommandContext {
  flags: Flags;
  positionals: string[];
  /** The resolved profile: names already validated, nothing created yet. */
  paths: ProfilePaths;
  env: Record<string, string | undefined>;
  home: string;
  out: Output;
  /** "epiloop --profile rescue": the prefix to print in hints, so they can be pasted. */
  invocation: string;
}

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
