import type { Config } from '../../core/config/schema';
import type { HealthReport } from '../../core/gateway/health';
import type { GatewayLive } from '../gateway/live';
import type { ProfilePaths } from '../../core/profile/paths';
import type { SinkReport } from '../../core/watch/alerts';
import type { WatchReport } from '../../core/watch/state';
import { targetEnv, watchTargets } from '../../core/watch/targets';

/** The `watch` key of `status --json`; documented in the README. null when the config watches nothing. */
export interface WatchSection {
  /** This profile's gateway runs and watches: the states are its own, kept across checks. */
  active: boolean;
  /** Why the states come from elsewhere, or what differs from the config; null when all is as configured. */
  note: string | null;
  profiles: WatchReport[];
  /** watch.alerts: each sink with what the running gateway sent it; while it is down, as configured with nothing sent. */
  sinks: SinkReport[];
}

/**
 * What this profile's watching says: its running gateway's /health (fast, and it knows since
 * when), or, when no gateway watches, one check of each target made now, so the state of
 * main is shown even while the rescue gateway is down. The /health answer is the one the host
 * model got (RunningGateway.report): the gateway is asked once per read of the host.
 */
export async function watchSection(
  config: Config | undefined,
  paths: ProfilePaths,
  options: {
    home: string;
    env: Record<string, string | undefined>;
    gateway: GatewayLive;
    /** What the gateway's /health answered (the host model's RunningGateway.report); undefined when it did not answer. */
    report: Partial<HealthReport> | undefined;
  },
): Promise<WatchSection | null> {
  const { targets } = watchTargets(config, paths, options.home);
  if (targets.length === 0) return null;
  const labels = targets.map((t) => t.label);
  const { gateway } = options;
  const answered = gateway.health === 'answered' ? options.report : undefined;
  const reported: WatchReport[] = answered?.watch ?? [];
  const sinks: SinkReport[] = answered?.alerts ?? [];
  if (reported.length > 0) {
    const same = reported.map((r) => r.profile).join() === labels.join();
    const note = same ? null : `the running gateway watches ${reported.map((r) => r.profile).join(', ')}, but the config lists ${labels.join(', ')}: restart it to apply`;
    return { active: true, note, profiles: reported, sinks };
  }
  const why =
    gateway.health === 'answered'
      ? 'the running gateway does not watch (it started before watch.profiles was set): restart it'
      : `watching is off because the gateway of profile "${paths.label}" is ${gateway.running ? 'not answering' : 'not running'}`;
  // The checks load only when no gateway watches: while it does, its /health says it all.
  const now = await (await import('./check-now')).checkNow(config, paths, targets, { home: options.home, env: targetEnv(options.env) });
  return { active: false, note: `${why}; the states below are one check made now`, ...now };
}
