import { describe, expect, it } from 'vitest'
import {
  GB2260_RULES,
  getRegion,
  isKnownRegionCode,
  isRegionWithin,
  listRegions,
  regionAncestors,
  regionChildren,
  regionLevelOf,
  validateRegionCode,
} from './regions.ts'

describe('GB/T 2260 table', () => {
  it('ships every province-level division, prefectures and counties', () => {
    const current = listRegions()
    expect(current.filter((r) => r.level === 'province')).toHaveLength(34)
    expect(current.filter((r) => r.level === 'prefecture').length).toBeGreaterThan(330)
    expect(current.filter((r) => r.level === 'county').length).toBeGreaterThan(2800)
    expect(current.every((r) => !r.retired)).toBe(true)
  })

  it('gives every non-province a parent that is in the table', () => {
    for (const r of listRegions({ includeRetired: true })) {
      if (r.level === 'province') expect(r.parentCode).toBeUndefined()
      else expect(getRegion(r.parentCode!)).toBeDefined()
    }
  })

  it('does not ship statistics-only functional zones (xxxx7x)', () => {
    expect(getRegion('130171')).toBeUndefined() // 石家庄高新技术产业开发区
    expect(listRegions({ includeRetired: true }).some((r) => r.code[4] === '7')).toBe(false)
  })

  it('handles municipalities through their 市辖区 level', () => {
    expect(getRegion('110000')?.name).toBe('北京市')
    expect(regionChildren('110000').map((r) => r.code)).toEqual(['110100'])
    expect(regionChildren('110100').map((r) => r.name)).toContain('朝阳区')
    expect(regionChildren('110000', { includeRetired: true }).map((r) => r.code)).toEqual([
      '110100',
      '110200',
    ])
    expect(regionAncestors('110105').map((r) => r.code)).toEqual(['110100', '110000'])
  })

  it('flags retired codes ID numbers may still carry', () => {
    expect(getRegion('110103')).toMatchObject({ name: '崇文区', retired: true })
    expect(getRegion('341400')).toMatchObject({ name: '巢湖市', retired: true, level: 'prefecture' })
    expect(isKnownRegionCode('110103')).toBe(true)
    expect(isKnownRegionCode('110105')).toBe(true)
    expect(isKnownRegionCode('999999')).toBe(false)
    expect(listRegions().some((r) => r.code === '110103')).toBe(false)
  })

  it('places 省直辖县级 divisions under their placeholder prefecture', () => {
    expect(getRegion('429004')).toMatchObject({ name: '仙桃市', parentCode: '429000' })
  })

  it('answers containment questions, including 12-digit codes', () => {
    expect(isRegionWithin('110105', '110000')).toBe(true)
    expect(isRegionWithin('110105', '110105')).toBe(true)
    expect(isRegionWithin('110105', '120000')).toBe(false)
    expect(isRegionWithin('110105001000', '110000')).toBe(true)
    expect(regionAncestors('110105001000').map((r) => r.code)).toEqual(['110105', '110100', '110000'])
    expect(regionAncestors('999999')).toEqual([])
  })

  it('returns copies, so callers cannot corrupt the table', () => {
    regionChildren('110000').pop()
    expect(regionChildren('110000')).toHaveLength(1)
    expect(Object.isFrozen(getRegion('110000'))).toBe(true)
  })
})

describe('regionLevelOf', () => {
  it.each([
    ['110000', 'province'],
    ['110100', 'prefecture'],
    ['110105', 'county'],
    ['110105001000', 'township'],
    ['110105001001', 'village'],
    ['110105000000', 'county'],
    ['000000', undefined],
    ['11010', undefined],
    ['11010a', undefined],
  ])('%s → %s', (code, level) => {
    expect(regionLevelOf(code)).toBe(level)
  })
})

describe('validateRegionCode (GB/T 2260)', () => {
  it.each([
    ['110105', 'ok'],
    ['110103', 'ok'],
    ['330106', 'ok'],
    ['11010', 'form'],
    ['1101055', 'form'],
    ['11010a', 'form'],
    ['000000', 'form'],
    ['990105', 'unknown'],
    ['119999', 'unknown'],
  ])('%s → %s', (code, expected) => {
    const r = validateRegionCode(code)
    expect(r.ok ? 'ok' : r.error.code).toBe(expected)
    if (!r.ok) expect(r.error.rule).toBe(expected === 'form' ? GB2260_RULES.form : GB2260_RULES.table)
  })
  it('answers the region', () => {
    const r = validateRegionCode('110105')
    expect(r.ok && r.value.name).toBe('朝阳区')
  })
})
