import { sm3 } from '@tongban/standards'
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely'
import type { Clock } from './clock.ts'
import { batched } from './db/batcher.ts'
import { PREPARED } from './db/database.ts'
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
  /** Committed entries the sealer has not chained yet, and when the oldest of them was written. */
  unsealed: { count: number; oldestAt: Date | null }
}

const SEAL_BATCH = 1_000

/** The link of each unsealed row, continuing the chain from the head at `seq` with `hash`. */
function chainLinks(headSeq: number, headHash: string, rows: AuditRow[]) {
  let seq = headSeq
  let prev = headHash
  return rows.map((raw) => {
    seq += 1
    const { hash: _hash, prevHash: _prev, ...fields } = fromRow({ ...raw, seq })
    const hash = auditHash(prev, fields)
    const link = { id: String(raw.id), seq, prevHash: prev, hash }
    prev = hash
    return link
  })
}

/**
 * 审计日志: the append-only, SM3 hash-chained audit log. Entries are appended inside the caller's
 * transaction, so an entry exists exactly when the change it records was committed; they are appended
 * unchained (no lock: audited transactions commit concurrently) and `seal` links them into the chain in
 * the order it finds them committed, moments later. See docs/decisions/0006-sealed-audit-chain.md.
 */
export class AuditLog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Appends an entry in the given transaction: one INSERT, no lock. */
  async append(trx: Transaction<Database>, entry: AuditEntry): Promise<void> {
    await this.insert(trx, entry)
  }

  /**
   * Records something that is not part of a larger change (a denied attempt, a sensitive read), committed
   * before it returns. Entries recorded together (requests of one event-loop turn) share one INSERT and one
   * commit.
   */
  async record(entry: AuditEntry): Promise<void> {
    await this.recordTogether({ entry, at: this.clock.now() })
  }

  private readonly recordTogether = batched(async (batch: { entry: AuditEntry; at: Date }[]) => {
    const column = <T>(pick: (entry: AuditEntry) => T) => batch.map(({ entry }) => pick(entry))
    await sql`${sql.raw(PREPARED)}
      INSERT INTO audit_log (occurred_at, actor_id, actor_kind, action, resource_type, resource_id, region_code,
        ip, request_id, outcome, details)
      SELECT * FROM unnest(${batch.map(({ at }) => at.toISOString())}::timestamptz[], ${column((e) => e.actorId)}::text[],
        ${column((e) => e.actorKind)}::text[], ${column((e) => e.action)}::text[], ${column((e) => e.resourceType)}::text[],
        ${column((e) => e.resourceId)}::text[], ${column((e) => e.regionCode)}::text[], ${column((e) => e.ip)}::text[],
        ${column((e) => e.requestId)}::text[], ${column((e) => e.outcome)}::text[],
        ${column((e) => JSON.stringify(e.details ?? {}))}::jsonb[])`.execute(this.db)
    return batch.map(() => undefined)
  })

  private async insert(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
    await this.insertQuery(entry).execute(db)
  }

  /**
   * The INSERT of an entry, not yet run: for a module that writes a whole change in one statement (a
   * data-modifying CTE embedding it), so that the entry commits with the change in one round trip.
   */
  insertQuery(entry: AuditEntry): RawBuilder<unknown> {
    return this.insertFromQuery(sql`SELECT ${JSON.stringify(this.jsonEntry(entry))}::jsonb AS entry`)
  }

  /**
   * An entry as one JSON object (its time taken now), for `insertFromQuery`: a statement writing many
   * changes from one recordset carries each change's entry in it.
   */
  jsonEntry(entry: AuditEntry): AuditEntry & { occurredAt: string } {
    return { ...entry, details: entry.details ?? {}, occurredAt: this.clock.now().toISOString() }
  }

  /**
   * The INSERT of the entries read from `source`, a SELECT with one jsonb column `entry` holding a
   * `jsonEntry` per row; its text stays the same however many rows come (so it can be prepared). Not yet run.
   */
  insertFromQuery(source: RawBuilder<unknown>): RawBuilder<unknown> {
    return sql`
      INSERT INTO audit_log (occurred_at, actor_id, actor_kind, action, resource_type, resource_id, region_code,
        ip, request_id, outcome, details)
      SELECT (s.entry->>'occurredAt')::timestamptz, s.entry->>'actorId', s.entry->>'actorKind', s.entry->>'action',
        s.entry->>'resourceType', s.entry->>'resourceId', s.entry->>'regionCode', s.entry->>'ip',
        s.entry->>'requestId', s.entry->>'outcome', s.entry->'details'
      FROM (${source}) AS s`
  }

  /**
   * Links committed, unsealed entries into the chain, oldest insert first, under the chain head's row
   * lock: one sealer at a time across every process. Another sealer running makes this pass a no-op,
   * unless `wait` (then it waits for that one and seals what is left). Returns how many entries it
   * sealed; call again while it returns the batch size.
   */
  async seal(batchSize = SEAL_BATCH, wait = false): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const locked = await sql<{ seq: string; hash: string }>`
        SELECT seq, hash FROM audit_chain_lock(${wait})`.execute(trx)
      const head = locked.rows[0]
      if (!head) return 0
      const rows = await trx
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', 'is', null)
        .orderBy('id')
        .limit(batchSize)
        .execute()
      if (rows.length === 0) return 0
      const links = chainLinks(Number(head.seq), head.hash, rows as AuditRow[])
      // the only way entries are linked and the head moves: the owner's function checks that the links
      // continue the head and each other
      await sql`SELECT audit_seal(${links.map((l) => l.id)}::bigint[], ${links.map((l) => l.seq)}::bigint[],
        ${links.map((l) => l.prevHash)}::text[], ${links.map((l) => l.hash)}::text[])`.execute(trx)
      return links.length
    })
  }

  /** Seals until nothing is left waiting (or another sealer holds the chain, unless `wait`). */
  async sealAll(wait = false): Promise<number> {
    let total = 0
    for (;;) {
      const sealed = await this.seal(SEAL_BATCH, wait)
      total += sealed
      if (sealed < SEAL_BATCH) return total
    }
  }

  /**
   * Runs the sealer every `intervalMs` (and at once again while there is a backlog), then `afterPass` (the
   * checkpoints), until the returned function is called; that function waits for a pass in progress.
   */
  startSealer(
    onError: (error: unknown) => void,
    intervalMs = 500,
    afterPass: () => Promise<unknown> = async () => {},
  ): () => Promise<void> {
    let stopped = false
    let timer: NodeJS.Timeout | undefined
    let running: Promise<void> = Promise.resolve()
    const pass = () => {
      running = this.sealAll()
        .then(afterPass)
        .then(() => undefined, onError)
        .finally(() => {
          if (!stopped) timer = setTimeout(pass, intervalMs)
        })
    }
    timer = setTimeout(pass, 0)
    return async () => {
      stopped = true
      clearTimeout(timer)
      await running
    }
  }

  /** Sealed entries newest first (sealing what is waiting first), for the audit admin's view. */
  async list(filter: {
    actorId?: string
    resourceType?: string
    resourceId?: string
    action?: string
    limit: number
    beforeSeq?: number
  }): Promise<AuditRecord[]> {
    await this.sealAll(true)
    let query = this.db.selectFrom('audit_log').selectAll().where('seq', 'is not', null)
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
   * entry, a removed entry (gap), or a rewritten tail (head mismatch); and how many committed entries
   * wait to be sealed (many, or old ones, mean no sealer is running).
   */
  async verify(pageSize = 5_000): Promise<ChainVerification> {
    const waiting = await this.db
      .selectFrom('audit_log')
      .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.min('occurred_at').as('oldest')])
      .where('seq', 'is', null)
      .executeTakeFirstOrThrow()
    const unsealed = { count: Number(waiting.count), oldestAt: (waiting.oldest as Date | null) ?? null }
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
            return { ok: false, checked, brokenAt: { seq: expectedSeq, reason: 'gap' }, unsealed }
          if (row.prevHash !== expectedPrev) {
            return { ok: false, checked, brokenAt: { seq: row.seq, reason: 'prev-hash-mismatch' }, unsealed }
          }
          const { hash, prevHash, ...fields } = row
          if (auditHash(prevHash, fields) !== hash)
            return { ok: false, checked, brokenAt: { seq: row.seq, reason: 'hash-mismatch' }, unsealed }
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
      return { ok: false, checked, brokenAt: { seq: Number(head.seq), reason: 'head-mismatch' }, unsealed }
    }
    return { ok: true, checked, unsealed }
  }

  /**
   * Moves the oldest entries, up to the first one still within the retention period, to the archive
   * table unchanged, in one transaction, so the archive always holds a prefix of the chain.
   * Nothing is ever deleted from the chain as a whole.
   */
  async archive(retentionDays: number): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - retentionDays * 86_400_000)
    await this.sealAll(true) // only sealed entries move: seal what waits first, after any sealer running
    // the owner's function moves them; it keeps at least 180 days (GB/T 22239) whatever the cutoff
    const moved = await sql<{ moved: number }>`SELECT audit_archive(${cutoff}) AS moved`.execute(this.db)
    return Number(moved.rows[0]?.moved ?? 0)
  }
}
