import { type Kysely, type RawBuilder, type Selectable, sql, type Transaction } from 'kysely'
import { PREPARED } from '../../platform/db/database.ts'
import type { Database } from '../../platform/db/schema.ts'

type CaseStatus = Selectable<Database['cases']>['status']
type TaskRole = Selectable<Database['case_tasks']>['role']

type Executor = Kysely<Database> | Transaction<Database>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export type CaseRecord = Selectable<Database['cases']>
export type CaseEventRecord = Selectable<Database['case_events']>
export type CaseTaskRecord = Selectable<Database['case_tasks']>
export type DraftRecord = Selectable<Database['case_drafts']>
export type CalendarAdditionRecord = Selectable<Database['holiday_calendar_additions']>
export type CaseMaterialRecord = Selectable<Database['case_materials']>
/** A bundle part as listed with its parent. */
export type ChildSummary = Pick<CaseRecord, 'id' | 'case_no' | 'status'>
/** A case with its live task, history, current materials and parts (findManyWithHistory). */
export interface CaseWithHistory {
  record: CaseRecord
  liveTask: CaseTaskRecord | undefined
  events: CaseEventRecord[]
  materials: CaseMaterialRecord[]
  children: ChildSummary[]
}
/** The projection columns a move (applyMoves) may change, besides the version. */
export const MOVE_COLUMNS = [
  'status',
  'form_data_enc',
  'form_data',
  'state',
  'accepted_on',
  'accepted_at',
  'paused_since',
  'paused_working_days',
  'legal_deadline',
  'promised_deadline',
  'deadline_unknown',
  'supervision_flag',
  'completed_on',
  'elapsed_working_days',
  'updated_at',
] as const satisfies readonly (keyof Database['cases'])[]

/** A case event as written: the `case_events` columns, its jsonb ones as plain JSON, without its case. */
export type CaseEventRow = Omit<Database['case_events'], 'case_id' | 'attachments' | 'data'> & {
  attachments: unknown[]
  data: Record<string, unknown>
}

/** One submission of insertSubmissions, as plain JSON values. */
export interface SubmissionRows {
  cases: Record<string, unknown>[]
  events: (CaseEventRow & { case_id: string })[]
  tasks: Record<string, unknown>[]
  materials: Record<string, unknown>[]
  draftId: string | null
  idempotencyKey: {
    account_id: string
    key: string
    request_hash: string
    status_code: number
    response: unknown
    created_at: Date
  }
  /** Its outbox events. */
  outbox: { topic: string; aggregateId: string | null; payload: unknown }[]
  /** The cases whose outbox event is a milestone to tell the applicant of (queued with it). */
  notify: string[]
  /**
   * Added to the queued notifications' payload only (not the outbox event's): what the message needs
   * that must not stay in the outbox, such as a walk-in's encrypted query code.
   */
  notifyData?: Record<string, unknown>
  /** Its audit entry (AuditLog.jsonEntry). */
  audit: object
}

/** One move of applyMoves, as plain JSON values (jsonb columns as objects, times as Dates or ISO strings). */
export interface MoveRow {
  id: string
  version: number
  changes: Partial<Record<(typeof MOVE_COLUMNS)[number], unknown>>
  event: CaseEventRow
  closeTask: 'done' | 'cancelled' | null
  openTask: { step: string; department_id: string; region_code: string; role: TaskRole } | null
  outbox: { topic: string; aggregateId: string | null; payload: unknown }
  notify: boolean
  audit: object
}
/** What the public progress query reads of a case. */
export interface ProgressRow {
  id: string
  case_no: string
  query_code_hash: string
  item_name: string
  status: CaseStatus
  promised_deadline: string | null
  milestones: { type: string; at: string }[] | null
}
/** A row as it comes out of row_to_json: timestamps are strings. */
type Json<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K]
}
/** The columns a time limit is computed from (cases.time-limits.ts). */
export type TimeLimitColumns = Pick<
  CaseRecord,
  | 'status'
  | 'processing_kind'
  | 'legal_limit_days'
  | 'promised_limit_days'
  | 'accepted_on'
  | 'accepted_at'
  | 'legal_deadline'
  | 'promised_deadline'
  | 'paused_working_days'
  | 'paused_since'
  | 'deadline_unknown'
  | 'completed_on'
