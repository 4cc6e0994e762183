import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import type { CalendarAdditionRecord, Executor } from './records.ts'

/** Additions to the shipped working-day calendar (节假日补充); no rules here. */
export class CalendarRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findAll(): Promise<CalendarAdditionRecord[]> {
    return this.db.selectFrom('holiday_calendar_additions').selectAll().orderBy('created_at').execute()
  }

  insert(
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
