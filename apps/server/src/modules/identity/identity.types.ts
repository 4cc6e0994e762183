import type { Actor, RoleGrant } from '../../platform/authz.ts'

/** Kinds of account: 自然人, 法人 (company), and staff (工作人员). */
export type AccountKind = 'person' | 'company' | 'staff'

/**
 * Real-name levels (实名等级): 1 self-declared; 2 ID number checked against population data;
 * 3 verified face to face at a counter or by face recognition.
 */
export type RealNameLevel = 1 | 2 | 3

/** The claims Tongban's OpenID Provider puts in ID tokens and userinfo for an account. */
export interface AccountClaims {
  sub: string
  name: string
  account_kind: AccountKind
  realname_level: RealNameLevel
  /** 110***********1234 for a person, the USCC for a company, absent for staff without one. */
  id_masked?: string
  /** The company an agent is acting for in this session. */
  acting_for?: { sub: string; name: string; uscc: string }
  /** Staff role grants: role, department id (or null) and region code. */
  roles?: RoleGrant[]
}

/** Why a password login failed; the login page words each for the user. */
export type LoginFailure = 'invalid-credentials' | 'locked' | 'disabled' | 'totp-required' | 'totp-invalid'

export type PasswordLoginResult =
  | {
      ok: true
      accountId: string
      totpRequired: boolean
      /** Whether a second factor is enrolled; false with totpRequired: staff must enrol before going on. */
      totpEnrolled?: boolean
    }
  | { ok: false; reason: LoginFailure; lockedUntil?: Date }

/**
 * What the SSO (OpenID Provider) part needs from accounts. Implemented by IdentityService; the provider
 * never reads account tables itself.
 */
export interface AccountDirectory {
  /** Checks a login name (ID number, USCC, phone or staff username) and password; counts failures, locks. */
  verifyPassword(
    login: string,
    password: string,
    context: { ip: string | null; requestId: string | null },
  ): Promise<PasswordLoginResult>
  /** Checks a TOTP code of an account that has a second factor. */
  verifyTotp(
    accountId: string,
    code: string,
    context: { ip: string | null; requestId: string | null },
  ): Promise<boolean>
  /** The companies an account may currently act for (unrevoked, unexpired agent authorizations). */
  companiesActedFor(accountId: string): Promise<{ accountId: string; name: string; uscc: string }[]>
  /** Claims for an account (and the company it acts for); undefined when the account is gone or disabled. */
  claimsFor(accountId: string, actingForCompanyId?: string): Promise<AccountClaims | undefined>
  /**
   * The actor of an API call by this account: its current roles, and the company it acts for if the
   * authorization is still valid. Undefined when the account is disabled or the authorization revoked.
   * May answer synchronously (a cached actor): it runs on every API call.
   */
  actorFor(
    accountId: string,
    actingForCompanyId?: string,
    sessionId?: string,
  ): Actor | undefined | Promise<Actor | undefined>
}

/**
 * An applicant a window clerk verified face to face from their documents (一窗受理), whose account the
 * counter opens: a person by ID card, a company by business licence.
 */
export type CounterAccount =
  | { kind: 'person'; name: string; idNumber: string; phone?: string | undefined }
  | { kind: 'company'; name: string; uscc: string }
