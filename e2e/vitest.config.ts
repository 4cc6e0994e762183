import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/** Browser tests: real chromium against the built web app. Run: npx vitest run --config e2e/vitest.config.ts */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    // the tests connect to PostgreSQL as the superuser that creates their databases
    env: { TZ: 'UTC', DATABASE_SINGLE_ROLE: 'true' },
    testTimeout: 60_000,
    // Starting the server seeds the whole demo (regions, accounts, catalog): minutes on a busy machine.
    hookTimeout: 600_000,
    fileParallelism: false,
    pool: 'forks',
  },
})
