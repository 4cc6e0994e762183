import { Button, Result, Spin } from 'antd'
import { useEffect, useState } from 'react'
import { useNavigate } from 'react-router'
import { useT } from '../app/preferences.tsx'
import { completeLogin, startLogin } from './oidc.ts'

/** /auth/callback: finishes the code + PKCE exchange and returns the user to where they were. */
export default function AuthCallbackPage() {
  const t = useT()
  const navigate = useNavigate()
  const [failed, setFailed] = useState(false)

  useEffect(() => {
    completeLogin(window.location.href).then(
      (returnTo) => navigate(returnTo, { replace: true }),
      () => setFailed(true),
    )
  }, [navigate])

  if (failed) {
    return (
      <main id="main" className="page-center">
        <Result
          status="warning"
          title={<h1 className="result-title">{t('auth.callbackFailed')}</h1>}
          subTitle={t('auth.callbackFailedDetail')}
          extra={
            <Button type="primary" onClick={() => void startLogin('/')}>
              {t('auth.login')}
            </Button>
          }
        />
      </main>
    )
  }
  return (
    <main id="main" className="page-center" aria-busy="true">
      <Spin size="large" />
      <h1 className="result-title">{t('auth.signingIn')}</h1>
    </main>
  )
}
