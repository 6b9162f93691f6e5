/**
 * `config set` and `config unset`: a writer like every other. The change is checked with
 * the rules setup and doctor use — the zod schema, a base port refused as `setup --port`
 * refuses it (chooseBase), pins another profile shares (doctor's shared-pin finding), a
 * cdpUrl on the profile's own servers (which the gateway refuses) —
 * then written through the store (lock, atomic, backup) as an edit of the file.
 */
import { editConfigText } from '../../core/config/edit';
import { formatValue } from '../../core/config/json5';
import { commandOf } from '../../core/config/set-command';
import { type RunningFacts } from '../../core/config/effects';
import { formatKeyPath, setAtPath, unsetAtPath, type KeyPath } from '../../core/config/keypath';
import { meantKey, type MeantKey } from '../../core/config/known-keys';
import { getAt, pinsOf, stripInvalid, type Pin, type Raw } from '../../core/config/edits';
import { formatConfigError, loadedConfigOf, refusedText, type LoadedConfig } from '../../core/config/parse';
import { validateConfig, type Config, type SchemaProblem } from '../../core/config/schema';
import { maskValueAt } from '../../core/config/secrets';
import { writtenValueNumbers } from '../../core/config/written';
import { problemsMadeBy, wholeItemHint } from '../../core/config/created-problems';
import { watchHints } from '../../core/config/watch-hints';
import { overlapFindings, sharedPinFindings, slotConflicts } from '../../core/doctor/findings';
import { HostError, UsageError } from '../../core/errors';
import { byHandOnly, notSetUp, notSetUpAmong } from '../../core/messages';
import { pathsOfProfile } from '../../core/watch/targets';
import { invocationHere } from '../profile/invocation';
import { DEFAULT_BASE, footprint, footprintSlots, type Footprint } from '../../core/ports/footprint';
import { currentOf, footprintConflicts, withConfig, type HostProfile, type HostView } from '../../core/host/view';
import { hostStartVerdict, type HostRefusal } from '../../core/host/start';
import { cdpUrlConflicts, cdpUrlRoom, ownServerConflict, roleOf } from '../../core/host/rules';
import { bracketedBindHint } from '../../core/gateway/plan';
import { tildify, type ProfilePaths } from '../../core/profile/paths';
import { refusedWrite } from '../../core/profile/files';
import { hostLockPath } from '../../core/profile/identity';
import { profileRuleProblems, type ProfileRuleProblem } from '../../core/config/profile-rules';
import { chooseBase } from '../ports/choose';
import { bindFacts } from '../ports/addresses';
import { readHost } from '../model';
import { othersOf } from '../profile/not-set-up';
import { withFileLock } from '../store/lock';
import { updateConfig, type WriteResult } from '../store/store';

export interface ConfigChange {
  path: KeyPath;
  /** The new value; ignored for an unset. */
  value?: unknown;
  /** The value as typed (JSON5 text), whose numbers a mask shows as written. */
  text?: string;
  unset: boolean;
}

export interface ChangeContext {
  paths: ProfilePaths;
  home: string;
  /** "epiloop --profile rescue": the prefix of the commands a message offers. */
  invocation: string;
}

export interface PlannedChange {
  /** The file's text before and after: the diff shown is of these bytes. */
  before: string;
  after: string;
  /** false: the config already holds this (or the key to unset is not there). */
  changed: boolean;
  /** The base port (gateway.port, or the default when it is unset) moves. */
  baseMoved: boolean;
  /** Schema problems that were there before this change and are left as they were. */
  otherProblems: SchemaProblem[];
  /** gateway.bind as the gateway reads it (a valid value, or undefined) before and after the change. */
  bind: { was: string | undefined; is: string | undefined };
  /** What a start of the config as written waits for (hostStartVerdict: still broken, no token, watching itself, a bind on no address of this host, another profile's ports, a lock no gateway takes), or null. */
  blocker: string | null;
  /** The rules the config as written breaks (startVerdict's refusals), each with its sentence and fix. */
  refusals: ProfileRuleProblem[];
  /** What of the host refuses a start of the config as written (hostStartVerdict's host refusals). */
  host: HostRefusal[];
  /** An auth token there before is replaced by another (clients using it will be refused). */
  tokenReplaced: boolean;
  /** The key the schema does not name is a near miss of this one (meantKeyAdvice says it). */
  meant: MeantKey | null;
  /** A profile the change adds to watch.profiles that is not set up (yet), as status says it, with how to set it up. */
  watchedNotSetUp: string[];
}

