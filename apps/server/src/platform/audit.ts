import { sm3 } from '@tongban/standards'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { Clock } from './clock.ts'
import type { Database } from './db/schema.ts'

/** Who did something, as recorded in the audit log. */
export type AuditActorKind = 'person' | 'company' | 'staff' | 'system' | 'anonymous'
export type AuditOutcome = 'success' | 'denied' | 'failure'

/** One audit entry, supplied explicitly by the caller so a reviewer sees exactly what is recorded. */
export interface AuditEntry {
  actorId: string | null
  actorKind: AuditActorKind
  action: string
  resourceType: string | null
  resourceId: string | null
  regionCode: string | null
  ip: string | null
  requestId: string | null
  outcome: AuditOutcome
  details?: Record<string, unknown>
}

/** A stored audit entry with its place in the chain. */
export interface AuditRecord extends Required<AuditEntry> {
  seq: number
  occurredAt: Date
  prevHash: string
  hash: string
}

export const GENESIS_HASH = '0'.repeat(64)

/** JSON with object keys sorted, so that the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** The SM3 link of one entry: over the previous hash and the entry's own fields. */
export function auditHash(prevHash: string, record: Omit<AuditRecord, 'hash' | 'prevHash'>): string {
  return sm3(`${prevHash}\n${canonicalJson({ ...record, occurredAt: record.occurredAt.toISOString() })}`)
}

type AuditRow = Database['audit_log'] extends infer T ? { [K in keyof T]: unknown } : never

function fromRow(row: AuditRow): AuditRecord {
  return {
    seq: Number(row.seq),
    occurredAt: row.occurred_at as Date,
    actorId: row.actor_id as string | null,
    actorKind: row.actor_kind as AuditActorKind,
    action: row.action as string,
    resourceType: row.resource_type as string | null,
    resourceId: row.resource_id as string | null,
    regionCode: row.region_code as string | null,
    ip: row.ip as string | null,
    requestId: row.request_id as string | null,
    outcome: row.outcome as AuditOutcome,
    details: (row.details ?? {}) as Record<string, unknown>,
    prevHash: row.prev_hash as string,
    hash: row.hash as string,
  }
}

export interface ChainVerification {
  ok: boolean
  checked: number
  /** The first entry whose link does not hold, and why. */
  brokenAt?: { seq: number; reason: 'hash-mismatch' | 'prev-hash-mismatch' | 'gap' | 'head-mismatch' }
}

/**
 * 审计日志: the append-only, SM3 hash-chained audit log. Appends run inside the caller's transaction,
 * so an entry exists exactly when the change it records was committed.
 */
