import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type Kysely, sql } from 'kysely'
import pino from 'pino'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openTestDb, type TestDb } from '../../test/database.ts'
import { TEST_MASTER_KEY } from '../testing/test-server.ts'
import { type AuditEntry, AuditLog, GENESIS_HASH } from './audit.ts'
import { AuditCheckpoints, checkpointKey } from './audit-checkpoints.ts'
import { FixedClock } from './clock.ts'
import { PersonalDataVault } from './crypto.ts'
import type { Database } from './db/schema.ts'
import { EventBus } from './events.ts'
import { DirectoryBlobStore } from './storage.ts'

// Tampering by someone who owns the database (PGlite's single role, or a PostgreSQL superuser): they can
// disable the triggers and rewrite the chain so that it verifies, but not the signed checkpoints.

let testDb: TestDb
let dir: string
const db = () => testDb.handle.db
const clock = new FixedClock(new Date('2026-12-07T02:00:00Z'))
const vault = new PersonalDataVault(Buffer.from(TEST_MASTER_KEY, 'hex'))

function entry(n: number, action = 'case.accept'): AuditEntry {
  return {
    actorId: `staff-${n}`,
    actorKind: 'staff',
    action,
    resourceType: 'case',
    resourceId: `case-${n}`,
    regionCode: '330106',
    ip: '10.0.0.1',
    requestId: `req-${n}`,
    outcome: 'success',
    details: { n },
  }
}

/** Runs statements as the owner with every audit trigger off, as an intruder with owner rights would. */
async function asIntruder(run: (db: Kysely<Database>) => Promise<unknown>): Promise<void> {
  const tables = ['audit_log', 'audit_log_archive', 'audit_chain_head']
  for (const t of tables) await sql.raw(`ALTER TABLE ${t} DISABLE TRIGGER USER`).execute(db())
  try {
    await run(db())
  } finally {
    for (const t of tables) await sql.raw(`ALTER TABLE ${t} ENABLE TRIGGER USER`).execute(db())
  }
}

let audit: AuditLog
let checkpoints: () => AuditCheckpoints
beforeAll(async () => {
  testDb = await openTestDb()
  audit = new AuditLog(db(), clock)
}, 180_000)
afterAll(() => testDb?.drop())
beforeEach(async () => {
  await asIntruder(async (d) => {
    await sql`TRUNCATE audit_log, audit_log_archive`.execute(d)
    await sql`UPDATE audit_chain_head SET seq = 0, hash = ${GENESIS_HASH}`.execute(d)
  })
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tongban-checkpoints-'))
  const store = new DirectoryBlobStore(dir)
  const events = new EventBus(db(), pino({ level: 'silent' }))
  checkpoints = () =>
    new AuditCheckpoints(db(), store, vault, events, clock, { everyEntries: 10, everySeconds: 60 })
})

async function sealEntries(from: number, to: number, action?: (n: number) => string): Promise<void> {
  for (let n = from; n <= to; n += 1) await audit.record(entry(n, action?.(n)))
  await audit.sealAll()
}

describe('audit checkpoints', () => {
  it('are written every N entries and every so many seconds, signed, and announced', async () => {
    const writer = checkpoints()
    await sealEntries(1, 4)
    // the first checkpoint comes at once: there was none
    expect((await writer.writeIfDue())?.seq).toBe(4)
    await sealEntries(5, 9)
    expect(await writer.writeIfDue()).toBeUndefined() // 5 entries, 0 seconds: not due
    await sealEntries(10, 14)
    const byCount = await writer.writeIfDue()
    expect(byCount).toMatchObject({ seq: 14, from: 5 })
    expect(byCount?.hashes).toHaveLength(10)
    await sealEntries(15, 15)
    clock.advance(61_000)
    expect((await writer.writeIfDue())?.seq).toBe(15)
    expect(await fs.readdir(path.join(dir, 'audit', 'checkpoints'))).toEqual([
      '000000000004.json',
      '000000000014.json',
      '000000000015.json',
    ])
    const announced = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'audit.checkpoint')
      .orderBy('id')
      .execute()
    expect(announced.map((e) => (e.payload as { seq: number }).seq).slice(-3)).toEqual([4, 14, 15])
    // a new process picks up where the store says, not from zero
    expect(await checkpoints().writeIfDue()).toBeUndefined()
    expect(await writer.verify()).toEqual({ ok: true, checkpoints: 3, coveredUpTo: 15 })
  })

  it('report a cut-off tail, with the first entry missing, though the chain itself verifies', async () => {
    await sealEntries(1, 12)
    await checkpoints().writeIfDue()
    await asIntruder(async (d) => {
      await sql`DELETE FROM audit_log WHERE seq > 9`.execute(d)
      const { rows } = await sql<{ hash: string }>`SELECT hash FROM audit_log WHERE seq = 9`.execute(d)
      await sql`UPDATE audit_chain_head SET seq = 9, hash = ${rows[0]!.hash}`.execute(d)
    })
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 9 })
    expect(await checkpoints().verify()).toMatchObject({
      ok: false,
      firstAffected: { seq: 10, reason: 'truncated', checkpoint: checkpointKey(12) },
    })
  })

  it('report a re-chained log: an entry erased and the rest sealed again', async () => {
    await sealEntries(1, 8, (n) => (n === 5 ? 'role.grant' : 'case.accept'))
    await checkpoints().writeIfDue()
    // erase the role.grant entry, put the later ones back unsealed and let the sealer chain them anew
    await asIntruder(async (d) => {
      const later = await sql<
        Record<string, unknown>
      >`SELECT * FROM audit_log WHERE seq > 5 ORDER BY seq`.execute(d)
      await sql`DELETE FROM audit_log WHERE seq >= 5`.execute(d)
      const { rows } = await sql<{ hash: string }>`SELECT hash FROM audit_log WHERE seq = 4`.execute(d)
      await sql`UPDATE audit_chain_head SET seq = 4, hash = ${rows[0]!.hash}`.execute(d)
      for (const row of later.rows)
        await sql`INSERT INTO audit_log (occurred_at, actor_id, actor_kind, action, resource_type, resource_id,
            region_code, ip, request_id, outcome, details)
          VALUES (${row.occurred_at}, ${row.actor_id}, ${row.actor_kind}, ${row.action}, ${row.resource_type},
            ${row.resource_id}, ${row.region_code}, ${row.ip}, ${row.request_id}, ${row.outcome},
            ${JSON.stringify(row.details)}::jsonb)`.execute(d)
    })
    await audit.sealAll()
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 7 })
    expect(await checkpoints().verify()).toMatchObject({
      ok: false,
      firstAffected: { seq: 5, reason: 'rechained' },
    })
  })

  it('refuse a checkpoint that was edited or signed with another key', async () => {
    await sealEntries(1, 3)
    const written = await checkpoints().writeIfDue()
    const file = path.join(dir, checkpointKey(3))
    await fs.writeFile(file, JSON.stringify({ ...written, hash: 'f'.repeat(64) }))
    expect((await checkpoints().verify()).firstAffected).toMatchObject({ seq: 1, reason: 'bad-signature' })
    await fs.writeFile(file, '{ not json')
    expect((await checkpoints().verify()).firstAffected).toMatchObject({ reason: 'unreadable' })
  })
})
