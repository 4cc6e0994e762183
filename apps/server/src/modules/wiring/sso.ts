import type { Platform } from '../../platform/platform.ts'
import { identityService } from '../identity/index.ts'
import type { SsoAccountsPort, SsoClaimsPort, SsoLoginPort, SsoPortFactories } from '../sso/index.ts'

// The sso module consumes identity: accounts, login checks and claims, from identity's public service.

/** Who an API caller is and whom an agent may act for, from the identity module. */
function accountsForSso(platform: Platform): SsoAccountsPort {
  const identity = identityService(platform)
  return {
    // every API call asks: handed straight through, so a cached actor stays an answer without a promise
    actorFor: (accountId, actingFor, sessionId) => identity.actorFor(accountId, actingFor, sessionId),
    companiesActedFor: (accountId) => identity.companiesActedFor(accountId),
  }
}

/** The identity module's password, second-factor and enrolment checks (it counts failures and locks). */
function loginsForSso(platform: Platform): SsoLoginPort {
  const identity = identityService(platform)
  return {
    verifyPassword: (login, password, context) => identity.verifyPassword(login, password, context),
    verifyTotp: (accountId, code, context) => identity.verifyTotp(accountId, code, context),
    async startTotpEnrolment(accountId) {
      const { otpauthUri } = await identity.startTotpEnrolment(accountId)
      return { otpauthUri }
    },
    confirmTotpEnrolment: (accountId, code, context) =>
      identity.confirmTotpEnrolment(accountId, code, context),
  }
}

/** The claims identity releases about an account (and the company it acts for). */
function claimsForSso(platform: Platform): SsoClaimsPort {
  const identity = identityService(platform)
  return { claimsFor: (accountId, actingFor) => identity.claimsFor(accountId, actingFor) }
}

/** The ports of the sso module. */
export const ssoPorts: SsoPortFactories = {
  accounts: accountsForSso,
  logins: loginsForSso,
  claims: claimsForSso,
}
