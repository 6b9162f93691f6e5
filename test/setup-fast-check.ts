/**
 * Every property test is seeded, so a run is reproducible and a failure names an input that
 * fails again: FC_SEED=<n> npx vitest run … tries another seed (CI keeps the default).
 *
 * FC_END_ON_FAILURE=1 (set by vitest.mutation.config.ts only) stops a property at its first
 * failing input instead of shrinking it: a mutant is killed by that first failure all the same,
 * and shrinking is where a killed mutant spends its time. It changes no verdict, only the
 * failure message (the input as found, not the smallest one). FC_MAX_RUNS (the same config
 * only) caps every property's numRuns, this default of 100 and each test's own (helpers/runs.ts).
 */
import fc from 'fast-check';
import { runs } from './helpers/runs';

const seed = Number(process.env.FC_SEED ?? 20261130);
fc.configureGlobal({
  seed: Number.isFinite(seed) ? seed : 20261130,
  ...(process.env.FC_END_ON_FAILURE === '1' ? { endOnFailure: true } : {}),
  ...(process.env.FC_MAX_RUNS === undefined ? {} : { numRuns: runs(100) }),
});
