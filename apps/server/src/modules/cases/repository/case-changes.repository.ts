import { type RawBuilder, sql } from 'kysely'
import type { CaseChange, CaseEventRow } from '../lifecycle/case-change.ts'
import type { Executor, MaterialRow, NewCaseRow, NewTaskRow } from './records.ts'
import { sqlFile } from './sql-file.ts'

const writeChangesSql = sqlFile<{ n: number }>(new URL('./write-changes.sql', import.meta.url))
const insertSubmissionsSql = sqlFile<{ n: number }>(new URL('./insert-submissions.sql', import.meta.url))

/** The platform's INSERTs of outbox events and audit entries from a recordset (one JSON object per row). */
export interface Recordsets {
  outbox: (source: RawBuilder<unknown>) => RawBuilder<unknown>
  audit: (source: RawBuilder<unknown>) => RawBuilder<unknown>
}

/** One submission of insertSubmissions, as plain JSON values. */
export interface SubmissionRows {
  cases: NewCaseRow[]
  events: (CaseEventRow & { case_id: string })[]
  tasks: NewTaskRow[]
  materials: MaterialRow[]
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

/**
 * The writes of cases: case changes and whole submissions in one statement each (write-changes.sql,
 * insert-submissions.sql, decisions 0013 and 0014), and the materials a correction replaces.
 */
export class CaseChangesRepository {
  constructor(private readonly recordsets: Recordsets) {}

  /**
   * Writes changes of distinct cases in one statement and one commit (or in the caller's transaction):
   * each applied only if its case is still at its version. Answers, per change in order, whether it was
   * written (false: the case moved on). The statement fails as a whole or not at all.
   */
  async write(db: Executor, changes: CaseChange[]): Promise<boolean[]> {
    const input = changes.map((c, n) => ({
      n,
      id: c.caseId,
      version: c.version,
      changes: c.projection,
      event: c.event,
      close_task: c.closeTask,
      open_task: c.openTask,
      outbox: c.outbox,
      notify: c.notify,
      audit: c.audit,
    }))
    const { rows } = await writeChangesSql({
      changes: JSON.stringify(input),
      outbox: this.recordsets.outbox(sql`SELECT d.outbox AS event FROM done d`),
      audit: this.recordsets.audit(sql`SELECT d.audit AS entry FROM done d WHERE d.audit IS NOT NULL`),
    }).execute(db)
    return writtenOf(rows, changes.length)
  }

  /**
   * Writes whole submissions in one statement and one commit (or in the caller's transaction). A key takes
   * over an expired row of the same key (created before `expiredBefore`); a submission whose key a live
   * row holds writes nothing. Answers, per submission in order, whether it was written. Keys must be
   * distinct within one call.
   */
  async insertSubmissions(
    db: Executor,
    submissions: SubmissionRows[],
    expiredBefore: Date,
  ): Promise<boolean[]> {
    const input = submissions.map((s, n) => ({
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
    }))
    const { rows } = await insertSubmissionsSql({
      submissions: JSON.stringify(input),
      expired_before: expiredBefore,
      outbox: this.recordsets.outbox(
        sql`SELECT e.value AS event FROM stored s CROSS JOIN LATERAL jsonb_array_elements(s.outbox) AS e`,
      ),
      audit: this.recordsets.audit(sql`SELECT s.audit AS entry FROM stored s`),
    }).execute(db)
    return writtenOf(rows, submissions.length)
  }

  /** Adds material rows to cases. */
  async insertMaterials(db: Executor, rows: MaterialRow[]): Promise<void> {
    if (rows.length === 0) return
    await db.insertInto('case_materials').values(rows).execute()
  }

  /** Marks a case's current materials of the keys superseded (a correction replaced them). */
  async supersedeMaterials(db: Executor, caseId: string, keys: string[], at: Date): Promise<void> {
    if (keys.length === 0) return
    await db
      .updateTable('case_materials')
      .set({ superseded_at: at })
      .where('case_id', '=', caseId)
      .where('material_key', 'in', keys)
      .where('superseded_at', 'is', null)
      .execute()
  }
}

/** Per input in order, whether the statement answered its number (n). */
function writtenOf(rows: { n: number }[], count: number): boolean[] {
  const written = new Set(rows.map((row) => row.n))
  return Array.from({ length: count }, (_, n) => written.has(n))
}
