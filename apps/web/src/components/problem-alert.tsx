import { Alert } from 'antd'
import { describeError } from '../api/client.ts'
import { usePreferences } from '../app/preferences.tsx'
import { translate } from '../i18n/i18n.ts'

/** An inline, localized error message for a failed form submission (never a stack trace). */
export function ProblemAlert({ error }: { error: unknown }) {
  const { language } = usePreferences()
  if (error === undefined) return null
  const { title, detail, requestId } = describeError(error, language)
  const description = [
    detail,
    requestId ? translate(language, 'error.requestId', { id: requestId }) : undefined,
  ]
    .filter(Boolean)
    .join(' ')
  return <Alert type="error" showIcon title={title} {...(description ? { description } : {})} role="alert" />
}
