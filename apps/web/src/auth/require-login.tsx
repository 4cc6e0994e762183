import { Button, Result } from 'antd'
import type { ReactNode } from 'react'
import { useT } from '../app/preferences.tsx'
import { useShowError } from '../components/error-display.tsx'
import { useAuth } from './use-auth.ts'

/** Shows its children to a logged-in user; others are asked to log in and come back to this page. */
export function RequireLogin({ children }: { children: ReactNode }) {
  const t = useT()
  const auth = useAuth()
  const showError = useShowError()
  if (auth.isLoggedIn) return children
  return (
    <div className="page-center">
      <Result
        status="403"
        title={<h1 className="result-title">{t('auth.loginRequired')}</h1>}
        subTitle={t('auth.citizenLoginDetail')}
        extra={
          <Button type="primary" size="large" onClick={() => auth.login().catch(showError)}>
            {t('auth.login')}
          </Button>
        }
      />
    </div>
  )
}
