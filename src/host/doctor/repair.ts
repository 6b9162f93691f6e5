/**
 * Turns a diagnosis into a plan (the new config, its diff, every step in words) and
 * applies it. Planning writes nothing; applying writes the config only through the
 * store (lock, atomic, backup) and refuses if the file changed since the diagnosis.
 */
import { chmod, lstat, mkdir, rm, stat } from 'node:fs/promises';
import { validateConfig, type Config } from '../../core/config/schema';
import { ensureStateDir, updateConfig } from '../store/store';
import { HostError } from '../../core/errors';
import { configBase, footprint, footprintSlots, noFreeBaseMessage } from '../../core/ports/footprint';
import { confirmFree, proposeLive, readHost, withOwners } from '../model';
import { currentOf, footprintConflicts, portMap } from '../../core/host/view';
import { readTolerant } from '../../core/config/tolerant';
import { clientImpacts } from '../../core/doctor/impacts';
import { removeDeadTemps, withFileLock } from '../store/lock';
import { newAuthToken } from '../profile/apply';
import { tildify } from '../../core/profile/paths';
import { shellWord, type WriterWords } from '../../core/profile/files';
import { formatDiff, lineDiff } from '../../core/text/diff';
import { deleteAt, dotted, entryRemovalWords, getAt, repairTargets, invalidKeyFix, pinRemovalWords, setAt, type Raw } from '../../core/config/edits';
import { CONFIG_KINDS, recoveredWords, slotConflicts, type FindingKind } from '../../core/doctor/findings';
import { maskDiffSides } from '../../core/config/secrets';
import { type LoadedConfig } from '../../core/config/parse';
import { editConfigText } from '../../core/config/edit';
import { planConfig, workspaceFor } from '../../core/profile/plan';
import { hostLockPath } from '../../core/profile/identity';
import { invocationHere } from '../../host/profile/invocation';
import { type Diagnosis } from '../../core/doctor/diagnosis';
import { type RepairStep, type RepairPlan } from '../../core/doctor/repair-plan';
import { isDirectory, isRemovable, lockFile } from '../../core/gateway/lock';
import { readGatewayLock } from '../gateway/pidlock';
import { andList } from '../../core/text/sentence';

export interface RepairOptions {
  /** Fix only these kinds (default: every fixable finding). */
  only?: FindingKind[];
  /** The gateway's name in what changes for clients when it is another profile's (doctor --target): "main's gateway". */
  gateway?: string;
}

const MAX_SETTLE_PASSES = 3;

