import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from '../apps/server/src/main.ts'
import { demoTotpSecret, totpCode } from '../apps/server/src/modules/identity/identity.secrets.ts'
import { loadConfig } from '../apps/server/src/platform/config.ts'
import { localNotifier, type Notification } from '../apps/server/src/platform/notify.ts'
import { createTestDatabase, TEST_MASTER_KEY } from '../apps/server/src/testing/test-server.ts'

/** A running server and how to stop it. */
export interface RunningApp {
  url: string
  /** The current TOTP code of a demo staff account (what `tongban admin totp` prints). */
  totp: (username: string) => string
  /** What the local notifier has sent (SMS and e-mail, with their codes), oldest first. */
  notifications: () => Promise<Notification[]>
  close: () => Promise<void>
}

/** The built web app served by the tests. */
export const WEB_DIST = fileURLToPath(new URL('../apps/web/dist', import.meta.url))

/**
 * The whole platform as a user meets it: the real server (API, OpenID Provider, the built web app) on a
 * fresh database — embedded, or a new PostgreSQL database when DATABASE_URL is set — with the demo data.
 */
export async function startApp(): Promise<RunningApp> {
  const database = await createTestDatabase()
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tongban-e2e-'))
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      MASTER_KEY: TEST_MASTER_KEY,
      DATABASE_SINGLE_ROLE: 'true',
      SEED_DEMO: 'true',
      PORT: String(await freePort()),
    },
    { databaseUrl: database.url },
  )
  const server = await startServer(config, database.url ? {} : { pgliteDir: 'memory://' })
  return {
    url: server.url,
    totp: (username) => totpCode(demoTotpSecret(server.platform.vault, username), new Date()),
    notifications: () => localNotifier(dataDir, server.platform.clock).sent(),
    close: async () => {
      await server.close()
      await database.drop()
      await fs.rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** A port nobody listens on now: the issuer URL must name the real port before the server starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}
