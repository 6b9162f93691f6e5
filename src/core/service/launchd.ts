import path from 'node:path';
import type { ProfilePaths } from '../profile/paths';
import { launchdPlistName } from '../profile/identity';
import type { InstalledView, ManagerView, RunState, ServiceSpec } from './spec';

/** Where launchd reads a user's agents from. */
export function launchAgentsDir(home: string): string {
  return path.join(home, 'Library', 'LaunchAgents');
}

export function launchdPlistFile(paths: ProfilePaths, home: string): string {
  return path.join(launchAgentsDir(home), launchdPlistName(paths.profile));
}

function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const string = (value: string, indent: string) => `${indent}<string>${xmlText(value)}</string>`;
const key = (name: string, indent = '\t') => `${indent}<key>${xmlText(name)}</key>`;

/** A launchd agent (launchd.plist(5)). XML escaping is all the quoting a plist needs. */
export function renderLaunchdPlist(spec: ServiceSpec, label: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    key('Label'),
    string(label, '\t'),
    key('ProgramArguments'),
    '\t<array>',
    ...spec.argv.map((arg) => string(arg, '\t\t')),
    '\t</array>',
    key('EnvironmentVariables'),
    '\t<dict>',
    ...spec.env.flatMap(([name, value]) => [key(name, '\t\t'), string(value, '\t\t')]),
    '\t</dict>',
    key('RunAtLoad'),
    '\t<true/>',
    // Restart when it exits with an error, never after a clean stop.
    key('KeepAlive'),
    '\t<dict>',
    key('SuccessfulExit', '\t\t'),
    '\t\t<false/>',
    '\t</dict>',
    key('ThrottleInterval'),
    '\t<integer>10</integer>',
    // The gateway writes its own rotated gateway.log; its stdout repeats it, so only stderr is kept.
    key('StandardOutPath'),
    string('/dev/null', '\t'),
    key('StandardErrorPath'),
    string(spec.errorPath, '\t'),
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

export type PlistValue = string | number | boolean | Date | Uint8Array | PlistValue[] | { [key: string]: PlistValue };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * A strict parser for the XML plists epiloop writes and reads back: well-formed XML with
 * the plist DTD's elements only. Throws on anything else (a reader must not guess).
 */
export function parsePlist(text: string): PlistValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`plist: ${what} at offset ${i}`);
  };
  const skipSpace = () => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (!text.startsWith('<!--', i)) return;
      const end = text.indexOf('-->', i + 4);
      if (end === -1 || text.slice(i + 4, end).includes('--')) fail('bad comment');
      i = end + 3;
    }
  };
  const decode = (raw: string): string =>
    raw.replace(/&([^;]*);?/g, (match, name: string) => {
      if (!match.endsWith(';')) fail('unterminated entity');
      const code = /^#x([0-9a-fA-F]+)$/.exec(name)?.[1] ?? null;
      const dec = /^#([0-9]+)$/.exec(name)?.[1] ?? null;
      if (code !== null) return String.fromCodePoint(parseInt(code, 16));
      if (dec !== null) return String.fromCodePoint(parseInt(dec, 10));
      return ENTITIES[name] ?? fail(`unknown entity &${name};`);
    });
  const tag = (): { name: string; closing: boolean; empty: boolean } => {
    const m = /^<(\/?)([A-Za-z][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(text.slice(i));
    if (m === null) return fail('malformed tag');
    i += m[0].length;
    if (m[1] && (m[3] || m[4])) fail('closing tag with attributes');
    return { name: m[2]!, closing: m[1] === '/', empty: m[4] === '/' };
  };
  const textUntilClose = (name: string): string => {
    const end = text.indexOf('<', i);
    if (end === -1) fail(`unclosed <${name}>`);
    const raw = text.slice(i, end);
    i = end;
    const close = tag();
    if (!close.closing || close.name !== name) fail(`expected </${name}>`);
    return decode(raw);
  };
  /** After optional space: consumes </name> and says so, or leaves the input as it was. */
  const closes = (name: string): boolean => {
    skipSpace();
    if (!text.startsWith(`</${name}>`, i)) return false;
    i += name.length + 3;
    return true;
  };
  const value = (): PlistValue => {
    skipSpace();
    const open = tag();
    if (open.closing) fail(`unexpected </${open.name}>`);
    switch (open.name) {
      case 'true':
      case 'false':
        if (!open.empty) fail(`<${open.name}> must be empty`);
        return open.name === 'true';
      case 'string':
        return open.empty ? '' : textUntilClose('string');
      case 'integer': {
        const raw = open.empty ? '' : textUntilClose('integer').trim();
        if (!/^[+-]?\d+$/.test(raw)) fail(`bad integer "${raw}"`);
        return Number(raw);
      }
      case 'real': {
        const raw = open.empty ? '' : textUntilClose('real').trim();
        if (raw === '' || Number.isNaN(Number(raw))) fail(`bad real "${raw}"`);
        return Number(raw);
      }
      case 'date': {
        const date = new Date(open.empty ? '' : textUntilClose('date').trim());
        if (Number.isNaN(date.getTime())) fail('bad date');
        return date;
      }
      case 'data':
        return Uint8Array.from(Buffer.from(open.empty ? '' : textUntilClose('data').replace(/\s/g, ''), 'base64'));
      case 'array': {
        const items: PlistValue[] = [];
        if (!open.empty) while (!closes('array')) items.push(value());
        return items;
      }
      case 'dict': {
        const dict: { [key: string]: PlistValue } = {};
        if (!open.empty) {
          while (!closes('dict')) {
            const k = tag();
            if (k.closing || k.name !== 'key') fail('expected <key> in <dict>');
            const name = k.empty ? '' : textUntilClose('key');
            if (Object.hasOwn(dict, name)) fail(`duplicate key "${name}"`);
            dict[name] = value();
          }
        }
        return dict;
      }
      default:
        return fail(`unknown element <${open.name}>`);
    }
  };
  if (text.startsWith('\ufeff')) i = 1;
  if (text.startsWith('<?xml', i)) {
    const end = text.indexOf('?>', i);
    if (end === -1) fail('unterminated XML declaration');
    i = end + 2;
  }
  skipSpace();
  if (text.startsWith('<!DOCTYPE', i)) {
    const end = text.indexOf('>', i);
    if (end === -1) fail('unterminated DOCTYPE');
    i = end + 1;
  }
  skipSpace();
  const root = tag();
  if (root.name !== 'plist' || root.closing || root.empty) fail('expected <plist>');
  const result = value();
  if (!closes('plist')) fail('expected </plist>');
  skipSpace();
  if (i !== text.length) fail('content after </plist>');
  return result;
}

const isDict = (v: PlistValue | undefined): v is { [key: string]: PlistValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);

/** Reads back what renderLaunchdPlist writes. An unparseable plist reads as "nothing known". */
export function readLaunchdPlist(text: string): InstalledView {
  let root: PlistValue;
  try {
    root = parsePlist(text);
  } catch {
    return { argv: null, env: {}, errorPath: null };
  }
  if (!isDict(root)) return { argv: null, env: {}, errorPath: null };
  const args = root.ProgramArguments;
  const env = root.EnvironmentVariables;
  return {
    argv: Array.isArray(args) && args.every((a) => typeof a === 'string') ? (args as string[]) : null,
    env: isDict(env) ? Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string')) : {},
    errorPath: typeof root.StandardErrorPath === 'string' ? root.StandardErrorPath : null,
  };
}

/** Succeeds only when this user has a GUI session for agents to live in. */
export function launchdProbe(uid: number): string[] {
  return ['launchctl', 'print', `gui/${uid}`];
}

/** Every launchctl call epiloop makes, for one agent. Pure, so --dry-run can print them. */
export function launchctlCommands(label: string, file: string, uid: number) {
  const domain = `gui/${uid}`;
  const target = `${domain}/${label}`;
  return {
    bootstrap: ['launchctl', 'bootstrap', domain, file],
    bootout: ['launchctl', 'bootout', target],
    kickstart: ['launchctl', 'kickstart', target],
    restart: ['launchctl', 'kickstart', '-k', target],
    print: ['launchctl', 'print', target],
  };
}

/** `launchctl print gui/<uid>/<label>` → state. A loaded agent is always "enabled": RunAtLoad starts it at login. */
export function parseLaunchctlPrint(stdout: string): ManagerView {
  const field = (name: string) => new RegExp(`^\\s*${name} = (.*)$`, 'm').exec(stdout)?.[1]?.trim();
  const raw = field('state');
  const lastExit = Number(field('last exit code'));
  const pid = Number(field('pid'));
  const state: RunState =
    raw === 'running'
      ? 'active'
      : raw === 'spawn scheduled' || raw === 'spawning'
        ? 'activating'
        : raw === 'not running' || raw === 'waiting'
          ? Number.isInteger(lastExit) && lastExit !== 0
            ? 'failed'
            : 'inactive'
          : 'unknown';
  return { loaded: raw !== undefined, enabled: raw !== undefined, state, pid: Number.isInteger(pid) && pid > 0 ? pid : null };
}
