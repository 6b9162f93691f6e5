import { footprint } from '../../src/core/ports/footprint';
import { workspaceOf } from '../../src/core/profile/plan';
import { othersOf, type OtherProfile, type Proposals, type WizardFacts } from '../../src/core/wizard/facts';
import { reduce } from '../../src/core/wizard/state';
import type { PortHolder } from '../../src/core/ports/listeners';
import { type LoadedConfig } from '../../src/core/config/parse';
import { HOME, loadedFrom as loadedOf, profileOf, viewOf, type ProfileSpec } from '../helpers/view';
import { type KeyFlags } from '../../src/core/wizard/keys';
import { type WizardEvent, type WizardState } from '../../src/core/wizard/model';

export { HOME };

/** The main profile of the seed, at 18789, with a remote browser pinned, as another profile on the host. */
export const MAIN_SPEC = { name: 'main', config: JSON.stringify({ gateway: { port: 18789, auth: { token: 'x'.repeat(24) } }, browser: { cdpUrl: 'http://127.0.0.1:9222' } }) };
export const MAIN: OtherProfile = { label: 'main', base: 18789, footprint: footprint(undefined, 18789) };

export function loadedFrom(text: string | null, path = `${HOME}/.epiloop-rescue/epiloop.json`): LoadedConfig {
  return loadedOf(text, path);
}

/** What the wizard would learn on a host with main set up, before any I/O answered. Pure. */
export function hostFacts(
  options: { profile?: string | null; others?: ProfileSpec[]; config?: string | null; given?: WizardFacts['given']; gateway?: ProfileSpec['gateway']; addresses?: string[] } = {},
): WizardFacts {
  const profile = options.profile === undefined ? 'rescue' : options.profile;
  const self = profileOf({ name: profile, config: options.config ?? null, current: true, ...(options.gateway === undefined ? {} : { gateway: options.gateway }) });
  const view = viewOf([self, ...(options.others ?? [MAIN_SPEC]).map(profileOf)], null);
  return {
    paths: self.paths,
    home: HOME,
    invocation: profile === null ? 'epiloop' : `epiloop --profile ${profile}`,
    loaded: self.loaded,
    dirsFound: [],
    view,
    others: othersOf(view),
    diagnosis: null,
    given: options.given ?? {},
    // A host with loopback only, as a test's network namespace.
    addresses: options.addresses ?? ['127.0.0.1', '::1'],
  };
}

/** The facts of a host where these of the profile's directories were found on disk before the first frame: its state dir, the workspace its config names (or the default). */
export function found(facts: WizardFacts, ...dirs: ('state dir' | 'workspace')[]): WizardFacts {
  const paths = { 'state dir': facts.paths.stateDir, workspace: workspaceOf(facts.loaded, facts.paths) };
  return { ...facts, dirsFound: dirs.map((d) => paths[d]) };
}

/** Proposals as proposeBase would give them beside MAIN. */
export const PROPOSALS: Proposals = {
  main: { base: 18900, footprint: footprint(undefined, 18900), skipped: [], skippedCount: 1, ephemeralWarning: null },
  rescue: { base: 19789, footprint: footprint(undefined, 19789), skipped: [], skippedCount: 0, ephemeralWarning: null },
};

export const KEY = {
  enter: { input: '\r', key: { return: true } },
  esc: { input: '', key: { escape: true } },
  up: { input: '', key: { upArrow: true } },
  down: { input: '', key: { downArrow: true } },
  pageUp: { input: '', key: { pageUp: true } },
  pageDown: { input: '', key: { pageDown: true } },
  backspace: { input: '', key: { backspace: true } },
  ctrlC: { input: 'c', key: { ctrl: true } },
  ctrlU: { input: 'u', key: { ctrl: true } },
  space: { input: ' ', key: {} },
} satisfies Record<string, { input: string; key: KeyFlags }>;

export type KeyName = keyof typeof KEY;

/** Feeds keys (names or typed text) and events through the reducer. */
export function feed(state: WizardState, ...inputs: (KeyName | { text: string } | WizardEvent)[]): WizardState {
  return inputs.reduce((s, input) => settle(typeof input === 'string' ? reduce(s, { type: 'key', ...KEY[input] }) : 'text' in input ? reduce(s, { type: 'key', input: input.text, key: {} }) : reduce(s, input)), state);
}

/** What the UI does for a path awaiting its symlinks (App's effect): here every path resolves to itself. */
function settle(state: WizardState): WizardState {
  const path = state.field.resolving;
  return path === undefined ? state : reduce(state, { type: 'resolved', path, real: path });
}

/** Like feed, but a path awaiting its symlinks stays waiting: the test sends the 'resolved' event itself. */
export function feedRaw(state: WizardState, ...inputs: (KeyName | { text: string } | WizardEvent)[]): WizardState {
  return inputs.reduce((s, input) => (typeof input === 'string' ? reduce(s, { type: 'key', ...KEY[input] }) : 'text' in input ? reduce(s, { type: 'key', input: input.text, key: {} }) : reduce(s, input)), state);
}

/** A probe answer: every port of the base's default footprint free, except those listed as bound (by pid 812). */
export function probed(base: number, bound: Record<number, string> = {}): WizardEvent {
  const listeners = new Map<number, PortHolder[]>();
  for (const [port, command] of Object.entries(bound)) listeners.set(Number(port), [{ address: '127.0.0.1', pid: 812, command }]);
  return { type: 'probed', base, host: { listeners } };
}
