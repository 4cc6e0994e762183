import type { Kysely } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import {
  type CaseTaskRecord,
  type Executor,
  regionPrefix,
  type TaskRole,
  type TaskWithCase,
} from './records.ts'

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

/** Queries of case tasks (办理任务) and their queues; no rules here. */
export class TasksRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findById(id: string): Promise<CaseTaskRecord | undefined> {
    return this.db.selectFrom('case_tasks').selectAll().where('id', '=', id).executeTakeFirst()
  }

  /** Changes a task's claim only if it is still at `version` (and live); false when someone changed it first. */
  async updateClaim(
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

  private withCase() {
    return this.db
      .selectFrom('case_tasks as t')
      .innerJoin('cases as c', 'c.id', 't.case_id')
      .selectAll('t')
      .select(['c.case_no', 'c.item_name', 'c.version as case_version', ...TIME_LIMIT_COLUMNS])
  }

  findByIdWithCase(id: string): Promise<TaskWithCase | undefined> {
    return this.withCase().where('t.id', '=', id).executeTakeFirst()
  }

  /** Tasks of the given departments and roles (a grant is one pair), by status, oldest first. */
  async findMany(filter: {
    scopes: { departmentId: string | null; role: TaskRole; regionCode: string }[]
    status?: 'open' | 'claimed' | 'done'
    claimedBy?: string
    limit: number
    offset: number
  }): Promise<{ items: TaskWithCase[]; total: number }> {
    if (filter.scopes.length === 0) return { items: [], total: 0 }
    let query = this.withCase().where((eb) =>
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
}
