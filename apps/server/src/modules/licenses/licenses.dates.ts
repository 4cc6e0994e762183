/** YYYY-MM-DD in Asia/Shanghai: the calendar day licenses are dated and judged by. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
}

/** The last day of a validity of `months` from `day`: the day before the anniversary. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y, m - 1 + months, d))
  // the day before the anniversary: a 10-year card from 2026-11-23 runs to 2036-11-22
  date.setUTCDate(date.getUTCDate() - 1)
  return date.toISOString().slice(0, 10)
}
