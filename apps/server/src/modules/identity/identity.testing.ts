import { buildIdNumber, buildUscc } from '@tongban/standards'
import type { FastifyRequest } from 'fastify'
import { anonymous } from '../../platform/authz.ts'
import { AppError } from '../../platform/errors.ts'
import type { Platform } from '../../platform/platform.ts'
import { identityService } from './index.ts'

/** A password meeting the policy, for test accounts. */
export const TEST_PASSWORD = 'Tongban@2026'

let sequence = 0

/** A valid registration body for a person born in 西湖区 (unique per call within a test file). */
export function buildPersonRegistration(
  overrides: Partial<{ name: string; idNumber: string; phone: string }> = {},
) {
  sequence += 1
  return {
    name: '王小明',
    idNumber: buildIdNumber({ regionCode: '330106', birthDate: '1990-05-17', sequence: sequence * 2 + 1 }),
    phone: `1380000${String(1000 + sequence).slice(-4)}`,
    password: TEST_PASSWORD,
    ...overrides,
  }
}

/** A valid company registration body (authority 9, 企业) in 西湖区. */
export function buildCompanyRegistration(overrides: Partial<{ name: string; uscc: string }> = {}) {
  sequence += 1
  return {
    name: `杭州测试${sequence}号科技有限公司`,
    uscc: buildUscc({
      registrationAuthority: '9',
      entityType: '1',
      regionCode: '330106',
      organizationCode: 7_000_000 + sequence,
    }),
    ...overrides,
  }
}

/**
 * Resolves `Authorization: Bearer <accountId>` or `Bearer <accountId>@<companyId>` through the real
 * AccountDirectory.actorFor, the way the SSO module's authenticator does after checking a token: an
 * account that no longer may act (revoked agent, disabled) is refused with 403.
 */
export function useAccountTokens(platform: Platform): void {
  const identity = identityService(platform)
  platform.authenticator = async (request: FastifyRequest) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
    if (!token) return anonymous
    const [accountId, companyId] = token.split('@')
    const actor = await identity.actorFor(accountId!, companyId, `test-${request.id}`)
    if (!actor) throw new AppError('forbidden')
    return actor
  }
}

/** Headers of a request by an account (optionally acting for a company). */
export function bearer(accountId: string, companyId?: string): Record<string, string> {
  return { authorization: `Bearer ${accountId}${companyId ? `@${companyId}` : ''}` }
}
