import path from 'node:path';
import { HostError } from '../errors';
import type { ProfilePaths } from '../profile/paths';
import type { InstalledView, ManagerView, RunState, ServiceSpec } from './spec';

/** The directory systemd's user manager reads units from (without XDG_CONFIG_HOME). */
export function systemdUnitDir(home: string): string {
  return path.join(home, '.config', 'systemd', 'user');
}

export function systemdUnitFile(paths: ProfilePaths, home: string): string {
  return path.join(systemdUnitDir(home), paths.systemdUnit);
}

const SAFE_WORD = /^[A-Za-z0-9_/.,:+=@-]+$/;

/**
 * One ExecStart argument (systemd.service, "Command lines"): quoted when it holds anything
 * but plain path characters; inside the quotes \ and " are escaped, % (specifiers) and $
 * (variable expansion) doubled.
 */
export function execWord(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `"${word.replace(/[\\"]/g, '\\$&').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

/**
 * The program itself is not variable-expanded ($ stays), and systemd refuses \ " and ' in
 * it outright ("Executable name contains special characters").
 */
export function execProgram(program: string): string {
  if (/["'\\]/.test(program)) {
    throw new HostError(
      `systemd does not allow \\, " or ' in the path of the program a unit runs, and node is at ${program}. Install node at a path without them (or link it from one) and run this again with that node.`,
    );
  }
  return SAFE_WORD.test(program) ? program : `"${program.replace(/%/g, '%%')}"`;
}

/** One Environment= assignment (systemd.exec): quoted whole, \ and " escaped, % doubled; $ means nothing there. */
export function environmentLine(key: string, value: string): string {
  return `Environment="${`${key}=${value}`.replace(/[\\"]/g, '\\$&').replace(/%/g, '%%')}"`;
}

export function renderSystemdUnit(spec: ServiceSpec): string {
  // truncate: takes the rest of the line literally but for specifiers; each start begins the file anew.
  const errors = spec.errorPath.replace(/%/g, '%%');
  return [
    `# Managed by epiloop: "${spec.invocation} gateway install" rewrites this file, "${spec.invocation} gateway uninstall" removes it.`,
    '[Unit]',
    `Description=${spec.description}`,
    // Five failed starts in two minutes: stop retrying and show "failed" instead of looping.
    'StartLimitIntervalSec=120',
    'StartLimitBurst=5',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${[execProgram(spec.argv[0]!), ...spec.argv.slice(1).map(execWord)].join(' ')}`,
    ...spec.env.map(([key, value]) => environmentLine(key, value)),
    'Restart=on-failure',
    'RestartSec=5',
    // 2: the config is unusable; 3: this profile's gateway already runs. A restart cannot help either.
    'RestartPreventExitStatus=2 3',
    // The gateway writes its own rotated gateway.log; its stdout repeats it, so only stderr is kept.
    'StandardOutput=null',
    `StandardError=truncate:${errors}`,
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', s: ' ', a: '\u0007', b: '\b', f: '\f', v: '\v' };

/** Splits a unit-file value into words as systemd does (quotes removed, C escapes decoded). */
export function unitWords(value: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length) {
      const next = value[++i]!;
      const hex = next === 'x' ? /^[0-9a-fA-F]{2}/.exec(value.slice(i + 1)) : null;
      if (hex) {
        word = (word ?? '') + String.fromCharCode(parseInt(hex[0], 16));
        i += 2;
      } else word = (word ?? '') + (ESCAPES[next] ?? next);
    } else if (quote !== null) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? '') + c;
  }
  if (word !== null) words.push(word);
  return words;
}

/** Reads back what renderSystemdUnit writes (and hand edits of the same keys). */
export function readSystemdUnit(text: string): InstalledView {
  const view: InstalledView = { argv: null, env: {}, errorPath: null };
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      section = line;
      continue;
    }
    const eq = line.indexOf('=');
    if (section !== '[Service]' || eq === -1) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'ExecStart') {
      // Leading -@:+! are flags on the command, not part of its path.
      const words = unitWords(value.replace(/^[-@:+!]+/, '')).map((w) => w.replace(/%%/g, '%'));
      view.argv = words.map((w, i) => (i === 0 ? w : w.replace(/\$\$/g, '$')));
    } else if (key === 'Environment') {
      if (value === '') view.env = {};
      for (const word of unitWords(value)) {
        const at = word.indexOf('=');
        if (at > 0) view.env[word.slice(0, at)] = word.slice(at + 1).replace(/%%/g, '%');
      }
    } else if (key === 'StandardError') {
      const target = /^(?:append|file|truncate):(.*)$/.exec(value);
      view.errorPath = target ? target[1]!.replace(/%%/g, '%') : null;
    }
  }
  return view;
}

const SYSTEMCTL = ['systemctl', '--user'];
/** Succeeds only when a user manager answers. */
export const SYSTEMD_PROBE = [...SYSTEMCTL, 'show-environment'];

/** Every systemctl call epiloop makes, for one unit. Pure, so --dry-run can print them. */
export function systemctlCommands(unit: string) {
  return {
    reload: [...SYSTEMCTL, 'daemon-reload'],
    enableNow: [...SYSTEMCTL, 'enable', '--now', unit],
    enable: [...SYSTEMCTL, 'enable', unit],
    restart: [...SYSTEMCTL, 'restart', unit],
    disableNow: [...SYSTEMCTL, 'disable', '--now', unit],
    start: [...SYSTEMCTL, 'start', unit],
    stop: [...SYSTEMCTL, 'stop', unit],
    show: [...SYSTEMCTL, 'show', unit, '--property=LoadState,ActiveState,SubState,MainPID,UnitFileState'],
  };
}

/** `systemctl show -p …` → state. activating covers "auto-restart": waiting RestartSec before the next try. */
export function parseSystemdShow(stdout: string): ManagerView {
  const props = Object.fromEntries(
    stdout.split('\n').flatMap((line) => {
      const eq = line.indexOf('=');
      return eq === -1 ? [] : [[line.slice(0, eq), line.slice(eq + 1).trim()]];
    }),
  );
  const active = props.ActiveState as string | undefined;
  const state: RunState =
    active === 'active' || active === 'reloading'
      ? 'active'
      : active === 'activating'
        ? 'activating'
        : active === 'failed'
          ? 'failed'
          : active === 'inactive' || active === 'deactivating'
            ? 'inactive'
            : 'unknown';
  const pid = Number(props.MainPID);
  return {
    loaded: props.LoadState === 'loaded',
    enabled: props.UnitFileState === 'enabled',
    state,
    pid: Number.isInteger(pid) && pid > 0 ? pid : null,
  };
}
