import { Button, notification } from 'antd'
import type { NotificationInstance } from 'antd/es/notification/interface'
import {
  Component,
  createContext,
  type ErrorInfo,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
} from 'react'
import { ApiProblem, describeError } from '../api/client.ts'
import { usePreferences, useT } from '../app/preferences.tsx'
import { translate } from '../i18n/i18n.ts'

const NotificationContext = createContext<NotificationInstance | undefined>(undefined)

/** Provides the notification API (lighter than AntD's App, which also brings Modal and message). */
export function NotificationProvider({ children }: { children: ReactNode }) {
  const [api, holder] = notification.useNotification({ placement: 'top' })
  return (
    <NotificationContext.Provider value={api}>
      {holder}
      {children}
    </NotificationContext.Provider>
  )
}

/** Returns a function that shows any error as a localized notification (no stack traces, ever). */
export function useShowError(): (error: unknown) => void {
  const api = useContext(NotificationContext)
  const { language } = usePreferences()
  return useCallback(
    (error: unknown) => {
      // A 401 has already sent the user to login; a cancelled request is not an error.
      if (error instanceof ApiProblem && error.status === 401) return
      if (error instanceof DOMException && error.name === 'AbortError') return
      const { title, detail, requestId } = describeError(error, language)
      if (!api) return
      api.error({
        key: title,
        title,
        description: [
          detail,
          requestId ? translate(language, 'error.requestId', { id: requestId }) : undefined,
        ]
          .filter(Boolean)
          .join(' '),
        placement: 'top',
      })
    },
    [api, language],
  )
}

/** Catches promise rejections nobody handled and shows them the same way. */
export function UnhandledErrorListener() {
  const showError = useShowError()
  useEffect(() => {
    const onRejection = (event: PromiseRejectionEvent) => {
      event.preventDefault()
      showError(event.reason)
    }
    window.addEventListener('unhandledrejection', onRejection)
    return () => window.removeEventListener('unhandledrejection', onRejection)
  }, [showError])
  return null
}

function CrashPage() {
  const t = useT()
  return (
    <main id="main" className="page-center crash-page">
      <h1 className="page-title">{t('error.title')}</h1>
      <p>{t('error.unexpected')}</p>
      <div className="form-actions">
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('error.reload')}
        </Button>
        <Button href="/">{t('error.backHome')}</Button>
      </div>
    </main>
  )
}

interface BoundaryState {
  failed: boolean
}

/** Replaces a crashed subtree with a localized error page; details go to the console only. */
export class ErrorBoundary extends Component<{ children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { failed: false }

  static getDerivedStateFromError(): BoundaryState {
    return { failed: true }
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(error, info.componentStack)
  }

  override render() {
    return this.state.failed ? <CrashPage /> : this.props.children
  }
}
