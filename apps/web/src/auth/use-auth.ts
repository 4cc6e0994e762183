import { useCallback, useMemo, useSyncExternalStore } from 'react'
import { usePreferences } from '../app/preferences.tsx'
import { currentLocation, logout, startLogin } from './oidc.ts'
import { getSession, type Session, subscribeSession, type TongbanClaims } from './session.ts'

/** What components know about the logged-in user. */
export interface Auth {
  session: Session | undefined
  claims: TongbanClaims | undefined
  isLoggedIn: boolean
  isStaff: boolean
  /** Starts login; comes back to `returnTo` (default: the current location). */
  login: (returnTo?: string) => Promise<void>
  logout: () => Promise<void>
}

/** The current login (claims `sub`, `name`, `account_kind`, `realname_level`, `id_masked`, `acting_for`, `roles`). */
export function useAuth(): Auth {
  const session = useSyncExternalStore(subscribeSession, getSession, () => undefined)
  const { language } = usePreferences()
  const login = useCallback(
    (returnTo?: string) => startLogin(returnTo ?? currentLocation(), language),
    [language],
  )
  return useMemo(
    () => ({
      session,
      claims: session?.claims,
      isLoggedIn: session !== undefined,
      isStaff: session?.claims.account_kind === 'staff',
      login,
      logout,
    }),
    [session, login],
  )
}
