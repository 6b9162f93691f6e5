/**
 * What is wrong with a profile, as findings: each one line of words, its evidence and the
 * fix in words. Pure: diagnose.ts gathers the facts (files, modes, probes) and calls these.
 */
import type { ConfigError } from '../config/parse';
import type { Config } from '../config/schema';
import { ROLE_LABEL, type Footprint, type PortSlot } from '../ports/footprint';
import type { SlotFacts } from '../host/view';
import { workspaceConflictWords, type GatewayMismatch, type WorkspaceConflict } from '../host/rules';
import { compactPorts, describeClaim, type Claim } from '../ports/overlap';
import { buildPortMap, describeHolders, factsFrom, portsText } from '../ports/portmap';
import { PREFERRED_START, type GatewayRole } from '../ports/propose';
import { maskConfigLines, maskConfigSides } from '../config/secrets';
import { stringOfLength } from '../config/token';
import { bindAddressFix, bindHost, isAddressOfHost, isBindValue } from '../gateway/plan';
import { isReplaceable, refusalWords, shellWord } from '../profile/files';
import { clipAround } from '../text/clip';
import { isRemovable, removeCommand, type LeftLock } from '../gateway/lock';
import { dotted, entryRemovalWords, invalidKeyFix, keyPathIn, pinOfSlot, pinRemovalWords, type InvalidKey, type Pin } from '../config/edits';
import { type PortHolder, type PortState } from '../ports/listeners';
import { type LoadedConfig } from '../config/parse';
import { type ServiceStatus } from '../service/spec';

export type FindingKind =
  | 'config-missing'
  | 'config-syntax'
  | 'config-unreadable'
  | 'config-schema'
  | 'footprint-overlap'
  | 'port-bound'
  | 'shared-pin'
  | 'workspace-shared'
  | 'workspace-system'
  | 'config-symlink'
  | 'gateway-mismatch'
  | 'gateway-lock'
  | 'state-dir-missing'
  | 'workspace-missing'
  | 'permissions'
  | 'service-mismatch'
  | 'bind-address'
  | 'temp-files';

export interface Finding {
  kind: FindingKind;
  severity: 'error' | 'warning';
  /** One line, words. */
  summary: string;
  /** Evidence: file:line:col, ports, holders, the other profile's file. */
  detail: string[];
  fixable: boolean;
  /** What the fix does, in words; null when there is none. With fixable false, what a person does by hand. */
  fix: string | null;
}

/** The profile a diagnosis is about: fixes name it and look for a base where its role starts. */
export interface Who {
  role: GatewayRole;
  label: string;
  /** "epiloop --profile rescue" (invocationOf): the prefix of the commands a finding names. */
  invocation: string;
}

/** Kinds whose fix rewrites the config (the rest make dirs, change modes or reinstall). */
export const CONFIG_KINDS: ReadonlySet<FindingKind> = new Set<FindingKind>([
  'config-missing',
  'config-syntax',
  'config-schema',
  'footprint-overlap',
  'port-bound',
  'shared-pin',
  'workspace-shared',
  'workspace-system',
]);

export function isHealthy(findings: readonly Finding[]): boolean {
  return !findings.some((f) => f.severity === 'error');
}

function finding(kind: FindingKind, summary: string, detail: string[], fix: string | null, severity: Finding['severity'] = 'error'): Finding {
  return { kind, severity, summary, detail, fixable: fix !== null, fix };
}

function moveWords(base: number | null, who: Who): string {
  const from = base === null ? '' : ` from ${base}`;
  return `move the base${from} to the first free block for profile ${who.label} (at or above ${PREFERRED_START[who.role]})`;
}

