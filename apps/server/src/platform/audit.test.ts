import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../test/cli.ts'
import { openTestDb, type TestDb } from '../../test/database.ts'
import { type AuditEntry, AuditLog, auditHash, GENESIS_HASH } from './audit.ts'
import { FixedClock, systemClock } from './clock.ts'

const DAY = 86_400_000

function entry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    actorId: `staff-${n}`,
    actorKind: 'staff',
    action: 'case.accept',
    resourceType: 'case',
    resourceId: `case-${n}`,
    regionCode: '110101',
    ip: '10.0.0.1',
    requestId: `req-${n}`,
    outcome: 'success',
    details: { n, note: '受理' },
    ...overrides,
  }
}

let testDb: TestDb
const db = () => testDb.handle.db

/** Empties the chain as the owner, around any trigger (a TRUNCATE guard may come), so each test starts at seq 1. */
async function resetChain(): Promise<void> {
  await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(db())
  await sql`ALTER TABLE audit_log_archive DISABLE TRIGGER USER`.execute(db())
  try {
    await sql`TRUNCATE audit_log, audit_log_archive`.execute(db())
  } finally {
    await sql`ALTER TABLE audit_log ENABLE TRIGGER USER`.execute(db())
    await sql`ALTER TABLE audit_log_archive ENABLE TRIGGER USER`.execute(db())
  }
  await sql`ALTER TABLE audit_chain_head DISABLE TRIGGER USER`.execute(db())
  try {
    await sql`UPDATE audit_chain_head SET seq = 0, hash = ${GENESIS_HASH}`.execute(db())
  } finally {
    await sql`ALTER TABLE audit_chain_head ENABLE TRIGGER USER`.execute(db())
  }
}

/** Changes a row the way an intruder with owner rights would: around the append-only trigger. */
async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
  await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(db())
  try {
    await statement.execute(db())
  } finally {
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(db())
  }
}

async function rows(table: 'audit_log' | 'audit_log_archive' = 'audit_log') {
  return db().selectFrom(table).select(['seq', 'prev_hash', 'hash']).orderBy('id').execute()
}

beforeAll(async () => {
  testDb = await openTestDb()
}, 180_000)
afterAll(() => testDb?.drop())
beforeEach(resetChain)

