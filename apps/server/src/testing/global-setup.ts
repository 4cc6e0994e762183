import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/**
 * Runs once before the server tests when they use the embedded database: starts a server on an in-memory
 * PGlite, lets migrations and every module's start-up work (region table sync …) run, and dumps the data
 * directory. Each test file then starts from that template instead of running initdb and migrations again.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.DATABASE_URL) return undefined
  const { startServer } = await import('../main.ts')
  const { loadConfig } = await import('../platform/config.ts')
  // the same key as the test servers, so keys generated at start-up (SSO, licenses) stay usable
  const { TEST_MASTER_KEY } = await import('./test-server.ts')
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tongban-template-'))
  const server = await startServer(
    loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ROLE: 'api', MASTER_KEY: TEST_MASTER_KEY }),
    {
      listen: false,
      pgliteDir: 'memory://',
    },
  )
  const pglite = server.platform.database.pglite
  if (!pglite) throw new Error('expected the embedded database')
  const dump = await pglite.dumpDataDir('none')
  const file = path.join(dataDir, 'template.tar')
  await fs.writeFile(file, Buffer.from(await dump.arrayBuffer()))
  await server.close()
  process.env.TONGBAN_PGLITE_TEMPLATE = file
  return async () => {
    await fs.rm(dataDir, { recursive: true, force: true })
  }
}
