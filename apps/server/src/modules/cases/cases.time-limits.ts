import type { LocalizedText, TimeLimitSummary, WarningLevel } from '@tongban/contracts'
import { CalendarYearMissingError, type WorkingDayCalendar } from '@tongban/standards'
import { messages } from './cases.messages.ts'
import { FINISHED_STATUSES, isStatusIn } from './cases.state.ts'
import type { TimeLimitColumns, TimeLimitFactColumns } from './repository/records.ts'

const SHANGHAI_OFFSET_MS = 8 * 3_600_000

/** The Asia/Shanghai calendar date of an instant (China keeps UTC+8 all year). */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10)
}

/** The facts a time limit is computed from. */
export interface TimeLimitFacts {
  processingKind: 'immediate' | 'promised'
  legalLimitDays: number
  promisedLimitDays: number
  acceptedOn: string | null
  pausedWorkingDays: number
  pausedSince: string | null
  finished: boolean
}

/**
 * The deadlines of a case: both known, or not both (a year missing from the calendar) — then the one that
 * falls in a covered year is still given, so a promised deadline inside a known year keeps its warning.
 */
export type Deadlines =
  | { known: true; legal: string; promised: string }
  | { known: false; missingYear: number; legal?: string; promised?: string }

/**
 * 法定/承诺时限: the dates by which a case must be decided, counted in working days from acceptance,
 * extended by the working days the clock stood still (correction after acceptance, suspension).
 * 即办件 are due the day they are accepted. A year missing from the calendar gives an unknown deadline,
 * never an error: it is the administrator's problem, not the applicant's.
 */
export function deadlinesOf(calendar: WorkingDayCalendar, facts: TimeLimitFacts): Deadlines | undefined {
  if (!facts.acceptedOn) return undefined
  if (facts.processingKind === 'immediate') {
    return { known: true, legal: facts.acceptedOn, promised: facts.acceptedOn }
  }
  // a limit running into a year whose holidays are not published yet is common each December: answered
  // as unknown, without the cost of an exception on every move
  // each deadline on its own: a missing year blanks only the deadline that falls in it
  const legal = calendar.tryAddWorkingDays(facts.acceptedOn, facts.legalLimitDays + facts.pausedWorkingDays)
  const promised = calendar.tryAddWorkingDays(
    facts.acceptedOn,
    facts.promisedLimitDays + facts.pausedWorkingDays,
  )
  if ('date' in legal && 'date' in promised)
    return { known: true, legal: legal.date, promised: promised.date }
  const missing = 'missingYear' in promised ? promised : legal
  return {
    known: false,
    missingYear: 'missingYear' in missing ? missing.missingYear : 0,
    ...('date' in legal ? { legal: legal.date } : {}),
    ...('date' in promised ? { promised: promised.date } : {}),
  }
}

/** Working days a pause lasted (start excluded, end included); weekdays when the calendar lacks a year. */
export function pausedDays(
  calendar: WorkingDayCalendar,
  since: string,
  until: string,
): { days: number; exact: boolean } {
  try {
    return { days: Math.max(0, calendar.workingDaysBetween(since, until)), exact: true }
  } catch (error) {
    if (!(error instanceof CalendarYearMissingError)) throw error
    let days = 0
    for (let t = Date.parse(since) + 86_400_000; t <= Date.parse(until); t += 86_400_000) {
      const dow = new Date(t).getUTCDay()
      if (dow !== 0 && dow !== 6) days++
    }
    return { days, exact: false }
  }
}

export interface Warning {
  level: WarningLevel
  workingDaysLeft: number | null
  warning: LocalizedText | null
}

/**
 * 电子监察 warning level of a case on `today`: red when the promised deadline has passed, yellow when one
 * working day or 20% of the promised time is left, green otherwise; paused while the clock stands still;
 * unknown (with a message for the administrator) when the calendar lacks a year.
 */
export function warningOf(
  calendar: WorkingDayCalendar,
  facts: TimeLimitFacts,
  deadlines: Deadlines | undefined,
  today: string,
): Warning {
  if (!facts.acceptedOn || facts.finished || !deadlines)
    return { level: 'none', workingDaysLeft: null, warning: null }
  // the warning goes by the promised deadline: unknown only when that one falls in a missing year
  if (deadlines.promised === undefined) return unknownWarning(deadlines.known ? 0 : deadlines.missingYear)
  if (facts.pausedSince) return { level: 'paused', workingDaysLeft: null, warning: null }
  let left: number
  try {
    left = calendar.workingDaysBetween(today, deadlines.promised)
  } catch (error) {
    if (error instanceof CalendarYearMissingError) return unknownWarning(error.year)
    throw error
  }
  if (today > deadlines.promised) {
    return { level: 'red', workingDaysLeft: left, warning: messages.pastPromised(deadlines.promised) }
  }
  const limit = facts.processingKind === 'immediate' ? 0 : facts.promisedLimitDays
  if (left <= 1 || left <= 0.2 * limit) {
    return { level: 'yellow', workingDaysLeft: left, warning: messages.daysLeft(left) }
  }
  return { level: 'green', workingDaysLeft: left, warning: null }
}

function unknownWarning(year: number): Warning {
  return { level: 'unknown', workingDaysLeft: null, warning: messages.calendarMissing(year) }
}

/** The time-limit facts of a case's columns. */
export function factsOf(record: TimeLimitFactColumns): TimeLimitFacts {
  return {
    processingKind: record.processing_kind,
    legalLimitDays: record.legal_limit_days,
    promisedLimitDays: record.promised_limit_days,
    acceptedOn: record.accepted_on,
    pausedWorkingDays: record.paused_working_days,
    pausedSince: record.paused_since,
    finished: record.completed_on !== null || isStatusIn(record.status, FINISHED_STATUSES),
  }
}

/** A case's time limit on `today`: its warning, and the facts it was computed from. */
export function timeLimitOf(
  record: TimeLimitColumns,
  calendar: WorkingDayCalendar,
  today: string,
): Warning & { facts: TimeLimitFacts } {
  const facts = factsOf(record)
  const deadlines = record.deadline_unknown
    ? deadlinesOf(calendar, facts)
    : record.promised_deadline && record.legal_deadline
      ? { known: true as const, legal: record.legal_deadline, promised: record.promised_deadline }
      : undefined
  return { ...warningOf(calendar, facts, deadlines, today), facts }
}

/** The time limit in brief, as task queues and searches show it next to each case. */
export function timeLimitSummary(
  record: TimeLimitColumns,
  calendar: WorkingDayCalendar,
  today: string,
): TimeLimitSummary {
  const limit = timeLimitOf(record, calendar, today)
  return {
    acceptedAt: record.accepted_at?.toISOString() ?? null,
    acceptedOn: record.accepted_on,
    legalDeadline: record.legal_deadline,
    promisedDeadline: record.promised_deadline,
    workingDaysLeft: limit.workingDaysLeft,
    level: limit.level,
    clockStopped: record.paused_since !== null,
    warning: limit.warning,
  }
}
