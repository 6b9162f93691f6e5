import os from 'node:os';
import { DASHED_VALUE, parseFlags, type FlagSpec } from './argv';
import { suggest } from './core/text/suggest';
import type { Command } from './commands/context';
// The command table (with the questions table its flags come from) loads after --version, which needs none of it.
type Commands = readonly Command[];
import { errorLine, EXIT, isUserFacing, UsageError } from './core/errors';
import { homeDir, resolveProfile, type TypedIn } from './core/profile/paths';
import { checkProfileName, isProfileName } from './core/profile/name';
import { invocationHere } from './host/profile/invocation';
import { createOutput, fitted, type Output } from './ui/output';
import { escapeControl } from './core/text/escape';

declare const __EPILOOP_VERSION__: string;
const VERSION = typeof __EPILOOP_VERSION__ === 'string' ? __EPILOOP_VERSION__ : '0.0.0-dev';

const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'profile', type: 'string', placeholder: '<name>', help: 'act on this profile (or set EPILOOP_PROFILE)' },
  { name: 'help', short: 'h', type: 'boolean', help: 'show help' },
  { name: 'version', short: 'V', type: 'boolean', help: 'print the version' },
  { name: 'no-color', type: 'boolean', help: 'no colours (NO_COLOR=1 does the same)' },
];

interface Split {
  globals: { profile?: string; help: boolean; version: boolean; noColor: boolean };
  rest: string[];
}

/** Global flags may stand anywhere before "--"; --profile twice with two names is an error. */
function splitGlobals(tokens: readonly string[]): Split {
  const globals: Split['globals'] = { help: false, version: false, noColor: false };
  const rest: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '--') {
      rest.push(...tokens.slice(i));
      break;
    }
    if (token === '--help' || token === '-h') globals.help = true;
    else if (token === '--version' || token === '-V' || token === '-v') globals.version = true;
    else if (token === '--no-color') globals.noColor = true;
    else if (token === '--profile' || token.startsWith('--profile=')) {
      const value = token === '--profile' ? tokens[++i] : token.slice('--profile='.length);
      if (value === undefined || (token === '--profile' && value.startsWith('-'))) {
        throw new UsageError('--profile needs a name, e.g. --profile rescue.');
      }
      if (globals.profile !== undefined && globals.profile !== value) {
        throw new UsageError(`--profile was given twice with different names ("${globals.profile}" and "${value}"). Give one.`);
      }
      globals.profile = value;
    } else rest.push(token);
  }
  return { globals, rest };
}

function findCommand(commands: Commands, rest: string[]): { spec: Command; args: string[] } | { group: string[]; args: string[] } | null {
  const words: string[] = [];
  for (const token of rest) {
    if (token.startsWith('-')) break;
    words.push(token);
  }
  for (let n = Math.min(words.length, 2); n > 0; n--) {
    const spec = commands.find((c) => c.path.length === n && c.path.every((w, i) => w === words[i]));
    if (spec) return { spec, args: rest.slice(n) };
  }
  if (words.length > 0 && commands.some((c) => c.path[0] === words[0])) return { group: [words[0]!], args: rest.slice(1) };
  return null;
}

function flagLines(flags: readonly FlagSpec[]): string[] {
  const shown = flags.map((f) => [
    `${f.short ? `-${f.short}, ` : ''}--${f.name}${f.negatable ? ` / --no-${f.name}` : ''}${f.placeholder ? ` ${f.placeholder}` : ''}`,
    f.help,
  ]);
  const width = Math.max(...shown.map(([a]) => a!.length));
  return shown.map(([a, b]) => `  ${a!.padEnd(width)}  ${b}`);
}

function mainHelp(commands: Commands, out: Output): void {
  const names = commands.map((c) => c.path.join(' '));
  const width = Math.max(...names.map((n) => n.length));
  out.line(`${out.bold('epiloop')} ${VERSION} — run several isolated Gateways on one host\n`);
  out.line('Usage: epiloop [--profile <name>] <command> [options]\n');
  out.line('Commands:');
  commands.forEach((c, i) => out.line(`  ${names[i]!.padEnd(width)}  ${c.summary}`));
  out.line('\nGlobal options:');
  for (const line of flagLines(GLOBAL_FLAGS)) out.line(line);
  out.line(`\nRun "epiloop <command> --help" for a command's options. Exit codes: ${EXIT.ok} ok, ${EXIT.unhealthy} unhealthy, ${EXIT.usage} usage error, ${EXIT.alreadyRunning} already running, ${EXIT.cancelled} cancelled.`);
}