/** The host as this writer read it, and the profile it changes. */
interface Host {
  view: HostView;
  self: HostProfile;
}

async function readHostFor(ctx: ChangeContext): Promise<Host> {
  const view = await readHost({ home: ctx.home, current: ctx.paths, health: 'none' });
  return { view, self: currentOf(view) };
}

interface Decision {
  raw: Raw;
  changed: boolean;
  baseMoved: boolean;
  otherProblems: SchemaProblem[];
  bind: PlannedChange['bind'];
  tokenReplaced: boolean;
  meant: MeantKey | null;
  watchedNotSetUp: string[];
}

/** The change as it would be written, without writing (for --dry-run). */
export async function planConfigChange(ctx: ChangeContext, change: ConfigChange): Promise<PlannedChange> {
  const host = await readHostFor(ctx);
  const current = host.self.loaded;
  const decision = await decide(current, host, change, ctx);
  return planned(current, decision, ctx, host);
}

/** Checks and writes the change under the host-wide port lock (like setup) and the profile's lock. */
export async function applyConfigChange(ctx: ChangeContext, change: ConfigChange): Promise<{ plan: PlannedChange; result: WriteResult }> {
  const what = `epiloop config ${change.unset ? 'unset' : 'set'}`;
  return withFileLock(
    hostLockPath(ctx.home),
    async () => {
      const host = await readHostFor(ctx);
      // Refused before the store makes any directory for a profile that is not set up.
      refuseUnreadable(host.self.loaded, ctx, host.view, change);
      let plan: PlannedChange | undefined;
      const result = await updateConfig(
        ctx.paths,
        async (current) => {
          const decision = await decide(current, host, change, ctx);
          plan = planned(current, decision, ctx, host);
          return decision.raw;
        },
        { what },
      );
      return { plan: plan!, result };
    },
    { what, timeoutMs: 30_000 },
  );
}

/** The text the change leaves; refused, as the store refuses it (a dry run too), when the reader would refuse it. */
function planned(current: LoadedConfig, decision: Decision, ctx: ChangeContext, host: Host): PlannedChange {
  const before = current.state === 'missing' ? '' : current.text;
  const after = decision.changed ? editConfigText(before, decision.raw) : before;
  const refused = refusedText(after);
  if (refused !== null) throw new UsageError(refusedWrite(tildify(ctx.paths.configPath, ctx.home), refused));
  // The text as the gateway will read it, on the host as it stands, judged as every command judges a start.
  const written = withConfig(host.view, host.self, loadedConfigOf(after, ctx.paths.configPath));
  const verdict = hostStartVerdict(written.view, written.self, { home: ctx.home, bind: bindFacts(ctx.paths.profile) });
  return {
    before,
    after,
    changed: after !== before,
    baseMoved: decision.baseMoved,
    otherProblems: decision.otherProblems,
    bind: decision.bind,
    tokenReplaced: decision.tokenReplaced,
    meant: decision.meant,
    watchedNotSetUp: decision.watchedNotSetUp,
    blocker: verdict.blocker,
    refusals: verdict.config.refusals,
    host: verdict.host,
  };
}

function refuseUnreadable(current: LoadedConfig, ctx: ChangeContext, view: HostView, change: ConfigChange): asserts current is Exclude<LoadedConfig, { state: 'missing' }> & { raw: Raw } {
  const { paths, home, invocation } = ctx;
  if (current.state === 'missing') {
    // As config get and status: a profile not set up is the host's state (exit 1), not a usage error.
    throw new HostError(notSetUpAmong({ label: paths.label, invocation }, tildify(paths.configPath, home), othersOf(view.profiles, paths), commandOf(change)));
  }
  if (current.state === 'invalid' && current.raw === undefined) {
    throw new HostError(
      `${formatConfigError(current.error, tildify(current.path, home), invocation)}\nconfig set and unset edit only a config that parses. ${byHandOnly(current.error) ? 'Fix it by hand as above.' : `Repair it with "${invocation} doctor --fix", or by hand.`}`,
    );
  }
}

