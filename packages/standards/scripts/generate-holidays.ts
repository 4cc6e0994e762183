/**
 * Generates src/data/holidays.generated.json: statutory holidays (法定节假日) and make-up working days
 * (调休上班) of mainland China per year, so the package needs no calendar dependency at run time.
 *
 * Two maintained packages are compared date by date (working or not, for every day of every year both
 * cover): `chinese-days` (primary: names, 2004+) and `holiday-calendar` (2000+). Where they disagree the
 * State Council notice (国务院办公厅关于部分节假日安排的通知) of that year decides, through RESOLVED
 * below; any other disagreement fails the script, so a new data release is never taken unchecked.
 * A year is shipped only if both sources have it and every disagreement in it is resolved.
 *
 * Run: npx tsx packages/standards/scripts/generate-holidays.ts
 */
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))

/** Working (true) or not (false), as the year's State Council notice says. */
const RESOLVED: Record<string, { working: boolean; name: string }> = {
  '2005-12-31': { working: true, name: '元旦补班' }, // 2006 元旦: 12-31 (Sat) 上班
  '2007-12-29': { working: true, name: '元旦补班' }, // 2008 元旦: 12-30…01-01, 12-29 (Sat) 上班
  '2007-12-31': { working: false, name: '元旦' },
  '2008-05-04': { working: true, name: '劳动节补班' }, // 2008 劳动节: 05-01…05-03, 05-04 (Sun) 上班
  '2008-06-07': { working: false, name: '端午节' }, // 2008 端午: 06-07…06-09
  '2008-09-13': { working: false, name: '中秋节' }, // 2008 中秋: 09-13…09-15
  '2009-01-04': { working: true, name: '元旦补班' }, // 2009 元旦: 01-01…01-03, 01-04 (Sun) 上班
  '2009-09-27': { working: true, name: '国庆节补班' }, // 2009 国庆: 09-27 (Sun), 10-10 (Sat) 上班
  '2011-12-31': { working: true, name: '元旦补班' }, // 2012 元旦: 12-31 (Sat) 上班
  '2015-01-04': { working: true, name: '元旦补班' }, // 2015 元旦: 01-01…01-03, 01-04 (Sun) 上班
  '2016-04-02': { working: false, name: '清明节' }, // 2016 清明: 04-02…04-04
  '2018-06-16': { working: false, name: '端午节' }, // 2018 端午: 06-16…06-18
  '2018-09-22': { working: false, name: '中秋节' }, // 2018 中秋: 09-22…09-24
}

type Entry = { date: string; name: string }
const chineseDays: Record<
  'holidays' | 'workdays',
  Record<string, string>
> = require('chinese-days/dist/chinese-days.json')
const hcIndex: {
  regions: { name: string; startYear: number; endYear: number }[]
} = require('holiday-calendar/data/index.json')
const hcRange = hcIndex.regions.find((r) => r.name === 'CN')!

const cdYears = new Set(Object.keys(chineseDays.holidays).map((d) => Number(d.slice(0, 4))))
const weekend = (date: string) => {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay()
  return day === 0 || day === 6
}
const cnName = (value: string) => value.split(',')[1] ?? value

// holiday-calendar files a date under the holiday's year (2007's file holds 2006-12-30), so merge them all.
const hcOff = new Map<string, string>()
const hcOn = new Map<string, string>()
for (let year = hcRange.startYear; year <= hcRange.endYear; year++) {
  const hc: { dates: { date: string; name_cn: string; type: string }[] } = require(
    `holiday-calendar/data/CN/${year}.json`,
  )
  for (const d of hc.dates) (d.type === 'public_holiday' ? hcOff : hcOn).set(d.date, d.name_cn)
}

const years: Record<string, { holidays: Entry[]; workdays: Entry[] }> = {}
const skipped: string[] = []
for (let year = hcRange.startYear; year <= hcRange.endYear; year++) {
  if (!cdYears.has(year)) {
    skipped.push(`${year}: only in holiday-calendar`)
    continue
  }
  const holidays: Entry[] = []
  const workdays: Entry[] = []
  const unresolved: string[] = []
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10)
    const cdOff = chineseDays.holidays[date]
    const cdOn = chineseDays.workdays[date]
    const cdWorking = cdOn ? true : cdOff ? false : !weekend(date)
    const hcWorking = hcOn.has(date) ? true : hcOff.has(date) ? false : !weekend(date)
    const resolved = RESOLVED[date]
    if (cdWorking !== hcWorking && !resolved) unresolved.push(date)
    const working = resolved ? resolved.working : cdWorking
    const name =
      resolved?.name ??
      (cdOff ? cnName(cdOff) : cdOn ? `${cnName(cdOn)}补班` : (hcOff.get(date) ?? hcOn.get(date)))
    if (!working && (cdOff || hcOff.has(date) || resolved)) holidays.push({ date, name: name ?? '节假日' })
    if (working && weekend(date)) workdays.push({ date, name: name ?? '调休上班' })
  }
  if (unresolved.length > 0) {
    if (year < 2005) {
      skipped.push(`${year}: sources disagree on ${unresolved.join(', ')}`)
      continue
    }
    throw new Error(`Sources disagree on ${unresolved.join(', ')}: resolve from the State Council notice`)
  }
  years[year] = { holidays, workdays }
}

const out = {
  generatedBy: 'packages/standards/scripts/generate-holidays.ts',
  sources: `chinese-days@${require('chinese-days/package.json').version}, holiday-calendar@${require('holiday-calendar/package.json').version}`,
  skipped,
  years,
}
writeFileSync(join(here, '../src/data/holidays.generated.json'), `${JSON.stringify(out, null, 1)}\n`)
console.log(`years: ${Object.keys(years).join(' ')}\nskipped: ${skipped.join('; ')}`)