describe('audit log', () => {
  it('writes nothing when the transaction it was appended in rolls back', async () => {
    const audit = new AuditLog(db(), systemClock)
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await audit.append(trx, entry(1))
          throw new Error('the change failed')
        }),
    ).rejects.toThrow('the change failed')
    expect(await rows()).toEqual([])
    expect(await db().selectFrom('audit_chain_head').select(['seq', 'hash']).executeTakeFirst()).toEqual({
      seq: 0,
      hash: GENESIS_HASH,
    })
    // the next committed entry still starts the chain
    await audit.record(entry(2))
    expect(await audit.seal()).toBe(1)
    expect((await rows()).map((r) => r.seq)).toEqual([1])
  })

  it('chains every entry to the previous one with SM3, starting from 64 zeros', async () => {
    const audit = new AuditLog(db(), systemClock)
    for (let n = 1; n <= 5; n += 1) await audit.record(entry(n))
    // appended unchained: the sealer links them, in the order it finds them committed
    expect((await rows()).map((r) => r.seq)).toEqual([null, null, null, null, null])
    expect(await audit.seal()).toBe(5)
    expect(await audit.seal()).toBe(0)
    const stored = await rows()
    expect(stored.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5])
    expect(stored[0]?.prev_hash).toBe(GENESIS_HASH)
    for (let i = 1; i < stored.length; i += 1) expect(stored[i]?.prev_hash).toBe(stored[i - 1]?.hash)
    for (const row of stored) expect(row.hash).toMatch(/^[0-9a-f]{64}$/)
    // the stored hash is the SM3 link over the previous hash and the entry's own fields
    const [first] = await audit.list({ limit: 5 }).then((list) => list.reverse())
    if (!first) throw new Error('nothing recorded')
    const { hash, prevHash, ...fields } = first
    expect(fields).toMatchObject({ seq: 1, actorId: 'staff-1', details: { n: 1, note: '受理' } })
    expect(auditHash(prevHash, fields)).toBe(hash)
    expect(stored[0]?.hash).toBe(hash)
    expect(await audit.verify()).toEqual({ ok: true, checked: 5, unsealed: { count: 0, oldestAt: null } })
  })

  it('reports committed entries still waiting for the sealer, and seals them for the audit view', async () => {
    const clock = new FixedClock(new Date('2026-03-02T01:00:00Z'))
    const audit = new AuditLog(db(), clock)
    await audit.record(entry(1))
    clock.advance(60_000)
    await audit.record(entry(2))
    expect(await audit.verify()).toEqual({
      ok: true,
      checked: 0,
      unsealed: { count: 2, oldestAt: new Date('2026-03-02T01:00:00Z') },
    })
    expect((await audit.list({ limit: 10 })).map((r) => r.seq)).toEqual([2, 1])
    expect((await audit.verify()).unsealed.count).toBe(0)
  })

  it('refuses UPDATE, DELETE and TRUNCATE on the audit tables through the append-only triggers', async () => {
    const audit = new AuditLog(db(), systemClock)
    await audit.record(entry(1))
    // an entry waiting for the sealer cannot be changed, nor sealed by anyone but the sealer
    await expect(sql`UPDATE audit_log SET outcome = 'denied'`.execute(db())).rejects.toThrow(/append-only/)
    await expect(
      sql`UPDATE audit_log SET seq = 1, prev_hash = ${GENESIS_HASH}, hash = ${'a'.repeat(64)}`.execute(db()),
    ).rejects.toThrow(/append-only/)
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await sql`SELECT set_config('tongban.audit_sealing', 'on', true)`.execute(trx)
          await sql`UPDATE audit_log SET seq = 1, prev_hash = ${GENESIS_HASH}, hash = ${'a'.repeat(64)},
            outcome = 'denied'`.execute(trx)
        }),
    ).rejects.toThrow(/append-only/)
    await audit.seal()
    // a sealed entry cannot be sealed again
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await sql`SELECT set_config('tongban.audit_sealing', 'on', true)`.execute(trx)
          await sql`UPDATE audit_log SET seq = 7`.execute(trx)
        }),
    ).rejects.toThrow(/append-only/)
    await expect(sql`UPDATE audit_log SET outcome = 'denied' WHERE seq = 1`.execute(db())).rejects.toThrow(
      /append-only/,
    )
    await expect(sql`DELETE FROM audit_log WHERE seq = 1`.execute(db())).rejects.toThrow(/append-only/)
    await expect(sql`TRUNCATE audit_log`.execute(db())).rejects.toThrow(/append-only/)
    await expect(sql`TRUNCATE audit_log_archive`.execute(db())).rejects.toThrow(/append-only/)
    const [row] = await db().selectFrom('audit_log').select(['seq', 'outcome']).execute()
    expect(row).toEqual({ seq: 1, outcome: 'success' })
  })

  it('catches a changed field and names the changed entry', async () => {
    const audit = new AuditLog(db(), systemClock)
    for (let n = 1; n <= 5; n += 1) await audit.record(entry(n))
    await audit.seal()
    await tamper(sql`UPDATE audit_log SET outcome = 'denied' WHERE seq = 3`)
    expect(await audit.verify()).toMatchObject({
      ok: false,
      checked: 2,
      brokenAt: { seq: 3, reason: 'hash-mismatch' },
    })
  })

  it('catches a rewritten entry whose own hash was recomputed, at the next link', async () => {
    const audit = new AuditLog(db(), systemClock)
    for (let n = 1; n <= 4; n += 1) await audit.record(entry(n))
    await audit.seal()
    await tamper(sql`UPDATE audit_log SET details = '{"n": 99}', hash = ${'f'.repeat(64)} WHERE seq = 2`)
    const result = await audit.verify()
    expect(result.ok).toBe(false)
    expect(result.brokenAt?.seq).toBe(2)
  })

  it('catches a deleted entry as a gap', async () => {
    const audit = new AuditLog(db(), systemClock)
    for (let n = 1; n <= 5; n += 1) await audit.record(entry(n))
    await audit.seal()
    await tamper(sql`DELETE FROM audit_log WHERE seq = 3`)
    expect(await audit.verify()).toMatchObject({ ok: false, checked: 2, brokenAt: { seq: 3, reason: 'gap' } })
  })

  it('catches a removed tail through the chain head', async () => {
    const audit = new AuditLog(db(), systemClock)
    for (let n = 1; n <= 3; n += 1) await audit.record(entry(n))
    await audit.seal()
    await tamper(sql`DELETE FROM audit_log WHERE seq = 3`)
    expect(await audit.verify()).toMatchObject({
      ok: false,
      checked: 2,
      brokenAt: { seq: 3, reason: 'head-mismatch' },
    })
  })

  it('verifies across pages', async () => {
    const audit = new AuditLog(db(), systemClock)
    for (let n = 1; n <= 7; n += 1) await audit.record(entry(n))
    await audit.seal(3) // three sealing passes
    expect(await audit.seal(3)).toBe(3)
    expect(await audit.seal(3)).toBe(1)
    expect(await audit.verify(2)).toMatchObject({ ok: true, checked: 7 })
    await tamper(sql`UPDATE audit_log SET ip = '10.6.6.6' WHERE seq = 6`)
    expect((await audit.verify(2)).brokenAt).toEqual({ seq: 6, reason: 'hash-mismatch' })
  })

  it('archives entries beyond the retention period unchanged, and the chain still verifies', async () => {
    const clock = new FixedClock(new Date('2026-01-01T08:00:00Z'))
    const audit = new AuditLog(db(), clock)
    for (let n = 1; n <= 3; n += 1) {
      await audit.record(entry(n))
      clock.advance(DAY)
    }
    clock.set(new Date('2026-07-15T08:00:00Z'))
    for (let n = 4; n <= 5; n += 1) await audit.record(entry(n))
    await audit.seal()
    await audit.record(entry(6)) // not sealed yet: archiving seals it first
    const before = await rows()

    clock.advance(10 * DAY) // entries 1-3 are now ~205 days old, 4-6 ten days
    expect(await audit.archive(180)).toBe(3)

    const archived = await rows('audit_log_archive')
    const live = await rows()
    expect(archived.map((r) => r.seq)).toEqual([1, 2, 3])
    expect(live.map((r) => r.seq)).toEqual([4, 5, 6])
    expect([...archived, ...live].slice(0, 5)).toEqual(before.slice(0, 5))
    expect(await audit.verify()).toEqual({ ok: true, checked: 6, unsealed: { count: 0, oldestAt: null } })

    // archiving again moves nothing, and sealing continues the chain across both tables
    expect(await audit.archive(180)).toBe(0)
    await audit.record(entry(7))
    await audit.seal()
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 7 })

    // the archive is append-only too, and tampering with it is caught
    await expect(sql`DELETE FROM audit_log_archive WHERE seq = 1`.execute(db())).rejects.toThrow(
      /append-only/,
    )
    await sql`ALTER TABLE audit_log_archive DISABLE TRIGGER audit_log_archive_append_only`.execute(db())
    await sql`UPDATE audit_log_archive SET actor_id = 'someone-else' WHERE seq = 2`.execute(db())
    await sql`ALTER TABLE audit_log_archive ENABLE TRIGGER audit_log_archive_append_only`.execute(db())
    expect((await audit.verify()).brokenAt).toEqual({ seq: 2, reason: 'hash-mismatch' })
  })

  it('keeps the chain gapless and valid under 50 concurrent appends and competing sealers', async () => {
    const audit = new AuditLog(db(), systemClock)
    await Promise.all(Array.from({ length: 50 }, (_, n) => audit.record(entry(n))))
    const sealed = await Promise.all([audit.seal(20), audit.seal(20), audit.sealAll(), audit.seal(20)])
    // each pass either holds the chain head or finds it taken; together they seal every entry once
    await audit.sealAll()
    expect(sealed.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(50)
    expect((await rows()).map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, n) => n + 1))
    expect(await audit.verify()).toEqual({ ok: true, checked: 50, unsealed: { count: 0, oldestAt: null } })
  })

  it('seals in the background until stopped', async () => {
    const audit = new AuditLog(db(), systemClock)
    const errors: unknown[] = []
    const stop = audit.startSealer((error) => errors.push(error), 20)
    try {
      for (let n = 1; n <= 3; n += 1) await audit.record(entry(n))
      await vi.waitFor(async () => expect((await audit.verify()).checked).toBe(3), { timeout: 5_000 })
    } finally {
      await stop()
    }
    await audit.record(entry(4))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect((await audit.verify()).unsealed.count).toBe(1)
    expect(errors).toEqual([])
  })
})

