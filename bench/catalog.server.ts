/**
 * The catalog bench's server: the org and catalog modules (license types as the migrations seed them), on
 * the database and port the bench gives it. Started by bench/catalog.ts; prints `listening <url>`.
 */
import { startServer } from '../apps/server/src/main.ts'
import { testCatalogModule } from '../apps/server/src/modules/catalog/catalog.testing.ts'
import { orgModule } from '../apps/server/src/modules/org/index.ts'
import { loadConfig } from '../apps/server/src/platform/config.ts'

const server = await startServer(loadConfig({ ...process.env, PORT: '0', ROLE: 'api' }), {
  modules: [orgModule, testCatalogModule()],
})
console.log(`listening ${server.url}`)
process.once('SIGTERM', () => server.close().then(() => process.exit(0)))