/** A missing, unparseable or schema-invalid config. `shown` is the file as printed (~/…). */
export function configFindings(
  loaded: LoadedConfig,
  invalid: readonly InvalidKey[],
  shown: string,
  who: Who,
  recovered: { raw: Record<string, unknown>; lost: readonly string[] } | null = null,
): Finding[] {
  if (loaded.state === 'missing') {
    return [
      finding(
        'config-missing',
        'this profile has no config: it is not set up',
        [`expected at ${shown}`],
        `create it as setup does: state dir (0700), config (0600) with a free base for profile ${who.label}, workspace`,
      ),
    ];
  }
  if (loaded.state === 'invalid' && loaded.error.kind === 'refused') return [refusedFinding(loaded.error, shown, who)];
  if (loaded.state === 'invalid' && (loaded.error.kind === 'syntax' || loaded.raw === undefined)) return [unreadableFinding(loaded.error, loaded.text, shown, who, recovered)];
  // Keys the schema rejects, and (in a valid config too) what the gateway would refuse: profileRuleProblems.
  return invalid.map(({ keys, problem, coerced, removes }) => {
    // Even a rejected token may be most of a real one: never print it.
    const value = keys[keys.length - 1] === 'token' && problem.value.startsWith('"') ? stringOfLength(problem.value.length - 2) : problem.value;
    const fix = removes !== undefined ? entryRemovalWords(removes) : coerced === undefined ? invalidKeyFix(keys).words : `write it as the number ${coerced}`;
    return finding('config-schema', `${problem.path} is ${value}, but must be ${problem.allowed}`, [`${shown}: ${keyPathIn(loaded.raw, keys)}`], fix);
  });
}

/**
 * gateway.bind naming an address this host has none of: the gateway's start would be refused on it (isAddressOfHost, as the start).
 * `rollback`: the way back to the last-known-good config (rollbackOffer) that start and status offer beside the fix by hand.
 */
export function bindAddressFindings(bind: string | undefined, addresses: readonly string[], shown: string, who: Who, rollback: string | null = null): Finding[] {
  if (bind === undefined || !isBindValue(bind) || isAddressOfHost(bindHost(bind), addresses)) return [];
  return [
    {
      kind: 'bind-address',
      severity: 'error',
      summary: `gateway.bind is ${JSON.stringify(bind)}, not an address of this host: the gateway will refuse to start`,
      detail: [`${shown}: gateway.bind`],
      fixable: false,
      fix: `by hand: ${bindAddressFix(who.invocation, addresses)}${rollback === null ? '' : `, or ${rollback}`}`,
    },
  ];
}

/** How much of a long line an excerpt shows: a window around the error, … on a side cut off. */
export const EXCERPT_WIDTH = 120;

/**
 * The line the parser stopped on, secrets masked, with a caret under the column as it stands
 * on the masked line; a line longer than EXCERPT_WIDTH clipped to a window around the caret
 * (masked first, so no cut can split a secret out of its mask).
 */
function excerpt(text: string, line: number, column: number): string[] {
  const lines = text.split(/\r?\n/);
  const source = lines[line - 1];
  if (source === undefined) return [];
  const gutter = `${line} | `;
  // Masked as a line of the whole text: alone it may hold a token whose key is on a line before it.
  const masked = maskConfigLines(lines)[line - 1]!;
  // A mask is longer (or shorter) than what it hides: the raw column moves by what the masks before it add.
  const before = maskConfigLines([...lines.slice(0, line - 1), source.slice(0, Math.max(0, column - 1))])[line - 1]!;
  const at = masked.startsWith(before) ? before.length : Math.min(Math.max(0, column - 1), masked.length);
  const clipped = clipAround(masked, at, EXCERPT_WIDTH);
  return [`${gutter}${clipped.text}`, `${' '.repeat(gutter.length + clipped.offset)}^`];
}

