import type { FlagsOf, FlagSpec } from '../argv';
import type { ProfilePaths, TypedIn } from '../core/profile/paths';
import type { Output } from './output';

/** What a command runs with; `Table` is its flag table (src/flags.ts). */
export interface CommandContext<Table extends readonly FlagSpec[] = readonly FlagSpec[]> {
  /** Parsed by the command's flag table: typed, validated, absent when not given. */
  flags: FlagsOf<Table>;
  positionals: string[];
  /** The resolved profile: names already validated, nothing created yet. */
  paths: ProfilePaths;
  env: Record<string, string | undefined>;
  home: string;
  /** Where the command was typed, for a relative path in a flag; null when that directory no longer exists. */
  cwd: TypedIn;
  out: Output;
  /** "epiloop --profile rescue": the prefix to print in hints, so they can be pasted. */
  invocation: string;
}
