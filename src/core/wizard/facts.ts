import type { GatewayReach } from '../gateway/plan';
import type { Footprint } from '../ports/footprint';
import type { Proposal } from '../ports/propose';
import { currentOf, type HostView } from '../host/view';
import type { ProfilePaths } from '../profile/paths';
import { type LoadedConfig } from '../config/parse';
import { type Diagnosis } from '../doctor/diagnosis';
import { type Availability } from '../service/spec';

/** What the wizard asks for: main (the everyday gateway) or rescue (watches the others). */
export type WizardRole = 'main' | 'rescue';
export const WIZARD_ROLES: readonly WizardRole[] = ['main', 'rescue'];

export type BrowserChoice = { kind: 'local' } | { kind: 'remote'; cdpUrl: string };

/** Who may reach the gateway, or 'keep': the config's gateway.bind as it is, an address this host lacks (offered only then). */
export type BindChoice = GatewayReach | 'keep';

/** One answer per row of the questions table (questions.ts), which says how each is asked, checked and written. */
export interface Answers {
  role: WizardRole;
  workspace: string;
  base: number;
  browser: BrowserChoice;
  installService: boolean;
  bind: BindChoice;
}

/** Another profile on this host, reduced to what the wizard draws (the host strip, the spacing note, whom a rescue watches). */
export interface OtherProfile {
  label: string;
  base: number | null;
  footprint: Footprint | null;
}

/** Whether `dir` was on disk before the first frame: the summary keeps it, apply makes nothing there. */
export function dirFound(facts: Pick<WizardFacts, 'dirsFound'>, dir: string): boolean {
  return facts.dirsFound.includes(dir);
}

/** The other profiles of a host view, as the wizard draws them. */
export function othersOf(view: HostView): OtherProfile[] {
  const self = currentOf(view);
  return view.profiles.filter((p) => p !== self).map((p) => ({ label: p.paths.label, base: p.base, footprint: p.footprint }));
}

/** The free base proposed for each role (null: no free block on this host). */
export type Proposals = Record<WizardRole, Proposal | null>;

/** Whether systemd / launchd can take the gateway as a service here, and why not. */
export type ServiceSupport = Availability;

/** Everything the wizard learns about the host before its first frame; read-only afterwards. */
export interface WizardFacts {
  paths: ProfilePaths;
  home: string;
  /** "epiloop --profile rescue": the prefix of every command the wizard shows. */
  invocation: string;
  loaded: LoadedConfig;
  /** Of its state dir and the workspace it starts with (the config's, or the default), those on disk before the first frame. */
  dirsFound: readonly string[];
  /**
   * The host as read before the first frame, its listeners left out (null): every check asks
   * it who claims a port, a workspace or a URL; the port step's probes add the live listeners.
   */
  view: HostView;
  others: OtherProfile[];
  /** The doctor's findings when a config exists (the wizard then opens on repair). */
  diagnosis: Diagnosis | null;
  /** Answers given as flags (each question's, see questions.ts) or, for the base, by EPILOOP_GATEWAY_PORT. */
  given: Partial<Answers>;
  /** The addresses of this host's interfaces: a gateway.bind naming none of them keeps the gateway from starting. */
  addresses: readonly string[];
}
