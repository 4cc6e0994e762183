import { describe, expect, it } from 'vitest'
import { AppError } from '../../../platform/errors.ts'
import { describeTerms, expandTerms, indexTokens, parseQuery, toTsQuery } from './catalog.text.ts'

describe('indexTokens', () => {
  it('keeps both the precise and the search-mode cut, without punctuation', () => {
    const tokens = indexTokens('居民身份证换领（到期）')
    expect(tokens).toEqual(expect.arrayContaining(['居民身份证', '身份证', '换领', '到期']))
    expect(tokens.some((t) => /[（）]/.test(t))).toBe(false)
  })
})

describe('parseQuery', () => {
  it('drops words that do not name a service', () => {
    expect(parseQuery('我要办理公积金提取').terms).toEqual(['公积金', '提取'])
  })

  it('treats an empty query as a listing', () => {
    expect(parseQuery('  ')).toEqual({ text: '', terms: [] })
  })

  it('refuses punctuation only and over-long queries with a message saying what to type', () => {
    for (const q of ['？？！', '...', '——']) {
      const error = (() => {
        try {
          parseQuery(q)
        } catch (e) {
          return e
        }
      })() as AppError
      expect(error).toBeInstanceOf(AppError)
      expect(error.errors?.[0]?.code).toBe('noTerms')
      expect(error.errors?.[0]?.message.zh).toContain('请输入')
    }
    expect(() => parseQuery('办'.repeat(101))).toThrow(AppError)
    expect(parseQuery('办'.repeat(100)).terms.length).toBeGreaterThan(0)
  })
})

describe('expandTerms and toTsQuery', () => {
  it('ors a term with its synonyms and ands the terms', () => {
    const groups = expandTerms(['公积金', '提取'], (t) => (t === '公积金' ? ['公积金', '住房公积金'] : []))
    expect(groups[0]).toEqual([['公积金'], ['住房', '公积金']])
    expect(toTsQuery(groups, '&')).toBe('((公积金) | (住房 & 公积金)) & ((提取))')
    expect(toTsQuery(groups, '|')).toBe('((公积金) | (住房 & 公积金)) | ((提取))')
    expect(describeTerms(groups)).toEqual(['公积金', '住房公积金', '提取'])
  })
})
