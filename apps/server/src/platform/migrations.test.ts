import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type Kysely, Migrator, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrations } from '../../migrations/index.ts'
import { openTestDb, type TestDb } from '../../test/database.ts'
import { buildApp } from '../main.ts'
import { createTestServer, TEST_MASTER_KEY, type TestServer } from '../testing/test-server.ts'
import { type AuditEntry, AuditLog, auditHash, GENESIS_HASH } from './audit.ts'
import { publicAccess } from './authz.ts'
import { systemClock } from './clock.ts'
import { loadConfig } from './config.ts'
import { migrateToLatest, pendingMigrations } from './db/migrate.ts'
import type { Database } from './db/schema.ts'
import type { Module } from './module.ts'
import { createPlatform } from './platform.ts'

/**
 * A normalized description of everything the migrations create in the public schema: columns, constraints,
 * indexes, triggers, our own functions, comments and extensions. Two databases with equal dumps have the
 * same schema, whatever order the objects were created in.
 */
async function schemaDump(db: Kysely<Database>) {
  const lines = async (query: ReturnType<typeof sql<{ line: string }>>) =>
    (await query.execute(db)).rows.map((r) => r.line).sort()
  return {
    columns: await lines(sql`
      SELECT concat_ws(' | ', table_name, column_name, data_type, udt_name, is_nullable, column_default,
        character_maximum_length, numeric_precision, is_identity, is_generated) AS line
      FROM information_schema.columns WHERE table_schema = 'public'`),
    constraints: await lines(sql`
      SELECT concat_ws(' | ', c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)) AS line
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'`),
    indexes: await lines(sql`
      SELECT concat_ws(' | ', tablename, indexname, indexdef) AS line FROM pg_indexes WHERE schemaname = 'public'`),
    triggers: await lines(sql`
      SELECT concat_ws(' | ', t.tgrelid::regclass::text, t.tgname, pg_get_triggerdef(t.oid)) AS line
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND NOT t.tgisinternal`),
    functions: await lines(sql`
      SELECT concat_ws(' | ', p.proname, pg_get_functiondef(p.oid)) AS line
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND p.prokind = 'f'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`),
    comments: await lines(sql`
      SELECT concat_ws(' | ', c.relname, a.attname, d.description) AS line
      FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
      WHERE n.nspname = 'public'`),
    sequences: await lines(sql`
      SELECT concat_ws(' | ', sequence_name, data_type) AS line
      FROM information_schema.sequences WHERE sequence_schema = 'public'`),
    extensions: await lines(sql`SELECT extname AS line FROM pg_extension`),
  }
}

const migrationNames = Object.keys(migrations)

function oldEntry(n: number): AuditEntry {
  return {
    actorId: `staff-${n}`,
    actorKind: 'staff',
    action: 'case.accept',
    resourceType: 'case',
    resourceId: `case-${n}`,
    regionCode: '330106',
    ip: '10.0.0.1',
    requestId: null,
    outcome: 'success',
    details: { n },
  }
}

/** Appends entries as releases before the sealer did: chained at insert, under the head's lock. */
async function chainTheOldWay(db: Kysely<Database>, count: number): Promise<void> {
  let prev = GENESIS_HASH
  for (let seq = 1; seq <= count; seq += 1) {
    const record = { ...oldEntry(seq), details: oldEntry(seq).details ?? {}, seq, occurredAt: new Date() }
    const hash = auditHash(prev, record)
    await sql`INSERT INTO audit_log (seq, occurred_at, actor_id, actor_kind, action, resource_type, resource_id,
        region_code, ip, request_id, outcome, details, prev_hash, hash)
      VALUES (${seq}, ${record.occurredAt}, ${record.actorId}, ${record.actorKind}, ${record.action},
        ${record.resourceType}, ${record.resourceId}, ${record.regionCode}, ${record.ip}, ${record.requestId},
        ${record.outcome}, ${JSON.stringify(record.details)}::jsonb, ${prev}, ${hash})`.execute(db)
    await sql`UPDATE audit_chain_head SET seq = ${seq}, hash = ${hash}`.execute(db)
    prev = hash
  }
}

