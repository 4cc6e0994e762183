// Baseline server: a plain Fastify route, a single-row primary-key SELECT and a single-row INSERT through the
// same kind of pool
// Tongban uses (openDatabase: PGlite by default, PostgreSQL when DATABASE_URL is set).
import Fastify from 'fastify'
import { sql } from 'kysely'
import { openDatabase, pgliteDirOf } from '../../apps/server/src/platform/db/database.ts'

const database = await openDatabase({
  url: process.env.DATABASE_URL || undefined,
  pgliteDir: pgliteDirOf(process.env.DATA_DIR ?? './data-bench'),
  poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 20),
})
await sql`CREATE TABLE IF NOT EXISTS bench_rows (id integer PRIMARY KEY, payload text NOT NULL)`.execute(
  database.db,
)
await sql`CREATE TABLE IF NOT EXISTS bench_writes (id bigserial PRIMARY KEY, at timestamptz NOT NULL, payload jsonb NOT NULL)`.execute(
  database.db,
)
await sql`INSERT INTO bench_rows SELECT g, md5(g::text) FROM generate_series(1, 10000) g ON CONFLICT DO NOTHING`.execute(
  database.db,
)

const app = Fastify()
app.get('/plain', async () => ({ ok: true }))
app.get<{ Params: { id: string } }>('/select/:id', async (request) => {
  const { rows } = await sql<{
    id: number
    payload: string
  }>`SELECT id, payload FROM bench_rows WHERE id = ${Number(request.params.id)}`.execute(database.db)
  return rows[0]
})
// a durable single-row INSERT (autocommit): the floor under any audited or otherwise recorded write
app.post<{ Body: { title: string } }>('/insert', async (request) => {
  await sql`INSERT INTO bench_writes (at, payload) VALUES (now(), ${JSON.stringify(request.body)}::jsonb)`.execute(
    database.db,
  )
  return { ok: true }
})
app.addHook('onClose', () => database.close())
await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
console.log(`listening http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`)
process.once('SIGTERM', () => app.close().then(() => process.exit(0)))
