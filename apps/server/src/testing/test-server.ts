import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { type RunningServer, startServer } from '../main.ts'
import { type Actor, anonymous } from '../platform/authz.ts'
import type { Clock } from '../platform/clock.ts'
import { type Config, loadConfig } from '../platform/config.ts'
import type { Module } from '../platform/module.ts'

/** A fixed master key for tests, so encrypted values are reproducible within a run. */
export const TEST_MASTER_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff'

/**
 * A fresh, empty database for one test file: a new PostgreSQL database when DATABASE_URL is set (so
 * tests never see each other's rows), otherwise an in-memory PGlite instance.
 */
export async function createTestDatabase(): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) return { url: undefined, drop: async () => {} }
  const name = `tongban_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await client.end()
    },
  }
}

export interface TestServerOptions {
  clock?: Clock
  modules?: Module[]
  config?: Partial<Config>
  /** Run the event relay and other workers (off by default: tests drive them explicitly). */
  workers?: boolean
}

export interface TestServer extends RunningServer {
  dataDir: string
  databaseUrl: string | undefined
}

/** Starts the whole server on a fresh database and data directory, without listening on a port. */
export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = await createTestDatabase()
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tongban-test-'))
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '0',
      MASTER_KEY: TEST_MASTER_KEY,
      DATABASE_SINGLE_ROLE: 'true',
      ROLE: options.workers ? 'all' : 'api',
    },
    { databaseUrl: database.url, ...options.config },
  )
  const template = process.env.TONGBAN_PGLITE_TEMPLATE
  const server = await startServer(config, {
    listen: false,
    ...(database.url ? {} : { pgliteDir: 'memory://' }),
    ...(!database.url && template ? { pgliteTemplate: new Blob([await fs.readFile(template)]) } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.modules ? { modules: options.modules } : {}),
  })
  return {
    ...server,
    dataDir,
    databaseUrl: database.url,
    close: async () => {
      await server.close()
      await database.drop()
      await fs.rm(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * Lets tests call routes as given actors without the identity module: `Authorization: Bearer <name>`
 * resolves to `actors[name]`. Integration tests of identity itself use real tokens instead.
 */
export function useTestActors(
  server: RunningServer,
  actors: Record<string, Actor>,
): (name: string) => Record<string, string> {
  server.platform.authenticator = async (request) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
    return (token && actors[token]) || anonymous
  }
  return (name) => ({ authorization: `Bearer ${name}` })
}