/** What a tolerant read still got of the keys clients depend on, in words: "gateway.port 18789, the auth token". */
export function recoveredWords(raw: Record<string, unknown>): string[] {
  const gateway = (raw.gateway ?? {}) as { port?: unknown; bind?: unknown; auth?: { token?: unknown } };
  const words: string[] = [];
  if (typeof gateway.auth?.token === 'string') words.push('the auth token');
  if (typeof gateway.port === 'number') words.push(`gateway.port ${gateway.port}`);
  if (typeof gateway.bind === 'string') words.push(`gateway.bind ${JSON.stringify(gateway.bind)}`);
  const others = Object.keys(raw).filter((k) => k !== 'gateway').length + Object.keys(gateway).filter((k) => !['port', 'bind', 'auth'].includes(k)).length;
  if (others > 0) words.push(`${others} other key${others === 1 ? '' : 's'}`);
  return words;
}

/** What a tolerant read lost, its key names masked with the text: a secret the masker hid there may be read as a key (a token written twice). */
function lostWords(text: string, lost: readonly string[]): string {
  return maskConfigSides([text.split('\n'), [`cannot be read: ${lost.join(', ')}`]])[1]![0]!;
}

/** What the repair of a recovered config writes anew, as the plan does: a base where no gateway.port was read, a token where none (valid) was. */
function defaultedWords(raw: Record<string, unknown>, who: Who): string {
  const gateway = (raw.gateway ?? {}) as { port?: unknown; auth?: { token?: unknown } };
  const defaults = [
    ...(typeof gateway.port === 'number' ? [] : [`a free base for profile ${who.label}`]),
    ...(typeof gateway.auth?.token === 'string' ? [] : ['a new auth token']),
  ];
  return defaults.length === 0 ? '' : ` what is missing gets a default (${defaults.join(', ')});`;
}

function unreadableFinding(error: ConfigError, text: string, shown: string, who: Who, recovered: { raw: Record<string, unknown>; lost: readonly string[] } | null): Finding {
  const syntax = error.kind === 'syntax';
  const why = syntax ? `not valid JSON5: ${error.message}` : 'it is not an object ({ … })';
  const kept = recovered === null ? [] : recoveredWords(recovered.raw);
  const detail = syntax ? [`${shown}:${error.line}:${error.column}`, ...excerpt(text, error.line, error.column)] : [shown];
  if (recovered !== null && recovered.lost.length > 0) detail.push(lostWords(text, recovered.lost));
  // As the plan does: what a tolerant read recovered (even nothing) is rewritten, without a workspace key; only a file nothing was recovered of is replaced fresh.
  const fix =
    recovered === null
      ? `replace it with a fresh config (free base for profile ${who.label}, new auth token, default workspace); the broken file is kept as the backup`
      : `rewrite it from what can still be read (${kept.length === 0 ? 'nothing' : kept.join(', ')});${defaultedWords(recovered.raw, who)} the broken file is kept as the backup`;
  return finding('config-syntax', `the config cannot be read: ${why}`, detail, fix);
}

/**
 * A config epiloop did not read: not a regular file, a symlink out of its dirs, unreadable,
 * too large or too deep. Too large or too deep is replaced like a file that does not parse;
 * the rest is a person's to move (doctor never deletes a directory or follows a link out).
 */
function refusedFinding(error: Extract<ConfigError, { kind: 'refused' }>, shown: string, who: Who): Finding {
  const words = refusalWords(error.refusal, { absolute: error.file, shown }, who.invocation);
  if (isReplaceable(error.refusal)) {
    return finding('config-syntax', `the config cannot be read: ${words.problem}`, [`allowed: ${words.allowed}`], `replace it with a fresh config (free base for profile ${who.label}, new auth token, default workspace); the old file stays whole as the backup`);
  }
  return { kind: 'config-unreadable', severity: 'error', summary: `the config cannot be read: ${words.problem}`, detail: [`allowed: ${words.allowed}`], fixable: false, fix: `by hand: ${words.fix}` };
}

/** One slot of this footprint that another profile reserves or a foreign process holds. */
export interface SlotConflict {
  slot: PortSlot;
  claims: Claim[];
  holders: PortHolder[];
  /** The config key pinning this slot, or null when it follows the base. */
  pin: string[] | null;
}

