/**
 * The sso module's record decisions, as named pure functions: which client may do what, which redirect
 * addresses a client may have, which second factor an account must pass, whom an agent may act for.
 */
import type { ActedForCompany, PasswordCheck, SsoAccountKind } from './sso.ports.ts'

/** The first-party public client: Tongban's own web app. */
export const WEB_CLIENT_ID = 'tongban-web'
/** The Vite dev server: a redirect target of the web client in development only. */
export const DEV_WEB_ORIGIN = 'http://localhost:5173'

/** Scopes a client may ask for; anything else in a request is ignored. */
export const KNOWN_SCOPES: readonly string[] = ['openid', 'profile', 'offline_access']

/** Whether a client is one of Tongban's own applications. */
export function isFirstParty(clientId: string | undefined): boolean {
  return clientId === WEB_CLIENT_ID
}

/** Whether a client is asked for the user's consent before a login completes (third parties are). */
export function needsConsent(clientId: string | undefined): boolean {
  return !isFirstParty(clientId)
}

/**
 * Whether a client may get an access token for a resource: only Tongban's own apps, and only for the
 * Tongban API; a third-party client only logs users in (ID token and userinfo).
 */
export function mayGetAccessToken(
  clientId: string | undefined,
  resource: string,
  apiResource: string,
): boolean {
  return resource === apiResource && isFirstParty(clientId)
}

/** The requested scopes a client is granted: the known ones, in the order asked. */
export function grantedScopes(requested: unknown): string[] {
  const scope = typeof requested === 'string' ? requested : 'openid'
  return scope.split(' ').filter((s) => KNOWN_SCOPES.includes(s))
}

/** Whether a redirect URI may be registered: https, or plain http to the local machine only; no fragment. */
export function isAllowedRedirectUri(value: string): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  if (url.hash || url.username || url.password) return false
  if (url.protocol === 'https:') return true
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
}

/**
 * Where the web client may be sent back to after login and logout: the public URL, and the Vite dev
 * server only in development (in production that origin is anyone's own machine).
 */
export function webClientReturnUris(
  publicUrl: string,
  development: boolean,
): { redirectUris: string[]; postLogoutRedirectUris: string[] } {
  const origins = development ? [publicUrl, DEV_WEB_ORIGIN] : [publicUrl]
  return {
    redirectUris: origins.map((origin) => `${origin}/auth/callback`),
    postLogoutRedirectUris: origins.map((origin) => `${origin}/`),
  }
}

/**
 * The second-factor step after a correct password: the code of an enrolled authenticator, enrolment first
 * for an account that must have one (staff always do), or none.
 */
export function secondFactorStep(
  check: Extract<PasswordCheck, { ok: true }>,
  kind: SsoAccountKind | undefined,
): 'totp' | 'enrol' | undefined {
  if (check.totpRequired) return check.totpEnrolled === false ? 'enrol' : 'totp'
  return kind === 'staff' ? 'enrol' : undefined
}

/** The company an agent acts for after choosing `chosen`: one it may still act for, or '' (itself). */
export function actingForChoice(companies: readonly ActedForCompany[], chosen: string): string {
  return companies.some((company) => company.accountId === chosen) ? chosen : ''
}
