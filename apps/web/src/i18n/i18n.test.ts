import { describe, expect, it } from 'vitest'
import { dictionaries, LANGUAGES, pickLocalized, placeholdersOf, translate } from './i18n.ts'

describe('UI dictionaries', () => {
  const zhKeys = Object.keys(dictionaries['zh-CN']).sort()

  it.each(LANGUAGES)('%s has exactly the keys of the Chinese dictionary', (language) => {
    expect(Object.keys(dictionaries[language]).sort()).toEqual(zhKeys)
  })

  it.each(LANGUAGES)('%s has no empty message', (language) => {
    const empty = Object.entries(dictionaries[language]).filter(([, message]) => message.trim() === '')
    expect(empty).toEqual([])
  })

  it('uses the same placeholders in every language', () => {
    for (const key of zhKeys) {
      const expected = placeholdersOf(dictionaries['zh-CN'][key as keyof (typeof dictionaries)['zh-CN']])
      for (const language of LANGUAGES) {
        expect(
          placeholdersOf(dictionaries[language][key as keyof (typeof dictionaries)['zh-CN']]),
          `${language} ${key}`,
        ).toEqual(expected)
      }
    }
  })

  it('fills placeholders', () => {
    expect(translate('zh-CN', 'error.requestId', { id: 'r-1' })).toBe('请求编号：r-1')
    expect(translate('en', 'error.requestId', { id: 'r-1' })).toBe('Request ID: r-1')
  })

  it('picks the requested side of a bilingual text, falling back to the other', () => {
    expect(pickLocalized({ zh: '必填', en: 'Required' }, 'zh-CN')).toBe('必填')
    expect(pickLocalized({ zh: '必填', en: 'Required' }, 'en')).toBe('Required')
    expect(pickLocalized({ zh: '必填', en: '' }, 'en')).toBe('必填')
  })
})
