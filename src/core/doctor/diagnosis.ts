import type { LoadedConfig } from '../config/parse';
import type { InvalidKey, Pin, Raw } from '../config/edits';
import type { Config } from '../config/schema';
import type { HealthPorts } from '../gateway/health';
import type { Footprint } from '../ports/footprint';
import type { HostProfile, HostView } from '../host/view';
import type { GatewayRole } from '../ports/propose';
import type { ProfilePaths } from '../profile/paths';
import type { ServiceStatus } from '../service/spec';
import type { Finding, SlotConflict } from './findings';

/** This profile's running gateway, from its lock: the ports it holds are not findings. */
export interface OwnGateway {
  pid: number;
  /** The address its servers listen on. */
  host: string;
  ports: HealthPorts;
}

export interface Diagnosis {
  paths: ProfilePaths;
  loaded: LoadedConfig;
  findings: Finding[];
  home: string;
  env: Record<string, string | undefined>;
  role: GatewayRole;
  /** The host as this diagnosis read it (other profiles' files are read, never written), and this profile in it. */
  view: HostView;
  self: HostProfile;
  /**
   * The config with every rejected key removed: where fixes start. For a file that does not
   * parse (`recovered`), what a tolerant read could still read of it, and what it `lost`.
   * null when nothing could be read.
   */
  kept: { raw: Raw; config: Config; invalid: InvalidKey[]; recovered: boolean; lost: string[] } | null;
  /** The base the config gives; null when the config is unreadable or its port invalid. */
  base: number | null;
  footprint: Footprint | null;
  conflicts: SlotConflict[];
  own: OwnGateway | null;
  /** Pins of this profile that another profile pins to the same value. */
  sharedPins: Pin[];
  /** Absolute workspace path, null when the config does not say (unreadable or missing). */
  workspace: string | null;
  /** The profile's gateway service, as the service module sees it. */
  service: ServiceStatus;
  /** Modes from stat (null = missing; for the config also a symlink, which doctor never touches): what the permission and mkdir fixes act on. */
  modes: { stateDir: number | null; config: number | null; workspace: number | null };
  /** Where the config links to, when it is a symlink (the store will not write through one); else null. */
  configLink: string | null;
  /** The files of this profile written through a temp file beside them, and the temps killed writers left of them (deadTemps). */
  temps: { targets: string[]; left: string[] };
}