async function decide(current: LoadedConfig, host: Host, change: ConfigChange, ctx: ChangeContext): Promise<Decision> {
  refuseUnreadable(current, ctx, host.view, change);
  const shown = formatKeyPath(change.path);
  const raw = change.unset ? unsetAtPath(current.raw, change.path) : setAtPath(current.raw, change.path, change.value, ctx.invocation);
  if (raw === null) return { raw: current.raw, changed: false, baseMoved: false, otherProblems: [], bind: { was: undefined, is: undefined }, tokenReplaced: false, meant: null, watchedNotSetUp: [] };
  const checked = validateConfig(raw);
  const problems = checked.ok ? [] : checked.problems;
  const had = validateConfig(current.raw);
  const made = problemsMadeBy(change, had.ok ? [] : had.problems, problems);
  refuseMade(made, change, current.raw, raw, ctx, watchHintsFor(made, raw, host, ctx));
  const before = stripInvalid(current.raw).config;
  const after = stripInvalid(raw).config;
  // The rules the gateway starts by refuse a change as the schema does (a rescue watching itself);
  // a bind on no address of this host is the user's to choose, and warned of after the diff.
  const ruled = profileRuleProblems(after, ctx.paths, ctx.home);
  const madeByRules = problemsMadeBy(change, profileRuleProblems(before, ctx.paths, ctx.home).map((p) => p.problem), ruled.map((p) => p.problem));
  refuseMade(madeByRules, change, current.raw, raw, ctx, ruleHints(ruled.filter((r) => madeByRules.includes(r.problem)), raw, host, ctx));
  const baseMoved = await checkPorts(before, after, host, change, ctx);
  checkPins(current.raw, raw, host, shown);
  const fpAfter = footprint(after, after.gateway?.port ?? DEFAULT_BASE);
  checkOwnServers(current.raw, raw, footprint(before, before.gateway?.port ?? DEFAULT_BASE), fpAfter, host, ctx);
  checkOtherProfiles(current.raw, raw, fpAfter, host, ctx);
  return {
    raw,
    changed: true,
    baseMoved,
    // None of them made by this change: it would have been refused.
    otherProblems: problems,
    bind: { was: before.gateway?.bind, is: after.gateway?.bind },
    tokenReplaced: typeof before.gateway?.auth?.token === 'string' && typeof after.gateway?.auth?.token === 'string' && before.gateway.auth.token !== after.gateway.auth.token,
    meant: meantKey(change, current.raw),
    watchedNotSetUp: notSetUpWatched(before, after, host, ctx),
  };
}

/**
 * The profiles the change starts to watch that are not set up: written all the same (one may be
 * set up later), but until then the watcher finds it down, as status says (notSetUp).
 */
function notSetUpWatched(before: Config, after: Config, host: Host, ctx: ChangeContext): string[] {
  const had = new Set(before.watch?.profiles ?? []);
  const setUp = new Set([ctx.paths.label, ...othersOf(host.view.profiles, ctx.paths).map((o) => o.label)]);
  return (after.watch?.profiles ?? [])
    .filter((name) => !had.has(name) && !setUp.has(name))
    .map((name) => {
      const paths = pathsOfProfile(name, ctx.home);
      const words = notSetUp({ label: paths.label, invocation: invocationHere(paths.profile) }, tildify(paths.configPath, ctx.home));
      return `${words.charAt(0).toUpperCase()}${words.slice(1)} Until then it is watched as down.`;
    });
}

/**
 * Why a rule the change breaks matters, and what to do instead: a token is replaced, never
 * removed; a rescue watches the profiles of this host it does not watch yet, not itself.
 */
function ruleHints(made: readonly ProfileRuleProblem[], raw: Raw, host: Host, ctx: ChangeContext): string[] {
  const token = made.filter((r) => r.problem.path === 'gateway.auth.token').flatMap((r) => [r.sentence, `To replace the token, set a new one instead: ${ctx.invocation} config set gateway.auth.token '<new token>'`]);
  return [...new Set(token), ...watchHintsFor(made.map((r) => r.problem), raw, host, ctx)];
}

/** watchHints for the list as the change leaves it, among the profiles set up on this host. */
function watchHintsFor(made: readonly SchemaProblem[], raw: Raw, host: Host, ctx: ChangeContext): string[] {
  const list = getAt(raw, ['watch', 'profiles']);
  if (!Array.isArray(list)) return [];
  return watchHints(made, { list, others: othersOf(host.view.profiles, ctx.paths).map((o) => o.label), self: ctx.paths.label, invocation: ctx.invocation });
}

