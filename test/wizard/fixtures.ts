import { parseConfigText } from '../../src/core/config/parse';
import { footprint } from '../../src/core/ports/footprint';
import { claimMap } from '../../src/core/ports/overlap';
import { derivedPaths } from '../../src/core/profile/paths';
import type { OtherProfile, Proposals, WizardFacts } from '../../src/core/wizard/facts';
import { reduce } from '../../src/core/wizard/state';
import { footprintSlots } from '../../src/core/ports/footprint';
import { type PortState } from '../../src/core/ports/listeners';
import { type LoadedConfig } from '../../src/core/config/parse';
import { type KeyFlags } from '../../src/core/wizard/keys';
import { type WizardEvent, type WizardState } from '../../src/core/wizard/model';

export const HOME = '/home/ada';

/** The main profile of the seed, at 18789, as another profile on the host. */
export const MAIN: OtherProfile = {
  label: 'main',
  base: 18789,
  footprint: footprint(undefined, 18789),
  workspace: `${HOME}/.epiloop/workspace-main`,
  pinnedUrls: ['http://127.0.0.1:9222/'],
};

export function loadedFrom(text: string | null, path = `${HOME}/.epiloop-rescue/epiloop.json`): LoadedConfig {
  if (text === null) return { state: 'missing', path };
  const parsed = parseConfigText(text, path);
  return parsed.ok ? { state: 'ok', path, text, raw: parsed.raw, config: parsed.config } : { state: 'invalid', path, text, raw: parsed.raw, error: parsed.error };
}

/** What the wizard would learn on a host with main set up, before any I/O answered. Pure. */
export function hostFacts(options: { profile?: string | null; others?: OtherProfile[]; config?: string | null; given?: WizardFacts['given'] } = {}): WizardFacts {
  const profile = options.profile === undefined ? 'rescue' : options.profile;
  const others = options.others ?? [MAIN];
  const paths = { ...derivedPaths(profile, HOME), explicit: { stateDir: false, configPath: false } };
  return {
    paths,
    home: HOME,
    invocation: profile === null ? 'epiloop' : `epiloop --profile ${profile}`,
    loaded: loadedFrom(options.config ?? null, paths.configPath),
    stateDirExists: false,
    others,
    claims: claimMap(others.flatMap((o) => (o.footprint ? [{ label: o.label, footprint: o.footprint }] : []))),
    diagnosis: null,
    given: options.given ?? {},
  };
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
  return inputs.reduce((s, input) => {
    if (typeof input === 'string') return reduce(s, { type: 'key', ...KEY[input] });
    if ('text' in input) return reduce(s, { type: 'key', input: input.text, key: {} });
    return reduce(s, input);
  }, state);
}

/** A probe answer: every port of the base's default footprint free, except those listed as bound. */
export function probed(base: number, bound: Record<number, string> = {}): WizardEvent {
  const states = new Map<number, PortState>();
  for (const { port } of footprintSlots(footprint(undefined, base))) {
    states.set(port, bound[port] ? { state: 'bound', holders: [{ address: '127.0.0.1', pid: 812, command: bound[port] }] } : { state: 'free' });
  }
  return { type: 'probed', base, states };
}
