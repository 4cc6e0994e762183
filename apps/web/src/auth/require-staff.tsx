import { Button, Result } from 'antd'
import type { ReactNode } from 'react'
import { useT } from '../app/preferences.tsx'
import { useShowError } from '../components/error-display.tsx'
import { useAuth } from './use-auth.ts'

/** Shows its children to logged-in staff only; others are asked to log in (and come back here). */
export function RequireStaff({ children }: { children: ReactNode }) {
  const t = useT()
  const auth = useAuth()
  const showError = useShowError()
  if (!auth.isLoggedIn) {
    return (
      <main id="main" className="page-center">
        <Result
          status="403"
          title={<h1 className="result-title">{t('auth.loginRequired')}</h1>}
          subTitle={t('auth.loginRequiredDetail')}
          extra={
            <Button type="primary" size="large" onClick={() => auth.login().catch(showError)}>
              {t('auth.login')}
            </Button>
          }
        />
      </main>
    )
  }
  if (!auth.isStaff) {
    return (
      <main id="main" className="page-center">
        <Result
          status="403"
          title={<h1 className="result-title">{t('auth.staffOnly')}</h1>}
          subTitle={t('auth.staffOnlyDetail')}
        />
      </main>
    )
  }
  return children
}