/** A change that makes problems is refused, each in its line, with the hints that fit them (`more`: those of the rules it breaks). */
function refuseMade(made: readonly SchemaProblem[], change: ConfigChange, oldRaw: Raw, raw: Raw, ctx: ChangeContext, more: readonly string[] = []): void {
  if (made.length === 0) return;
  const shown = formatKeyPath(change.path);
  // The value as config get shows it: a token or a webhook's secret never reaches the screen.
  const what = change.unset ? `unsetting ${shown}` : `${shown} = ${formatValue(maskValueAt(change.value, change.path, writtenValueNumbers(change.text ?? '', change.path)))}`;
  const whole = wholeItemHint(change, oldRaw, made, ctx.invocation);
  // The shell took the quotes: an all-digit token reads as a number (rounded past 15 digits).
  const digits = made.some((p) => p.path === 'gateway.auth.token') && typeof getAt(raw, ['gateway', 'auth', 'token']) === 'number';
  const bracketed = made.some((p) => p.path === 'gateway.bind') ? bracketedBindHint(getAt(raw, ['gateway', 'bind']), ctx.invocation) : null;
  const hints = [whole, digits ? `A token of digits only reads as a number: quote it twice, as in: ${ctx.invocation} config set gateway.auth.token '"<your token>"'` : null, bracketed, ...more].filter((h) => h !== null);
  throw new UsageError(`${what} is not allowed:\n${made.map((p) => `  ${p.path} is ${p.value}, but must be ${p.allowed}`).join('\n')}\n${hints.map((h) => `${h}\n`).join('')}Nothing was written.`);
}

/**
 * A moved base is checked exactly as `setup --port` checks it; pins that move (control URL,
 * canvas port, CDP ports) must not land in another profile's footprint. Returns whether the
 * base moved.
 */
async function checkPorts(before: Config, after: Config, host: Host, change: ConfigChange, ctx: ChangeContext): Promise<boolean> {
  const { paths, invocation } = ctx;
  const oldBase = before.gateway?.port ?? DEFAULT_BASE;
  const newBase = after.gateway?.port ?? DEFAULT_BASE;
  if (newBase !== oldBase) {
    // Without its port, the config only shapes the footprint: chooseBase then checks the new base live.
    const shape: Config = { ...after, gateway: { ...after.gateway, port: undefined } };
    await chooseBase({
      invocation,
      role: roleOf(host.self),
      view: host.view,
      self: host.self,
      config: shape,
      requested: { port: newBase, source: change.unset ? `the default, once ${formatKeyPath(change.path)} is unset` : `config set ${formatKeyPath(change.path)}` },
      retry: (base) => `${invocation} config set gateway.port ${base}`,
    });
    return true;
  }
  const fp = footprint(after, newBase);
  const had = new Set(footprintSlots(footprint(before, oldBase)).map((s) => s.port));
  // Other profiles' claims only: a process on a port is the gateway's to report when it starts.
  const added = slotConflicts(after, footprintConflicts(host.view, host.self, fp)).filter((c) => c.claims.length > 0 && !had.has(c.slot.port));
  if (added.length === 0) return false;
  const who = { role: roleOf(host.self), label: paths.label, invocation: ctx.invocation };
  const findings = overlapFindings(added, newBase, who, () => undefined);
  throw new UsageError(
    `${formatKeyPath(change.path)}: the change puts ports of profile "${paths.label}" inside another profile's:\n${findings.flatMap((f) => [`  ${f.summary}`, ...f.detail.map((d) => `    ${d}`)]).join('\n')}\nNothing was written.`,
  );
}

/** A pin the change adds must not be one another profile pins too (doctor's shared-pin rule). */
function checkPins(oldRaw: Raw, newRaw: Raw, host: Host, shown: string): void {
  const key = (p: Pin) => `${p.keys.join('\0')}=${p.value}`;
  const had = new Set(pinsOf(oldRaw).map(key));
  const added = pinsOf(newRaw).filter((p) => !had.has(key(p)));
  const others = host.view.profiles.filter((k) => k !== host.self).map((k) => ({ label: k.paths.label, pins: k.pins }));
  const shared = sharedPinFindings(added, others);
  if (shared.length === 0) return;
  throw new UsageError(
    `${shown}: ${shared.map((s) => `${s.finding.summary}; ${s.finding.detail.join('; ')}`).join('\n')}\nNothing was written. Pick a URL or port no other profile uses.`,
  );
}

