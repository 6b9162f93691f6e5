/**
 * The checks and defaults behind the wizard's answers, light enough for the questions table
 * (read on every start of the CLI): no config parser, no schema.
 */
import path from 'node:path';
import { footprint, parsePortValue, resolveBase, type Footprint } from '../ports/footprint';
import { expandHome, systemDirOf, tildify } from '../profile/paths';
import { workspaceArea, workspaceName } from '../profile/identity';
import { CDP_URL_RULE, isCdpUrl } from '../config/schema';
import { currentOf } from '../host/view';
import { ownServerConflict, proposalRole, urlConflict, workspaceConflicts, workspaceConflictWords } from '../host/rules';
import { proposeWatch } from '../watch/propose';
import { PREFERRED_START, roleForProfile, type GatewayRole } from '../ports/propose';
import type { Proposals, WizardFacts, WizardRole } from './facts';

/** The browser profile the wizard sets up: the seed's browser.profiles.<name>. */
export const BROWSER_PROFILE = 'default';

/** main for the default profile and any name but "rescue": the seed's two roles. */
export function defaultRole(profile: string | null): WizardRole {
  return roleForProfile(profile) === 'rescue' ? 'rescue' : 'main';
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
  if (trimmed === '') {
    const own = tildify(path.join(workspaceArea(facts.home), workspaceName(facts.paths.profile)), facts.home);
    return { ok: false, reason: `type a directory for the workspace, e.g. ${own}` };
  }
  const expanded = expandHome(trimmed, facts.home);
  if (!path.isAbsolute(expanded)) {
    return { ok: false, reason: 'use an absolute path or one starting with ~/ (a relative one would depend on where the gateway starts)' };
  }
  // "~/ /" would become "~/ ", which reads (and, typed again, trims) as "~/".
  if (expanded.split(path.sep).some((name) => name !== name.trim())) return { ok: false, reason: 'a folder name in it starts or ends with a space' };
  const resolved = path.resolve(expanded);
  const system = systemDirOf(real ?? resolved);
  if (system !== null) return { ok: false, reason: `${system} is a system directory; the gateway serves files from its workspace, so give a directory of your own` };
  const conflict = workspaceConflicts(facts.view, currentOf(facts.view), { path: resolved, real: real ?? resolved })[0];
  if (conflict === undefined) return { ok: true, path: resolved };
  if (conflict.relation === 'own-state-dir') return { ok: false, reason: 'the workspace cannot be the state dir itself' };
  if (conflict.relation === 'same') return { ok: false, reason: `${conflict.label} already uses this workspace; each gateway needs its own` };
  const shown = (p: string) => tildify(p, facts.home);
  return { ok: false, reason: `${workspaceConflictWords(conflict, shown(resolved), shown)}; each gateway needs its own` };
}

/**
 * A remote Chrome's CDP URL → normalized, or why it cannot be used: one of this profile's own
 * servers on `base` (ownServerConflict), another profile's pinned URL, or a port of another
 * profile on this host (urlConflict).
 */
export function checkCdpUrl(text: string, facts: WizardFacts, base: number): { ok: true; url: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, reason: 'type a URL such as http://127.0.0.1:9222' };
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return { ok: false, reason: 'a CDP URL starts with http://, https://, ws:// or wss://' };
  // The schema's own rule: what the wizard writes, every command then reads as valid.
  if (!isCdpUrl(text.trim())) return { ok: false, reason: `use ${CDP_URL_RULE}` };
  const own = ownServerConflict(url.href, shapeOf(facts, base), facts.paths.label, facts.view);
  if (own !== null) return { ok: false, reason: `${own}; give the DevTools address of a Chrome you run` };
  const conflict = urlConflict({ url: url.href }, facts.view, currentOf(facts.view));
  if (conflict !== null) return { ok: false, reason: `${conflict.text}; two gateways must never share a browser` };
  return { ok: true, url: text.trim() };
}

/** The profiles a gateway of this role watches: for a rescue, the main bot (see proposeWatch). */
export function watchedLabels(facts: WizardFacts, role: WizardRole): string[] {
  return proposeWatch(role, facts.others.map((o) => o.label));
}
