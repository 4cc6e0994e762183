import type { Actor, RoleGrant } from '../../platform/authz.ts'
import type { Platform } from '../../platform/platform.ts'

/** The kinds of account the provider logs in: 自然人, 法人 and 工作人员. */
export type SsoAccountKind = 'person' | 'company' | 'staff'

/** The claims the OpenID Provider puts in ID tokens and userinfo for an account (names as released). */
export interface SsoClaims {
  sub: string
  name: string
  account_kind: SsoAccountKind
  /** 实名等级: 1 self-declared, 2 checked against population data, 3 verified face to face. */
  realname_level: 1 | 2 | 3
  /** 110***********1234 for a person, the USCC for a company. */
  id_masked?: string
  /** The company an agent acts for in this session. */
  acting_for?: { sub: string; name: string; uscc: string }
  /** Staff role grants. */
  roles?: RoleGrant[]
}

/** A company an agent (法人经办人) may act for. */
export interface ActedForCompany {
  accountId: string
  name: string
  uscc: string
}

/** Where a login attempt came from, for the account owner's failure counting and audit. */
export interface LoginContext {
  ip: string | null
  requestId: string | null
}

/** Why a password check failed; the login page words each for the user. */
export type LoginRefusal = 'invalid-credentials' | 'locked' | 'disabled' | 'totp-required' | 'totp-invalid'

/** The answer of a password check. */
export type PasswordCheck =
  | {
      ok: true
      accountId: string
      totpRequired: boolean
      /** Whether a second factor is enrolled; false with totpRequired: the account enrols one first. */
      totpEnrolled?: boolean
    }
  | { ok: false; reason: LoginRefusal; lockedUntil?: Date }

/** Accounts as the provider looks them up: who an API caller is, and whom an agent may act for. */
export interface SsoAccountsPort {
  /**
   * The actor of an API call: current roles, and the company acted for while the authorization holds.
   * Undefined for a disabled account or a revoked authorization. May answer synchronously (a cached actor).
   */
  actorFor(
    accountId: string,
    actingForCompanyId?: string,
    sessionId?: string,
  ): Actor | undefined | Promise<Actor | undefined>
  /** The companies an account may act for now (unrevoked, unexpired agent authorizations). */
  companiesActedFor(accountId: string): Promise<ActedForCompany[]>
}

/** The login checks the provider asks of the account owner (which counts failures and locks). */
export interface SsoLoginPort {
  verifyPassword(login: string, password: string, context: LoginContext): Promise<PasswordCheck>
  verifyTotp(accountId: string, code: string, context: LoginContext): Promise<boolean>
  /** Starts enrolling an authenticator (mandatory for staff); the otpauth:// URI to show. */
  startTotpEnrolment(accountId: string): Promise<{ otpauthUri: string }>
  /** Confirms an enrolment with the first code the authenticator shows. */
  confirmTotpEnrolment(accountId: string, code: string, context: LoginContext): Promise<boolean>
}

/** The claims released about an account; undefined when the account is gone or disabled. */
export interface SsoClaimsPort {
  claimsFor(accountId: string, actingForCompanyId?: string): Promise<SsoClaims | undefined>
}

/** Everything the sso module consumes. */
export interface SsoPorts {
  accounts: SsoAccountsPort
  logins: SsoLoginPort
  claims: SsoClaimsPort
}

/** The ports, built per platform (wired in modules/wiring/sso.ts; tests pass fakes). */
export type SsoPortFactories = { [K in keyof SsoPorts]: (platform: Platform) => SsoPorts[K] }
