import { WarningOutlined } from '@ant-design/icons'
import { Button, Empty, Spin } from 'antd'
import type { ReactNode } from 'react'
import { describeError } from '../api/client.ts'
import type { ApiQuery } from '../api/use-api-query.ts'
import { usePreferences, useT } from '../app/preferences.tsx'
import { translate } from '../i18n/i18n.ts'

/** Renders the loading, error or empty state of a query, or its data through `children`. */
export function DataState<T>({
  query,
  isEmpty,
  emptyText,
  children,
}: {
  query: ApiQuery<T>
  isEmpty?: (data: T) => boolean
  emptyText?: string
  children: (data: T) => ReactNode
}) {
  const t = useT()
  const { language } = usePreferences()
  if (query.loading) {
    return (
      <div className="data-state" role="status" aria-live="polite">
        <Spin />
        <span>{t('state.loading')}</span>
      </div>
    )
  }
  if (query.error !== undefined) {
    const { title, detail, requestId } = describeError(query.error, language)
    return (
      <div className="data-state data-state-error">
        <div role="alert">
          <WarningOutlined className="data-state-icon" aria-hidden="true" />
          <p className="data-state-title">{t('state.error')}</p>
          <p>
            {[title, detail, requestId ? translate(language, 'error.requestId', { id: requestId }) : '']
              .filter(Boolean)
              .join(' ')}
          </p>
        </div>
        <Button onClick={query.reload}>{t('state.retry')}</Button>
      </div>
    )
  }
  if (query.data === undefined || isEmpty?.(query.data)) {
    return (
      <div className="data-state">
        <Empty description={emptyText ?? t('state.empty')} />
      </div>
    )
  }
  return children(query.data)
}
