/**
 * Whether a profile's gateway would start on this host, and if not, why and how to fix it: the
 * config's rules (startVerdict), then what the host view holds that the gateway refuses before
 * it binds anything — a footprint in another profile's (by its config, or where its gateway
 * runs), a remote browser on another profile's ports or on its own servers, a lock no gateway
 * can take. status, browser status, config set, top and start/restart ask it of the view they
 * read, so none offers a start another refuses, and they name each refusal in the same words. Pure.
 */
import { ruleFixWords, startVerdict, type BindFacts, type StartVerdict } from '../config/profile-rules';
import { lockFile, lockWords, refusedLockFix } from '../gateway/lock';
import { baseFix } from '../gateway/plan';
import { footprint, resolveBase, type ResolvedBase } from '../ports/footprint';
import { rowProblem } from '../ports/portmap';
import { tildify } from '../profile/paths';
import { andList, capitalised } from '../text/sentence';
import { cdpUrlConflicts } from './rules';
import { portMap, type HostProfile, type HostView } from './view';

/** One thing of the host that keeps the gateway from starting. */
export interface HostRefusal {
  kind: 'ports' | 'remote-browser' | 'lock';
  /** What a start waits for: "it can start once …" ends with it (whenItStarts). */
  blocker: string;
  /** Where start says the problems are before listing them; null for the lock, whose sentence says it. */
  heading: string | null;
  /** What start says the gateway would refuse ("these ports"); null for the lock. */
  refuses: string | null;
  /** The problems, each in the words status lists it: a port map row, a pinned key's conflict, the lock's words with their fix. */
  sentences: string[];
  /** The fix as a sentence without its full stop (the lock's is in its sentence too). */
  fix: string;
}

export interface HostStartVerdict {
  /** What the config's rules say (a broken config, or the rules it breaks). */
  config: StartVerdict;
  host: HostRefusal[];
  /** Everything a start waits for, in words ("the config is repaired and no other profile claims its ports"); null when it would start. */
  blocker: string | null;
}

export interface StartFacts {
  home: string;
  /** This host's addresses and the command prefix that names the profile (bindFacts). */
  bind: BindFacts;
  /** The base the start would use (--port is not a start's; EPILOOP_GATEWAY_PORT of the shell is); default: the config's own. */
  base?: ResolvedBase;
}

/**
 * Ports of self's footprint that another profile reserves by its config or serves with its
 * running gateway: the port map's claimed rows, as status draws them. A port a foreign process
 * holds is not among them: the gateway names its holder when it binds, and it may be gone by then.
 */
function portsRefusal(view: HostView, self: HostProfile, base: ResolvedBase, invocation: string): HostRefusal | null {
  const config = self.readable.config;
  const claimed = (port: number) => portMap(view, self, footprint(config, port)).filter((r) => r.state === 'claimed');
  const rows = claimed(base.port);
  if (rows.length === 0) return null;
  // A base from the environment is fixed where it came from; the config's own base is offered when it is clear.
  const own = resolveBase({ env: {}, config });
  const fix = baseFix({ source: base.source, invocation, own: { ...own, clear: claimed(own.port).length === 0 }, free: null });
  return {
    kind: 'ports',
    blocker: 'no other profile claims its ports',
    heading: `base ${base.port} (from ${base.source}) of profile "${self.paths.label}"`,
    refuses: 'these ports',
    sentences: rows.map(rowProblem),
    fix: capitalised(fix),
  };
}

/** A cdpUrl on another profile's ports or on self's own servers: the gateway would hand its browser traffic there. */
function remoteRefusal(view: HostView, self: HostProfile, base: ResolvedBase, home: string, invocation: string): HostRefusal | null {
  const remote = cdpUrlConflicts(self.pins, view, self, footprint(self.readable.config, base.port));
  if (remote.length === 0) return null;
  // Doctor judges the config's own base: a URL on this gateway's own server only on a base from the environment is that base's fault.
  const seen = new Set(cdpUrlConflicts(self.pins, view, self).map((b) => b.pin));
  const fix = remote.every((b) => seen.has(b.pin))
    ? `Fix it with "${invocation} doctor --fix", or point it at a Chrome of its own`
    : `Start it on another base than ${base.port} (from ${base.source}), or point it at a Chrome of its own`;
  return {
    kind: 'remote-browser',
    blocker: 'its remote browser is a Chrome of its own',
    heading: tildify(self.paths.configPath, home),
    refuses: 'this remote browser',
    sentences: remote.map((b) => `${b.pin.keys.join('.')}: ${b.text}`),
    fix,
  };
}

