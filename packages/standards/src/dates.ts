const DAY_MS = 86_400_000
const SHANGHAI_OFFSET_MS = 8 * 3_600_000

/** Days in a month of the proleptic Gregorian calendar. */
export const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31

let cachedToday = 0
let cachedUntil = 0

/** Today's date in Asia/Shanghai as the number YYYYMMDD (cached until the next Shanghai midnight). */
export const shanghaiTodayNumber = (): number => {
  const now = Date.now()
  if (now < cachedUntil) return cachedToday
  const local = now + SHANGHAI_OFFSET_MS
  const d = new Date(local)
  cachedToday = d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate()
  cachedUntil = (Math.floor(local / DAY_MS) + 1) * DAY_MS - SHANGHAI_OFFSET_MS
  return cachedToday
}

/** Today's date in Asia/Shanghai as 'YYYY-MM-DD'. */
export const shanghaiToday = (): string => formatDateNumber(shanghaiTodayNumber())

/** Formats YYYYMMDD as 'YYYY-MM-DD'. */
export const formatDateNumber = (n: number): string => {
  const s = String(n)
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`
}

/** Parses a real calendar date 'YYYY-MM-DD' into YYYYMMDD, or undefined. */
export const parseDateNumber = (date: string): number | undefined => {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7))
  const d = Number(date.slice(8, 10))
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined
  return y * 10_000 + m * 100 + d
}

/** 'YYYY-MM-DD' → days since 1970-01-01 (the caller has checked the date). */
export const toEpochDay = (date: string): number =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS

/** Days since 1970-01-01 → 'YYYY-MM-DD'. */
export const fromEpochDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10)
