/**
 * What `status` and `list` show of a watching profile whose gateway does not watch (stopped,
 * silent, or started before watch.profiles was set): one check of each target made now. Its
 * own module, loaded only then: while the gateway watches, its /health says it all.
 */
import type { Config } from '../../core/config/schema';
import type { ProfilePaths } from '../../core/profile/paths';
import { checkProfile } from './check';
import { idleSinkReport, type SinkReport } from '../../core/watch/alerts';
import { classify, DEFAULT_HUNG_AFTER_CHECKS, silentChecks, withSilence, type WatchReport } from '../../core/watch/state';
import { rollbackCommand, withLastGood } from '../../core/watch/last-good';
import { invocationHere } from '../../host/profile/invocation';

/** Each target's state from one check made now (no since, no actions), and the configured sinks with nothing sent. */
export async function checkNow(
  config: Config | undefined,
  paths: ProfilePaths,
  targets: readonly ProfilePaths[],
  options: { home: string; env: Record<string, string | undefined> },
): Promise<{ profiles: WatchReport[]; sinks: SinkReport[] }> {
  const profiles = await Promise.all(
    targets.map(async (target): Promise<WatchReport> => {
      const facts = await checkProfile(target, options);
      const silent = withSilence(classify(facts), facts, silentChecks(0, facts), config?.watch?.hungAfterChecks ?? DEFAULT_HUNG_AFTER_CHECKS, undefined);
      const { hung, lastGood, rollback, ...observation } = withLastGood(silent, facts, rollbackCommand(invocationHere(paths.profile), target.label));
      return {
        profile: target.label,
        ...observation,
        since: null,
        checkedAt: new Date().toISOString(),
        notAnswering: hung === true,
        lastAlert: null,
        lastRestart: null,
        lastGood: lastGood ?? null,
        rollback: rollback ?? null,
        lastRollback: null,
      };
    }),
  );
  return { profiles, sinks: (config?.watch?.alerts ?? []).map(idleSinkReport) };
}