export class AuditLog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends an entry in the given transaction. The chain head's row lock serializes appends until the
   * transaction ends, so call this as the last statement of the transaction.
   */
  async append(trx: Transaction<Database>, entry: AuditEntry): Promise<AuditRecord> {
    const head = await trx
      .selectFrom('audit_chain_head')
      .select(['seq', 'hash'])
      .forUpdate()
      .executeTakeFirstOrThrow()
    const record: Omit<AuditRecord, 'hash' | 'prevHash'> = {
      seq: Number(head.seq) + 1,
      occurredAt: this.clock.now(),
      actorId: entry.actorId,
      actorKind: entry.actorKind,
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId,
      regionCode: entry.regionCode,
      ip: entry.ip,
      requestId: entry.requestId,
      outcome: entry.outcome,
      details: entry.details ?? {},
    }
    const hash = auditHash(head.hash, record)
    await sql`
      WITH appended AS (
        INSERT INTO audit_log (seq, occurred_at, actor_id, actor_kind, action, resource_type, resource_id,
          region_code, ip, request_id, outcome, details, prev_hash, hash)
        VALUES (${record.seq}, ${record.occurredAt}, ${record.actorId}, ${record.actorKind}, ${record.action},
          ${record.resourceType}, ${record.resourceId}, ${record.regionCode}, ${record.ip}, ${record.requestId},
          ${record.outcome}, ${JSON.stringify(record.details)}::jsonb, ${head.hash}, ${hash})
      )
      UPDATE audit_chain_head SET seq = ${record.seq}, hash = ${hash}`.execute(trx)
    return { ...record, prevHash: head.hash, hash }
  }

  /** Records something that is not part of a larger change (a denied attempt, a sensitive read). */
  async record(entry: AuditEntry): Promise<AuditRecord> {
    return this.db.transaction().execute((trx) => this.append(trx, entry))
  }

  /** Entries newest first, archive included, for the audit admin's view. */
  async list(filter: {
    actorId?: string
    resourceType?: string
    resourceId?: string
    action?: string
    limit: number
    beforeSeq?: number
  }): Promise<AuditRecord[]> {
    let query = this.db.selectFrom('audit_log').selectAll()
    if (filter.actorId) query = query.where('actor_id', '=', filter.actorId)
    if (filter.resourceType) query = query.where('resource_type', '=', filter.resourceType)
    if (filter.resourceId) query = query.where('resource_id', '=', filter.resourceId)
    if (filter.action) query = query.where('action', '=', filter.action)
    if (filter.beforeSeq) query = query.where('seq', '<', filter.beforeSeq)
    const rows = await query.orderBy('seq', 'desc').limit(filter.limit).execute()
    return rows.map((row) => fromRow(row as AuditRow))
  }

  /**
   * Walks the whole chain, archive first, in pages, and reports the first broken link: a changed
   * entry, a removed entry (gap), or a rewritten tail (head mismatch).
   */
  async verify(pageSize = 5_000): Promise<ChainVerification> {
    let expectedPrev = GENESIS_HASH
    let expectedSeq = 1
    let checked = 0
    for (const table of ['audit_log_archive', 'audit_log'] as const) {
      let after = 0
      for (;;) {
        const rows = await this.db
          .selectFrom(table)
          .selectAll()
          .where('seq', '>', after)
          .orderBy('seq')
          .limit(pageSize)
          .execute()
        for (const raw of rows) {
          const row = fromRow(raw as AuditRow)
          if (row.seq !== expectedSeq)
            return { ok: false, checked, brokenAt: { seq: expectedSeq, reason: 'gap' } }
          if (row.prevHash !== expectedPrev) {
            return { ok: false, checked, brokenAt: { seq: row.seq, reason: 'prev-hash-mismatch' } }
          }
          const { hash, prevHash, ...fields } = row
          if (auditHash(prevHash, fields) !== hash)
            return { ok: false, checked, brokenAt: { seq: row.seq, reason: 'hash-mismatch' } }
          expectedPrev = hash
          expectedSeq += 1
          checked += 1
          after = row.seq
        }
        if (rows.length < pageSize) break
      }
    }
    const head = await this.db
      .selectFrom('audit_chain_head')
      .select(['seq', 'hash'])
      .executeTakeFirstOrThrow()
    if (Number(head.seq) !== checked || head.hash !== expectedPrev) {
      return { ok: false, checked, brokenAt: { seq: Number(head.seq), reason: 'head-mismatch' } }
    }
    return { ok: true, checked }
  }

  /**
   * Moves the oldest entries, up to the first one still within the retention period, to the archive
   * table unchanged, in one transaction, so the archive always holds a prefix of the chain.
   * Nothing is ever deleted from the chain as a whole.
   */
  async archive(retentionDays: number): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - retentionDays * 86_400_000)
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('tongban.audit_archiving', 'on', true)`.execute(trx)
      const moved = await sql<{ seq: number }>`
        WITH boundary AS (
          SELECT coalesce(min(seq), (SELECT max(seq) + 1 FROM audit_log)) AS seq FROM audit_log WHERE occurred_at >= ${cutoff}
        ),
        moved AS (DELETE FROM audit_log WHERE seq < (SELECT seq FROM boundary) RETURNING *)
        INSERT INTO audit_log_archive (seq, occurred_at, actor_id, actor_kind, action, resource_type, resource_id,
          region_code, ip, request_id, outcome, details, prev_hash, hash)
        SELECT seq, occurred_at, actor_id, actor_kind, action, resource_type, resource_id,
          region_code, ip, request_id, outcome, details, prev_hash, hash FROM moved
        RETURNING seq`.execute(trx)
      return moved.rows.length
    })
  }
}
