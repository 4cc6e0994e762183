import data from './data/holidays.generated.json' with { type: 'json' }
import { fromEpochDay, parseDateNumber, toEpochDay } from './dates.ts'

/**
 * An administrator's change to the 工作日 calendar: a date that is a holiday or a (make-up) working day,
 * or a `year` marker declaring that a year's holidays and make-up days have all been entered.
 */
export type CalendarAddition =
  | { kind: 'holiday' | 'workday'; date: string; name?: string }
  | { kind: 'year'; year: number }

/** Thrown when a date falls in a year the calendar has no data for: never guess a year's holidays. */
export class CalendarYearMissingError extends Error {
  readonly year: number
  constructor(year: number) {
    super(
      `No working-day calendar for ${year}: add its holidays and make-up working days, then { kind: 'year', year: ${year} }`,
    )
    this.name = 'CalendarYearMissingError'
    this.year = year
  }
}

/** A 工作日 calendar of mainland China (dates are 'YYYY-MM-DD' calendar dates in Asia/Shanghai). */
export type WorkingDayCalendar = {
  /** Whether the date is a working day: Monday–Friday unless a holiday, or a make-up working day. */
  isWorkingDay: (date: string) => boolean
  /**
   * The date `n` working days after `date` (n ≥ 0 integer): the n-th working day strictly after `date`.
   * n = 0 returns `date` unchanged. Accepted Friday 2026-03-06 + 1 → Monday 2026-03-09.
   */
  addWorkingDays: (date: string, n: number) => string
  /**
   * As addWorkingDays, but a year without calendar data is an answer, not an exception: for callers
   * that expect it (a time limit running into a year whose holidays are not yet published) and must not
   * pay for an Error on every call.
   */
  tryAddWorkingDays: (date: string, n: number) => { date: string } | { missingYear: number }
  /**
   * Number of working days d with a < d ≤ b (start excluded, end included), so that
   * workingDaysBetween(a, addWorkingDays(a, n)) === n. 0 when a === b; negative when b < a.
   */
  workingDaysBetween: (a: string, b: string) => number
  /** Years with calendar data, ascending. */
  coveredYears: () => number[]
}

const checkDate = (date: string): void => {
  if (parseDateNumber(date) === undefined) throw new RangeError(`Not a real YYYY-MM-DD date: ${String(date)}`)
}

/** The covered years and the dates that differ from Monday–Friday, from the seed and the additions. */
const calendarData = (additions: readonly CalendarAddition[]) => {
  const covered = new Set<number>(Object.keys(data.years).map(Number))
  /** epoch day → working (true) or not (false), for every date that differs from or names the default. */
  const overrides = new Map<number, boolean>()
  for (const year of Object.values(data.years)) {
    for (const h of year.holidays) overrides.set(toEpochDay(h.date), false)
    for (const w of year.workdays) overrides.set(toEpochDay(w.date), true)
  }
  for (const a of additions) {
    if (a.kind === 'year') {
      if (!Number.isInteger(a.year) || a.year < 1900 || a.year > 9999)
        throw new RangeError(`Invalid year: ${a.year}`)
      covered.add(a.year)
      continue
    }
    checkDate(a.date)
    overrides.set(toEpochDay(a.date), a.kind === 'workday')
  }
  return { covered, overrides }
}

/** The day-level rules over the calendar's data: whether a day is worked, and year coverage checks. */
const dayRules = (covered: Set<number>, overrides: Map<number, boolean>) => {
  const workingOnDay = (day: number): boolean => {
    const o = overrides.get(day)
    if (o !== undefined) return o
    const dow = (((day + 4) % 7) + 7) % 7 // 1970-01-01 was a Thursday (4)
    return dow !== 0 && dow !== 6
  }
  const yearOfDay = (day: number) => new Date(day * 86_400_000).getUTCFullYear()
  const requireYear = (year: number) => {
    if (!covered.has(year)) throw new CalendarYearMissingError(year)
  }
  /** The first day of the year after `day`'s (days before it need no new coverage check). */
  const nextYearStart = (day: number): number => Date.UTC(yearOfDay(day) + 1, 0, 1) / 86_400_000
  /** Checks the year of `day` is covered; answers the first day of the following year. */
  const checkYearOf = (day: number): number => {
    requireYear(yearOfDay(day))
    return nextYearStart(day)
  }
  return { workingOnDay, yearOfDay, requireYear, nextYearStart, checkYearOf }
}

/**
 * Creates a 工作日 calendar from the shipped seed (法定节假日 and 调休 of every year in
 * data/holidays.generated.json) plus administrator additions, which take precedence over the seed.
 *
 * A year counts as covered when the seed has it or an addition `{ kind: 'year', year }` declares it.
 * Holiday/workday additions alone do not cover a year; they correct or complete it. Any query touching
 * an uncovered year throws CalendarYearMissingError.
 */
export const createWorkingDayCalendar = (additions: readonly CalendarAddition[] = []): WorkingDayCalendar => {
  const { covered, overrides } = calendarData(additions)
  const { workingOnDay, yearOfDay, requireYear, nextYearStart, checkYearOf } = dayRules(covered, overrides)

  const isWorkingDay = (date: string): boolean => {
    checkDate(date)
    requireYear(Number(date.slice(0, 4)))
    return workingOnDay(toEpochDay(date))
  }

  const tryAddWorkingDays = (date: string, n: number): { date: string } | { missingYear: number } => {
    checkDate(date)
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer')
    let day = toEpochDay(date)
    let left = n
    let checkedUntil = day + 1
    while (left > 0) {
      day++
      if (day >= checkedUntil) {
        const year = yearOfDay(day)
        if (!covered.has(year)) return { missingYear: year }
        checkedUntil = nextYearStart(day)
      }
      if (workingOnDay(day)) left--
    }
    return { date: fromEpochDay(day) }
  }

  const addWorkingDays = (date: string, n: number): string => {
    const result = tryAddWorkingDays(date, n)
    if ('missingYear' in result) throw new CalendarYearMissingError(result.missingYear)
    return result.date
  }

  const workingDaysBetween = (a: string, b: string): number => {
    checkDate(a)
    checkDate(b)
    const from = toEpochDay(a)
    const to = toEpochDay(b)
    if (to < from) return -workingDaysBetween(b, a)
    let count = 0
    let checkedUntil = from + 1
    for (let day = from + 1; day <= to; day++) {
      if (day >= checkedUntil) checkedUntil = checkYearOf(day)
      if (workingOnDay(day)) count++
    }
    return count
  }

  return {
    isWorkingDay,
    addWorkingDays,
    tryAddWorkingDays,
    workingDaysBetween,
    coveredYears: () => [...covered].sort((x, y) => x - y),
  }
}

const seed = createWorkingDayCalendar()

/** Whether a date is a 工作日 in the seed calendar (see WorkingDayCalendar.isWorkingDay). */
export const isWorkingDay = (date: string): boolean => seed.isWorkingDay(date)

/** The date n 工作日 after `date` in the seed calendar (see WorkingDayCalendar.addWorkingDays). */
export const addWorkingDays = (date: string, n: number): string => seed.addWorkingDays(date, n)

/** 工作日 between two dates in the seed calendar, start excluded and end included (see WorkingDayCalendar). */
export const workingDaysBetween = (a: string, b: string): number => seed.workingDaysBetween(a, b)

/** Years the seed calendar covers. */
export const seedCalendarYears = (): number[] => seed.coveredYears()