export async function planRepair(diagnosis: Diagnosis, options: RepairOptions = {}): Promise<RepairPlan> {
  const d = diagnosis;
  const shown = (p: string) => tildify(p, d.home);
  const fixes = [
    ...new Set(d.findings.filter((f) => f.fixable && (options.only === undefined || options.only.includes(f.kind))).map((f) => f.kind)),
  ];
  const wants = (kind: FindingKind) => fixes.includes(kind);
  const edits: string[] = [];
  const notes: string[] = [];
  let raw: Raw | null = null;

  if (wants('config-missing') || (wants('config-syntax') && d.kept === null)) {
    const base = await proposeFor(d, undefined);
    raw = planConfig({}, { base, workspace: d.paths.defaultWorkspace }, newAuthToken());
    const what = `base ${base}, new auth token, workspace ${shown(d.paths.defaultWorkspace)}`;
    edits.push(
      d.loaded.state === 'missing'
        ? `create ${shown(d.paths.configPath)} (0600): ${what}`
        : `replace the unreadable ${shown(d.paths.configPath)} with a fresh config (nothing in it could be read): ${what}; the broken file stays as the backup`,
    );
  } else if (d.kept !== null && fixes.some((k) => CONFIG_KINDS.has(k))) {
    // A config is only ever written valid: its rejected keys go whatever else was asked for;
    // and a file that does not parse is rewritten whole, from what a tolerant read kept of it.
    if (d.kept.recovered && !wants('config-syntax')) fixes.push('config-syntax');
    if (!d.kept.recovered && d.kept.invalid.length > 0 && !wants('config-schema')) fixes.push('config-schema');
    raw = structuredClone(d.kept.raw);
    if (d.kept.recovered) {
      const kept = recoveredWords(d.kept.raw);
      edits.push(
        `rewrite the unreadable ${shown(d.paths.configPath)} from what can still be read${kept.length > 0 ? ` (${kept.join(', ')})` : ''}; the broken file stays as the backup`,
      );
    }
    for (const { keys, coerced, problem, removes } of repairTargets(d.kept.invalid)) {
      const fix = invalidKeyFix(keys);
      if (removes !== undefined) edits.push(entryRemovalWords(removes));
      else if (coerced !== undefined) edits.push(`write ${dotted(keys)} as the number ${coerced} (it was ${problem.value})`);
      else if (fix.replace === 'token') {
        setAt(raw, keys, newAuthToken());
        edits.push(`replace ${dotted(keys)} with a new random token`);
      } else if (fix.replace === null) edits.push(`remove ${dotted(keys)}; ${fix.after}`);
    }
    const token = getAt(raw, ['gateway', 'auth', 'token']);
    if (d.kept.recovered && (typeof token !== 'string' || token.length < 16)) {
      setAt(raw, ['gateway', 'auth', 'token'], newAuthToken());
      edits.push('write a new auth token (none could be read)');
    }
    const wanted = d.conflicts.filter((c) => (wants('footprint-overlap') && c.claims.length > 0) || (wants('port-bound') && c.holders.length > 0));
    removePins(raw, [...(wants('shared-pin') ? d.sharedPins.map((p) => p.keys) : []), ...wanted.flatMap((c) => (c.pin === null ? [] : [c.pin]))], edits);
    if (wants('workspace-shared') || wants('workspace-system')) {
      setAt(raw, ['agents', 'defaults', 'workspace'], d.paths.defaultWorkspace);
      const why = wants('workspace-system') ? 'is a system directory' : 'is shared with another profile';
      edits.push(`set agents.defaults.workspace to ${shown(d.paths.defaultWorkspace)}, this profile's default (${shown(d.workspace!)} ${why})`);
    }
    // No base (gateway.port rejected) is settled like a conflict: 18789 would only be a guess.
    const moved = await settleBase(d, raw, d.base === null || wanted.some((c) => c.pin === null), edits);
    if (moved !== null) {
      const why = movedWhy(d, moved);
      const rejected = d.kept.invalid.find(({ keys }) => dotted(keys) === 'gateway.port');
      edits.push(
        d.base !== null
          ? `move base ${d.base} → ${moved} (${why})`
          : rejected !== undefined
            ? `replace gateway.port ${rejected.problem.value} with base ${moved} (${why})`
            : `set gateway.port to ${moved} (${why})`,
      );
    }
    if (d.loaded.state === 'ok' && JSON.stringify(raw) === JSON.stringify(d.loaded.raw)) raw = null;
  }

  const steps: RepairStep[] = [];
  if (d.modes.stateDir === null && (raw !== null || wants('state-dir-missing'))) steps.push({ kind: 'mkdir-state-dir', path: d.paths.stateDir });
  const configOpen = d.modes.config !== null && (d.modes.config & 0o077) !== 0;
  if (raw !== null) {
    // The store writes every config 0600: a mode that was too open is fixed by the write itself.
    if (wants('permissions') && configOpen) edits.push(`write it with mode 0600 (it was 0${(d.modes.config! & 0o777).toString(8)})`);
    steps.push({ kind: 'write-config', edits });
  }
  if (wants('permissions')) {
    if (d.modes.stateDir !== null && (d.modes.stateDir & 0o077) !== 0) steps.push({ kind: 'chmod', path: d.paths.stateDir, mode: 0o700 });
    if (raw === null && configOpen) steps.push({ kind: 'chmod', path: d.paths.configPath, mode: 0o600 });
  }
  // After a repair the workspace the config names exists, whether it was missing or the config now names another.
  const workspace = raw !== null ? workspaceFor(validConfig(raw), d.paths) : d.workspace;
  const workspaceExists = workspace === d.workspace ? d.modes.workspace !== null : workspace !== null && (await exists(workspace));
  if (workspace !== null && !workspaceExists && (raw !== null || wants('workspace-missing'))) {
    steps.push({ kind: 'mkdir-workspace', path: workspace });
    if (workspace === d.workspace && !wants('workspace-missing')) fixes.push('workspace-missing');
  }

  // A lock no gateway can take: never a regular lock of a live gateway (that one is no finding).
  const lock = d.self.lock;
  if (wants('gateway-lock') && lock.state === 'refused' && isRemovable(lock.refusal)) {
    steps.push({ kind: 'remove-lock', path: lockFile(d.paths, d.home).absolute, stateDir: d.paths.stateDir, label: d.paths.label });
  }

  if (wants('temp-files') && d.temps.left.length > 0) steps.push({ kind: 'remove-temps', targets: d.temps.targets, count: d.temps.left.length });

  // A service that runs the old port would start the gateway where the config no longer says.
  const baseMoves = raw !== null && getAt(raw, ['gateway', 'port']) !== (d.kept === null ? undefined : getAt(d.kept.raw, ['gateway', 'port']));
  const service = d.service.installed && d.service.usable && d.service.name !== null ? d.service.name : null;
  const serviceRuns = d.service.state === 'active' || d.service.state === 'activating';
  if (service !== null && (wants('service-mismatch') || baseMoves)) {
    steps.push({ kind: 'reinstall-service', name: service });
    if (!wants('service-mismatch') && d.findings.some((f) => f.kind === 'service-mismatch')) fixes.push('service-mismatch');
  } else if (service !== null && raw !== null && serviceRuns) {
    steps.push({ kind: 'restart-service', name: service });
  }
  // A gateway the service runs is restarted above; one started by hand is not epiloop's to restart.
  const restarted = serviceRuns && steps.some((step) => step.kind === 'reinstall-service' || step.kind === 'restart-service');
  const workspaceMoves = raw !== null && workspace !== d.workspace;
  const was = (keys: string[]) => (d.kept === null ? undefined : getAt(d.kept.raw, keys));
  const tokenMoves = raw !== null && getAt(raw, ['gateway', 'auth', 'token']) !== was(['gateway', 'auth', 'token']);
  const bindMoves = raw !== null && getAt(raw, ['gateway', 'bind']) !== was(['gateway', 'bind']);
  // Clients use the ports the running gateway serves, whatever the old file said.
  const servedMoves = raw !== null && d.own !== null && configBase(validConfig(raw)).port !== d.own.ports.gateway;
  const kept = [...(tokenMoves ? ['auth token'] : []), ...(servedMoves ? ['ports'] : []), ...(bindMoves ? ['bind address'] : []), ...(workspaceMoves ? ['workspace'] : [])];
  let pendingRestart: string | undefined;
  if (d.own !== null && kept.length > 0 && !restarted) {
    pendingRestart = `The running gateway (pid ${d.own.pid}) still uses its old ${andList(kept)}: restart it with "${invocationHere(d.paths.profile)} restart".`;
    notes.push(pendingRestart);
  }

  // A file not read (too large, too deep) is shown as replaced whole: its bytes stay in the backup, not on screen.
  const before = d.loaded.state === 'missing' || (d.loaded.state === 'invalid' && d.loaded.error.kind === 'refused') ? null : d.loaded.text;
  // The bytes the store will write: the diff shows the lines that change, comments around them included.
  const after = raw === null ? null : editConfigText(before, raw);
  // A changed token shows as a changed line: the mask keeps a fingerprint of what it hides.
  const diff = after === null ? [] : formatDiff(lineDiff(...maskDiffSides(before, after)));
  // Parsed whole (valid, or only its values wrong): a key not there was missing, not unread.
  const whole = d.loaded.state === 'ok' || (d.loaded.state === 'invalid' && d.loaded.error.kind === 'schema' && d.loaded.raw !== undefined);
  const impacts = raw === null || d.loaded.state === 'missing' ? [] : clientImpacts(readBefore(d.loaded), raw, { served: d.own === null ? null : { port: d.own.ports.gateway, host: d.own.host }, whole, ...(options.gateway === undefined ? {} : { gateway: options.gateway }) });
  return { raw, before, after, diff, actions: steps.flatMap((step) => stepWords(step, shown)), fixes, steps, notes, impacts, ...(pendingRestart === undefined ? {} : { pendingRestart }) };
}

