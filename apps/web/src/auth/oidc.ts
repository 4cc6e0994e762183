/**
 * Login through Tongban's own OpenID Provider: authorization code + PKCE (S256) with a public client,
 * using oauth4webapi (loaded on demand so it stays out of the portal's first page).
 */
import type * as OAuth from 'oauth4webapi'
import { ApiProblem, clientProblem } from '../api/client.ts'
import { type Language, toLanguage } from '../i18n/i18n.ts'
import { clearSession, getSession, type Session, saveSession, toClaims } from './session.ts'

/** The public client registered for the web app. */
export const CLIENT_ID = 'tongban-web'
export const SCOPES = 'openid profile offline_access'
const PENDING_KEY = 'tongban.login'
/** Refresh this long before the access token expires. */
export const REFRESH_MARGIN_MS = 60_000

/** The issuer is the same origin as the app, under /oidc. */
export function issuerUrl(): URL {
  return new URL('/oidc', window.location.origin)
}

/** Where the provider sends the browser back. */
export function redirectUri(): string {
  return `${window.location.origin}/auth/callback`
}

interface PendingLogin {
  state: string
  nonce: string
  codeVerifier: string
  returnTo: string
}

interface Provider {
  oauth: typeof OAuth
  as: OAuth.AuthorizationServer
  client: OAuth.Client
  options: { [OAuth.allowInsecureRequests]?: boolean }
}

let provider: Promise<Provider> | undefined

/** Loads oauth4webapi and the provider's discovery document once per page. */
function loadProvider(): Promise<Provider> {
  provider ??= (async () => {
    const oauth = await import('oauth4webapi')
    const issuer = issuerUrl()
    // Plain http only on a developer's or test machine; production is served over https.
    const options = issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {}
    const discover = async () =>
      oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options))
    const as = await discover().catch(() => {
      // Shown to the user: a bilingual "service unavailable", not the library's English message.
      throw new ApiProblem(clientProblem(503, 'oidc-unavailable', 'error.generic'))
    })
    const algs = as.id_token_signing_alg_values_supported ?? []
    const client: OAuth.Client = {
      client_id: CLIENT_ID,
      token_endpoint_auth_method: 'none',
      ...(algs.length > 0 && !algs.includes('RS256') ? { id_token_signed_response_alg: algs[0] } : {}),
    }
    return { oauth, as, client, options }
  })()
  provider.catch(() => {
    provider = undefined
  })
  return provider
}

/** The current path, query and hash: where to come back to after login. */
export function currentLocation(): string {
  const { pathname, search, hash } = window.location
  return `${pathname}${search}${hash}`
}

/** Only same-origin paths are accepted as a return target (no open redirect). */
export function safeReturnTo(value: string | undefined): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/auth/')) return '/'
  return value
}

/** Starts login: redirects the browser to the provider, remembering where to come back. */
export async function startLogin(returnTo: string = currentLocation(), language?: Language): Promise<void> {
  const { oauth, as } = await loadProvider()
  if (!as.authorization_endpoint) throw new Error('OpenID Provider has no authorization endpoint')
  const codeVerifier = oauth.generateRandomCodeVerifier()
  const pending: PendingLogin = {
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    codeVerifier,
    returnTo: safeReturnTo(returnTo),
  }
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending))
  const url = new URL(as.authorization_endpoint)
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: SCOPES,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
    // OpenID Connect Core §11: offline_access is only honoured together with prompt=consent.
    prompt: 'consent',
    ui_locales: toLanguage(language ?? document.documentElement.lang) === 'en' ? 'en zh-CN' : 'zh-CN en',
  }).toString()
  window.location.assign(url.href)
}

function takePendingLogin(): PendingLogin | undefined {
  const raw = sessionStorage.getItem(PENDING_KEY)
  sessionStorage.removeItem(PENDING_KEY)
  if (!raw) return undefined
  try {
    return JSON.parse(raw) as PendingLogin
  } catch {
    return undefined
  }
}