/** The slots of a footprint the host view calls conflicts (footprintConflicts), with the config key that pins each. */
export function slotConflicts(config: Config | undefined, facts: readonly SlotFacts[]): SlotConflict[] {
  return facts.map((f) => ({ slot: f.slot, claims: [...f.claims], holders: [...f.others], pin: pinOfSlot(config, f.slot) }));
}

/** The fix for a set of conflicting slots: remove the pins among them, move the base for the rest. */
function conflictFix(conflicts: readonly SlotConflict[], base: number, who: Who): string {
  const pins = new Map(conflicts.flatMap((c) => (c.pin === null ? [] : [[dotted(c.pin), c.pin] as const])));
  const parts = [...pins].map(([name, keys]) => `remove ${name} (${pinRemovalWords(keys)})`);
  if (conflicts.some((c) => c.pin === null)) parts.push(moveWords(base, who));
  return parts.join('; then ');
}

function slotName(slot: PortSlot): string {
  return slot.role === 'cdp-pinned' ? `pinned CDP port of browser profile "${slot.detail}"` : ROLE_LABEL[slot.role];
}

/** One finding per other profile whose footprint shares ports with this one. */
export function overlapFindings(
  conflicts: readonly SlotConflict[],
  base: number,
  who: Who,
  configOf: (label: string) => string | undefined,
): Finding[] {
  const byLabel = new Map<string, SlotConflict[]>();
  for (const conflict of conflicts) {
    for (const label of new Set(conflict.claims.map((c) => c.label))) byLabel.set(label, [...(byLabel.get(label) ?? []), conflict]);
  }
  return [...byLabel].map(([label, shared]) => {
    const ports = shared.map((c) => c.slot.port);
    const bySlot = new Map<string, { ports: number[]; claim: Claim }>();
    for (const c of shared) {
      const name = slotName(c.slot);
      const entry = bySlot.get(name) ?? { ports: [], claim: c.claims.find((cl) => cl.label === label)! };
      entry.ports.push(c.slot.port);
      bySlot.set(name, entry);
    }
    const detail = [...bySlot].map(([name, { ports: p, claim }]) => `${name} ${compactPorts(p)} is inside ${describeClaim(claim)}`);
    const file = configOf(label);
    if (file !== undefined) detail.push(`${label}'s config: ${file}`);
    return finding(
      'footprint-overlap',
      `footprint overlaps profile ${label}: ${ports.length} shared port${ports.length === 1 ? '' : 's'} (${compactPorts(ports)})`,
      detail,
      conflictFix(shared, base, who),
    );
  });
}

/**
 * One finding per port-map row (gateway, browser control, canvas, CDP range, pins) bound by
 * a foreign process. A holder the host view names as a profile's gateway is never
 * offered to be stopped: that would take the other profile down; this one moves instead.
 */
export function boundFindings(
  fp: Footprint,
  conflicts: readonly SlotConflict[],
  foreign: ReadonlyMap<number, PortState>,
  who: Who,
): Finding[] {
  const rows = buildPortMap(fp, true, factsFrom(foreign, new Map())).filter((row) => row.state === 'bound');
  return rows.map((row) => {
    const inRow = conflicts.filter((c) => c.holders.length > 0 && c.slot.port >= row.from && c.slot.port <= row.to && row.role === c.slot.role);
    const stoppable = row.bound.flatMap((b) => b.holders.filter((h) => h.pid !== undefined && h.gateway === undefined));
    const owners = [...new Set(stoppable.map((h) => `${h.command ?? 'a process'} (pid ${h.pid})`))];
    const stop = owners.length > 0 ? `, or stop ${owners.join(', ')}` : '';
    return finding(
      'port-bound',
      row.from === row.to ? `${row.label} ${row.from} is ${row.text}` : `${row.label} ${portsText(row)}: ${row.text}`,
      // One port: the summary says it all.
      row.from === row.to ? [] : row.bound.map((b) => `${b.port}: ${describeHolders(b.holders)}`),
      `${conflictFix(inRow, fp.base, who)}${stop}`,
    );
  });
}

