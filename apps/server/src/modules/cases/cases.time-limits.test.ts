import { createWorkingDayCalendar } from '@tongban/standards'
import { describe, expect, it } from 'vitest'
import { deadlinesOf, pausedDays, shanghaiDate, type TimeLimitFacts, warningOf } from './cases.time-limits.ts'

const calendar = createWorkingDayCalendar()
const facts = (overrides: Partial<TimeLimitFacts> = {}): TimeLimitFacts => ({
  processingKind: 'promised',
  legalLimitDays: 20,
  promisedLimitDays: 10,
  acceptedOn: '2026-03-02',
  pausedWorkingDays: 0,
  pausedSince: null,
  finished: false,
  ...overrides,
})

describe('time limits in working days', () => {
  it('dates Asia/Shanghai', () => {
    expect(shanghaiDate(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02')
    expect(shanghaiDate(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01')
  })

  it('counts from acceptance, skipping weekends and holidays, extended by paused days', () => {
    expect(deadlinesOf(calendar, facts())).toEqual({
      known: true,
      legal: '2026-03-30',
      promised: '2026-03-16',
    })
    expect(deadlinesOf(calendar, facts({ pausedWorkingDays: 2 }))).toMatchObject({ promised: '2026-03-18' })
    // 劳动节 2026: 5月1日–5日 off, 5月9日 (Saturday) a make-up working day
    expect(deadlinesOf(calendar, facts({ acceptedOn: '2026-04-30', promisedLimitDays: 2 }))).toMatchObject({
      promised: '2026-05-07',
    })
    expect(deadlinesOf(calendar, facts({ acceptedOn: null }))).toBeUndefined()
  })

  it('gives 即办件 the day of acceptance', () => {
    expect(
      deadlinesOf(calendar, facts({ processingKind: 'immediate', legalLimitDays: 0, promisedLimitDays: 0 })),
    ).toEqual({
      known: true,
      legal: '2026-03-02',
      promised: '2026-03-02',
    })
  })

  it('warns green, yellow at 20% or one day left, red when overdue', () => {
    const deadlines = deadlinesOf(calendar, facts())
    expect(warningOf(calendar, facts(), deadlines, '2026-03-03').level).toBe('green')
    expect(warningOf(calendar, facts(), deadlines, '2026-03-12')).toMatchObject({
      level: 'yellow',
      workingDaysLeft: 2,
    })
    expect(warningOf(calendar, facts(), deadlines, '2026-03-13')).toMatchObject({
      level: 'yellow',
      workingDaysLeft: 1,
    })
    expect(warningOf(calendar, facts(), deadlines, '2026-03-16').level).toBe('yellow')
    expect(warningOf(calendar, facts(), deadlines, '2026-03-17').level).toBe('red')
    expect(warningOf(calendar, facts({ pausedSince: '2026-03-04' }), deadlines, '2026-03-20').level).toBe(
      'paused',
    )
    expect(warningOf(calendar, facts({ finished: true }), deadlines, '2026-03-20').level).toBe('none')
  })

  it('does not crash on a year missing from the calendar: the deadline is unknown, with a message for the administrator', () => {
    const late = facts({ acceptedOn: '2026-12-21' })
    const deadlines = deadlinesOf(calendar, late)
    expect(deadlines).toEqual({ known: false, missingYear: 2027 })
    const warning = warningOf(calendar, late, deadlines, '2026-12-22')
    expect(warning.level).toBe('unknown')
    expect(warning.warning?.zh).toContain('2027')
    // once 2027 is declared covered (here: an assumed calendar for the test), it resolves
    const withYear = createWorkingDayCalendar([
      { kind: 'holiday', date: '2027-01-01' },
      { kind: 'year', year: 2027 },
    ])
    expect(deadlinesOf(withYear, late)).toEqual({ known: true, legal: '2027-01-19', promised: '2027-01-05' })
  })

  it('blanks only the deadline in a missing year: a promised deadline inside 2026 keeps its warning', () => {
    const december = facts({ acceptedOn: '2026-12-07', promisedLimitDays: 5, legalLimitDays: 20 })
    const deadlines = deadlinesOf(calendar, december)
    expect(deadlines).toEqual({ known: false, missingYear: 2027, promised: '2026-12-14' })
    expect(warningOf(calendar, december, deadlines, '2026-12-08')).toMatchObject({
      level: 'green',
      workingDaysLeft: 4,
    })
    expect(warningOf(calendar, december, deadlines, '2026-12-11')).toMatchObject({
      level: 'yellow',
      workingDaysLeft: 1,
    })
    expect(warningOf(calendar, december, deadlines, '2026-12-15').level).toBe('red')
    // the promised deadline in the missing year: unknown, as before
    const late = facts({ acceptedOn: '2026-12-07', promisedLimitDays: 20, legalLimitDays: 20 })
    expect(warningOf(calendar, late, deadlinesOf(calendar, late), '2026-12-08').level).toBe('unknown')
  })

  it('measures pauses in working days, approximately when the calendar lacks the year', () => {
    expect(pausedDays(calendar, '2026-03-06', '2026-03-09')).toEqual({ days: 1, exact: true })
    expect(pausedDays(calendar, '2026-12-31', '2027-01-04')).toEqual({ days: 2, exact: false })
  })
})
