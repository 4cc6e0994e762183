import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, startServer } from '../../main.ts'
import { createTestDatabase, TEST_MASTER_KEY } from '../../testing/test-server.ts'
import { loadConfig, StartupRefused } from '../config.ts'
import { applicationGrants } from './roles.ts'

// The tamper test of GB/T 22239's "nothing changes unseen": the server runs as an application role that
// the owner granted what roles.ts lists; connected as that role, every way to rewrite the audit trail fails.
// PostgreSQL only: PGlite has one role, which owns everything (see docs/operations.md).

const adminUrl = process.env.DATABASE_URL
const role = `tongban_app_${randomBytes(4).toString('hex')}`
let database: { url: string | undefined; drop(): Promise<void> }
let ownerUrl: string
let appUrl: string
let server: RunningServer
let dataDir: string
let app: pg.Client

const config = (env: Record<string, string>) =>
  loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', MASTER_KEY: TEST_MASTER_KEY, ROLE: 'api', ...env })

describe.skipIf(!adminUrl)('the audit trail against the application role (PostgreSQL)', () => {
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(`CREATE ROLE ${role} LOGIN`)
    await admin.end()
    database = await createTestDatabase()
    ownerUrl = database.url!
    const url = new URL(ownerUrl)
    url.username = role
    appUrl = url.toString()
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tongban-roles-'))
    server = await startServer(config({ DATABASE_URL: appUrl, DATABASE_OWNER_URL: ownerUrl }), {
      listen: false,
    })
    app = new pg.Client({ connectionString: appUrl })
    await app.connect()
  }, 300_000)
  afterAll(async () => {
    await app?.end()
    await server?.close()
    await database?.drop()
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(`DROP ROLE IF EXISTS ${role}`)
    await admin.end()
    await fs.rm(dataDir, { recursive: true, force: true })
  })

  it('runs as the application role, and appends, seals and archives through the owner’s functions', async () => {
    const { rows } = await sql<{ role: string }>`SELECT current_user AS role`.execute(server.platform.db)
    expect(rows[0]?.role).toBe(role)
    for (const n of [1, 2, 3])
      await server.platform.audit.record({
        actorId: 'secadmin',
        actorKind: 'staff',
        action: 'role.grant',
        resourceType: 'account',
        resourceId: `staff-${n}`,
        regionCode: '330000',
        ip: '10.0.0.1',
        requestId: `req-${n}`,
        outcome: 'success',
      })
    expect(await server.platform.audit.sealAll(true)).toBeGreaterThanOrEqual(3)
    expect(await server.platform.audit.archive(180)).toBe(0)
    expect(await server.platform.audit.verify()).toMatchObject({ ok: true })
  })

  it('refuses every rewrite of entries, links, archive and head to that role, settings or not', async () => {
    const refused = async (statement: string) => {
      await expect(app.query(statement), statement).rejects.toThrow(
        /permission denied|must be owner|append-only|only moves forward|audit_seal/,
      )
    }
    await app.query(`SET tongban.audit_archiving = 'on'`)
    await app.query(`SET tongban.audit_sealing = 'on'`)
    await refused('DELETE FROM audit_log')
    await refused(`UPDATE audit_log SET outcome = 'denied'`)
    await refused('TRUNCATE audit_log')
    await refused('UPDATE audit_chain_head SET seq = 1')
    await refused('DELETE FROM audit_chain_head')
    await refused(`INSERT INTO audit_log_archive (id, seq, occurred_at, actor_kind, action, outcome, prev_hash, hash)
      VALUES (999, 999, now(), 'system', 'forged', 'success', 'x', 'y')`)
    await refused(`INSERT INTO audit_log (seq, prev_hash, hash, occurred_at, actor_kind, action, outcome)
      VALUES (99, 'x', 'y', now(), 'system', 'forged', 'success')`)
    await refused('ALTER TABLE audit_log DISABLE TRIGGER USER')
    await refused(
      `SELECT audit_seal(ARRAY[1]::bigint[], ARRAY[1]::bigint[], ARRAY['0']::text[], ARRAY['f']::text[])`,
    )
    // archiving keeps 180 days whatever the cutoff asked for
    const moved = await app.query(`SELECT audit_archive(now() + interval '1 year') AS moved`)
    expect(moved.rows[0].moved).toBe(0)
    expect(await server.platform.audit.verify()).toMatchObject({ ok: true, checked: 3 })
  })

  it('will not start as a role that could rewrite the trail, unless told it is a development setup', async () => {
    await expect(startServer(config({ DATABASE_URL: ownerUrl }), { listen: false })).rejects.toThrow(
      StartupRefused,
    )
    await expect(startServer(config({ DATABASE_URL: ownerUrl }), { listen: false })).rejects.toThrow(
      /superuser/,
    )
    const dev = await startServer(config({ DATABASE_URL: ownerUrl, DATABASE_SINGLE_ROLE: 'true' }), {
      listen: false,
    })
    await dev.close()
  })

  it('documents its grants as SQL an operator can run', () => {
    expect(applicationGrants('tongban_app')).toContain(
      'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_log, audit_log_archive, audit_chain_head FROM "tongban_app"',
    )
  })
})