/** A running gateway that serves other ports than its config says: clients and the other profiles see another footprint than the file. */
export function mismatchFinding(m: GatewayMismatch, fix: string): Finding {
  return {
    kind: 'gateway-mismatch',
    severity: 'error',
    summary: `the running gateway serves other ports than the config: ${m.text}`,
    detail: ['clients and other profiles following the config miss it, and its old ports stay taken until it restarts'],
    fixable: false,
    fix: `by hand: ${fix}`,
  };
}

/**
 * A gateway.lock that needs a hand while no gateway of this profile runs: a copy of another
 * profile's (its pid is that profile's gateway: removed by hand), or one no gateway can take
 * (--fix removes it when it is nothing a gateway writes: isRemovable).
 */
export function lockFindings(lock: LeftLock, file: { absolute: string; shown: string }): Finding[] {
  if (lock.state === 'copy') {
    const { pid } = lock.lock;
    return [
      {
        kind: 'gateway-lock',
        severity: 'warning',
        summary: `no gateway of this profile runs: its gateway.lock is a copy of ${lock.owner}'s (pid ${pid})`,
        detail: [`pid ${pid} is ${lock.owner}'s gateway: stop and restart of this profile leave it alone, and its next start takes the copy over`],
        fixable: false,
        fix: `by hand: ${removeCommand(file)}`,
      },
    ];
  }
  if (lock.state !== 'refused') return [];
  const { problem } = refusalWords(lock.refusal, file, 'epiloop');
  const remove = removeCommand(file, lock.refusal);
  const detail = ['no gateway of this profile can start while it is there'];
  if (isRemovable(lock.refusal)) return [finding('gateway-lock', problem, detail, `remove ${file.shown} (${remove})`)];
  return [{ kind: 'gateway-lock', severity: 'error', summary: problem, detail, fixable: false, fix: `by hand: if no gateway of this profile runs, ${remove}` }];
}

/** A remote browser URL on this host whose port lands in another profile's footprint, gateway or browser. */
export function landingPinFinding(pin: Pin, text: string): Finding {
  return finding(
    'shared-pin',
    `${dotted(pin.keys)} ${JSON.stringify(pin.shown)} lands on another profile: ${text}`,
    ['two gateways driving one browser take each other\'s sessions'],
    `remove ${dotted(pin.keys)} from this profile (${pinRemovalWords(pin.keys)})`,
  );
}

/** A remote browser URL on this host that reaches the profile's own gateway, browser-control or canvas port: no other profile is involved. */
export function ownServerPinFinding(pin: Pin, text: string): Finding {
  return finding(
    'shared-pin',
    `${dotted(pin.keys)} ${JSON.stringify(pin.shown)} lands on this profile's own server: ${text}`,
    ['the gateway would drive itself, not a Chrome, so it refuses to start with it'],
    `remove ${dotted(pin.keys)} from this profile (${pinRemovalWords(pin.keys)})`,
  );
}

/** A pinned controlUrl, cdpUrl or cdpPort that another profile pins to the same value. */
export function sharedPinFindings(
  mine: readonly Pin[],
  others: readonly { label: string; pins: readonly Pin[] }[],
): { pin: Pin; finding: Finding }[] {
  const findings: { pin: Pin; finding: Finding }[] = [];
  for (const pin of mine) {
    const sharers = others.flatMap((o) => o.pins.filter((p) => p.kind === pin.kind && p.value === pin.value).map((p) => `${o.label} (${dotted(p.keys)})`));
    if (sharers.length === 0) continue;
    findings.push({
      pin,
      finding: finding(
        'shared-pin',
        `${dotted(pin.keys)} ${JSON.stringify(pin.shown)} is also pinned by profile ${sharers.join(', ')}`,
        [`two gateways driving one ${pin.kind === 'url' ? 'endpoint' : 'CDP port'} take each other's browser sessions`],
        `remove ${dotted(pin.keys)} from this profile (${pinRemovalWords(pin.keys)})`,
      ),
    });
  }
  return findings;
}

