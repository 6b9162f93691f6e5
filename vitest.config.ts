import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    // fast-check's seed for every property test (FC_SEED to try another).
    setupFiles: ['test/setup-fast-check.ts'],
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', ['json', { outputFile: '.vitest/report.json' }]],
    // Tests set HOME to temp dirs; never let a stray EPILOOP_* from the shell leak in.
    env: { EPILOOP_PROFILE: '', EPILOOP_STATE_DIR: '', EPILOOP_CONFIG_PATH: '', EPILOOP_GATEWAY_PORT: '' },
  },
});