function stepWords(step: RepairStep, shown: (p: string) => string): string[] {
  switch (step.kind) {
    case 'mkdir-state-dir':
      return [`create ${shown(step.path)} (0700)`];
    case 'write-config':
      return step.edits;
    case 'chmod':
      return [`chmod 0${step.mode.toString(8)} ${shown(step.path)}`];
    case 'mkdir-workspace':
      return [`create ${shown(step.path)} (0700)`];
    case 'remove-lock':
      return [`remove ${shown(step.path)}, which no gateway can take as its lock`];
    case 'remove-temps':
      return [step.count === 1 ? 'remove the temp file left by a killed epiloop command' : `remove the ${step.count} temp files left by killed epiloop commands`];
    case 'reinstall-service':
      return [`reinstall the service ${step.name} from the config (restarted if it runs)`];
    case 'restart-service':
      return [`restart the service ${step.name}, so its gateway runs the new config`];
  }
}

export async function applyRepair(diagnosis: Diagnosis, plan: RepairPlan): Promise<{ backupPath: string | null; applied: string[] }> {
  const d = diagnosis;
  const shown = (p: string) => tildify(p, d.home);
  let backupPath: string | null = null;
  const applied: string[] = [];
  try {
    for (const step of plan.steps) {
      switch (step.kind) {
        case 'mkdir-state-dir':
          await ensureStateDir(step.path);
          break;
        case 'write-config': {
          // Under the host-wide port lock, like setup: a base chosen while planning must still be free of every other profile.
          const result = await withFileLock(
            hostLockPath(d.home),
            async () => {
              await checkStillClear(d, plan.raw!);
              return updateConfig(
                d.paths,
                (current) => {
                  if (!sameFile(current, d.loaded)) {
                    throw new HostError(`${current.path} changed since doctor read it; nothing was written. Run doctor again.`);
                  }
                  return plan.raw!;
                },
                { what: 'epiloop doctor --fix', writer: repairWriter(d) },
              );
            },
            { what: 'epiloop doctor --fix', timeoutMs: 30_000 },
          );
          backupPath = result.backupPath;
          break;
        }
        case 'chmod':
          // chmod follows symlinks, and a link may point out of the profile's dirs.
          if ((await lstat(step.path)).isSymbolicLink()) throw new HostError(`${step.path} is a symlink; epiloop will not change the mode of its target.`);
          await chmod(step.path, step.mode);
          break;
        case 'mkdir-workspace':
          await mkdir(step.path, { recursive: true, mode: 0o700 });
          break;
        case 'remove-lock': {
          // Judged again: only what is still a lock no gateway can take goes (never a lock a gateway wrote meanwhile).
          const now = await readGatewayLock(step.stateDir, step.label);
          if (now.state === 'refused' && isRemovable(now.refusal)) await rm(step.path, { recursive: isDirectory(now.refusal), force: true });
          break;
        }
        case 'remove-temps':
          // Judged again: a file whose writer is alive now (a pid reused) is not one to remove.
          await removeDeadTemps(...step.targets);
          break;
        case 'reinstall-service': {
          const { installService } = await import('../service/install');
          await installService(d.paths, { env: d.env, home: d.home });
          break;
        }
        case 'restart-service': {
          const { restartService } = await import('../service/install');
          await restartService(d.paths, { env: d.env, home: d.home });
          break;
        }
      }
      applied.push(...stepWords(step, shown));
    }
  } catch (error) {
    // fs errors (a read-only disk, a dir owned by someone else) are the host's, not bugs.
    if (!(error instanceof HostError) && (error as NodeJS.ErrnoException).code === undefined) throw error;
    // Say what is already done, so nobody repeats or undoes it blindly.
    const done = applied.length === 0 ? '' : `\nAlready applied: ${applied.join('; ')}.`;
    const backup = backupPath === null ? '' : ` The old config is at ${shown(backupPath)}.`;
    throw new HostError(`${(error as Error).message}${done}${backup}`);
  }
  return { backupPath, applied };
}