/** The store refuses to write through a symlinked config (it may lead out of the profile's dirs): a person replaces it. */
export function configLinkFinding(config: { shown: string; absolute: string; target: string }): Finding {
  const file = shellWord(config.shown, config.absolute);
  return {
    kind: 'config-symlink',
    severity: 'error',
    summary: `the config ${config.shown} is a symlink to ${config.target}: epiloop will not write through it`,
    detail: ['a link may lead out of the profile\'s dirs: setup, onboard and doctor --fix refuse to write the config while it is one'],
    fixable: false,
    fix: `by hand: replace the link with the file it points to: cp --remove-destination "$(readlink -f ${file})" ${file}`,
  };
}

/** While the config is a symlink no config write can succeed: those findings are fixed by hand, or by doctor once it is a file. */
export function blockedByLink(findings: readonly Finding[]): Finding[] {
  return findings.map((f) =>
    f.fixable && CONFIG_KINDS.has(f.kind)
      ? { ...f, fixable: false, fix: `${f.fix} (by hand, or with doctor --fix once the config is a regular file)` }
      : f,
  );
}

/**
 * This profile's workspace against the other profiles' (workspaceConflicts): two gateways in
 * one workspace overwrite each other's agent files, and one inside a state dir exposes that
 * profile's sessions and credentials.
 */
export function sharedWorkspaceFindings(
  mine: { workspace: string; defaultWorkspace: string },
  conflicts: readonly WorkspaceConflict[],
  shown: (p: string) => string,
): Finding[] {
  const ws = shown(mine.workspace);
  // Already the default: the other profile is the one to change.
  const own = mine.workspace === mine.defaultWorkspace;
  return conflicts.map((c) => {
    const stateDir = c.relation === 'state-dir' || c.relation === 'own-state-dir';
    const text = workspaceConflictWords(c, ws, shown);
    return {
      kind: 'workspace-shared' as const,
      severity: 'error' as const,
      summary: c.relation === 'own-state-dir' ? `workspace is the state dir: ${text}` : `workspace shared with profile ${c.label}: ${text}`,
      detail: [
        stateDir
          ? `this profile's agents would read and write ${c.relation === 'own-state-dir' ? 'its own' : `${c.label}'s`} sessions and credentials`
          : 'two gateways in one workspace read and overwrite each other\'s agent files',
      ],
      fixable: !own,
      fix: own
        ? `by hand: this profile already uses its default workspace; give profile ${c.label} another one`
        : `set agents.defaults.workspace to ${shown(mine.defaultWorkspace)} (this profile's default workspace)`,
    };
  });
}

/** A workspace that is, or resolves (through a symlink) to, the root or a system directory: the gateway would create and serve its canvas folder there. */
export function systemWorkspaceFinding(mine: { shown: string; real: string; system: string; isDefault: boolean; shownDefault: string }): Finding {
  const where = mine.real === mine.system ? `the system directory ${mine.system}` : `${mine.real}, inside the system directory ${mine.system}`;
  return finding(
    'workspace-system',
    `the workspace ${mine.shown} is ${mine.shown === mine.real ? '' : 'really '}${where}`,
    ['the gateway creates and serves its canvas folder inside the workspace; it never does so in a system directory'],
    mine.isDefault ? null : `set agents.defaults.workspace to ${mine.shownDefault} (this profile's default workspace)`,
  );
}

/** What the disk says about this profile's dirs; null mode = missing. */
export interface FsFacts {
  stateDir: { shown: string; mode: number | null };
  /** null when there is no config file. */
  config: { shown: string; mode: number } | null;
  /** A config that is a symlink within the profile's dirs: the file it leads to, and that file's mode. */
  linkedConfig?: { shown: string; target: string; mode: number } | null;
  /** null when the workspace is not known (config unreadable or missing). */
  workspace: { shown: string; exists: boolean } | null;
}

