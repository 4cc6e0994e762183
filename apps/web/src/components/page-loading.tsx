import { Spin } from 'antd'
import { useT } from '../app/preferences.tsx'

/** Shown while a lazily loaded page or area arrives. */
export function PageLoading() {
  const t = useT()
  return (
    <div className="page-center" role="status" aria-live="polite">
      <Spin size="large" />
      <span>{t('app.loading')}</span>
    </div>
  )
}
