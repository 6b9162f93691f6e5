import type { Flags } from '../argv';
import type { ProfilePaths } from '../core/profile/paths';
import type { Output } from './output';

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