async function toSession(
  p: Provider,
  tokens: OAuth.TokenEndpointResponse,
  previous?: Session,
): Promise<Session> {
  const { oauth, as, client, options } = p
  const idClaims = oauth.getValidatedIdTokenClaims(tokens)
  let raw: Record<string, unknown> = { ...(previous?.claims ?? {}), ...(idClaims ?? {}) }
  // oidc-provider puts profile claims in userinfo, not in the ID token, unless configured otherwise.
  if (as.userinfo_endpoint) {
    const subject = (idClaims?.sub ?? previous?.claims.sub) as string
    const response = await oauth.userInfoRequest(as, client, tokens.access_token, options)
    raw = { ...raw, ...(await oauth.processUserInfoResponse(as, client, subject, response)) }
  }
  return {
    accessToken: tokens.access_token,
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
    ...(tokens.id_token || previous?.idToken ? { idToken: tokens.id_token ?? previous?.idToken } : {}),
    expiresAt: Date.now() + (tokens.expires_in ?? 300) * 1000,
    claims: toClaims(raw),
  }
}

const completions = new Map<string, Promise<string>>()

/**
 * Finishes login on /auth/callback: checks state, exchanges the code with the PKCE verifier, stores
 * the session, and returns the path to go back to. Idempotent per URL (React may run effects twice).
 */
export function completeLogin(callbackUrl: string): Promise<string> {
  let completion = completions.get(callbackUrl)
  if (!completion) {
    completion = (async () => {
      const pending = takePendingLogin()
      if (!pending) throw new Error('No login in progress')
      const p = await loadProvider()
      const { oauth, as, client, options } = p
      const params = oauth.validateAuthResponse(as, client, new URL(callbackUrl), pending.state)
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        oauth.None(),
        params,
        redirectUri(),
        pending.codeVerifier,
        options,
      )
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
        expectedNonce: pending.nonce,
        requireIdToken: true,
      })
      saveSession(await toSession(p, tokens))
      return safeReturnTo(pending.returnTo)
    })()
    completions.set(callbackUrl, completion)
  }
  return completion
}

let refreshing: Promise<Session | undefined> | undefined

/** Uses the refresh token for a new access token; on failure the session is cleared. Single-flight. */
export function refreshSession(): Promise<Session | undefined> {
  refreshing ??= (async () => {
    const session = getSession()
    if (!session?.refreshToken) {
      clearSession()
      return undefined
    }
    try {
      const p = await loadProvider()
      const { oauth, as, client, options } = p
      const response = await oauth.refreshTokenGrantRequest(
        as,
        client,
        oauth.None(),
        session.refreshToken,
        options,
      )
      const tokens = await oauth.processRefreshTokenResponse(as, client, response)
      const next = await toSession(p, tokens, session)
      saveSession(next)
      return next
    } catch {
      clearSession()
      return undefined
    }
  })().finally(() => {
    refreshing = undefined
  })
  return refreshing
}

/** The access token to send, refreshed first when it is about to expire; undefined when logged out. */
export async function getAccessToken(): Promise<string | undefined> {
  const session = getSession()
  if (!session) return undefined
  if (session.expiresAt - Date.now() > REFRESH_MARGIN_MS) return session.accessToken
  return (await refreshSession())?.accessToken
}

/** RP-initiated logout: forgets the session and lets the provider end its own, then back to `/`. */
export async function logout(): Promise<void> {
  const session = getSession()
  clearSession()
  const home = `${window.location.origin}/`
  try {
    const { as } = await loadProvider()
    if (!as.end_session_endpoint) throw new Error('no end_session_endpoint')
    const url = new URL(as.end_session_endpoint)
    url.searchParams.set('client_id', CLIENT_ID)
    url.searchParams.set('post_logout_redirect_uri', home)
    if (session?.idToken) url.searchParams.set('id_token_hint', session.idToken)
    window.location.assign(url.href)
  } catch {
    window.location.assign(home)
  }
}
