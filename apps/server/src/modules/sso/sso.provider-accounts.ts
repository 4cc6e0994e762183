import type { Account, KoaContext, TokenInstance } from 'oidc-provider'
import type { SsoClaimsPort } from './sso.ports.ts'

/** The company an agent acts for under a grant. */
export type ActingForOf = (grantId: string | undefined) => Promise<string | undefined>

/**
 * One token request asks for a grant's acting-for company twice (the account's claims, then the access
 * token's): remembered per request, so it costs one look-up.
 */
export function actingForPerRequest(
  actingForOf: ActingForOf,
): (ctx: KoaContext | undefined, grantId: string | undefined) => Promise<string | undefined> {
  const byRequest = new WeakMap<object, Map<string, Promise<string | undefined>>>()
  return (ctx, grantId) => {
    if (!grantId) return Promise.resolve(undefined)
    const request = ctx?.oidc as object | undefined
    if (!request) return actingForOf(grantId)
    let known = byRequest.get(request)
    if (!known) {
      known = new Map()
      byRequest.set(request, known)
    }
    let found = known.get(grantId)
    if (!found) {
      found = actingForOf(grantId)
      known.set(grantId, found)
    }
    return found
  }
}

/** The provider's findAccount: the account's claims, for the company acted for under the grant in use. */
export function accountFinder(
  claims: SsoClaimsPort,
  actingForOf: ReturnType<typeof actingForPerRequest>,
): (ctx: KoaContext, accountId: string, token?: TokenInstance) => Promise<Account | undefined> {
  return async (ctx, accountId, token) => {
    const grantId =
      token?.grantId ??
      (ctx?.oidc?.entities?.Grant as { jti?: string } | undefined)?.jti ??
      ctx?.oidc?.result?.consent?.grantId
    const actingFor = await actingForOf(ctx, grantId)
    const found = await claims.claimsFor(accountId, actingFor)
    if (!found) return undefined
    return { accountId, claims: async () => ({ ...found, sub: accountId }) }
  }
}
