import type { MessageKey } from '../../i18n/i18n.ts'

/** A theme (主题) tile: a life event of a person or a stage in a company's life. */
export interface Theme {
  code: string
  label: MessageKey
}

/** 个人办事 by life event. The codes are the `theme` filter of the catalog search. */
export const personThemes: Theme[] = [
  { code: 'birth', label: 'theme.birth' },
  { code: 'schooling', label: 'theme.schooling' },
  { code: 'employment', label: 'theme.employment' },
  { code: 'marriage', label: 'theme.marriage' },
  { code: 'housing', label: 'theme.housing' },
  { code: 'medical', label: 'theme.medical' },
  { code: 'social_insurance', label: 'theme.social_insurance' },
  { code: 'retirement', label: 'theme.retirement' },
]

/** 法人办事 by the company's life cycle. */
export const companyThemes: Theme[] = [
  { code: 'business_startup', label: 'theme.business_startup' },
  { code: 'construction', label: 'theme.construction' },
  { code: 'business_operation', label: 'theme.business_operation' },
  { code: 'environment', label: 'theme.environment' },
]

/** The catalog's other themes (`THEMES` of the contracts), offered in the search filter. */
const otherThemes: Theme[] = [
  { code: 'travel', label: 'theme.travel' },
  { code: 'elderly_care', label: 'theme.elderly_care' },
  { code: 'disability', label: 'theme.disability' },
  { code: 'identity', label: 'theme.identity' },
  { code: 'social_assistance', label: 'theme.social_assistance' },
  { code: 'education_career', label: 'theme.education_career' },
]

/** Every theme of the catalog. */
export const allThemes: Theme[] = [...personThemes, ...companyThemes, ...otherThemes]

/** Every theme by code. */
export const themesByCode = new Map(allThemes.map((theme) => [theme.code, theme]))
