/**
 * A property test's numRuns. FC_MAX_RUNS (set by vitest.mutation.config.ts only) caps it: a
 * mutant is tried against fewer inputs, so a mutation run costs less and can only kill fewer
 * mutants, never more (the score it reports is a lower bound). The suite runs every property
 * at its full count.
 */
export function runs(n: number): number {
  const cap = Number(process.env.FC_MAX_RUNS);
  return Number.isInteger(cap) && cap > 0 ? Math.min(n, cap) : n;
}
