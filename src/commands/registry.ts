import { command, type Command } from './context';
import { DOCTOR_FLAGS, GATEWAY_FLAGS, INSTALL_FLAGS, JSON_FLAGS, NO_FLAGS, ONBOARD_FLAGS, SETUP_FLAGS, UNINSTALL_FLAGS, CONFIG_WRITE_FLAGS } from '../flags';

const CONFIG_PATH_ARG = { name: '<path>' };

/** Every command, in help order. Keep entries small: this file loads on every run. */
export const COMMANDS: Command[] = [
  command({
    path: ['onboard'],
    summary: 'the wizard: role, paths, base port with a live port map, browser, service; repairs an existing profile',
    flags: ONBOARD_FLAGS,
    examples: ['epiloop --profile rescue onboard', 'epiloop --profile rescue onboard --non-interactive --role rescue --port 19789 --yes'],
    load: () => import('./onboard'),
  }),
  command({
    path: ['setup'],
    summary: 'create this profile non-interactively: state dir, config with a free base port, workspace',
    flags: SETUP_FLAGS,
    examples: ['epiloop --profile rescue setup', 'epiloop --profile rescue setup --port 19789'],
    load: () => import('./setup'),
  }),
  command({
    path: ['status'],
    summary: 'this profile: paths, port map with live state, gateway and service',
    flags: JSON_FLAGS,
    load: () => import('./status'),
  }),
  command({
    path: ['ports'],
    summary: 'every profile on this host: footprints, overlaps and live state, drawn as a map',
    flags: JSON_FLAGS,
    load: () => import('./ports'),
  }),
  command({
    path: ['doctor'],
    summary: 'find what is wrong with this profile (config, ports, pins, dirs, modes) and, with --fix, repair it',
    flags: DOCTOR_FLAGS,
    examples: ['epiloop --profile rescue doctor', 'epiloop --profile rescue doctor --fix', 'epiloop --profile rescue doctor --target main --fix --yes'],
    load: () => import('./doctor'),
  }),
  command({
    path: ['gateway'],
    summary: 'run this profile\'s gateway in the foreground: base (health, WebSocket), +2 browser control, +4 canvas',
    flags: GATEWAY_FLAGS,
    examples: ['epiloop --profile main gateway', 'epiloop --profile rescue gateway --port 19789'],
    load: () => import('./gateway'),
  }),
  command({
    path: ['gateway', 'install'],
    summary: 'install this profile\'s gateway as a service (systemd user unit / launchd agent) and start it',
    flags: INSTALL_FLAGS,
    examples: ['epiloop --profile rescue gateway install', 'epiloop --profile rescue gateway install --dry-run > unit.service'],
    load: () => import('./gateway-service').then((m) => ({ run: m.install })),
  }),
  command({
    path: ['gateway', 'uninstall'],
    summary: 'stop this profile\'s gateway service and remove its file (no other profile is touched)',
    flags: UNINSTALL_FLAGS,
    load: () => import('./gateway-service').then((m) => ({ run: m.uninstall })),
  }),
  command({
    path: ['gateway', 'restart'],
    summary: 'restart this profile\'s gateway service',
    flags: NO_FLAGS,
    load: () => import('./gateway-service').then((m) => ({ run: m.restart })),
  }),
  command({
    path: ['gateway', 'status'],
    summary: 'this profile\'s gateway service: installed, running, pid, and whether its file matches the config',
    flags: JSON_FLAGS,
    load: () => import('./gateway-service').then((m) => ({ run: m.status })),
  }),
  command({
    path: ['watch', 'test'],
    summary: 'send a test alert to every sink of this profile\'s watch.alerts and report each result',
    flags: JSON_FLAGS,
    examples: ['epiloop --profile rescue watch test', 'epiloop --profile rescue watch test --json'],
    load: () => import('./watch-test'),
  }),
  command({
    path: ['config', 'get'],
    summary: 'print one config value (a key path: gateway.port, browser.profiles.default.cdpPort, watch.profiles[0])',
    args: [CONFIG_PATH_ARG],
    flags: JSON_FLAGS,
    examples: ['epiloop --profile rescue config get gateway.port', 'epiloop config get watch --json'],
    load: () => import('./config').then((m) => ({ run: m.get })),
  }),
  command({
    path: ['config', 'set'],
    summary: 'set one config value (JSON5) as an edit of the file: comments and layout kept; checked like setup and doctor check',
    args: [CONFIG_PATH_ARG, { name: '<value>' }],
    flags: CONFIG_WRITE_FLAGS,
    examples: [
      'epiloop --profile rescue config set gateway.port 19789',
      'epiloop config set watch.profiles \'["main"]\' --dry-run',
      'epiloop config set gateway.bind loopback',
    ],
    load: () => import('./config').then((m) => ({ run: m.set })),
  }),
  command({
    path: ['config', 'unset'],
    summary: 'remove one config value (its comments stay); a list closes up',
    args: [CONFIG_PATH_ARG],
    flags: CONFIG_WRITE_FLAGS,
    examples: ['epiloop --profile rescue config unset browser.controlUrl', 'epiloop config unset watch.profiles[1]'],
    load: () => import('./config').then((m) => ({ run: m.unset })),
  }),
  command({
    path: ['config', 'validate'],
    summary: 'check the config: JSON5 syntax (file:line:column) and every key against the schema',
    flags: NO_FLAGS,
    load: () => import('./config').then((m) => ({ run: m.validate })),
  }),
  command({
    path: ['config', 'path'],
    summary: 'print the config file\'s path',
    flags: NO_FLAGS,
    load: () => import('./config').then((m) => ({ run: m.path })),
  }),
  command({
    path: ['config', 'schema'],
    summary: 'print the config\'s JSON Schema, for editors (completion and checks)',
    flags: NO_FLAGS,
    examples: ['epiloop config schema > ~/.epiloop/epiloop.schema.json'],
    load: () => import('./config').then((m) => ({ run: m.schema })),
  }),
  command({
    path: ['browser', 'status'],
    summary: 'this profile\'s browser control service: control URL, browser profiles, CDP ports, reachable or not',
    flags: JSON_FLAGS,
    load: () => import('./browser-status'),
  }),
];
