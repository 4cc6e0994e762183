import { ConfigProvider } from 'antd'
import type { Locale } from 'antd/es/locale'
import zhCN from 'antd/es/locale/zh_CN'
import { lazy, type ReactNode, Suspense, useEffect, useState } from 'react'
import { BrowserRouter, Route, Routes } from 'react-router'
import { configureApiClient } from '../api/client.ts'
import { currentLocation, getAccessToken, startLogin } from '../auth/oidc.ts'
import { clearSession } from '../auth/session.ts'
import { SessionKeeper } from '../auth/session-keeper.tsx'
import { ErrorBoundary, NotificationProvider, UnhandledErrorListener } from '../components/error-display.tsx'
import { PageLoading } from '../components/page-loading.tsx'
import { PreferencesProvider, storedLanguage, usePreferences } from './preferences.tsx'
import { elderlyTheme, standardTheme } from './theme.ts'

// Each area is its own chunk, loaded when first visited.
const PortalArea = lazy(() => import('../features/portal/portal-area.tsx'))
const WorkArea = lazy(() => import('../features/work/work-area.tsx'))
const AdminArea = lazy(() => import('../features/admin/admin-area.tsx'))
const VerifyArea = lazy(() => import('../features/verify/verify-area.tsx'))
const AuthCallbackPage = lazy(() => import('../auth/auth-callback-page.tsx'))

configureApiClient({
  getAccessToken,
  getLanguage: storedLanguage,
  onUnauthorized: () => {
    // Expired or revoked session: forget it and log in again, coming back to this very page.
    clearSession()
    void startLogin(currentLocation()).catch(() => {})
  },
})

/** AntD theme and locale following the preferences; English locale strings load on demand. */
function ThemedApp({ children }: { children: ReactNode }) {
  const { language, elderly } = usePreferences()
  const [enUS, setEnUS] = useState<Locale>()
  useEffect(() => {
    configureApiClient({ getLanguage: () => language })
    if (language === 'en' && !enUS) {
      void import('antd/es/locale/en_US').then((module) => setEnUS(module.default))
    }
  }, [language, enUS])
  const locale = language === 'en' && enUS ? enUS : zhCN
  return (
    <ConfigProvider locale={locale} theme={elderly ? elderlyTheme : standardTheme}>
      <NotificationProvider>
        <div className={elderly ? 'app elderly-mode' : 'app'}>{children}</div>
      </NotificationProvider>
    </ConfigProvider>
  )
}

/** The whole web application: preferences, theme, error handling and the lazily loaded areas. */
export function Shell() {
  return (
    <PreferencesProvider>
      <ThemedApp>
        <ErrorBoundary>
          <UnhandledErrorListener />
          <SessionKeeper />
          <BrowserRouter>
            <Suspense fallback={<PageLoading />}>
              <Routes>
                <Route path="/auth/callback" element={<AuthCallbackPage />} />
                <Route path="/work/*" element={<WorkArea />} />
                <Route path="/admin/*" element={<AdminArea />} />
                <Route path="/verify/*" element={<VerifyArea />} />
                <Route path="/*" element={<PortalArea />} />
              </Routes>
            </Suspense>
          </BrowserRouter>
        </ErrorBoundary>
      </ThemedApp>
    </PreferencesProvider>
  )
}
