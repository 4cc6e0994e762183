import { describe, expect, it } from 'vitest'
import {
  addWorkingDays,
  CalendarYearMissingError,
  createWorkingDayCalendar,
  isWorkingDay,
  seedCalendarYears,
  workingDaysBetween,
} from './working-days.ts'

describe('seed calendar', () => {
  it('covers the years both data sources agree on', () => {
    const years = seedCalendarYears()
    expect(years[0]).toBe(2005)
    expect(years).toContain(2026)
    expect(years).not.toContain(2027)
  })

  it('knows 2026 holidays and make-up working days', () => {
    expect(isWorkingDay('2026-01-01')).toBe(false) // 元旦
    expect(isWorkingDay('2026-01-04')).toBe(true) // Sunday, 调休上班
    expect(isWorkingDay('2026-02-17')).toBe(false) // 春节
    expect(isWorkingDay('2026-03-07')).toBe(false) // plain Saturday
    expect(isWorkingDay('2026-03-09')).toBe(true) // plain Monday
  })

  it('uses the State Council notice where the sources disagreed', () => {
    expect(isWorkingDay('2005-12-31')).toBe(true)
    expect(isWorkingDay('2018-09-22')).toBe(false)
  })

  it('adds working days after a date', () => {
    expect(addWorkingDays('2026-03-06', 1)).toBe('2026-03-09') // Friday + 1 → Monday
    expect(addWorkingDays('2026-03-07', 1)).toBe('2026-03-09') // Saturday + 1 → Monday
    expect(addWorkingDays('2026-03-06', 0)).toBe('2026-03-06')
    expect(addWorkingDays('2026-03-02', 5)).toBe('2026-03-09')
    expect(addWorkingDays('2026-09-30', 1)).toBe('2026-10-08') // over 国庆
  })

  it('counts working days with the start excluded and the end included', () => {
    expect(workingDaysBetween('2026-03-06', '2026-03-09')).toBe(1)
    expect(workingDaysBetween('2026-03-06', '2026-03-06')).toBe(0)
    expect(workingDaysBetween('2026-03-09', '2026-03-06')).toBe(-1)
    expect(workingDaysBetween('2025-12-31', '2026-01-31')).toBe(21)
    for (let n = 0; n < 60; n++)
      expect(workingDaysBetween('2026-01-15', addWorkingDays('2026-01-15', n))).toBe(n)
  })

  it('refuses a year it has no data for, naming the year', () => {
    expect(() => isWorkingDay('2027-01-01')).toThrow(CalendarYearMissingError)
    expect(() => addWorkingDays('2026-12-30', 5)).toThrow(/2027/)
    try {
      workingDaysBetween('2026-12-01', '2027-01-10')
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarYearMissingError)
      expect((error as CalendarYearMissingError).year).toBe(2027)
    }
  })

  it('rejects malformed arguments', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError)
    expect(() => addWorkingDays('2026-03-06', -1)).toThrow(RangeError)
    expect(() => addWorkingDays('2026-03-06', 1.5)).toThrow(RangeError)
  })
})

describe('createWorkingDayCalendar', () => {
  const additions2027 = [
    { kind: 'year', year: 2027 },
    { kind: 'holiday', date: '2027-01-01', name: '元旦' },
    { kind: 'workday', date: '2027-01-02', name: '元旦补班' },
  ] as const

  it('covers a year once an administrator declares it with a year marker', () => {
    const calendar = createWorkingDayCalendar([...additions2027])
    expect(calendar.coveredYears()).toContain(2027)
    expect(calendar.isWorkingDay('2027-01-01')).toBe(false)
    expect(calendar.isWorkingDay('2027-01-02')).toBe(true) // Saturday made a working day
    expect(calendar.addWorkingDays('2026-12-31', 1)).toBe('2027-01-02')
  })

  it('answers a missing year without throwing when asked to (tryAddWorkingDays)', () => {
    const seedOnly = createWorkingDayCalendar()
    expect(seedOnly.tryAddWorkingDays('2026-12-30', 5)).toEqual({ missingYear: 2027 })
    expect(seedOnly.tryAddWorkingDays('2026-03-06', 1)).toEqual({ date: '2026-03-09' })
    expect(seedOnly.tryAddWorkingDays('2026-12-31', 0)).toEqual({ date: '2026-12-31' })
    const extended = createWorkingDayCalendar([...additions2027])
    expect(extended.tryAddWorkingDays('2026-12-31', 1)).toEqual({ date: '2027-01-02' })
    // the same answers as addWorkingDays, up to and past the end of the covered years
    for (let n = 0; n < 60; n++) {
      let expected: { date: string } | { missingYear: number }
      try {
        expected = { date: seedOnly.addWorkingDays('2026-11-02', n) }
      } catch (error) {
        expected = { missingYear: (error as CalendarYearMissingError).year }
      }
      expect(seedOnly.tryAddWorkingDays('2026-11-02', n)).toEqual(expected)
    }
    expect(seedOnly.tryAddWorkingDays('2026-11-02', 59)).toEqual({ missingYear: 2027 })
    expect(() => seedOnly.tryAddWorkingDays('2026-02-30', 1)).toThrow(RangeError)
  })

  it('does not treat dated additions alone as covering a year', () => {
    const calendar = createWorkingDayCalendar([{ kind: 'holiday', date: '2027-01-01' }])
    expect(() => calendar.isWorkingDay('2027-01-01')).toThrow(CalendarYearMissingError)
  })

  it('lets additions correct a seeded year', () => {
    const calendar = createWorkingDayCalendar([{ kind: 'holiday', date: '2026-03-09', name: '临时调整' }])
    expect(calendar.isWorkingDay('2026-03-09')).toBe(false)
    expect(isWorkingDay('2026-03-09')).toBe(true)
  })

  it('rejects invalid additions', () => {
    expect(() => createWorkingDayCalendar([{ kind: 'holiday', date: '2027-13-01' }])).toThrow(RangeError)
    expect(() => createWorkingDayCalendar([{ kind: 'year', year: 27 }])).toThrow(RangeError)
  })
})