>
const TIME_LIMIT_COLUMNS = [
  'c.status as case_status',
  'c.processing_kind',
  'c.legal_limit_days',
  'c.promised_limit_days',
  'c.accepted_on',
  'c.accepted_at',
  'c.legal_deadline',
  'c.promised_deadline',
  'c.paused_working_days',
  'c.paused_since',
  'c.deadline_unknown',
  'c.completed_on',
] as const
export type TaskWithCase = CaseTaskRecord &
  Omit<TimeLimitColumns, 'status'> & {
    case_no: string
    item_name: string
    case_version: number
    case_status: CaseStatus
  }

/** Queries of the cases module's tables; no rules here. */
/** The platform's INSERTs of outbox events and audit entries from a recordset (one JSON object per row). */
export interface Recordsets {
  outbox: (source: RawBuilder<unknown>) => RawBuilder<unknown>
  audit: (source: RawBuilder<unknown>) => RawBuilder<unknown>
}

export class CasesRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly recordsets: Recordsets,
  ) {}

  /**
   * Reserves `count` 办件编号 sequence numbers of a region and day (atomic, safe under concurrency) and
   * returns the last of them: the block is last - count + 1 … last.
   */
  async reserveSequences(db: Executor, regionCode: string, day: string, count: number): Promise<number> {
    const { rows } = await sql<{ last_value: number }>`
      INSERT INTO case_sequences (region_code, day, last_value) VALUES (${regionCode}, ${day}, ${count})
      ON CONFLICT (region_code, day) DO UPDATE SET last_value = case_sequences.last_value + ${count}
      RETURNING last_value`.execute(db)
    return Number(rows[0]!.last_value)
  }

  /**
   * Writes whole submissions in one statement of a fixed text (prepared once per connection) and one
   * commit: per submission the cases (a single case, or a bundle's parent and its parts), their first
   * events, tasks and materials, the deletion of the draft it came from, its idempotency key with the
   * answer, its outbox events, queued notifications and audit entry, all from one JSON recordset. A key
   * takes over an expired row of the same key (created before `expiredBefore`); a submission whose key a
   * live row holds (a concurrent request with the key committed first) writes nothing. Answers, per
   * submission in order, whether it was written. Keys must be distinct within one call.
   */
  async insertSubmissions(
    db: Executor,
    submissions: SubmissionRows[],
    expiredBefore: Date,
  ): Promise<boolean[]> {
    const input = JSON.stringify(
      submissions.map((s, n) => ({
        n,
        key: s.idempotencyKey,
        draft_id: s.draftId,
        cases: s.cases,
        events: s.events,
        tasks: s.tasks,
        materials: s.materials,
        outbox: s.outbox,
        notify: s.notify,
        notify_data: s.notifyData ?? {},
        audit: s.audit,
      })),
    )
    const { rows } = await sql<{ n: number }>`${sql.raw(PREPARED)}
      WITH input AS (
        SELECT * FROM jsonb_to_recordset(${input}::jsonb) AS i(n int, key jsonb, draft_id uuid, cases jsonb,
          events jsonb, tasks jsonb, materials jsonb, outbox jsonb, notify jsonb, notify_data jsonb, audit jsonb)
      ), stored_key AS (
        INSERT INTO idempotency_keys (account_id, key, request_hash, status_code, response, created_at)
        SELECT k.account_id, k.key, k.request_hash, k.status_code, k.response, k.created_at
        FROM input i CROSS JOIN LATERAL jsonb_to_record(i.key) AS k(account_id text, key text,
          request_hash text, status_code int, response jsonb, created_at timestamptz)
        ON CONFLICT (account_id, key) DO UPDATE SET request_hash = excluded.request_hash,
          status_code = excluded.status_code, response = excluded.response, created_at = excluded.created_at
          WHERE idempotency_keys.created_at < ${expiredBefore}
        RETURNING account_id, key
      ), stored AS (
        SELECT i.* FROM input i JOIN stored_key k ON k.account_id = i.key->>'account_id' AND k.key = i.key->>'key'
      ), new_cases AS (
        INSERT INTO cases (id, case_no, query_code_hash, applicant_id, acting_for_id, applicant_name,
          applicant_kind, implementation_id, guide_version, item_code, item_name, bundle_id, parent_id,
          region_code, department_id, status, version, form_data_enc, state, workflow, processing_kind,
          legal_limit_days, promised_limit_days, submitted_at, updated_at)
        SELECT r.id, r.case_no, r.query_code_hash, r.applicant_id, r.acting_for_id, r.applicant_name,
          r.applicant_kind, r.implementation_id, r.guide_version, r.item_code, r.item_name, r.bundle_id,
          r.parent_id, r.region_code, r.department_id, r.status, r.version, r.form_data_enc, r.state,
          r.workflow, r.processing_kind, r.legal_limit_days, r.promised_limit_days, r.submitted_at, r.updated_at
        FROM stored s CROSS JOIN LATERAL jsonb_populate_recordset(null::cases, s.cases) AS r
        RETURNING id
      ), new_events AS (
        INSERT INTO case_events (case_id, seq, region_code, type, actor_kind, actor_id, actor_name,
          occurred_at, comment, attachments, data)
        SELECT r.case_id, r.seq, r.region_code, r.type, r.actor_kind, r.actor_id, r.actor_name,
          r.occurred_at, r.comment, r.attachments, r.data
        FROM stored s CROSS JOIN LATERAL jsonb_populate_recordset(null::case_events, s.events) AS r
        WHERE EXISTS (SELECT 1 FROM new_cases)
      ), new_tasks AS (
        INSERT INTO case_tasks (case_id, step, department_id, region_code, role, created_at)
        SELECT r.case_id, r.step, r.department_id, r.region_code, r.role, r.created_at
        FROM stored s CROSS JOIN LATERAL jsonb_populate_recordset(null::case_tasks, s.tasks) AS r
        WHERE EXISTS (SELECT 1 FROM new_cases)
      ), new_materials AS (
        INSERT INTO case_materials (case_id, material_key, name, file_sha256, license_grant_id, added_at)
        SELECT r.case_id, r.material_key, r.name, r.file_sha256, r.license_grant_id, r.added_at
        FROM stored s CROSS JOIN LATERAL jsonb_populate_recordset(null::case_materials, s.materials) AS r
        WHERE EXISTS (SELECT 1 FROM new_cases)
      ), used_draft AS (
        DELETE FROM case_drafts WHERE id IN (SELECT draft_id FROM stored)
      ), published AS (${this.recordsets.outbox(
        sql`SELECT e.value AS event FROM stored s CROSS JOIN LATERAL jsonb_array_elements(s.outbox) AS e`,
      )} RETURNING id, topic, aggregate_id, payload
      ), notified AS (
        INSERT INTO case_notifications (event_id, topic, payload)
        SELECT p.id, p.topic, p.payload || s.notify_data FROM published p
        JOIN stored s ON p.aggregate_id IN (SELECT jsonb_array_elements_text(s.notify))
      ), audited AS (${this.recordsets.audit(sql`SELECT s.audit AS entry FROM stored s`)}
      )
      SELECT n FROM stored`.execute(db)
    const written = new Set(rows.map((row) => row.n))
    return submissions.map((_, n) => written.has(n))
  }

  insertEvent(db: Executor, row: CaseEventRow & { case_id: string }) {
    return db
      .insertInto('case_events')
      .values({ ...row, attachments: json(row.attachments), data: json(row.data) })
      .execute()
  }

  insertMaterials(
    db: Executor,
    rows: {
      case_id: string
      material_key: string
      name: string
      file_sha256: string | null
      license_grant_id: string | null
      added_at: Date
    }[],
  ) {
    if (rows.length === 0) return Promise.resolve()
    return db.insertInto('case_materials').values(rows).execute()
  }

  supersedeMaterials(db: Executor, caseId: string, keys: string[], at: Date) {
    if (keys.length === 0) return Promise.resolve()
    return db
      .updateTable('case_materials')
      .set({ superseded_at: at })
      .where('case_id', '=', caseId)
      .where('material_key', 'in', keys)
      .where('superseded_at', 'is', null)
      .execute()
  }

  findById(id: string, db: Executor = this.db): Promise<CaseRecord | undefined> {
    return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst()
  }

  findByIdForUpdate(db: Executor, id: string): Promise<CaseRecord | undefined> {
    return db.selectFrom('cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  }

  findChildren(parentId: string, db: Executor = this.db): Promise<CaseRecord[]> {
    return db.selectFrom('cases').selectAll().where('parent_id', '=', parentId).orderBy('case_no').execute()
  }

  /**
   * Cases with everything shown or checked with them, in one round trip for all of them: each one's live
   * task, events, current materials and (for a bundle) its parts. One answer per id, in order; undefined
   * for an id naming no case (or not a uuid at all).
   */
  async findManyWithHistory(ids: string[]): Promise<(CaseWithHistory | undefined)[]> {
    const wanted = [...new Set(ids.filter((id) => UUID.test(id)))]
    if (wanted.length === 0) return ids.map(() => undefined)
    const { rows } = await sql<
      CaseRecord & {
        live_task: Json<CaseTaskRecord> | null
        events: Json<CaseEventRecord>[]
        materials: Json<CaseMaterialRecord>[]
        children: ChildSummary[]
      }
    >`${sql.raw(PREPARED)}
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
    for (const { live_task, events, materials, children, ...record } of rows)
      byId.set(record.id, {
        record: record as CaseRecord,
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
      })
    return ids.map((id) => byId.get(id.toLowerCase()))
  }

  /**
   * Makes many moves, on distinct cases, in one statement of a fixed text (prepared once per connection)
   * and one commit: each case's projection change applied only if the case is still at its `version`,
   * then for the moved ones their events, task changes, outbox events, notifications and audit entries,
   * all from one JSON recordset. Answers, per move in order, whether it was written (false: someone moved
   * first). The statement fails as a whole or not at all. Cases must be distinct within one call.
   */
  async applyMoves(db: Executor, moves: MoveRow[]): Promise<boolean[]> {
    const input = JSON.stringify(
      moves.map((m, n) => ({
        n,
        id: m.id,
        version: m.version,
        changes: m.changes,
        event: m.event,
        close_task: m.closeTask,
        open_task: m.openTask,
        outbox: m.outbox,
        notify: m.notify,
        audit: m.audit,
      })),
    )
    const { rows } = await sql<{ n: number }>`${sql.raw(PREPARED)}
      WITH input AS (
        SELECT * FROM jsonb_to_recordset(${input}::jsonb) AS i(n int, id uuid, version int, changes jsonb,
          event jsonb, close_task text, open_task jsonb, outbox jsonb, notify boolean, audit jsonb)
      ), moved AS (
        UPDATE cases c SET (${sql.raw(MOVE_COLUMNS.join(', '))}, version) =
          (SELECT ${sql.raw(MOVE_COLUMNS.map((column) => `r.${column}`).join(', '))}, c.version + 1
           FROM jsonb_populate_record(c, i.changes) AS r)
        FROM input i WHERE c.id = i.id AND c.version = i.version
        RETURNING i.n
      ), done AS (
        SELECT i.* FROM input i JOIN moved USING (n)
      ), appended AS (
        INSERT INTO case_events (case_id, seq, region_code, type, actor_kind, actor_id, actor_name,
          occurred_at, comment, attachments, data)
        SELECT d.id, e.seq, e.region_code, e.type, e.actor_kind, e.actor_id, e.actor_name, e.occurred_at,
          e.comment, e.attachments, e.data
        FROM done d CROSS JOIN LATERAL jsonb_to_record(d.event) AS e(seq int, region_code text, type text,
          actor_kind text, actor_id text, actor_name text, occurred_at timestamptz, comment text,
          attachments jsonb, data jsonb)
      ), closed_tasks AS (
        UPDATE case_tasks t SET status = d.close_task, closed_at = (d.event->>'occurred_at')::timestamptz,
          version = t.version + 1
        FROM done d
        WHERE t.case_id = d.id AND t.status IN ('open', 'claimed') AND d.close_task IS NOT NULL
        RETURNING 1
      ), opened AS (
        INSERT INTO case_tasks (case_id, step, department_id, region_code, role, created_at)
        SELECT d.id, o.step, o.department_id, o.region_code, o.role, (d.event->>'occurred_at')::timestamptz
        FROM done d CROSS JOIN LATERAL jsonb_to_record(d.open_task)
          AS o(step text, department_id uuid, region_code text, role text),
          (SELECT count(*) AS n FROM closed_tasks) AS c
        WHERE d.open_task IS NOT NULL
      ), published AS (${this.recordsets.outbox(sql`SELECT d.outbox AS event FROM done d`)}
        RETURNING id, topic, payload, aggregate_id
      ), notified AS (
        INSERT INTO case_notifications (event_id, topic, payload)
        SELECT p.id, p.topic, p.payload FROM published p JOIN done d ON p.aggregate_id = d.id::text
        WHERE d.notify
      ), audited AS (${this.recordsets.audit(sql`SELECT d.audit AS entry FROM done d`)}
      )
      SELECT n FROM moved`.execute(db)
    const written = new Set(rows.map((row) => row.n))
    return moves.map((_, n) => written.has(n))
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

  /** Applies a projection change only if the case is still at `version`; false when someone moved first. */
  async updateProjection(
    db: Executor,
    id: string,
    version: number,
    changes: Partial<Record<keyof Database['cases'], unknown>>,
  ): Promise<boolean> {
    const result = await db
      .updateTable('cases')
      .set({ ...(changes as object), version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  updateDeadlines(db: Executor, id: string, changes: Partial<Record<keyof Database['cases'], unknown>>) {
    return db
      .updateTable('cases')
      .set(changes as object)
      .where('id', '=', id)
      .execute()
  }

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
    return { items, total: Number(total.n) }
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
    return { items, total: Number(total.n) }
  }

  /** Cases whose deadline is running or unknown, for supervision, filtered by region prefix and department. */
  findOpen(filter: { regionPrefix?: string; departmentId?: string; unknownOnly?: boolean; limit: number }) {
    let query = this.db
      .selectFrom('cases')
      .selectAll()
      .where('closed', '=', false) // the open-cases index
      .where('accepted_on', 'is not', null)
      .where('status', 'in', ['accepted', 'reviewed', 'suspended', 'correction_requested'])
    if (filter.regionPrefix) query = query.where('region_code', 'like', `${filter.regionPrefix}%`)
    if (filter.departmentId) query = query.where('department_id', '=', filter.departmentId)
    if (filter.unknownOnly) query = query.where('deadline_unknown', '=', true)
    return query.orderBy('promised_deadline').limit(filter.limit).execute()
  }

  /**
   * 电子监察 in SQL: open cases (accepted, deadline running, stopped or unknown) of a region subtree and
   * department, each with its warning level on `today` — red past the promised deadline, yellow when at
   * most T working days are left (T = max(1, ⌊20% of the promised days⌋), 1 for 即办件), i.e. when the
   * deadline falls on or before `cutoffs[T - 1]`, the last date T working days ahead — with the count of
   * every level and up to `limit` cases of the wanted level, soonest deadline first.
   */
  async supervise(filter: {
    regionPrefix: string
    departmentId?: string
    today: string
    cutoffs: string[]
    level?: string
    limit: number
  }): Promise<{ counts: Record<string, number>; items: (CaseRecord & { level: string })[] }> {
    const level = sql<string>`CASE
      WHEN c.deadline_unknown THEN 'unknown'
      WHEN c.paused_since IS NOT NULL THEN 'paused'
      WHEN c.promised_deadline IS NULL THEN 'none'
      WHEN c.promised_deadline < ${filter.today}::date THEN 'red'
      WHEN c.promised_deadline <= (${filter.cutoffs}::date[])[least(${filter.cutoffs.length}::int, greatest(1,
        CASE WHEN c.processing_kind = 'immediate' THEN 1 ELSE floor(0.2 * c.promised_limit_days)::int END))]
        THEN 'yellow'
      ELSE 'green' END`
    const open = sql`NOT c.closed AND c.accepted_on IS NOT NULL
      AND c.status IN ('accepted', 'reviewed', 'suspended', 'correction_requested')
      AND c.region_code LIKE ${`${filter.regionPrefix}%`}
      ${filter.departmentId ? sql`AND c.department_id = ${filter.departmentId}` : sql``}`
    const [counts, items] = await Promise.all([
      sql<{ level: string; n: number }>`
        SELECT level, count(*)::int AS n FROM (SELECT ${level} AS level FROM cases c WHERE ${open}) x
        GROUP BY level`.execute(this.db),
      sql<CaseRecord & { level: string }>`
        SELECT * FROM (SELECT c.*, ${level} AS level FROM cases c WHERE ${open}) x
        ${filter.level ? sql`WHERE x.level = ${filter.level}` : sql``}
        ORDER BY x.promised_deadline LIMIT ${filter.limit}`.execute(this.db),
    ])
    return {
      counts: Object.fromEntries(counts.rows.map((r) => [r.level, Number(r.n)])),
      items: items.rows,
    }
  }

  findWithUnknownDeadline(): Promise<CaseRecord[]> {
    return this.db.selectFrom('cases').selectAll().where('deadline_unknown', '=', true).execute()
  }

  async averageProcessingTime(filter: { regionPrefix?: string; departmentId?: string }) {
    let query = this.db
      .selectFrom('cases')
      .select((eb) => [
        'implementation_id',
        eb.fn.max('item_name').as('item_name'),
        eb.fn.countAll<number>().as('completed'),
        eb.fn.avg<number>('elapsed_working_days').as('average'),
      ])
      .where('elapsed_working_days', 'is not', null)
      .where('implementation_id', 'is not', null)
      .groupBy('implementation_id')
    if (filter.regionPrefix) query = query.where('region_code', 'like', `${filter.regionPrefix}%`)
    if (filter.departmentId) query = query.where('department_id', '=', filter.departmentId)
    return query.orderBy('implementation_id').execute()
  }

  // tasks

  findLiveTask(db: Executor, caseId: string): Promise<CaseTaskRecord | undefined> {
    return db
      .selectFrom('case_tasks')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('status', 'in', ['open', 'claimed'])
      .executeTakeFirst()
  }

  findTask(id: string): Promise<CaseTaskRecord | undefined> {
    return this.db.selectFrom('case_tasks').selectAll().where('id', '=', id).executeTakeFirst()
  }

  closeTask(db: Executor, id: string, at: Date, status: 'done' | 'cancelled' = 'done') {
    return db
      .updateTable('case_tasks')
      .set((eb) => ({ status, closed_at: at, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute()
  }

  insertTask(
    db: Executor,
    row: {
      case_id: string
      step: string
      department_id: string
      region_code: string
      role: TaskRole
      created_at: Date
    },
  ) {
    return db.insertInto('case_tasks').values(row).execute()
  }

  /** Changes a task's claim only if it is still at `version`. */
  async updateTask(
    db: Executor,
    id: string,
    version: number,
    changes: { status: 'open' | 'claimed'; claimed_by: string | null },
  ): Promise<boolean> {
    const result = await db
      .updateTable('case_tasks')
      .set({ ...changes, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', 'in', ['open', 'claimed'])
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  private tasks() {
    return this.db
      .selectFrom('case_tasks as t')
      .innerJoin('cases as c', 'c.id', 't.case_id')
      .selectAll('t')
      .select(['c.case_no', 'c.item_name', 'c.version as case_version', ...TIME_LIMIT_COLUMNS])
  }

  findTaskWithCase(id: string): Promise<TaskWithCase | undefined> {
    return this.tasks().where('t.id', '=', id).executeTakeFirst()
  }

  /** Tasks of the given departments and roles (a grant is one pair), by status. */
  async findTasks(filter: {
    scopes: { departmentId: string | null; role: TaskRole; regionCode: string }[]
    status?: 'open' | 'claimed' | 'done'
    claimedBy?: string
    limit: number
    offset: number
  }): Promise<{ items: TaskWithCase[]; total: number }> {
    if (filter.scopes.length === 0) return { items: [], total: 0 }
    let query = this.tasks().where((eb) =>
      eb.or(
        filter.scopes.map((s) =>
          eb.and([
            eb('t.role', '=', s.role),
            eb('t.region_code', 'like', `${regionPrefix(s.regionCode)}%`),
            ...(s.departmentId ? [eb('t.department_id', '=', s.departmentId)] : []),
          ]),
        ),
      ),
    )
    if (filter.status) query = query.where('t.status', '=', filter.status)
    else query = query.where('t.status', 'in', ['open', 'claimed'])
    if (filter.claimedBy) query = query.where('t.claimed_by', '=', filter.claimedBy)
    const [items, total] = await Promise.all([
      query.orderBy('t.created_at').limit(filter.limit).offset(filter.offset).execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ])
    return { items, total: Number(total.n) }
  }

  // notifications

  /** Writes an outbox event and, when it is a milestone to tell the applicant of, queues its notification. */
  async publishEvent(db: Executor, outbox: RawBuilder<unknown>, notify: boolean): Promise<void> {
    await sql`
      WITH published AS (${outbox} RETURNING id, topic, payload)
      INSERT INTO case_notifications (event_id, topic, payload)
      SELECT id, topic, payload FROM published WHERE ${notify}::boolean`.execute(db)
  }

  /**
   * Claims up to `limit` notifications to send, for `leaseSeconds` (another sender skips them meanwhile):
   * of each case only its oldest waiting one, so that a case's milestones go out in order whichever
   * process sends them.
   */
  async claimNotifications(limit: number, leaseSeconds: number) {
    const { rows } = await sql<{ event_id: string; topic: string; payload: unknown }>`
      UPDATE case_notifications
        SET claimed_until = now() + ${`${leaseSeconds} seconds`}::interval, attempts = attempts + 1
      WHERE event_id IN (
        SELECT n.event_id FROM case_notifications n
        WHERE (n.claimed_until IS NULL OR n.claimed_until < now())
          AND NOT EXISTS (SELECT 1 FROM case_notifications o
            WHERE o.payload->>'caseId' = n.payload->>'caseId' AND o.event_id < n.event_id)
        ORDER BY n.event_id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING event_id, topic, payload`.execute(this.db)
    return rows.map((r) => ({ ...r, event_id: Number(r.event_id) })).sort((a, b) => a.event_id - b.event_id)
  }

  async deleteNotifications(eventIds: number[]): Promise<void> {
    if (eventIds.length === 0) return
    await this.db.deleteFrom('case_notifications').where('event_id', 'in', eventIds).execute()
  }

  /** Records a failed attempt; retried after a back-off growing with the attempts (at most a minute). */
  async failNotification(eventId: number, error: string) {
    await sql`UPDATE case_notifications SET last_error = ${error.slice(0, 2000)},
      claimed_until = now() + least(attempts, 60) * interval '1 second' WHERE event_id = ${eventId}`.execute(
      this.db,
    )
  }

  // uploads

  insertUpload(db: Executor, row: { account_id: string; sha256: string; name: string; uploaded_at: Date }) {
    return db
      .insertInto('case_uploads')
      .values(row)
      .onConflict((oc) => oc.columns(['account_id', 'sha256']).doNothing())
      .execute()
  }

  /** Which of the files the account uploaded. */
  async findUploadedBy(accountId: string, sha256s: string[]): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('case_uploads')
      .select('sha256')
      .where('account_id', '=', accountId)
      .where('sha256', 'in', [...new Set(sha256s)])
      .execute()
    return new Set(rows.map((r) => r.sha256))
  }

  /** The material rows of a case naming a file, current or superseded by a correction. */
  findMaterialFile(caseId: string, sha256: string) {
    return this.db
      .selectFrom('case_materials')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('file_sha256', '=', sha256)
      .orderBy('added_at', 'desc')
      .executeTakeFirst()
  }

  // idempotency

  findIdempotencyKey(accountId: string, key: string) {
    return this.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('key', '=', key)
      .executeTakeFirst()
  }

  /** Deletes up to `batch` keys created before `before`; the number deleted. */
  async deleteIdempotencyKeys(before: Date, batch: number): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      WITH gone AS (
        DELETE FROM idempotency_keys WHERE (account_id, key) IN (
          SELECT account_id, key FROM idempotency_keys WHERE created_at < ${before} LIMIT ${batch})
        RETURNING 1)
      SELECT count(*)::int AS n FROM gone`.execute(this.db)
    return Number(rows[0]?.n ?? 0)
  }

  // drafts

  findDraft(id: string, db: Executor = this.db): Promise<DraftRecord | undefined> {
    return db.selectFrom('case_drafts').selectAll().where('id', '=', id).executeTakeFirst()
  }

  findDrafts(accountId: string): Promise<DraftRecord[]> {
    return this.db
      .selectFrom('case_drafts')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('updated_at', 'desc')
      .limit(100)
      .execute()
  }

  insertDraft(
    db: Executor,
    row: Omit<DraftRecord, 'id' | 'version' | 'form_data' | 'form_data_enc' | 'materials'> & {
      form_data_enc: string
      materials: unknown
    },
  ): Promise<DraftRecord> {
    return db
      .insertInto('case_drafts')
      .values({ ...row, materials: json(row.materials) })
      .returningAll()
      .executeTakeFirstOrThrow()
  }

  /** Changes a draft only if it is still at `version`; the new row, or undefined when someone saved first. */
  updateDraft(
    id: string,
    version: number,
    changes: Pick<DraftRecord, 'implementation_id' | 'guide_version' | 'bundle_id' | 'updated_at'> & {
      form_data_enc: string
      materials: unknown
    },
  ): Promise<DraftRecord | undefined> {
    return this.db
      .updateTable('case_drafts')
      .set({
        ...changes,
        form_data: null,
        materials: json(changes.materials),
        version: version + 1,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
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

  deleteDraft(db: Executor, id: string) {
    return db.deleteFrom('case_drafts').where('id', '=', id).execute()
  }

  // calendar

  findCalendarAdditions(): Promise<CalendarAdditionRecord[]> {
    return this.db.selectFrom('holiday_calendar_additions').selectAll().orderBy('created_at').execute()
  }

  insertCalendarAddition(
    db: Executor,
    row: {
      kind: Selectable<Database['holiday_calendar_additions']>['kind']
      date: string | null
      year: number | null
      name: string | null
      created_by: string | null
    },
  ): Promise<CalendarAdditionRecord> {
    return db.insertInto('holiday_calendar_additions').values(row).returningAll().executeTakeFirstOrThrow()
  }
}

/** The code prefix shared by every region within a region (330100 → 3301, 330000 → 33). */
export function regionPrefix(code: string): string {
  if (code.length === 12) return code.endsWith('000') ? code.slice(0, 9) : code
  if (code.endsWith('0000')) return code.slice(0, 2)
  if (code.endsWith('00')) return code.slice(0, 4)
  return code
}

/** A LIKE pattern matching `text` literally (PostgreSQL's default escape character is the backslash). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** A value for a jsonb column (the generated types wrap defaulted jsonb columns twice). */
function json(value: unknown): never {
  return JSON.stringify(value) as never
}
