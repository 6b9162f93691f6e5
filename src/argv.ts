import { UsageError } from './core/errors';
import { suggest } from './core/text/suggest';

export type FlagType = 'boolean' | 'string' | 'number';

export interface FlagSpec {
  /** As written after "--": "dry-run" is ctx.flags['dry-run']. */
  name: string;
  type: FlagType;
  help: string;
  /** Shown in help: --port <port>. */
  placeholder?: string;
  /** Accepts --no-<name> (sets false). */
  negatable?: boolean;
  short?: string;
  /** May be given several times; the value becomes a list. */
  repeatable?: boolean;
}

export type FlagValue = string | boolean | number | string[];

/** What one flag parses to: boolean, number, a string, or every string given for a repeatable one. */
type ValueOf<Type extends FlagType, Repeatable> = Type extends 'boolean' ? boolean : Type extends 'number' ? number : Repeatable extends true ? string[] : string;

/** The flags a table parses to, by name; a flag not given is absent. */
export type FlagsOf<Table extends readonly FlagSpec[]> = { readonly [S in Table[number] as S['name']]?: ValueOf<S['type'], S['repeatable']> };

/** Any command's flags, for code that serves every command alike. */
export type Flags = FlagsOf<readonly FlagSpec[]>;

/** A flag table whose names and types stay literal, so FlagsOf can type what parseFlags returns. */
export function flagTable<const Table extends readonly FlagSpec[]>(...table: Table): Table {
  return table;
}

export interface ParseContext<Table extends readonly FlagSpec[]> {
  /** How to name the command in errors: "epiloop setup". */
  commandName: string;
  flags: Table;
  /** The command as typed, with its --profile, for the "--" example; commandName when absent. */
  invocation?: string;
  /** Where an option this command lacks leads instead, when another command takes it: a clause ("to see every profile, run …"), or null. */
  elsewhere?: (option: string) => string | null;
}

/** Why a value starting with "-" was read as an option; the one sentence every such hint says. */
export const DASHED_VALUE = 'A value starting with "-" goes after "--"';

function convert(spec: FlagSpec, raw: string, shownAs: string): string | number {
  if (spec.type === 'number') {
    if (!/^\d+$/.test(raw)) {
      throw new UsageError(`${shownAs} takes a whole number, not "${raw}". Example: ${shownAs} ${spec.placeholder === '<port>' ? '19789' : '10'}`);
    }
    return Number(raw);
  }
  return raw;
}

/**
 * Parses the flags of one command. Flags may stand before or after positionals;
 * "--" ends them. A flag given twice with different values is an error, not a silent pick.
 */
export function parseFlags<const Table extends readonly FlagSpec[]>(tokens: readonly string[], context: ParseContext<Table>): { flags: FlagsOf<Table>; positionals: string[] } {
  const flags: Record<string, FlagValue> = {};
  const positionals: string[] = [];
  const byName = new Map(context.flags.map((f) => [f.name, f]));
  const byShort = new Map(context.flags.filter((f) => f.short).map((f) => [f.short!, f]));
  const help = `Run "${context.commandName} --help" to see what it accepts.`;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '--') {
      positionals.push(...tokens.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const written = eq === -1 ? token : token.slice(0, eq);
    let spec: FlagSpec | undefined;
    let negated = false;
    if (written.startsWith('--')) {
      const name = written.slice(2);
      spec = byName.get(name);
      if (spec === undefined && name.startsWith('no-')) {
        const positive = byName.get(name.slice(3));
        if (positive?.negatable) {
          spec = positive;
          negated = true;
        }
      }
    } else if (written.length === 2) {
      spec = byShort.get(written.slice(1));
    }
    if (spec === undefined) {
      const instead = context.elsewhere?.(written) ?? null;
      if (instead !== null) throw new UsageError(`unknown option ${written} for "${context.commandName}"; ${instead}.`);
      const names = context.flags.flatMap((f) => [`--${f.name}`, ...(f.negatable ? [`--no-${f.name}`] : [])]);
      const guess = suggest(written, names);
      // "-1", "-Infinity": a value, most likely; "--prot" a misspelt option.
      const dashed = written.startsWith('--') ? '' : ` ${DASHED_VALUE}: ${[context.invocation ?? context.commandName, ...positionals, '--', token].join(' ')}.`;
      throw new UsageError(`unknown option ${written} for "${context.commandName}".${guess ? ` Did you mean ${guess}?` : ''}${dashed} ${help}`);
    }
    const shownAs = `--${spec.name}`;
    let value: FlagValue;
    if (spec.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`${shownAs} takes no value. ${help}`);
      value = !negated;
    } else {
      if (negated) throw new UsageError(`--no-${spec.name} is not an option. ${help}`);
      const raw = eq !== -1 ? token.slice(eq + 1) : tokens[++i];
      if (raw === undefined || (eq === -1 && raw.startsWith('--'))) {
        throw new UsageError(`${shownAs} needs a value${spec.placeholder ? `, e.g. ${shownAs} ${spec.placeholder === '<port>' ? '19789' : spec.placeholder}` : ''}. ${help}`);
      }
      value = convert(spec, raw, shownAs);
    }
    const previous = flags[spec.name];
    if (spec.repeatable) {
      flags[spec.name] = [...((previous as string[] | undefined) ?? []), String(value)];
    } else if (previous !== undefined && previous !== value) {
      throw new UsageError(`${shownAs} was given twice with different values (${String(previous)} and ${String(value)}). Give it once.`);
    } else {
      flags[spec.name] = value;
    }
  }
  // Each value above was converted by its own spec's type: the record is the table's FlagsOf.
  return { flags: flags as FlagsOf<Table>, positionals };
}
