import { command, type Command } from './context';
import { DOCTOR_FLAGS, GATEWAY_FLAGS, INSTALL_FLAGS, JSON_FLAGS, NO_FLAGS, ONBOARD_FLAGS, SETUP_FLAGS, UNINSTALL_FLAGS } from '../flags';

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
    path: ['browser', 'status'],
    summary: 'this profile\'s browser control service: control URL, browser profiles, CDP ports, reachable or not',
    flags: JSON_FLAGS,
    load: () => import('./browser-status'),
  }),
];
