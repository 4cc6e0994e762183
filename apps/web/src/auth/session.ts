/** Tongban's login session in this tab: tokens in sessionStorage, observable by React. */

const SESSION_KEY = 'tongban.session'

/** The kind of account that logged in. */
export type AccountKind = 'person' | 'company' | 'staff'

/** The company an agent (法人经办人) acts for in this session. */
export interface ActingFor {
  sub: string
  name: string
  uscc: string
}

/** A staff role grant: role, department (or null) and region code. */
export interface RoleGrant {
  role: string
  departmentId: string | null
  regionCode: string
}

/** Claims of the logged-in user, from the ID token and the userinfo endpoint. */
export interface TongbanClaims {
  sub: string
  name?: string
  account_kind?: AccountKind
  /** 实名等级: 1 self-declared, 2 checked against population data, 3 verified face to face. */
  realname_level?: number
  /** 110***********1234 for a person, the USCC for a company; the full ID number never reaches the browser. */
  id_masked?: string
  acting_for?: ActingFor | null
  roles?: RoleGrant[]
}

/** Tokens and claims of the current login. */
export interface Session {
  accessToken: string
  refreshToken?: string
  idToken?: string
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number
  claims: TongbanClaims
}

type Listener = () => void
const listeners = new Set<Listener>()
let cached: Session | undefined | null = null

function read(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY)
    if (!raw) return undefined
    const parsed = JSON.parse(raw) as Session
    if (typeof parsed.accessToken !== 'string' || typeof parsed.claims?.sub !== 'string') return undefined
    return parsed
  } catch {
    return undefined
  }
}

/** The current session, or undefined when logged out. */
export function getSession(): Session | undefined {
  if (cached === null) cached = read()
  return cached
}

/** Stores a new session (after login or refresh) and notifies subscribers. */
export function saveSession(session: Session): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session))
  cached = session
  for (const listener of listeners) listener()
}

/** Forgets the session (logout, failed refresh) and notifies subscribers. */
export function clearSession(): void {
  sessionStorage.removeItem(SESSION_KEY)
  cached = undefined
  for (const listener of listeners) listener()
}

/** Subscribes to session changes (for useSyncExternalStore). */
export function subscribeSession(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

const KINDS: readonly AccountKind[] = ['person', 'company', 'staff']

/** Keeps only the claims the web app understands, with the types it expects. */
export function toClaims(raw: Record<string, unknown>): TongbanClaims {
  const claims: TongbanClaims = { sub: String(raw.sub ?? '') }
  if (typeof raw.name === 'string') claims.name = raw.name
  if (typeof raw.account_kind === 'string' && KINDS.includes(raw.account_kind as AccountKind)) {
    claims.account_kind = raw.account_kind as AccountKind
  }
  if (typeof raw.realname_level === 'number') claims.realname_level = raw.realname_level
  if (typeof raw.id_masked === 'string') claims.id_masked = raw.id_masked
  const actingFor = raw.acting_for as Partial<ActingFor> | null | undefined
  if (typeof actingFor?.sub === 'string' && typeof actingFor.name === 'string') {
    claims.acting_for = { sub: actingFor.sub, name: actingFor.name, uscc: String(actingFor.uscc ?? '') }
  }
  if (Array.isArray(raw.roles)) {
    claims.roles = (raw.roles as Partial<RoleGrant>[])
      .filter((grant) => typeof grant?.role === 'string')
      .map((grant) => ({
        role: grant.role as string,
        departmentId: typeof grant.departmentId === 'string' ? grant.departmentId : null,
        regionCode: String(grant.regionCode ?? ''),
      }))
  }
  return claims
}
