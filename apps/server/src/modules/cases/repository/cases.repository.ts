import { type Kysely, sql } from 'kysely'
import { PREPARED } from '../../../platform/db/database.ts'
import type { Database } from '../../../platform/db/schema.ts'
import {
  type CaseEventRecord,
  type CaseMaterialRecord,
  type CaseRecord,
  type CaseRow,
  type CaseStatus,
  type CaseTaskRecord,
  type CaseWithHistory,
  type ChildSummary,
  caseRecordOf,
  type Executor,
  escapeLike,
  type ProgressRow,
  UUID,
} from './records.ts'

/** A row as it comes out of row_to_json: timestamps are strings. */
type Json<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K]
}

/** A case row with its history as findManyWithHistory reads it, in one statement. */
type RowWithHistory = CaseRow & {
  live_task: Json<CaseTaskRecord> | null
  events: Json<CaseEventRecord>[]
  materials: Json<CaseMaterialRecord>[]
  children: ChildSummary[]
}

/** The column changes of a case outside its lifecycle (deadlines learnt later, encrypted form data). */
type CaseColumns = Partial<Omit<CaseRow, 'id' | 'closed' | 'state' | 'workflow'>>

/** Queries of cases, their events and materials; no rules here. */
export class CasesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findById(id: string, db: Executor = this.db): Promise<CaseRecord | undefined> {
    const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst()
    return row && caseRecordOf(row)
  }

  async findByIdForUpdate(db: Executor, id: string): Promise<CaseRecord | undefined> {
    const row = await db.selectFrom('cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
    return row && caseRecordOf(row)
  }

  /** A bundle's parts, by case number; locked for the caller's transaction when `forUpdate`. */
  async findChildren(db: Executor, parentId: string, forUpdate = false): Promise<CaseRecord[]> {
    const query = db.selectFrom('cases').selectAll().where('parent_id', '=', parentId).orderBy('case_no')
    const rows = await (forUpdate ? query.forUpdate() : query).execute()
    return rows.map(caseRecordOf)
  }

  /**
   * Cases with everything shown or checked with them, in one round trip for all of them: each one's live
   * task, events, current materials and (for a bundle) its parts. One answer per id, in order; undefined
   * for an id naming no case (or not a uuid at all).
   */
  async findManyWithHistory(ids: string[]): Promise<(CaseWithHistory | undefined)[]> {
    const wanted = [...new Set(ids.filter((id) => UUID.test(id)))]
    if (wanted.length === 0) return ids.map(() => undefined)
    const { rows } = await sql<RowWithHistory>`${sql.raw(PREPARED)}
      SELECT c.*,
        (SELECT row_to_json(t) FROM case_tasks t
           WHERE t.case_id = c.id AND t.status IN ('open', 'claimed') LIMIT 1) AS live_task,
        (SELECT coalesce(json_agg(e ORDER BY e.seq), '[]') FROM case_events e WHERE e.case_id = c.id) AS events,
        (SELECT coalesce(json_agg(m ORDER BY m.added_at, m.ctid), '[]') FROM case_materials m
           WHERE m.case_id = c.id AND m.superseded_at IS NULL) AS materials,
        (SELECT coalesce(json_agg(json_build_object('id', k.id, 'case_no', k.case_no, 'status', k.status)
           ORDER BY k.case_no), '[]') FROM cases k WHERE k.parent_id = c.id) AS children
      FROM cases c WHERE c.id = ANY(${wanted}::uuid[])`.execute(this.db)
    const byId = new Map<string, CaseWithHistory>()
    for (const row of rows) byId.set(row.id, withHistoryOf(row))
    return ids.map((id) => byId.get(id.toLowerCase()))
  }

  /**
   * Cases by number with their milestone types and times, in one round trip for all of them, for the
   * public progress query: one answer per number, in order (undefined for a number naming no case).
   */
  async findManyProgress(caseNos: string[]): Promise<(ProgressRow | undefined)[]> {
    const { rows } = await sql<ProgressRow>`${sql.raw(PREPARED)}
      SELECT c.id, c.case_no, c.query_code_hash, c.item_name, c.status, c.promised_deadline,
        (SELECT json_agg(json_build_object('type', e.type, 'at', e.occurred_at) ORDER BY e.seq)
           FROM case_events e WHERE e.case_id = c.id) AS milestones
      FROM cases c WHERE c.case_no = ANY(${[...new Set(caseNos)]}::text[])`.execute(this.db)
    const byNo = new Map(rows.map((row) => [row.case_no, row]))
    return caseNos.map((caseNo) => byNo.get(caseNo))
  }

  /** Cases of the accounts (as applicant or as the company acted for), parents only, newest first. */
  async findForApplicant(filter: {
    accountIds: string[]
    status?: CaseStatus
    limit: number
    offset: number
  }): Promise<{ items: CaseRecord[]; total: number }> {
    let query = this.db
      .selectFrom('cases')
      .where((eb) =>
        eb.or([eb('applicant_id', 'in', filter.accountIds), eb('acting_for_id', 'in', filter.accountIds)]),
      )
      .where('parent_id', 'is', null)
    if (filter.status) query = query.where('status', '=', filter.status)
    const [items, total] = await Promise.all([
      query.selectAll().orderBy('submitted_at', 'desc').limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { items: items.map(caseRecordOf), total: Number(total.n) }
  }

  /**
   * Cases within any of the scopes (a region subtree, and a department working the case, when the scope
   * names one), filtered; newest first, with the total.
   */
  async search(filter: {
    scopes: { regionPrefix: string; departmentId: string | null }[]
    caseNoPrefix?: string
    item?: string
    status?: CaseStatus
    applicantPrefix?: string
    submittedFrom?: Date
    submittedBefore?: Date
    limit: number
    offset: number
  }): Promise<{ items: CaseRecord[]; total: number }> {
    let query = this.db
      .selectFrom('cases')
      .where((eb) =>
        eb.or(
          filter.scopes.map((s) =>
            eb.and([
              eb('region_code', 'like', `${s.regionPrefix}%`),
              ...(s.departmentId
                ? [
                    eb.or([
                      eb('department_id', '=', s.departmentId),
                      sql<boolean>`workflow @> ${JSON.stringify([{ departmentId: s.departmentId }])}::jsonb`,
                    ]),
                  ]
                : []),
            ]),
          ),
        ),
      )
    if (filter.caseNoPrefix) query = query.where('case_no', 'like', `${escapeLike(filter.caseNoPrefix)}%`)
    if (filter.item) {
      const item = filter.item
      query = query.where((eb) =>
        eb.or([
          eb('item_code', '=', item),
          eb('implementation_id', '=', item),
          eb('item_name', 'like', `%${escapeLike(item)}%`),
        ]),
      )
    }
    if (filter.status) query = query.where('status', '=', filter.status)
    if (filter.applicantPrefix)
      query = query.where('applicant_name', 'like', `${escapeLike(filter.applicantPrefix)}%`)
    if (filter.submittedFrom) query = query.where('submitted_at', '>=', filter.submittedFrom)
    if (filter.submittedBefore) query = query.where('submitted_at', '<', filter.submittedBefore)
    const [items, total] = await Promise.all([
      query
        .selectAll()
        .orderBy('submitted_at', 'desc')
        .orderBy('case_no', 'desc')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { items: items.map(caseRecordOf), total: Number(total.n) }
  }

  /** Cases whose deadline could not be computed (the calendar lacked a year). */
  async findWithUnknownDeadline(): Promise<CaseRecord[]> {
    const rows = await this.db.selectFrom('cases').selectAll().where('deadline_unknown', '=', true).execute()
    return rows.map(caseRecordOf)
  }

  /** Changes columns of a case outside its lifecycle (no version check, no event). */
  async update(db: Executor, id: string, changes: CaseColumns): Promise<void> {
    await db.updateTable('cases').set(changes).where('id', '=', id).execute()
  }

  /** The material row of a case naming a file, current or superseded by a correction (the latest). */
  findMaterialFile(caseId: string, sha256: string): Promise<CaseMaterialRecord | undefined> {
    return this.db
      .selectFrom('case_materials')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('file_sha256', '=', sha256)
      .orderBy('added_at', 'desc')
      .executeTakeFirst()
  }

  /**
   * Up to `limit` rows of a table still holding plaintext form data (from before encryption), locked for
   * the caller's transaction; rows another node is encrypting are skipped.
   */
  findPlaintextFormData(db: Executor, table: 'cases' | 'case_drafts', limit: number) {
    return db
      .selectFrom(table)
      .select(['id', 'form_data'])
      .where('form_data', 'is not', null)
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute()
  }

  /** Replaces a row's plaintext form data by its encryption. */
  async storeEncryptedFormData(db: Executor, table: 'cases' | 'case_drafts', id: string, encrypted: string) {
    await db
      .updateTable(table)
      .set({ form_data_enc: encrypted, form_data: null })
      .where('id', '=', id)
      .execute()
  }
}

/** A row of findManyWithHistory, its JSON parts with their types back. */
function withHistoryOf({ live_task, events, materials, children, ...row }: RowWithHistory): CaseWithHistory {
  return {
    record: caseRecordOf(row),
    liveTask: live_task
      ? {
          ...live_task,
          created_at: new Date(live_task.created_at),
          closed_at: live_task.closed_at ? new Date(live_task.closed_at) : null,
        }
      : undefined,
    events: events.map((e) => ({ ...e, occurred_at: new Date(e.occurred_at) })),
    materials: materials.map((m) => ({
      ...m,
      added_at: new Date(m.added_at),
      superseded_at: m.superseded_at ? new Date(m.superseded_at) : null,
    })),
    children,
  }
}