/** A lock that is not a file epiloop reads (a directory, a FIFO, a symlink out): every start fails on it. */
function lockRefusal(self: HostProfile, home: string): HostRefusal | null {
  if (self.lock.state !== 'refused') return null;
  const file = lockFile(self.paths, home);
  return {
    kind: 'lock',
    blocker: 'its lock file is removed',
    heading: null,
    refuses: null,
    sentences: [`${lockWords(self.lock, file)}.`],
    fix: capitalised(refusedLockFix(self.lock.refusal, file)),
  };
}

/**
 * The one answer to "would this profile's gateway start here, and if not, why": the config's
 * rules first (startVerdict), then, for a config that reads, the host's refusals. A profile not
 * set up is neither: its own words say so.
 */
export function hostStartVerdict(view: HostView, self: HostProfile, facts: StartFacts): HostStartVerdict {
  const { loaded } = self;
  const config = startVerdict(loaded, self.paths, facts.home, facts.bind);
  const host: HostRefusal[] = [];
  if (loaded.state === 'ok') {
    const base = facts.base ?? resolveBase({ env: {}, config: loaded.config });
    const ports = portsRefusal(view, self, base, facts.bind.invocation);
    const remote = remoteRefusal(view, self, base, facts.home, facts.bind.invocation);
    host.push(...(ports === null ? [] : [ports]), ...(remote === null ? [] : [remote]));
  }
  const lock = loaded.state === 'missing' ? null : lockRefusal(self, facts.home);
  if (lock !== null) host.push(lock);
  const blockers = [...(config.blocker === null ? [] : [config.blocker]), ...host.map((r) => r.blocker)];
  return { config, host, blocker: blockers.length === 0 ? null : andList(blockers) };
}

/**
 * The fixes of the host's refusals that their sentences do not say (the lock's words say theirs),
 * each a sentence: what status and browser status add to "it can start once …". '' when none.
 */
export function hostFixes(host: readonly HostRefusal[]): string {
  return host
    .filter((r) => r.kind !== 'lock')
    .map((r) => ` ${r.fix}.`)
    .join('');
}

/**
 * Every fix of a refused start, as top's s and r say it after "it can start once …": the config's
 * (`repair` for what doctor --fix fixes, ruleFixWords), then the host's. Without its last full stop.
 */
export function startFixWords(verdict: HostStartVerdict, repair: string): string {
  const config = verdict.config.blocker === null ? [] : [ruleFixWords(verdict.config.refusals, repair)];
  return [...config, ...verdict.host.map((r) => r.fix)].join('. ');
}

/** What keeps a profile's gateway from starting, as list, top and status --json give it: what a start waits for, and every fix. */
export interface StartRefusal {
  /** "the config is repaired and no other profile claims its ports": what "it can start once …" ends with. */
  blocker: string;
  /** startFixWords, `doctor --fix` named for what it fixes; without its last full stop. */
  fix: string;
}

/** The verdict as a row marks it: null when the gateway would start; `invocation` names the profile in the fix. */
export function startRefusal(verdict: HostStartVerdict, invocation: string): StartRefusal | null {
  if (verdict.blocker === null) return null;
  // doctor --fix only for what it fixes (a bind is the user's choice).
  return { blocker: verdict.blocker, fix: startFixWords(verdict, `Repair it with "${invocation} doctor --fix"`) };
}

/**
 * The host's refusals as a refused start or restart says them: each under its heading, with what
 * was `kept` (the running gateway, or that nothing was started), the fix and the rollback `offer`.
 */
export function hostRefusalWords(host: readonly HostRefusal[], kept: string, offer: string | null): string {
  return host
    .map((r) =>
      r.heading === null
        ? r.sentences.join('\n')
        : `${r.heading}:\n${r.sentences.map((s) => `  ${s}`).join('\n')}\nThe gateway would refuse ${r.refuses}: ${kept}. ${r.fix}${offer === null ? '' : `, or ${offer}`}.`,
    )
    .join('\n');
}

/** The host's refusals in brief, a line each, as config set says them beside its restart advice: the problems, then the fix. */
export function hostRefusalsInBrief(host: readonly HostRefusal[]): string[] {
  return host.map((r) => (r.kind === 'lock' ? r.sentences.join(' ') : `${r.sentences.join('; ')}. ${r.fix}.`));
}

/**
 * The host's refusals as status and browser status list them: each sentence a problem, but for
 * those a problem in `shown` says already (status's port map rows, its gateway line); then, while
 * a gateway runs (`running`), that its restart would be refused, with the fixes.
 */
export function hostRefusalProblems(host: readonly HostRefusal[], shown: readonly string[], running: { pid: number; url: string } | null, blocker: string | null): string[] {
  const sentences = host.flatMap((r) => r.sentences.filter((s) => !shown.some((said) => said.includes(s))));
  if (running === null || host.length === 0 || blocker === null) return sentences;
  return [...sentences, `The gateway (pid ${running.pid}) keeps serving on ${running.url}, but a restart would be refused: it can restart once ${blocker}.${hostFixes(host)}`];
}