function argsText(spec: Command): string {
  return (spec.args ?? []).map((a) => ` ${a.optional ? `[${a.name}]` : a.name}`).join('');
}

/** The commands under `group` ("config get", …), each with its summary. */
function subcommandLines(commands: Commands, group: string): string[] {
  const subs = commands.filter((c) => c.path.length > 1 && c.path[0] === group);
  const width = Math.max(...subs.map((c) => `epiloop ${c.path.join(' ')}`.length));
  return subs.map((c) => `  ${`epiloop ${c.path.join(' ')}`.padEnd(width)}  ${c.summary}`);
}

/** `epiloop config --help`: the group's subcommands, and where each one's options are. */
function groupHelp(commands: Commands, out: Output, group: string): void {
  out.line(`${out.bold(`epiloop ${group}`)} — one of these commands:\n`);
  for (const line of subcommandLines(commands, group)) out.line(line);
  out.line(`\nRun "epiloop ${group} <command> --help" for a command's options.`);
}

function commandHelp(commands: Commands, out: Output, spec: Command): void {
  const name = `epiloop ${spec.path.join(' ')}`;
  out.line(`${out.bold(name)} — ${spec.summary}\n`);
  out.line(`Usage: ${spec.usage ?? `epiloop [--profile <name>] ${spec.path.join(' ')}${argsText(spec)}${spec.flags.length ? ' [options]' : ''}`}`);
  if (spec.flags.length) {
    out.line('\nOptions:');
    for (const line of flagLines(spec.flags)) out.line(line);
  }
  if (spec.examples?.length) {
    out.line('\nExamples:');
    for (const example of spec.examples) out.line(`  ${example}`);
  }
  if (spec.path.length === 1 && commands.some((c) => c.path.length > 1 && c.path[0] === spec.path[0])) {
    out.line('\nSubcommands:');
    for (const line of subcommandLines(commands, spec.path[0]!)) out.line(line);
  }
}

/**
 * After "Usage: …": where a value starting with "-" was taken for a flag, the way to give it;
 * else an example of the command.
 */
/** `epiloop --profile rescue`: an example speaks of the profile this command was given (by --profile or EPILOOP_PROFILE), not another one. */
function givenInvocation(profile: string | undefined): string {
  return invocationHere(profile !== undefined && isProfileName(profile) ? profile : null);
}

function argumentHint(spec: Command, args: readonly string[], invocation: string): string {
  if (args.some((a) => a.startsWith('-') && a !== '--')) return `. ${DASHED_VALUE}.`;
  const example = spec.examples?.[0];
  return example === undefined ? '.' : `, for example: ${example.replace(/^epiloop(?: --profile \S+)?/, invocation)}`;
}

/** The directory the command was typed in, or null when it was removed under the shell (uv_cwd fails: ENOENT). */
function typedIn(): TypedIn {
  try {
    return process.cwd();
  } catch {
    return null;
  }
}

/** The command main() went on to run, for the internal-error line: a bundled stack names no module. */
let running: string | null = null;

