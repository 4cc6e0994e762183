import { type Kysely, sql } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import { SUPERVISED_STATUSES } from '../cases.state.ts'
import { type CaseRecord, type CaseRow, caseRecordOf } from './records.ts'

/** Queries of open and completed cases for 电子监察 (supervision); no rules here. */
export class SupervisionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Cases whose deadline is running or unknown, by region prefix and department, soonest deadline first. */
  async findOpen(filter: {
    regionPrefix?: string
    departmentId?: string
    limit: number
  }): Promise<CaseRecord[]> {
    let query = this.db
      .selectFrom('cases')
      .selectAll()
      .where('closed', '=', false) // the open-cases index
      .where('accepted_on', 'is not', null)
      .where('status', 'in', SUPERVISED_STATUSES)
    if (filter.regionPrefix) query = query.where('region_code', 'like', `${filter.regionPrefix}%`)
    if (filter.departmentId) query = query.where('department_id', '=', filter.departmentId)
    const rows = await query.orderBy('promised_deadline').limit(filter.limit).execute()
    return rows.map(caseRecordOf)
  }

  /**
   * 电子监察 in SQL: open cases (accepted, deadline running, stopped or unknown) of a region subtree and
   * department, each with its warning level on `today` — red past the promised deadline, yellow when at
   * most T working days are left (T = max(1, ⌊20% of the promised days⌋), 1 for 即办件), i.e. when the
   * deadline falls on or before `cutoffs[T - 1]`, the last date T working days ahead — with the count of
   * every level and up to `limit` cases of the wanted level, soonest deadline first.
   */
  async findLevels(filter: {
    regionPrefix: string
    departmentId?: string
    today: string
    cutoffs: string[]
    level?: string
    limit: number
  }): Promise<{ counts: Record<string, number>; items: (CaseRecord & { level: string })[] }> {
    const level = sql<string>`CASE
      WHEN c.deadline_unknown AND c.promised_deadline IS NULL THEN 'unknown'
      WHEN c.paused_since IS NOT NULL THEN 'paused'
      WHEN c.promised_deadline IS NULL THEN 'none'
      WHEN c.promised_deadline < ${filter.today}::date THEN 'red'
      WHEN c.promised_deadline <= (${filter.cutoffs}::date[])[least(${filter.cutoffs.length}::int, greatest(1,
        CASE WHEN c.processing_kind = 'immediate' THEN 1 ELSE floor(0.2 * c.promised_limit_days)::int END))]
        THEN 'yellow'
      ELSE 'green' END`
    const open = sql`NOT c.closed AND c.accepted_on IS NOT NULL
      AND c.status IN (${sql.join(SUPERVISED_STATUSES.map((status) => sql.lit(status)))})
      AND c.region_code LIKE ${`${filter.regionPrefix}%`}
      ${filter.departmentId ? sql`AND c.department_id = ${filter.departmentId}` : sql``}`
    const [counts, items] = await Promise.all([
      sql<{ level: string; n: number }>`
        SELECT level, count(*)::int AS n FROM (SELECT ${level} AS level FROM cases c WHERE ${open}) x
        GROUP BY level`.execute(this.db),
      sql<CaseRow & { level: string }>`
        SELECT * FROM (SELECT c.*, ${level} AS level FROM cases c WHERE ${open}) x
        ${filter.level ? sql`WHERE x.level = ${filter.level}` : sql``}
        ORDER BY x.promised_deadline LIMIT ${filter.limit}`.execute(this.db),
    ])
    return {
      counts: Object.fromEntries(counts.rows.map((r) => [r.level, Number(r.n)])),
      items: items.rows.map((row) => ({ ...caseRecordOf(row), level: row.level })),
    }
  }

  /** Completed cases' average working days per implementation, by region prefix and department. */
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
}
