/**
 * Every property test is seeded, so a run is reproducible and a failure names an input that
 * fails again: FC_SEED=<n> npx vitest run … tries another seed (CI keeps the default).
 */
import fc from 'fast-check';

const seed = Number(process.env.FC_SEED ?? 20261130);
fc.configureGlobal({ seed: Number.isFinite(seed) ? seed : 20261130 });