describe('tongban audit verify', () => {
  let fileDb: TestDb
  beforeAll(async () => {
    // the CLI runs in another process: PGlite must live in a DATA_DIR, and only one process may open it
    fileDb = await openTestDb({ file: true })
  }, 180_000)
  afterAll(() => fileDb?.drop())

  it('exits 0 on an intact chain and 1 on a tampered one, naming the broken entry', async () => {
    const audit = new AuditLog(fileDb.handle.db, systemClock)
    for (let n = 1; n <= 4; n += 1) await audit.record(entry(n))
    await audit.seal()
    await fileDb.close()

    const intact = await runCli(['audit', 'verify'], fileDb.env)
    expect(intact.stderr).not.toMatch(/BROKEN|Error/)
    expect(intact.stdout).toContain('audit chain intact: 4 entries verified')
    expect(intact.code).toBe(0)

    const reopened = await fileDb.reopen()
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(reopened.db)
    await sql`UPDATE audit_log SET resource_id = 'case-forged' WHERE seq = 3`.execute(reopened.db)
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(reopened.db)
    await fileDb.close()

    const tampered = await runCli(['audit', 'verify'], fileDb.env)
    expect(tampered.code).toBe(1)
    expect(tampered.stderr).toContain('audit chain BROKEN at entry 3 (hash-mismatch)')
  }, 300_000)
})
