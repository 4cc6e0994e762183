import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict.js'
import { AppError } from '../../../platform/errors.ts'

let jieba: Jieba | undefined
/** The segmenter, loaded on first use (the dictionary takes ~0.7 s to load). */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict)
  return jieba
}

const WORD = /[\p{L}\p{N}]+/gu

/** Letters and digits of a token, lower-cased; everything else (punctuation, spaces, symbols) goes. */
function clean(token: string): string {
  return (token.match(WORD) ?? []).join('').toLowerCase()
}

/**
 * Index tokens of a text: jieba's precise cut and its search-mode cut together, so that a query cut
 * either way finds the text (居民身份证换领 → 居民身份证, 身份证, 身份, 居民, 换领, 换, 领).
 */
export function indexTokens(text: string): string[] {
  if (!text) return []
  const j = segmenter()
  const tokens = new Set<string>()
  for (const token of [...j.cut(text, false), ...j.cutForSearch(text, true)]) {
    const cleaned = clean(token)
    if (cleaned) tokens.add(cleaned)
  }
  return [...tokens]
}

/** Words that say nothing about which service is meant (我要办理… 怎么…). */
const STOP_WORDS = new Set([
  '我',
  '我要',
  '要',
  '想',
  '我想',
  '怎么',
  '如何',
  '怎样',
  '办理',
  '办',
  '的',
  '了',
  '在',
  '哪里',
  '在哪',
  '需要',
  '什么',
  '吗',
  '呢',
  '去',
])

export const MAX_QUERY_LENGTH = 100

/** A search query after checks and segmentation: the trimmed text and its terms. */
export interface ParsedQuery {
  text: string
  terms: string[]
}

/**
 * Checks and segments a query. Empty → no terms (list by popularity); over 100 characters or without a
 * single letter or digit → 400 with a message saying what to type instead.
 */
export function parseQuery(raw: string | undefined): ParsedQuery {
  const text = (raw ?? '').trim()
  if (text === '') return { text: '', terms: [] }
  if ([...text].length > MAX_QUERY_LENGTH) {
    throw new AppError('validation', {
      errors: [
        {
          path: '/query/q',
          code: 'maxLength',
          message: {
            zh: `搜索词不能超过 ${MAX_QUERY_LENGTH} 个字，请输入事项名称或关键词，如“公积金提取”`,
            en: `The query may have at most ${MAX_QUERY_LENGTH} characters; type an item name or keyword such as 公积金提取`,
          },
        },
      ],
    })
  }
  const cleanedText = clean(text)
  if (!cleanedText) {
    throw new AppError('validation', {
      errors: [
        {
          path: '/query/q',
          code: 'noTerms',
          message: {
            zh: '搜索词只包含标点或符号，请输入事项名称或关键词，如“身份证”“营业执照”',
            en: 'The query has only punctuation or symbols; type an item name or keyword such as 身份证 or 营业执照',
          },
        },
      ],
    })
  }
  const j = segmenter()
  const terms: string[] = []
  for (const token of j.cut(text, false)) {
    const cleaned = clean(token)
    if (cleaned && !STOP_WORDS.has(cleaned) && !terms.includes(cleaned)) terms.push(cleaned)
  }
  // a query of stop words only (“怎么办理”) still searches for what was typed
  return { text: cleanedText, terms: terms.length > 0 ? terms : [cleanedText] }
}

/** One query term with its synonyms, each alternative cut into its own tokens. */
export type TermGroup = string[][]

/** Expands each term with its synonyms: 公积金 → [[公积金], [住房, 公积金]] (住房公积金 cut precisely). */
export function expandTerms(terms: string[], synonymsOf: (term: string) => string[]): TermGroup[] {
  const j = segmenter()
  return terms.map((term) => {
    const alternatives: string[][] = [[term]]
    for (const synonym of synonymsOf(term)) {
      if (synonym === term) continue
      const tokens = j.cut(synonym, false).map(clean).filter(Boolean)
      if (tokens.length > 0) alternatives.push(tokens)
    }
    return alternatives
  })
}

/**
 * A `to_tsquery('simple', …)` text: every term (any of its alternatives) with `&`, or with `|` for the
 * lenient second pass. Terms hold only letters and digits, so nothing needs quoting.
 */
export function toTsQuery(groups: TermGroup[], join: '&' | '|'): string {
  return groups
    .map((alternatives) => `(${alternatives.map((tokens) => `(${tokens.join(' & ')})`).join(' | ')})`)
    .join(` ${join} `)
}

/** The terms of a query as shown back to the caller: every alternative, joined. */
export function describeTerms(groups: TermGroup[]): string[] {
  return groups.flatMap((alternatives) => alternatives.map((tokens) => tokens.join('')))
}
