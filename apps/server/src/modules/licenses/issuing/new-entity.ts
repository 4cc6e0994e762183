import { createHash } from 'node:crypto'
import type { ResultLicense } from '@tongban/contracts'
import { organizationCodeCheckCharacter, usccCheckCharacter } from '@tongban/standards'
import type { HolderFacts } from './case-fields.ts'

/** GB 32100 机构类别 under 登记管理部门 9 (市场监管): 1 企业, 2 个体工商户. */
const ENTITY_TYPES: Record<NonNullable<ResultLicense['newEntity']>, { code: string; name: string }> = {
  company: { code: '1', name: '有限责任公司' },
  individual_business: { code: '2', name: '个体工商户' },
}

/**
 * The 统一社会信用代码 the market regulator assigns to the entity a case registers: authority 9, the
 * entity's category, the registering region, and a 组织机构代码 body derived from the case (so a retried
 * issue assigns the same code), each with its check character.
 */
export function assignCreditCode(
  caseId: string,
  regionCode: string,
  kind: NonNullable<ResultLicense['newEntity']>,
): string {
  const digest = createHash('sha256').update(`uscc:${caseId}`).digest()
  const body = String(digest.readUInt32BE(0) % 100_000_000).padStart(8, '0')
  const first17 = `9${ENTITY_TYPES[kind].code}${regionCode.slice(0, 6)}${body}${organizationCodeCheckCharacter(body)}`
  return first17 + usccCheckCharacter(first17)
}

/**
 * The market entity (市场主体) a case registers, in the licenses module's terms: its name from the form (the
 * license's name field, by the issuance map), a credit code of its own, and the applicant as its operator (经营者) or legal
 * representative; its license is held in the applicant's wallet until the entity has an account.
 */
export function newEntityHolder(
  kind: NonNullable<ResultLicense['newEntity']>,
  facts: { caseId: string; regionCode: string },
  applicantName: string,
): HolderFacts {
  return {
    name: undefined,
    identifier: assignCreditCode(facts.caseId, facts.regionCode, kind),
    representative: applicantName,
    entityType: ENTITY_TYPES[kind].name,
  }
}
