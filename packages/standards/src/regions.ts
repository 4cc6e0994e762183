import data from './data/regions.generated.json' with { type: 'json' }
import { invalid, type Validation, valid } from './result.ts'

/** Level of a 行政区划 in GB/T 2260: 省级, 地级, 县级. */
export type RegionLevel = 'province' | 'prefecture' | 'county'

/** 行政区划: one GB/T 2260 administrative division. */
export type Region = {
  code: string
  name: string
  level: RegionLevel
  /** Code of the parent division; absent for provinces. */
  parentCode?: string
  /** True for a code no longer in the current table (ID numbers may still carry it). */
  retired?: true
  /** For a retired code: the last revision of the source data that still listed it (e.g. '2016-07'). */
  lastSeen?: string
}

/** Structural level of any region code, including 12-digit 乡级/村级 codes the table does not ship. */
export type StructuralRegionLevel = RegionLevel | 'township' | 'village'

const byCode = new Map<string, Region>()
const childrenOf = new Map<string, Region[]>()
/** Flag per 6-digit code (index = numeric code): 1 current, 2 retired; the ID-number hot path reads this. */
const known = new Uint8Array(1_000_000)

for (const row of data.regions) {
  const [code, name, level, parentCode, lastSeen] = row as [string, string, RegionLevel, string, string]
  const region: Region = { code, name, level }
  if (parentCode) region.parentCode = parentCode
  if (lastSeen) {
    region.retired = true
    region.lastSeen = lastSeen
  }
  Object.freeze(region)
  byCode.set(code, region)
  known[Number(code)] = lastSeen ? 2 : 1
  if (parentCode) {
    const siblings = childrenOf.get(parentCode)
    if (siblings) siblings.push(region)
    else childrenOf.set(parentCode, [region])
  }
}

/** Where the shipped table comes from (data package names and versions). */
export const regionDataSources = data.sources

/**
 * Fast check used by validators: 1 current, 2 retired, 0 unknown, for the 6 digits of `input` starting at
 * `offset` (which the caller has already checked to be ASCII digits).
 */
export const regionFlagAt = (input: string, offset: number): number => {
  let n = 0
  for (let i = offset; i < offset + 6; i++) n = n * 10 + (input.charCodeAt(i) - 48)
  return known[n] ?? 0
}

/** Finds a 行政区划 by its 6-digit code, current or retired; undefined when unknown. */
export const getRegion = (code: string): Region | undefined => byCode.get(code)

/** Direct children of a 行政区划, in code order; retired children only with `{ includeRetired: true }`. */
export const regionChildren = (code: string, options: { includeRetired?: boolean } = {}): Region[] => {
  const all = childrenOf.get(code) ?? []
  return options.includeRetired ? [...all] : all.filter((r) => !r.retired)
}

/**
 * Ancestors of a 行政区划, nearest first: for 110105 朝阳区 → [110100 市辖区, 110000 北京市].
 * A 12-digit code starts from its 6-digit county. Empty when the code is unknown.
 */
export const regionAncestors = (code: string): Region[] => {
  const start = code.length === 12 ? byCode.get(code.slice(0, 6)) : byCode.get(code)
  const out: Region[] = []
  if (!start) return out
  if (code.length === 12) out.push(start)
  let parent = start.parentCode ? byCode.get(start.parentCode) : undefined
  while (parent) {
    out.push(parent)
    parent = parent.parentCode ? byCode.get(parent.parentCode) : undefined
  }
  return out
}

/** Whether a 行政区划 lies within another (or is the same code). Works structurally on 12-digit codes. */
export const isRegionWithin = (code: string, ancestorCode: string): boolean => {
  if (code === ancestorCode) return true
  return regionAncestors(code).some((r) => r.code === ancestorCode)
}

/** Whether a 6-digit code existed in GB/T 2260 as far as the shipped table knows (current or retired). */
export const isKnownRegionCode = (code: string): boolean => byCode.has(code)

/**
 * All shipped 行政区划, in code order. Retired codes are included only with `{ includeRetired: true }`.
 */
export const listRegions = (options: { includeRetired?: boolean } = {}): Region[] => {
  const all = [...byCode.values()]
  return options.includeRetired ? all : all.filter((r) => !r.retired)
}

/**
 * Structural level of a region code (no table lookup): 6 digits → province/prefecture/county by trailing
 * zeros; 12 digits (统计用区划代码) → township when the last 3 digits are 000, otherwise village
 * (a 12-digit code ending in 000000 is read as its 6-digit level). Undefined when not a code at all.
 */
export const regionLevelOf = (code: string): StructuralRegionLevel | undefined => {
  if (!/^\d{6}(\d{6})?$/.test(code)) return undefined
  if (code.length === 12) {
    if (code.endsWith('000000')) return regionLevelOf(code.slice(0, 6))
    return code.endsWith('000') ? 'township' : 'village'
  }
  if (code.startsWith('00') || code.endsWith('0000')) return code.startsWith('00') ? undefined : 'province'
  return code.endsWith('00') ? 'prefecture' : 'county'
}

/** The rules of GB/T 2260 a refusal names. */
export const GB2260_RULES = {
  form: 'GB/T 2260 代码形式（6 位数字：省 2 位、地 2 位、县 2 位）',
  table: 'GB/T 2260 代码表（现行或已撤销的行政区划代码）',
} as const

/**
 * Validates a 行政区划代码 (GB/T 2260): its form (6 digits, a province part other than 00) and its
 * membership of the code table, current or retired. The value is the region.
 */
export const validateRegionCode = (input: string): Validation<Region> => {
  if (typeof input !== 'string' || !/^\d{6}$/.test(input) || input.startsWith('00'))
    return invalid(
      'form',
      '行政区划代码应为 6 位数字，前两位为省级代码',
      'A region code has 6 digits, the first two naming a province',
      GB2260_RULES.form,
    )
  const region = byCode.get(input)
  if (!region)
    return invalid(
      'unknown',
      `${input} 不在行政区划代码表中`,
      `${input} is not in the GB/T 2260 code table`,
      GB2260_RULES.table,
    )
  return valid(region)
}
