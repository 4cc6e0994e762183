import type { LocalizedText } from '@tongban/contracts'
import { en } from './en.ts'
import { type MessageKey, zhCN } from './zh-CN.ts'

export type { MessageKey } from './zh-CN.ts'

/** The UI languages, Chinese first. */
export const LANGUAGES = ['zh-CN', 'en'] as const
export type Language = (typeof LANGUAGES)[number]

/** Every dictionary by language. */
export const dictionaries: Record<Language, Record<MessageKey, string>> = { 'zh-CN': zhCN, en }

/** Values that replace `{name}` placeholders in a message. */
export type MessageValues = Record<string, string | number>

/** Looks a message up and fills its `{placeholders}`; an unknown placeholder is left as written. */
export function translate(language: Language, key: MessageKey, values?: MessageValues): string {
  const message = dictionaries[language][key]
  if (!values) return message
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  )
}

/** Picks the side of a server-sent bilingual text (problem titles, field messages) for a language. */
export function pickLocalized(text: LocalizedText, language: Language): string {
  return language === 'en' ? text.en || text.zh : text.zh || text.en
}

/** Narrows an untrusted stored value to a language, defaulting to Chinese. */
export function toLanguage(value: string | null | undefined): Language {
  return value === 'en' ? 'en' : 'zh-CN'
}

/** Placeholder names used by a message, sorted; both languages must use the same ones. */
export function placeholdersOf(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort()
}
