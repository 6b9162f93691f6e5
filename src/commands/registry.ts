import { JSON_FLAG, type CommandSpec } from './context';

/** Every command, in help order. Keep entries small: this file loads on every run. */
export const COMMANDS: CommandSpec[] = [
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
];
