import type { WorkingDayCalendar } from '@tongban/standards'
import type { AuthenticatedActor } from '../../platform/authz.ts'
import { AppError } from '../../platform/errors.ts'
import type { CasesContext } from './cases.context.ts'
import { mayReadProcessingTimes, maySupervise, supervisingGrants } from './cases.policy.ts'
import { shanghaiDate } from './cases.time-limits.ts'
import { timeLimitToday } from './reading.ts'
import { type CaseRecord, regionPrefix } from './repository/records.ts'

/** How many thresholds of yellow warnings are computed: promised limits up to 5 × this many working days. */
const YELLOW_CUTOFFS = 400

/** Open cases the calendar cannot level in SQL (it lacks this year) are levelled here, at most this many. */
const LEVELLED_IN_CODE = 2_000

/**
 * 电子监察: open cases of a region subtree (the caller's first grant's by default) and department, by
 * warning level, with the count of every level; 403 unless a grant of the caller covers them.
 */
export async function supervise(
  ctx: CasesContext,
  actor: AuthenticatedActor,
  filter: { level?: string; region?: string; department?: string; limit: number },
) {
  const grants = supervisingGrants(actor)
  const region = filter.region ?? grants[0]?.regionCode
  if (!region || !maySupervise(actor, region, filter.department)) throw new AppError('forbidden')
  const departmentBound = grants.every((g) => g.departmentId !== null)
  const department =
    filter.department ?? (departmentBound ? (grants[0]?.departmentId ?? undefined) : undefined)
  const scope = { regionPrefix: regionPrefix(region), ...(department ? { departmentId: department } : {}) }
  const calendar = await ctx.calendar.get()
  const today = shanghaiDate(ctx.platform.clock.now())
  const cutoffs = yellowCutoffs(calendar, today)
  if (!cutoffs) return levelledInCode(ctx, scope, filter, calendar)
  // levels counted and filtered by the database, every open case counted; the time limit of the cases
  // shown is computed here (days left and the warning's words)
  const found = await ctx.repositories.supervision.findLevels({
    ...scope,
    today,
    cutoffs,
    ...(filter.level ? { level: filter.level } : {}),
    limit: filter.limit,
  })
  return {
    counts: found.counts,
    items: found.items.map((row) => ({ row, limit: timeLimitToday(ctx, row, calendar) })),
  }
}

/** The calendar lacks this year: every level is worked out here, over at most LEVELLED_IN_CODE open cases. */
async function levelledInCode(
  ctx: CasesContext,
  scope: { regionPrefix: string; departmentId?: string },
  filter: { level?: string; limit: number },
  calendar: WorkingDayCalendar,
) {
  const rows = await ctx.repositories.supervision.findOpen({ ...scope, limit: LEVELLED_IN_CODE })
  const counts: Record<string, number> = {}
  const items: { row: CaseRecord; limit: ReturnType<typeof timeLimitToday> }[] = []
  for (const row of rows) {
    const limit = timeLimitToday(ctx, row, calendar)
    counts[limit.level] = (counts[limit.level] ?? 0) + 1
    if (filter.level && limit.level !== filter.level) continue
    if (items.length < filter.limit) items.push({ row, limit })
  }
  return { items, counts }
}

/**
 * Average processing time (working days) per item in a region subtree (the caller's first grant's by
 * default) and department; 403 unless a grant of the caller covers them.
 */
export async function averageProcessingTime(
  ctx: CasesContext,
  actor: AuthenticatedActor,
  filter: { region?: string; department?: string },
) {
  const region = filter.region ?? actor.roles[0]?.regionCode ?? '000000'
  if (!mayReadProcessingTimes(actor, region, filter.department)) throw new AppError('forbidden')
  return ctx.repositories.supervision.averageProcessingTime({
    regionPrefix: regionPrefix(region),
    ...(filter.department ? { departmentId: filter.department } : {}),
  })
}

/**
 * For T = 1 … YELLOW_CUTOFFS, the last date at most T working days after `today` (the day before the
 * (T+1)-th working day after it): a deadline on or before it has at most T working days left. Past the end
 * of the calendar's years every known deadline is nearer, so the rest are the end of time. Undefined when
 * the calendar lacks `today`'s year (no level can be computed then).
 */
function yellowCutoffs(calendar: WorkingDayCalendar, today: string): string[] | undefined {
  const cached = cutoffCache.get(calendar)
  if (cached?.today === today) return cached.cutoffs
  const dayAfter = (day: string) => new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10)
  try {
    calendar.isWorkingDay(today)
  } catch {
    return undefined
  }
  const cutoffs: string[] = []
  let day = today
  let working = 0
  try {
    while (cutoffs.length < YELLOW_CUTOFFS) {
      const next = dayAfter(day)
      if (calendar.isWorkingDay(next)) {
        working += 1
        if (working >= 2) cutoffs.push(day)
      }
      day = next
    }
  } catch {
    while (cutoffs.length < YELLOW_CUTOFFS) cutoffs.push('9999-12-31')
  }
  cutoffCache.set(calendar, { today, cutoffs })
  return cutoffs
}
const cutoffCache = new WeakMap<WorkingDayCalendar, { today: string; cutoffs: string[] }>()
