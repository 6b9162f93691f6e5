import { JSON_FLAG, type CommandSpec } from './context';

const CONFIG_PATH_ARG = { name: '<path>' };
const CONFIG_DRY_RUN = { name: 'dry-run', type: 'boolean' as const, help: 'show the lines that would change; write nothing' };

/** Every command, in help order. Keep entries small: this file loads on every run. */
export const COMMANDS: CommandSpec[] = [
  {
    path: ['onboard'],
    summary: 'the wizard: role, paths, base port with a live port map, browser, service; repairs an existing profile',
    flags: [
      { name: 'non-interactive', type: 'boolean', help: 'ask nothing: answers come from the flags below and the defaults' },
      { name: 'role', type: 'string', placeholder: '<main|rescue>', help: 'main, or rescue (watches the other profiles); default: rescue for profile "rescue", else main' },
      { name: 'port', type: 'number', placeholder: '<port>', help: 'base port (default: the first free block for the role)' },
      { name: 'workspace', type: 'string', placeholder: '<dir>', help: 'workspace directory (default: ~/.epiloop/workspace[-PROFILE])' },
      { name: 'install-service', type: 'boolean', negatable: true, help: 'install the gateway service (default: where systemd/launchd is usable)' },
      { name: 'yes', short: 'y', type: 'boolean', help: 'write without asking (implies --non-interactive); without it --non-interactive only shows the plan' },
      { name: 'plain', type: 'boolean', help: 'ask line by line instead of drawing the wizard (dumb terminals, screen readers)' },
    ],
    examples: ['epiloop --profile rescue onboard', 'epiloop --profile rescue onboard --non-interactive --role rescue --port 19789 --yes'],
    load: () => import('./onboard'),
  },
  {
    path: ['setup'],
    summary: 'create this profile non-interactively: state dir, config with a free base port, workspace',
    flags: [
      { name: 'port', type: 'number', placeholder: '<port>', help: 'base port (default: the first free block for this profile\'s role)' },
      { name: 'workspace', type: 'string', placeholder: '<dir>', help: 'workspace directory (default: ~/.epiloop/workspace[-PROFILE])' },
      { name: 'force', type: 'boolean', help: 'replace a config that cannot be parsed (a backup is kept)' },
    ],
    examples: ['epiloop --profile rescue setup', 'epiloop --profile rescue setup --port 19789'],
    load: () => import('./setup'),
  },
  {
    path: ['status'],
    summary: 'this profile: paths, port map with live state, gateway and service',
    flags: [JSON_FLAG],
    load: () => import('./status'),
  },
  {
    path: ['ports'],
    summary: 'every profile on this host: footprints, overlaps and live state, drawn as a map',
    flags: [JSON_FLAG],
    load: () => import('./ports'),
  },
  {
    path: ['doctor'],
    summary: 'find what is wrong with this profile (config, ports, pins, dirs, modes) and, with --fix, repair it',
    flags: [
      { name: 'fix', type: 'boolean', help: 'repair the fixable findings: shows the plan and the config diff, asks, backs up, writes' },
      { name: 'yes', type: 'boolean', help: 'with --fix: apply without asking (needed without a terminal)' },
      { name: 'target', type: 'string', placeholder: '<profile>', help: 'diagnose another profile from this one ("default" for the profile without --profile)' },
      JSON_FLAG,
    ],
    examples: ['epiloop --profile rescue doctor', 'epiloop --profile rescue doctor --fix', 'epiloop --profile rescue doctor --target main --fix --yes'],
    load: () => import('./doctor'),
  },
  {
    path: ['gateway'],
    summary: 'run this profile\'s gateway in the foreground: base (health, WebSocket), +2 browser control, +4 canvas',
    flags: [{ name: 'port', type: 'number', placeholder: '<port>', help: 'base port for this run (default: EPILOOP_GATEWAY_PORT, then gateway.port)' }],
    examples: ['epiloop --profile main gateway', 'epiloop --profile rescue gateway --port 19789'],
    load: () => import('./gateway'),
  },
  {
    path: ['gateway', 'install'],
    summary: 'install this profile\'s gateway as a service (systemd user unit / launchd agent) and start it',
    flags: [{ name: 'dry-run', type: 'boolean', help: 'print the file (stdout) and the commands (stderr); change nothing' }],
    examples: ['epiloop --profile rescue gateway install', 'epiloop --profile rescue gateway install --dry-run > unit.service'],
    load: () => import('./gateway-service').then((m) => ({ run: m.install })),
  },
  {
    path: ['gateway', 'uninstall'],
    summary: 'stop this profile\'s gateway service and remove its file (no other profile is touched)',
    flags: [{ name: 'dry-run', type: 'boolean', help: 'print the commands; change nothing' }],
    load: () => import('./gateway-service').then((m) => ({ run: m.uninstall })),
  },
  {
    path: ['gateway', 'restart'],
    summary: 'restart this profile\'s gateway service',
    flags: [],
    load: () => import('./gateway-service').then((m) => ({ run: m.restart })),
  },
  {
    path: ['gateway', 'status'],
    summary: 'this profile\'s gateway service: installed, running, pid, and whether its file matches the config',
    flags: [JSON_FLAG],
    load: () => import('./gateway-service').then((m) => ({ run: m.status })),
  },
  {
    path: ['config', 'get'],
    summary: 'print one config value (a key path: gateway.port, browser.profiles.default.cdpPort, watch.profiles[0])',
    args: [CONFIG_PATH_ARG],
    flags: [JSON_FLAG],
    examples: ['epiloop --profile rescue config get gateway.port', 'epiloop config get watch --json'],
    load: () => import('./config').then((m) => ({ run: m.get })),
  },
  {
    path: ['config', 'set'],
    summary: 'set one config value (JSON5) as an edit of the file: comments and layout kept; checked like setup and doctor check',
    args: [CONFIG_PATH_ARG, { name: '<value>' }],
    flags: [CONFIG_DRY_RUN],
    examples: [
      'epiloop --profile rescue config set gateway.port 19789',
      'epiloop config set watch.profiles \'["main"]\' --dry-run',
      'epiloop config set gateway.bind loopback',
    ],
    load: () => import('./config').then((m) => ({ run: m.set })),
  },
  {
    path: ['config', 'unset'],
    summary: 'remove one config value (its comments stay); a list closes up',
    args: [CONFIG_PATH_ARG],
    flags: [CONFIG_DRY_RUN],
    examples: ['epiloop --profile rescue config unset browser.controlUrl', 'epiloop config unset watch.profiles[1]'],
    load: () => import('./config').then((m) => ({ run: m.unset })),
  },
  {
    path: ['config', 'validate'],
    summary: 'check the config: JSON5 syntax (file:line:column) and every key against the schema',
    flags: [],
    load: () => import('./config').then((m) => ({ run: m.validate })),
  },
  {
    path: ['config', 'path'],
    summary: 'print the config file\'s path',
    flags: [],
    load: () => import('./config').then((m) => ({ run: m.path })),
  },
  {
    path: ['config', 'schema'],
    summary: 'print the config\'s JSON Schema, for editors (completion and checks)',
    flags: [],
    examples: ['epiloop config schema > ~/.epiloop/epiloop.schema.json'],
    load: () => import('./config').then((m) => ({ run: m.schema })),
  },
  {
    path: ['browser', 'status'],
    summary: 'this profile\'s browser control service: control URL, browser profiles, CDP ports, reachable or not',
    flags: [JSON_FLAG],
    load: () => import('./browser-status'),
  },
];
