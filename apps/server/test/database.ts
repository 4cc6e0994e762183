import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type Db, openDatabase, pgliteDirOf } from '../src/platform/db/database.ts'
import { migrateToLatest } from '../src/platform/db/migrate.ts'
import { createTestDatabase } from '../src/testing/test-server.ts'

/**
 * A fresh database for one test, without the HTTP server: a new PostgreSQL database when DATABASE_URL is
 * set, otherwise PGlite, in memory or (with `file: true`) in a DATA_DIR another process can open.
 */
export interface TestDb {
  /** The open handle; `reopen()` replaces it. */
  handle: Db
  /** The database's URL on PostgreSQL; undefined on PGlite. */
  url: string | undefined
  /** A DATA_DIR whose `pglite/` holds the database when file-backed. */
  dataDir: string
  /** Environment that points the CLI or a child process at this database. */
  env: Record<string, string>
  /** Closes the handle, e.g. to let another process open a file-backed PGlite database. */
  close(): Promise<void>
  /** Opens the database again after `close()`. */
  reopen(): Promise<Db>
  /** Closes and removes everything. */
  drop(): Promise<void>
}

export async function openTestDb(options: { file?: boolean; migrate?: boolean } = {}): Promise<TestDb> {
  const database = await createTestDatabase()
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tongban-db-'))
  const pgliteDir = options.file ? pgliteDirOf(dataDir) : 'memory://'
  const open = () => openDatabase({ url: database.url, pgliteDir, poolSize: 10 })
  const result: TestDb = {
    handle: await open(),
    url: database.url,
    dataDir,
    env: { DATA_DIR: dataDir, DATABASE_URL: database.url ?? '' },
    close: () => result.handle.close(),
    reopen: async () => {
      await result.handle.close()
      result.handle = await open()
      return result.handle
    },
    drop: async () => {
      await result.handle.close()
      await database.drop()
      await fs.rm(dataDir, { recursive: true, force: true })
    },
  }
  if (options.migrate !== false) await migrateToLatest(result.handle.db)
  return result
}