describe('migrations', () => {
  let fresh: TestDb
  let upgraded: TestDb
  beforeAll(async () => {
    ;[fresh, upgraded] = await Promise.all([openTestDb({ migrate: false }), openTestDb({ migrate: false })])
  }, 180_000)
  afterAll(async () => {
    await fresh?.drop()
    await upgraded?.drop()
  })

  it('are named in time order', () => {
    expect(migrationNames.length).toBeGreaterThan(0)
    expect([...migrationNames].sort()).toEqual(migrationNames)
    for (const name of migrationNames) expect(name).toMatch(/^\d{8}T\d{4}_[a-z0-9-]+$/)
  })

  it('end in the same schema whether applied in one go or one release at a time', async () => {
    expect(await pendingMigrations(fresh.handle.db)).toEqual(migrationNames)
    expect(await migrateToLatest(fresh.handle.db)).toEqual(migrationNames)

    const stepwise = new Migrator({
      db: upgraded.handle.db,
      provider: { getMigrations: async () => migrations },
      migrationTableName: 'schema_migrations',
      migrationLockTableName: 'schema_migrations_lock',
    })
    for (const name of migrationNames) {
      if (name === '20261124T0000_seal-audit-entries') await chainTheOldWay(upgraded.handle.db, 3)
      const result = await stepwise.migrateTo(name)
      expect(result.error).toBeUndefined()
      expect(result.results?.map((r) => [r.migrationName, r.status])).toEqual([[name, 'Success']])
      expect(await pendingMigrations(upgraded.handle.db)).toEqual(
        migrationNames.slice(migrationNames.indexOf(name) + 1),
      )
    }

    const [one, steps] = await Promise.all([schemaDump(fresh.handle.db), schemaDump(upgraded.handle.db)])
    expect(one.columns.length).toBeGreaterThan(0)
    expect(one.triggers.some((t) => t.includes('audit_log_append_only'))).toBe(true)
    expect(steps).toEqual(one)

    // entries chained before the sealer existed stay valid, and new ones continue their chain
    const audit = new AuditLog(upgraded.handle.db, systemClock)
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 3, unsealed: { count: 0 } })
    await audit.record({ ...oldEntry(4), action: 'after-upgrade' })
    expect(await audit.seal()).toBe(1)
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 4 })
    const [latest] = await audit.list({ limit: 1 })
    expect(latest).toMatchObject({ seq: 4, action: 'after-upgrade' })

    expect(await pendingMigrations(fresh.handle.db)).toEqual([])
    expect(await pendingMigrations(upgraded.handle.db)).toEqual([])
    // running them again is a no-op
    expect(await migrateToLatest(fresh.handle.db)).toEqual([])
  })
})

describe('/readyz', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await createTestServer()
  }, 180_000)
  afterAll(() => server?.close())

  it('is ready on a migrated database', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/readyz' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ status: 'ready', eventBacklog: 0 })
  })

  it('answers 503 problem+json while a migration is pending', async () => {
    const last = migrationNames.at(-1) as string
    const { db } = server.platform
    const row = await sql<{ name: string; timestamp: string }>`
      DELETE FROM schema_migrations WHERE name = ${last} RETURNING name, timestamp`.execute(db)
    expect(row.rows).toHaveLength(1)
    try {
      const response = await server.app.inject({
        method: 'GET',
        url: '/readyz',
        headers: { 'accept-language': 'en' },
      })
      expect(response.statusCode).toBe(503)
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(response.json()).toMatchObject({
        status: 503,
        code: 'unavailable',
        detail: '1 database migrations are pending',
      })
    } finally {
      await sql`INSERT INTO schema_migrations (name, timestamp) VALUES (${last}, ${row.rows[0]?.timestamp})`.execute(
        db,
      )
    }
    expect((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200)
  })

  it('answers 503 problem+json once the database is closed', async () => {
    await server.platform.database.close()
    const response = await server.app.inject({ method: 'GET', url: '/readyz' })
    expect(response.statusCode).toBe(503)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(response.json()).toMatchObject({ code: 'unavailable', detail: '数据库不可达' })
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
  })
})

describe('a server whose PostgreSQL is unreachable', () => {
  /** A route that needs the database, to show that any request, not only /readyz, gets a 503. */
  const probe: Module = {
    name: 'probe',
    tables: [],
    register(app, platform) {
      app.get('/api/v1/test/count', { config: { policy: publicAccess } }, async () => {
        const row = await platform.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
        return { n: row.n }
      })
    },
  }

  const missingDatabase = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : undefined
  if (missingDatabase) missingDatabase.pathname = '/tongban_no_such_database'
  for (const [what, databaseUrl] of [
    ['nothing listens on the port', 'postgres://postgres@127.0.0.1:1/tongban'],
    ['the host name does not resolve', 'postgres://postgres@db.tongban.invalid:5432/tongban'],
    ...(missingDatabase ? [['the database does not exist', missingDatabase.toString()] as const] : []),
  ] as const) {
    it(`answers 503 problem+json, never 500, when ${what}`, async () => {
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tongban-unreachable-'))
      const config = loadConfig(
        { DATA_DIR: dataDir, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', MASTER_KEY: TEST_MASTER_KEY },
        { databaseUrl },
      )
      const platform = await createPlatform(config)
      const app = await buildApp(platform, [probe])
      try {
        for (const url of ['/readyz', '/api/v1/test/count']) {
          const response = await app.inject({ method: 'GET', url })
          expect(response.statusCode, url).toBe(503)
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
          expect(response.json()).toMatchObject({ status: 503, code: 'unavailable' })
        }
        expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
      } finally {
        await app.close()
        await platform.database.close()
        await fs.rm(dataDir, { recursive: true, force: true })
      }
    })
  }
})
