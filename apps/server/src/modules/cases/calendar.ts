import type { CalendarAdditionBody } from '@tongban/contracts'
import { type CalendarAddition, createWorkingDayCalendar, type WorkingDayCalendar } from '@tongban/standards'
import type { AuthenticatedActor } from '../../platform/authz.ts'
import { AppError } from '../../platform/errors.ts'
import type { AuditWho, CasesContext } from './cases.context.ts'
import { mayEditNationalCalendar } from './cases.policy.ts'
import { deadlinesOf, factsOf } from './cases.time-limits.ts'
import type { CalendarRepository } from './repository/calendar.repository.ts'
import type { CalendarAdditionRecord } from './repository/records.ts'

const CALENDAR_TTL_MS = 60_000

/**
 * The working-day calendar: the shipped seed plus the database's additions. The one place a calendar is
 * made, kept for a minute (and dropped at once when this process adds to it).
 */
export class WorkingDayCalendars {
  private cached: { at: number; calendar: WorkingDayCalendar } | undefined

  constructor(private readonly additions: CalendarRepository) {}

  async get(): Promise<WorkingDayCalendar> {
    const now = Date.now()
    if (this.cached && now - this.cached.at < CALENDAR_TTL_MS) return this.cached.calendar
    const rows = await this.additions.findAll()
    const calendar = createWorkingDayCalendar(rows.map(toCalendarAddition))
    this.cached = { at: now, calendar }
    return calendar
  }

  /** Forgets the calendar, so that the next `get` reads the additions again. */
  forget(): void {
    this.cached = undefined
  }
}

function toCalendarAddition(row: CalendarAdditionRecord): CalendarAddition {
  if (row.kind === 'year' && row.year !== null) return { kind: 'year', year: row.year }
  if (row.kind !== 'year' && row.date !== null)
    return { kind: row.kind, date: row.date, ...(row.name ? { name: row.name } : {}) }
  throw new Error(`calendar addition ${row.id} has neither a date nor a year`)
}

/** The additions to the shipped calendar, oldest first. */
export function listCalendarAdditions(ctx: CasesContext): Promise<CalendarAdditionRecord[]> {
  return ctx.repositories.calendar.findAll()
}

/**
 * 节假日补充: adds a holiday, a make-up working day or a whole year (audited, a province-level system
 * administrator's), then gives cases whose deadline was unknown their deadline.
 */
export async function addCalendarAddition(
  ctx: CasesContext,
  input: CalendarAdditionBody,
  actor: AuthenticatedActor,
  who: AuditWho,
): Promise<CalendarAdditionRecord> {
  if (!mayEditNationalCalendar(actor)) throw new AppError('forbidden')
  const row = await ctx.platform.db.transaction().execute(async (trx) => {
    const inserted = await ctx.repositories.calendar.insert(trx, {
      kind: input.kind,
      date: input.kind === 'year' ? null : input.date,
      year: input.kind === 'year' ? input.year : null,
      name: input.kind === 'year' ? null : (input.name ?? null),
      created_by: who.actorId,
    })
    await ctx.platform.audit.append(trx, {
      ...who,
      action: 'calendar.add',
      resourceType: 'holiday_calendar_addition',
      resourceId: inserted.id,
      regionCode: null,
      outcome: 'success',
      details: { ...input },
    })
    return inserted
  })
  ctx.calendar.forget()
  await recomputeUnknownDeadlines(ctx)
  return row
}

/** Cases whose deadline was unknown get it now, if the calendar has learnt the missing year. */
export async function recomputeUnknownDeadlines(ctx: CasesContext): Promise<number> {
  const calendar = await ctx.calendar.get()
  let fixed = 0
  for (const row of await ctx.repositories.cases.findWithUnknownDeadline()) {
    const deadlines = deadlinesOf(calendar, factsOf(row))
    if (!deadlines?.known) continue
    await ctx.repositories.cases.update(ctx.platform.db, row.id, {
      legal_deadline: deadlines.legal,
      promised_deadline: deadlines.promised,
      deadline_unknown: false,
      supervision_flag: null,
    })
    fixed++
  }
  return fixed
}
