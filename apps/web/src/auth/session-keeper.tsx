import { useEffect, useSyncExternalStore } from 'react'
import { REFRESH_MARGIN_MS, refreshSession } from './oidc.ts'
import { getSession, subscribeSession } from './session.ts'

/** Refreshes the access token shortly before it expires, for as long as the tab is open. */
export function SessionKeeper() {
  const session = useSyncExternalStore(subscribeSession, getSession, () => undefined)
  useEffect(() => {
    if (!session?.refreshToken) return
    const delay = Math.max(0, session.expiresAt - Date.now() - REFRESH_MARGIN_MS)
    const timer = window.setTimeout(() => void refreshSession(), delay)
    return () => window.clearTimeout(timer)
  }, [session])
  return null
}
