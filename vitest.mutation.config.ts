import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant of the pure core (stryker.config.json): only
 * the fast unit tests of those modules, none that spawn the CLI, bind ports or touch HOME,
 * so a mutant costs milliseconds, not the 3 minutes of the whole suite.
 */
export const PURE_TESTS = [
  'test/argv.test.ts',
  'test/config/command-secrets.test.ts',
  'test/config/edit-property.test.ts',
  'test/config/edit-structure.test.ts',
  'test/config/edit-render.test.ts',
  'test/config/edit.test.ts',
  'test/config/edits.test.ts',
  'test/config/mask-broken-members.test.ts',
  'test/config/mask-property.test.ts',
  'test/config/mask-rules.test.ts',
  'test/config/parse.test.ts',
  'test/config/proto-keys.test.ts',
  'test/config/schema.test.ts',
  'test/config/syntax.test.ts',
  'test/config/token-secrets.test.ts',
  'test/config/tolerant.test.ts',
  'test/config/url-secrets.test.ts',
  'test/config/validation.test.ts',
  'test/doctor/diff.test.ts',
  'test/doctor/findings.test.ts',
  'test/gateway/browser-profiles.test.ts',
  'test/gateway/canvas-path.test.ts',
  'test/gateway/live.test.ts',
  'test/gateway/plan.test.ts',
  'test/ports/footprint.test.ts',
  'test/ports/propose.test.ts',
  'test/ports/strip.test.ts',
  'test/profile/identity.test.ts',
  'test/profile/paths.test.ts',
  'test/profile/plan.test.ts',
  'test/service/launchd-details.test.ts',
  'test/service/render-details.test.ts',
  'test/service/render.test.ts',
  'test/watch/events.test.ts',
  'test/watch/state.test.ts',
  'test/wizard/hints.test.ts',
  'test/wizard/keymap.test.ts',
  'test/wizard/keys.test.ts',
  'test/wizard/questions.test.ts',
  'test/wizard/state.test.ts',
  'test/wizard/summary.test.ts',
];

export default defineConfig({
  test: {
    include: PURE_TESTS,
    pool: 'forks',
    // The same fast-check seed as the suite: a property test kills or spares a mutant the same way on every run.
    setupFiles: ['test/setup-fast-check.ts'],
    // Instrumented code on a shared 2-core machine at nice 19: a property test may take a minute.
    testTimeout: 180_000,
    // A pure test has no business with HOME: point it nowhere rather than at the real one.
    // FC_END_ON_FAILURE: a property stops at its first failing input, unshrunk; FC_MAX_RUNS: a
    // property tries at most 20 inputs, so the score is a lower bound (test/setup-fast-check.ts).
    env: { FC_END_ON_FAILURE: '1', FC_MAX_RUNS: '20', HOME: '/nonexistent/epiloop-mutation-home', EPILOOP_PROFILE: '', EPILOOP_STATE_DIR: '', EPILOOP_CONFIG_PATH: '', EPILOOP_GATEWAY_PORT: '' },
  },
});
