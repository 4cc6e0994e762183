import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { EmptyListPlugin } from './empty-lists.ts'
import type { Database } from './schema.ts'

/** The application's database handle: Kysely over a node-postgres pool, whichever engine is behind it. */
export interface Db {
  db: Kysely<Database>
  engine: 'pglite' | 'postgres'
  /** The embedded engine itself, when it is the one in use (for dumps and tests). */
  pglite?: PGlite
  /** Closes the pool (and the embedded engine); idempotent. */
  close(): Promise<void>
}

export interface DatabaseOptions {
  /** PostgreSQL URL; when absent the embedded PGlite engine is used. */
  url?: string | undefined
  /** PGlite data directory, or `memory://` for an in-memory database. */
  pgliteDir: string
  poolSize: number
  /** A PGlite data directory dump to start from (tests start from a migrated template this way). */
  pgliteTemplate?: Blob | undefined
}

// int8 and numeric come back as strings by default; counts and sums here stay well inside 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value))
// `date` columns are calendar dates in Asia/Shanghai: keep them as 'YYYY-MM-DD' strings, never Date.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value)

/**
 * A statement whose text starts with this comment is prepared once per connection (a named statement): for
 * the few hottest statements, whose planning costs more than running them. PostgreSQL parses it once and,
 * after five executions, keeps a generic plan when that costs no more than planning each time
 * (plan_cache_mode is left alone: it would apply to every statement of the pool). Each distinct text stays
 * prepared on each connection while the connection lives (a migration changing a table it reads needs the
 * connections renewed, i.e. a restart, as any deployment does anyway).
 */
export const PREPARED = '/* prepared */'

const statementNames = new Map<string, string>()

/** A stable name for a prepared statement's text. */
function statementName(text: string): string {
  let name = statementNames.get(text)
  if (!name) {
    name = `tb_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`
    if (statementNames.size >= 1_000) statementNames.clear()
    statementNames.set(text, name)
  }
  return name
}

/** Makes every client of the pool run texts starting with PREPARED as named (prepared) statements. */
function prepareMarkedStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const prototype = Object.getPrototypeOf(client) as { query: (...args: unknown[]) => unknown }
    client.query = ((config: unknown, values?: unknown, callback?: unknown) =>
      typeof config === 'string' && config.startsWith(PREPARED)
        ? prototype.query.call(client, { name: statementName(config), text: config, values }, callback)
        : prototype.query.call(client, config, values, callback)) as typeof client.query
  })
}

/**
 * Opens the database: real PostgreSQL when a URL is given, otherwise embedded PGlite, which exposes a
 * node-postgres compatible connection so that both take the same code path through Kysely.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Db> {
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize,
      application_name: 'tongban',
      // a request never waits forever for a connection; the caller answers 503
      connectionTimeoutMillis: 5_000,
    })
    pool.on('error', () => {
      // an idle client lost its connection; the pool replaces it on the next checkout
    })
    prepareMarkedStatements(pool)
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      plugins: [new EmptyListPlugin()],
    })
    return { db, engine: 'postgres', close: once(() => db.destroy()) }
  }

  if (!options.pgliteDir.startsWith('memory://')) await fs.mkdir(options.pgliteDir, { recursive: true })
  const pglite = await PGlite.create(options.pgliteDir, {
    extensions: { pg_trgm },
    ...(options.pgliteTemplate ? { loadDataDir: options.pgliteTemplate } : {}),
  })
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 })
  prepareMarkedStatements(pool)
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new EmptyListPlugin()],
  })
  return {
    db,
    engine: 'pglite',
    pglite,
    close: once(async () => {
      await db.destroy()
      await pglite.close()
    }),
  }
}

/** Where the embedded database lives inside DATA_DIR. */
export function pgliteDirOf(dataDir: string): string {
  return path.join(dataDir, 'pglite')
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined
  return () => {
    done ??= fn()
    return done
  }
}