/**
 * A cdpUrl the change puts on the profile's own gateway, browser-control or canvas port (a new
 * URL, or a moved base under one): the gateway refuses to start with it, so it is refused here
 * with the words doctor and the gateway use. One that was already there is left to doctor.
 */
function checkOwnServers(oldRaw: Raw, newRaw: Raw, fpBefore: Footprint, fpAfter: Footprint, host: Host, ctx: ChangeContext): void {
  const label = host.self.paths.label;
  const key = (p: Pin) => `${p.keys.join('\0')}=${p.value}`;
  const cdpUrls = (raw: Raw) => pinsOf(raw).filter((p) => p.kind === 'url' && p.keys[p.keys.length - 1] === 'cdpUrl');
  const had = new Set(cdpUrls(oldRaw).filter((p) => ownServerConflict(p.value, fpBefore, label, host.view) !== null).map(key));
  const added = cdpUrls(newRaw).filter((p) => !had.has(key(p)) && ownServerConflict(p.value, fpAfter, label, host.view) !== null);
  if (added.length === 0) return;
  const lines = added.map((p) => `${formatKeyPath(p.keys)}: ${ownServerConflict(p.value, fpAfter, label, host.view)!}`);
  throw new UsageError(
    `${lines.join('\n')}\nNothing was written. The gateway would drive itself, not a Chrome, and refuses to start with it: give the DevTools address of a Chrome you run, ${elsewhere(added, oldRaw, fpAfter, host, ctx)}.`,
  );
}

/**
 * A new cdpUrl inside another profile's ports (its footprint, its running gateway or one of its
 * browsers): doctor calls it an error and the gateway refuses to start with it, so the restart
 * config set would advise fails. Refused here with their words; one already there is left to doctor.
 */
function checkOtherProfiles(oldRaw: Raw, newRaw: Raw, fpAfter: Footprint, host: Host, ctx: ChangeContext): void {
  const key = (p: Pin) => `${p.keys.join('\0')}=${p.value}`;
  const had = new Set(pinsOf(oldRaw).map(key));
  const found = cdpUrlConflicts(pinsOf(newRaw).filter((p) => !had.has(key(p))), host.view, host.self, null);
  if (found.length === 0) return;
  throw new UsageError(
    `${found.map((b) => `${formatKeyPath(b.pin.keys)}: ${b.text}`).join('\n')}\nNothing was written. The gateway refuses to start with a remote browser on another profile's ports: give the DevTools address of a Chrome of its own, ${elsewhere(found.map((b) => b.pin), oldRaw, fpAfter, host, ctx)}.`,
  );
}

/** Where a refused cdpUrl may point instead (cdpUrlRoom), or how to go without it: unset when the config had the key, else left unset. */
function elsewhere(pins: readonly Pin[], oldRaw: Raw, fp: Footprint, host: Host, ctx: ChangeContext): string {
  const keys = [...new Set(pins.map((p) => formatKeyPath(p.keys)))];
  const had = pins.filter((p) => getAt(oldRaw, p.keys) !== undefined);
  const without =
    had.length > 0
      ? `or unset it: ${[...new Set(had.map((p) => `${ctx.invocation} ${commandOf({ path: p.keys, unset: true })}`))].join('; ')}`
      : `or leave ${keys.join(' and ')} unset`;
  return `${cdpUrlRoom(fp, host.view, host.self)}, ${without}`;
}

/** What runs for this profile now, for restartAdvice: its gateway process and its service. */
export async function runningFacts(ctx: ChangeContext & { env: Record<string, string | undefined> }, baseMoved: boolean): Promise<RunningFacts> {
  const { probeGateway } = await import('../gateway/live');
  // The service modules load only here: a key the gateway does not read never asks them.
  const { serviceStatus } = await import('../service/install');
  const [live, service] = await Promise.all([probeGateway(ctx.paths, ctx.home), serviceStatus(ctx.paths, { env: ctx.env, home: ctx.home })]);
  return {
    gatewayPid: live.pid,
    // A unit file no usable manager runs (systemd did not boot this host) runs nothing: advising 'gateway install' would advise what cannot work.
    service: service.installed && service.usable && service.name !== null ? { name: service.name, active: service.state === 'active' || service.state === 'activating' } : null,
    baseMoved,
    invocation: ctx.invocation,
  };
}
