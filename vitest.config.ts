import { defineConfig } from 'vitest/config'

/** One test runner for every workspace; browser journeys live in e2e/ and run through their own project. */
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/server/**/*.test.ts',
      'apps/web/src/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // the tests connect to PostgreSQL as the superuser that creates their databases
    env: { TZ: 'UTC', DATABASE_SINGLE_ROLE: 'true' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['apps/server/src/testing/global-setup.ts'],
  },
})
