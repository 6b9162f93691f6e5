/**
 * Every command's flags: the tables the parser reads, the help prints, and each command's
 * `run` is typed from (FlagsOf). Keep entries small: this file loads on every run.
 */
import { flagTable } from './argv';
import { ANSWER_FLAGS } from './core/wizard/questions';

const JSON_FLAG = { name: 'json', type: 'boolean', help: 'print machine-readable JSON (documented in the README)' } as const;

export const JSON_FLAGS = flagTable(JSON_FLAG);

export const CONFIG_GET_FLAGS = flagTable(JSON_FLAG, {
  name: 'show-secrets',
  type: 'boolean',
  help: 'print the auth token and URL secrets as they are (masked otherwise: "‹32 characters hidden, #1a2b3c4d›")',
});

export const ONBOARD_FLAGS = flagTable(
  { name: 'non-interactive', type: 'boolean', help: 'ask nothing: answers come from the flags below and the defaults' },
  // One flag (or two) per wizard question, from the questions table.
  ...ANSWER_FLAGS,
  { name: 'yes', short: 'y', type: 'boolean', help: 'write without asking (implies --non-interactive); without it --non-interactive only shows the plan' },
  { name: 'plain', type: 'boolean', help: 'ask line by line instead of drawing the wizard (dumb terminals, screen readers)' },
);

export const SETUP_FLAGS = flagTable(
  { name: 'port', type: 'number', placeholder: '<port>', help: 'base port (default: the first free block for this profile\'s role)' },
  { name: 'workspace', type: 'string', placeholder: '<dir>', help: 'workspace directory (default: ~/.epiloop/workspace[-PROFILE])' },
  { name: 'force', type: 'boolean', help: 'replace a config that cannot be parsed (a backup is kept)' },
);

export const DOCTOR_FLAGS = flagTable(
  { name: 'fix', type: 'boolean', help: 'repair the fixable findings: shows the plan and the config diff, asks, backs up, writes' },
  { name: 'yes', type: 'boolean', help: 'with --fix or --rollback: apply without asking (needed without a terminal)' },
  { name: 'rollback', type: 'boolean', help: 'restore the last-known-good config (recorded by a watching rescue): shows the diff, asks, backs up, writes, restarts the service' },
  { name: 'target', type: 'string', placeholder: '<profile>', help: 'diagnose another profile from this one ("default" for the profile without --profile)' },
  JSON_FLAG,
);

export const GATEWAY_FLAGS = flagTable({ name: 'port', type: 'number', placeholder: '<port>', help: 'base port for this run (default: EPILOOP_GATEWAY_PORT, then gateway.port)' });

export const INSTALL_FLAGS = flagTable({ name: 'dry-run', type: 'boolean', help: 'print the file (stdout) and the commands (stderr); change nothing' });

export const UNINSTALL_FLAGS = flagTable({ name: 'dry-run', type: 'boolean', help: 'print the commands; change nothing' });

export const NO_FLAGS = [] as const;

export const LIFECYCLE_FLAGS = flagTable(
  { name: 'all', type: 'boolean', help: 'every profile on this host, in a stated order (watching profiles start first and stop last)' },
  { name: 'wait', type: 'number', placeholder: '<seconds>', help: 'how long start/restart wait for /health, and stop for the gateway to exit (default 10)' },
  JSON_FLAG,
);

export const LOGS_FLAGS = flagTable(
  { name: 'follow', short: 'f', type: 'boolean', help: 'keep printing new events, across rotations, until Ctrl-C' },
  { name: 'all', type: 'boolean', help: 'every profile on this host, merged in time order, each line prefixed with its profile' },
  { name: 'since', type: 'string', placeholder: '<when>', help: 'only events since a duration ago (30s, 10m, 2h, 1d) or a date (2026-11-30T18:00:00Z)' },
  { name: 'lines', short: 'n', type: 'number', placeholder: '<N>', help: 'the last N events (default 50; with --since, all of them unless given)' },
  { name: 'json', type: 'boolean', help: 'one JSON event per line: time, level, profile, source, message, pid' },
);

export const CONFIG_WRITE_FLAGS = flagTable({ name: 'dry-run', type: 'boolean', help: 'show the lines that would change; write nothing' });

/**
 * Options of some commands given to one without them: where each leads instead, said after
 * "unknown option" (exit 2). `invocation`: the command line's start as typed ("epiloop --profile
 * rescue"); `command`: the command given ("status").
 */
export const OPTION_ELSEWHERE: Readonly<Record<string, (invocation: string, command: string) => string>> = {
  '--all': (_, command) => (['list', 'ports', 'top'].includes(command) ? `"epiloop ${command}" shows every profile without it` : 'to see every profile, run "epiloop list" (or "epiloop ports")'),
  '--fix': (invocation) => `to repair this profile, run "${invocation} doctor --fix"`,
  '--follow': (invocation) => `to follow the log, run "${invocation} logs --follow"`,
  '--port': (invocation) => `to change the base port, run "${invocation} config set gateway.port <port>"`,
};