function modeText(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}

export function fsFindings(facts: FsFacts): Finding[] {
  const findings: Finding[] = [];
  if (facts.stateDir.mode === null) {
    findings.push(finding('state-dir-missing', `the state dir ${facts.stateDir.shown} does not exist`, [], `create ${facts.stateDir.shown} (0700)`));
  } else if ((facts.stateDir.mode & 0o077) !== 0) {
    findings.push(
      finding(
        'permissions',
        `the state dir ${facts.stateDir.shown} is ${modeText(facts.stateDir.mode)}: other users can look inside`,
        ['it holds sessions and credentials: it should be 0700'],
        `chmod 0700 ${facts.stateDir.shown}`,
      ),
    );
  }
  if (facts.config !== null && (facts.config.mode & 0o077) !== 0) {
    findings.push(
      finding(
        'permissions',
        `the config ${facts.config.shown} is ${modeText(facts.config.mode)}: other users can read the gateway's auth token`,
        ['it holds the auth token: it should be 0600'],
        `chmod 0600 ${facts.config.shown}`,
      ),
    );
  }
  const linked = facts.linkedConfig;
  if (linked != null && (linked.mode & 0o077) !== 0) {
    // By hand: doctor --fix changes no mode through a link (it may lead anywhere by the time it runs).
    findings.push({
      ...finding(
        'permissions',
        `the config ${linked.shown} leads to ${linked.target}, which is ${modeText(linked.mode)}: other users can read the gateway's auth token`,
        ['it holds the auth token: it should be 0600'],
        null,
      ),
      fix: `by hand: chmod 0600 ${linked.target}`,
    });
  }
  if (facts.workspace !== null && !facts.workspace.exists) {
    // A warning: the gateway makes its canvas folder (and so the workspace) when it starts.
    findings.push(
      finding('workspace-missing', `the workspace ${facts.workspace.shown} does not exist`, ['the gateway creates it on start; agents expect it there before'], `create ${facts.workspace.shown} (0700)`, 'warning'),
    );
  }
  return findings;
}

/** An installed service whose port or paths disagree with the config: it would start the gateway wrong. */
export function serviceFindings(status: Pick<ServiceStatus, 'installed' | 'usable' | 'reason' | 'name' | 'file' | 'mismatches'>, shownFile: string | null): Finding[] {
  if (!status.installed || status.mismatches.length === 0) return [];
  const more = status.mismatches.length > 1 ? ` (and ${status.mismatches.length - 1} more)` : '';
  const detail = [...status.mismatches.slice(1), ...(shownFile === null ? [] : [`service file: ${shownFile}`])];
  if (!status.usable) detail.push(`cannot reinstall it now: ${status.reason ?? 'no service manager answers'}`);
  return [
    finding(
      'service-mismatch',
      `the installed service ${status.name} disagrees with the config: ${status.mismatches[0]}${more}`,
      detail,
      status.usable ? `reinstall ${status.name} from the config (as "gateway install" does; a running service is restarted)` : null,
    ),
  ];
}

/** Temp files shown by name; the rest counted. */
const TEMP_FILES_SHOWN = 3;

/**
 * Temp files of writers killed before their rename (deadTemps): harmless to the config, but
 * nothing else removes them, and a partial copy of the config holds its auth token.
 */
export function tempFileFindings(shown: readonly string[]): Finding[] {
  if (shown.length === 0) return [];
  const one = shown.length === 1;
  const more = shown.length - TEMP_FILES_SHOWN;
  return [
    finding(
      'temp-files',
      one ? 'a temp file left by an epiloop command that was killed' : `${shown.length} temp files left by epiloop commands that were killed`,
      [...shown.slice(0, TEMP_FILES_SHOWN), ...(more > 0 ? [`… and ${more} more`] : [])],
      `remove ${one ? 'it' : 'them'}`,
      'warning',
    ),
  ];
}