async function main(argv: string[]): Promise<number> {
  const env = process.env;
  let out = createOutput({ stdout: process.stdout, stderr: process.stderr, env });
  const { globals, rest } = splitGlobals(argv);
  if (globals.noColor) out = createOutput({ stdout: process.stdout, stderr: process.stderr, env }, true);
  if (globals.profile !== undefined) checkProfileName(globals.profile);
  if (globals.version) {
    out.line(VERSION);
    return EXIT.ok;
  }
  const [{ COMMANDS }, { OPTION_ELSEWHERE }] = await Promise.all([import('./commands/registry'), import('./flags')]);
  // `epiloop help [command]` is --help, as in npm and gh.
  if (rest[0] === 'help') {
    rest.shift();
    globals.help = true;
  }
  const found = findCommand(COMMANDS, rest);
  if (found === null) {
    if (rest.length === 0) {
      mainHelp(COMMANDS, out);
      return globals.help ? EXIT.ok : EXIT.usage;
    }
    const guess = suggest(rest[0]!, COMMANDS.map((c) => c.path[0]!));
    throw new UsageError(`unknown command "${rest[0]}".${guess ? ` Did you mean "${guess}"?` : ''} Run "epiloop --help" for the list.`);
  }
  if ('group' in found) {
    if (globals.help) {
      groupHelp(COMMANDS, out, found.group[0]!);
      return EXIT.ok;
    }
    const subs = COMMANDS.filter((c) => c.path[0] === found.group[0] && c.path.length > 1).map((c) => c.path.join(' '));
    const word = found.args[0];
    const guess = word && !word.startsWith('-') ? suggest(`${found.group[0]} ${word}`, subs) : null;
    throw new UsageError(
      `${word && !word.startsWith('-') ? `unknown command "${found.group[0]} ${word}".${guess ? ` Did you mean "${guess}"?` : ''}` : `"${found.group[0]}" needs a subcommand.`} Use one of: ${subs.map((s) => `epiloop ${s}`).join(', ')}.`,
    );
  }
  const { spec, args } = found;
  if (globals.help) {
    commandHelp(COMMANDS, out, spec);
    return EXIT.ok;
  }
  const commandName = `epiloop ${spec.path.join(' ')}`;
  running = commandName;
  const given = givenInvocation(globals.profile ?? (env.EPILOOP_PROFILE || undefined));
  const elsewhere = (option: string) => OPTION_ELSEWHERE[option]?.(given, spec.path.join(' ')) ?? null;
  const { flags, positionals } = parseFlags(args, { commandName, flags: spec.flags, invocation: `${given} ${spec.path.join(' ')}`, elsewhere });
  if (spec.args !== undefined) {
    const required = spec.args.filter((a) => !a.optional).length;
    if (positionals.length < required || positionals.length > spec.args.length) {
      const missing = spec.args[positionals.length]?.name;
      throw new UsageError(
        `${positionals.length < required ? `"${commandName}" needs ${missing}` : `"${commandName}" takes ${spec.args.length} argument${spec.args.length === 1 ? '' : 's'}, not ${positionals.length}`}. Usage: ${commandName}${argsText(spec)}${argumentHint(spec, args, given)}`,
      );
    }
  } else if (positionals.length > 0) {
    const subs = COMMANDS.filter((c) => c.path.length === spec.path.length + 1 && c.path[0] === spec.path[0]).map((c) => c.path.at(-1)!);
    if (subs.length > 0) {
      const guess = suggest(positionals[0]!, subs);
      throw new UsageError(
        `unknown command "${commandName.slice('epiloop '.length)} ${positionals[0]}".${guess ? ` Did you mean "${spec.path[0]} ${guess}"?` : ''} Use one of: ${subs.map((w) => `${commandName} ${w}`).join(', ')}.`,
      );
    }
    throw new UsageError(`"${commandName}" takes no argument "${positionals[0]}". Run "${commandName} --help".`);
  }
  const home = homeDir(env.HOME, os.homedir());
  const cwd = typedIn();
  // Relative paths were resolved against `cwd` (null refuses them); what calls process.cwd() below
  // (Ink's stack-utils at load, execa's default cwd for systemctl) needs a directory that exists.
  if (cwd === null) process.chdir('/');
  const paths = resolveProfile({ flag: globals.profile, env, home });
  const module = await spec.load();
  return module.run({
    flags,
    positionals,
    paths,
    env,
    home,
    cwd,
    out,
    invocation: invocationHere(paths.profile),
  });
}

// `epiloop ports | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? EXIT.ok);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isUserFacing(error)) {
      const message = escapeControl(error.message, { keepNewlines: true });
      // On a terminal, wrapped between words as every other line is: a command in it is never cut.
      process.stderr.write(`${fitted(error.exitCode === EXIT.cancelled ? message : errorLine(message), process.stderr)}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    const where = running === null ? '' : ` in "${running}"`;
    process.stderr.write(`epiloop: internal error${where} — this is a bug, please report it:\n${escapeControl(error instanceof Error ? (error.stack ?? error.message) : String(error), { keepNewlines: true })}\n`);
    process.exitCode = EXIT.internal;
  },
);
