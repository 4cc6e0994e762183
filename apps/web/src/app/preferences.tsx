import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import { type Language, type MessageKey, type MessageValues, toLanguage, translate } from '../i18n/i18n.ts'

const LANGUAGE_KEY = 'tongban.language'
const ELDERLY_KEY = 'tongban.elderly'

/** The user's display preferences: UI language and 长辈版 (elderly mode). */
export interface Preferences {
  language: Language
  elderly: boolean
  setLanguage: (language: Language) => void
  setElderly: (elderly: boolean) => void
}

const PreferencesContext = createContext<Preferences | undefined>(undefined)

function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

function writeStored(key: string, value: string): void {
  try {
    localStorage.setItem(key, value)
  } catch {
    // Private browsing may refuse storage; the preference then lasts for this page only.
  }
}

/** Reads the stored language, Chinese unless the user chose English before. */
export function storedLanguage(): Language {
  return toLanguage(readStored(LANGUAGE_KEY))
}

/** Whether the user switched 长辈版 on before. */
export function storedElderly(): boolean {
  return readStored(ELDERLY_KEY) === '1'
}

/** Holds the preferences, persists them in localStorage and reflects them on `<html>` (lang, class). */
export function PreferencesProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(storedLanguage)
  const [elderly, setElderlyState] = useState<boolean>(storedElderly)

  const setLanguage = useCallback((next: Language) => {
    writeStored(LANGUAGE_KEY, next)
    setLanguageState(next)
  }, [])
  const setElderly = useCallback((next: boolean) => {
    writeStored(ELDERLY_KEY, next ? '1' : '0')
    setElderlyState(next)
  }, [])

  useEffect(() => {
    document.documentElement.lang = language
    document.title = translate(language, 'app.fullName')
  }, [language])
  useEffect(() => {
    document.documentElement.classList.toggle('elderly', elderly)
  }, [elderly])

  const value = useMemo(
    () => ({ language, elderly, setLanguage, setElderly }),
    [language, elderly, setLanguage, setElderly],
  )
  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>
}

/** The current preferences; only valid under `PreferencesProvider`. */
export function usePreferences(): Preferences {
  const preferences = useContext(PreferencesContext)
  if (!preferences) throw new Error('usePreferences() outside PreferencesProvider')
  return preferences
}

/** A translator bound to the current language. */
export type Translate = (key: MessageKey, values?: MessageValues) => string

/** Returns `t(key, values)` for the current language; every UI string goes through it. */
export function useT(): Translate {
  const { language } = usePreferences()
  return useCallback((key, values) => translate(language, key, values), [language])
}