/** The planned config's footprint against the other profiles as they are now, read under the host lock. */
async function checkStillClear(d: Diagnosis, raw: Record<string, unknown>): Promise<void> {
  const checked = validateConfig(raw);
  const port = checked.ok ? checked.config.gateway?.port : undefined;
  if (!checked.ok || port === undefined) return;
  const view = await readHost({ home: d.home, current: d.paths, health: 'none' });
  const rows = portMap(view, currentOf(view), footprint(checked.config, port)).filter((r) => r.state === 'claimed');
  if (rows.length > 0) {
    throw new HostError(`another profile took ports of base ${port} since doctor planned the fix (${rows[0]!.text}); nothing was written. Run doctor again.`);
  }
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

function sameFile(a: LoadedConfig, b: LoadedConfig): boolean {
  if (a.state === 'missing' || b.state === 'missing') return a.state === b.state;
  return a.text === b.text;
}

function validConfig(raw: Raw): Config {
  const checked = validateConfig(raw);
  if (!checked.ok) throw new Error(`doctor planned an invalid config: ${checked.problems.map((p) => p.path).join(', ')}`);
  return checked.config;
}

function removePins(raw: Raw, pins: readonly string[][], words: string[]): void {
  for (const keys of new Map(pins.map((k) => [dotted(k), k])).values()) {
    const value = getAt(raw, keys);
    if (value === undefined) continue;
    deleteAt(raw, keys);
    words.push(`remove ${dotted(keys)} (${JSON.stringify(value)}); ${pinRemovalWords(keys)}`);
  }
}

/** What the file said before, as far as it reads: the keys clients depend on are compared against it. */
/** The store's words when the repaired config would be more than epiloop reads back: what to do by hand. */
function repairWriter(d: Diagnosis): WriterWords {
  const shown = tildify(d.paths.configPath, d.home);
  const word = shellWord(shown, d.paths.configPath);
  const invocation = invocationHere(d.paths.profile);
  return {
    subject: `the repaired ${shown}`,
    fix: `Shorten the config by hand (drop keys it no longer needs) and run "${invocation} doctor --fix" again, or move it away (mv ${word} ${word}.aside) and run "${invocation} setup" for a fresh one.`,
  };
}

function readBefore(loaded: Exclude<LoadedConfig, { state: 'missing' }>): Raw {
  if (loaded.state === 'ok') return loaded.raw;
  return loaded.raw ?? readTolerant(loaded.text).raw;
}

/** Why the base moves where it does: the base the profile's own running gateway serves (clients keep it), else the first free block. */
function movedWhy(d: Diagnosis, moved: number): string {
  return d.own !== null && moved === d.own.ports.gateway
    ? `the base its running gateway (pid ${d.own.pid}) serves: no client change`
    : `the first free block for profile ${d.paths.label}`;
}

/**
 * A free base for the config as it will be (the one proposal every command makes); its pins stay
 * where they are. The search starts at the base the running gateway serves, so a repair keeps
 * its clients' port where it can.
 */
async function proposeFor(d: Diagnosis, config: Config | undefined): Promise<number> {
  const { proposal } = await proposeLive(d.view, d.self, d.role, (base) => footprint(config, base), d.own?.ports.gateway);
  if (proposal === null) throw new HostError(noFreeBaseMessage('free some ports and run doctor again'));
  return proposal.base;
}

/**
 * Makes the edited config's footprint clear of other profiles and foreign listeners: a
 * pin in conflict is removed, then the base moves if it must. Checked live, since
 * removing a pin moves ports the diagnosis never probed. Returns the new base, or null.
 */
async function settleBase(d: Diagnosis, raw: Raw, mustMove: boolean, edits: string[]): Promise<number | null> {
  for (let pass = 0; pass < MAX_SETTLE_PASSES; pass++) {
    const config = validConfig(raw);
    const base = configBase(config).port;
    const fp = footprint(config, base);
    if (!mustMove && JSON.stringify(fp) === JSON.stringify(d.footprint)) return null;
    // Pins stay put whatever the base: one in conflict would make every candidate base fail.
    // Checked against the host view, its free ports confirmed by a bind: removing a pin moves ports the diagnosis never looked at.
    const ports = footprintSlots(fp).map((slot) => slot.port);
    const view = await confirmFree(await withOwners(d.view, ports), d.self, ports);
    const conflicts = slotConflicts(config, footprintConflicts(view, d.self, fp));
    const pins = conflicts.flatMap((c) => (c.pin === null ? [] : [c.pin]));
    if (pins.length > 0) {
      removePins(raw, pins, edits);
      continue;
    }
    if (!mustMove && conflicts.length === 0) return null;
    break;
  }
  const base = await proposeFor(d, validConfig(raw));
  setAt(raw, ['gateway', 'port'], base);
  return base;
}
