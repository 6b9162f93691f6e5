import path from 'node:path';
import { deleteAt, getAt, setAt } from '../config/edits';
import { FOOTPRINT_SPAN, MAX_PORT, footprint, parsePortValue, resolveBase, type Footprint } from '../ports/footprint';
import { expandHome, tildify } from '../profile/paths';
import { proposeWatch } from '../watch/propose';
import { PREFERRED_START, roleForProfile, type GatewayRole } from '../ports/propose';
import { currentOf } from '../host/view';
import { proposalRole, urlConflict, workspaceConflicts, workspaceConflictWords } from '../host/rules';
import type { Proposals, WizardFacts, WizardRole } from './facts';
import { serializeConfig } from '../config/parse';
import { planConfig, workspaceOf, type ProfilePlan } from '../profile/plan';

export type BrowserChoice = { kind: 'local' } | { kind: 'remote'; cdpUrl: string };

export interface Answers {
  role: WizardRole;
  workspace: string;
  base: number;
  browser: BrowserChoice;
  installService: boolean;
}

/** The highest base whose footprint (base … base+110) still fits below 65536. */
export const MAX_BASE = MAX_PORT - FOOTPRINT_SPAN + 1;
/** The browser profile the wizard sets up: the seed's browser.profiles.<name>. */
export const BROWSER_PROFILE = 'default';
/** The preview shows the token masked; the real one is drawn when the config is written. */
export const PREVIEW_TOKEN = 'x'.repeat(32);
const REMOTE_CDP_KEYS = ['browser', 'profiles', BROWSER_PROFILE, 'cdpUrl'];

/** The config as the wizard found it: valid, or what could still be read of an invalid one. */
export function currentRaw(facts: WizardFacts): Record<string, unknown> {
  const { loaded } = facts;
  return loaded.state === 'ok' ? loaded.raw : loaded.state === 'invalid' ? (loaded.raw ?? {}) : {};
}

/** main for the default profile and any name but "rescue": the seed's two roles. */
export function defaultRole(profile: string | null): WizardRole {
  return roleForProfile(profile) === 'rescue' ? 'rescue' : 'main';
}

/** Every answer prefilled: flags first, then the current config, then the proposal and the defaults. */
export function initialAnswers(facts: WizardFacts): Answers {
  const config = facts.loaded.state === 'ok' ? facts.loaded.config : undefined;
  const watching = Array.isArray(getAt(currentRaw(facts), ['watch', 'profiles']));
  const role = facts.given.role ?? (config && watching ? 'rescue' : defaultRole(facts.paths.profile));
  const remote = config?.browser?.profiles?.[BROWSER_PROFILE]?.cdpUrl;
  return {
    role,
    workspace: facts.given.workspace ?? workspaceOf(facts.loaded, facts.paths),
    // A new profile's base is the proposal; it arrives after the first frame (WizardState.proposals).
    base: facts.given.port ?? config?.gateway?.port ?? PREFERRED_START[gatewayRole(facts, role)],
    browser: remote === undefined ? { kind: 'local' } : { kind: 'remote', cdpUrl: remote },
    // Until the service manager answers (WizardState.service), only a flag decides.
    installService: facts.given.installService ?? false,
  };
}

/** Where the proposal for this profile in this role starts: the same rule setup and doctor follow (proposalRole). */
export function gatewayRole(facts: WizardFacts, role: WizardRole): GatewayRole {
  return proposalRole(facts.paths.profile, role === 'rescue');
}

export function proposedBase(facts: WizardFacts, proposals: Proposals | null, role: WizardRole): number {
  return proposals?.[role]?.base ?? PREFERRED_START[gatewayRole(facts, role)];
}

/** --port beats EPILOOP_GATEWAY_PORT (the gateway would use that one too); both are checked like setup checks them. */
export function givenPort(flag: number | undefined, env: Record<string, string | undefined>): number | undefined {
  const resolved = resolveBase({ flag, env });
  return resolved.source === 'default' ? undefined : resolved.port;
}

/** A typed base → the number, or why it is not one: the same check (and words) as --port. */
export function parseBase(text: string): { ok: true; base: number } | { ok: false; reason: string } {
  try {
    return { ok: true, base: parsePortValue(text, 'base port') };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** The footprint a base gives this profile, its own overrides kept. */
export function shapeOf(facts: WizardFacts, base: number): Footprint {
  return footprint(facts.loaded.state === 'ok' ? facts.loaded.config : undefined, base);
}

/**
 * The workspace as typed → an absolute path, or the reason it cannot be used: the one rule of
 * workspaceConflicts (another profile's workspace, nested either way, its state dir, or this
 * profile's own state dir). `real` is the path with symlinks resolved, where the caller could.
 */
export function checkWorkspace(text: string, facts: WizardFacts, real?: string): { ok: true; path: string } | { ok: false; reason: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'type a directory for the workspace, e.g. ~/.epiloop/workspace-rescue' };
  const expanded = expandHome(trimmed, facts.home);
  if (!path.isAbsolute(expanded)) {
    return { ok: false, reason: 'use an absolute path or one starting with ~/ (a relative one would depend on where the gateway starts)' };
  }
  const resolved = path.resolve(expanded);
  const conflict = workspaceConflicts(facts.view, currentOf(facts.view), { path: resolved, real: real ?? resolved })[0];
  if (conflict === undefined) return { ok: true, path: resolved };
  if (conflict.relation === 'own-state-dir') return { ok: false, reason: 'the workspace cannot be the state dir itself' };
  if (conflict.relation === 'same') return { ok: false, reason: `${conflict.label} already uses this workspace; each gateway needs its own` };
  const shown = (p: string) => tildify(p, facts.home);
  return { ok: false, reason: `${workspaceConflictWords(conflict, shown(resolved), shown)}; each gateway needs its own` };
}

/** A remote Chrome's CDP URL → normalized, or why it cannot be used: another profile's pinned URL, or a port of another profile on this host (urlConflict). */
export function checkCdpUrl(text: string, facts: WizardFacts): { ok: true; url: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, reason: 'type a URL such as http://127.0.0.1:9222' };
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return { ok: false, reason: 'a CDP URL starts with http://, https://, ws:// or wss://' };
  const conflict = urlConflict({ url: url.href }, facts.view, currentOf(facts.view));
  if (conflict !== null) return { ok: false, reason: `${conflict.text}; two gateways must never share a browser` };
  return { ok: true, url: text.trim() };
}

/** The profiles a gateway of this role watches: for a rescue, the main bot (see proposeWatch). */
export function watchedLabels(facts: WizardFacts, role: WizardRole): string[] {
  return proposeWatch(role, facts.others.map((o) => o.label));
}

/** The answers as the foundation's ProfilePlan: base and workspace, plus the browser and watch keys. */
export function profilePlan(answers: Answers, facts: WizardFacts): ProfilePlan {
  const watched = watchedLabels(facts, answers.role);
  return {
    base: answers.base,
    workspace: answers.workspace,
    edit: (raw) => {
      if (answers.browser.kind === 'remote') setAt(raw, REMOTE_CDP_KEYS, answers.browser.cdpUrl);
      else deleteAt(raw, REMOTE_CDP_KEYS);
      if (watched.length > 0) setAt(raw, ['watch', 'profiles'], watched);
    },
  };
}

/** The config text as apply will write it; a new auth token is random, so show it through maskSecrets. */
export function previewConfig(answers: Answers, facts: WizardFacts): string {
  return serializeConfig(planConfig(currentRaw(facts), profilePlan(answers, facts), PREVIEW_TOKEN));
}
