import { describe, expect, it } from 'vitest'
import type { Actor, StaffRole } from '../../platform/authz.ts'
import {
  grantReaders,
  holdsLicense,
  isGrantActive,
  issuers,
  isUsable,
  keyAdmins,
  type LicenseStatus,
  mayAdministerType,
  mayGrantForCase,
  mayIssueFor,
  mayManageLicense,
  mayReadThroughGrant,
  mayReissue,
  mayRotateKeys,
  statusAfter,
  typeAdmins,
  yieldsResult,
} from './licenses.policy.ts'

const market = { id: '11111111-1111-4111-8111-111111111111', regionCode: '330106' }
const police = { id: '22222222-2222-4222-8222-222222222222', regionCode: '330106' }
const otherMarket = { id: '33333333-3333-4333-8333-333333333333', regionCode: '330108' }
const kinds = new Map([
  [market.id, 'market_regulation'],
  [police.id, 'public_security'],
  [otherMarket.id, 'market_regulation'],
])
const kindOf = (id: string) => kinds.get(id)

const personLicense = { holder_account_id: 'p-holder' }
const companyLicense = { holder_account_id: 'c-company' }
const now = new Date('2026-11-23T02:00:00Z')
const activeGrant = { withdrawn_at: null, valid_until: new Date('2026-12-01T00:00:00Z') }
/** A case the agent filed for the company (its applicant is the agent, acting for the company). */
const companyCase = { applicantId: 'p-agent', actingForId: 'c-company' }

const staff = (role: StaffRole, departmentId: string | null, regionCode = '330106'): Actor => ({
  kind: 'staff',
  accountId: `s-${role}`,
  name: '工作人员',
  roles: [{ role, departmentId, regionCode }],
  realNameLevel: 3,
})
const person = (accountId: string, actingFor?: string): Actor => ({
  kind: 'person',
  accountId,
  name: '张三',
  roles: [],
  realNameLevel: 3,
  ...(actingFor ? { actingFor: { accountId: actingFor, name: '示例公司' } } : {}),
})

/**
 * Who may do what, for the issuing department `market` (市场监管), the grantee department `police` and
 * the license types of market regulation: own person license, own company license, issue, manage
 * (see, change, status), rotate keys, administer types, read through a grant to police, name the
 * company's case in a grant.
 */
type Row = [string, Actor, [boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean]]
const table: Row[] = [
  ['anonymous', { kind: 'anonymous' }, [false, false, false, false, false, false, false, false]],
  ['the holder (citizen)', person('p-holder'), [true, false, false, false, false, false, false, false]],
  [
    'an agent for the holder company',
    person('p-agent', 'c-company'),
    [false, true, false, false, false, false, false, true],
  ],
  [
    'the holder company itself',
    { kind: 'company', accountId: 'c-company', name: '示例公司', roles: [], realNameLevel: 3 },
    [false, true, false, false, false, false, false, true],
  ],
  ['another citizen', person('p-other'), [false, false, false, false, false, false, false, false]],
  [
    'approver of the issuing department',
    staff('approver', market.id),
    [false, false, true, true, false, false, false, false],
  ],
  [
    'department admin of the issuing department',
    staff('department_admin', market.id),
    [false, false, true, true, false, true, false, false],
  ],
  [
    'window clerk of the issuing department',
    staff('window_clerk', market.id),
    [false, false, false, false, false, false, false, false],
  ],
  [
    'window clerk of the grantee department',
    staff('window_clerk', police.id),
    [false, false, false, false, false, false, true, false],
  ],
  [
    'reviewer of the grantee department',
    staff('reviewer', police.id),
    [false, false, false, false, false, false, true, false],
  ],
  [
    'department admin of the grantee department',
    staff('department_admin', police.id),
    [false, false, false, false, false, false, true, false],
  ],
  [
    'approver of another department',
    staff('approver', otherMarket.id, '330108'),
    [false, false, false, false, false, false, false, false],
  ],
  [
    'department admin of another department of the kind',
    staff('department_admin', otherMarket.id, '330108'),
    [false, false, false, false, false, true, false, false],
  ],
  [
    'region-wide department admin',
    staff('department_admin', null, '330000'),
    [false, false, true, true, false, true, true, false],
  ],
  [
    'security admin of the issuing department',
    staff('security_admin', market.id),
    [false, false, false, false, true, false, false, false],
  ],
  [
    'security admin of another department',
    staff('security_admin', police.id),
    [false, false, false, false, false, false, false, false],
  ],
  [
    'region-wide security admin',
    staff('security_admin', null, '330000'),
    [false, false, false, false, true, false, false, false],
  ],
  [
    'system admin of the province',
    staff('system_admin', null, '330000'),
    [false, false, false, false, false, false, false, false],
  ],
  [
    'audit admin of the province',
    staff('audit_admin', null, '330000'),
    [false, false, false, false, false, false, false, false],
  ],
]

describe('who may do what with a license (role × record)', () => {
  for (const [name, actor, expected] of table)
    it(name, () => {
      expect([
        holdsLicense(actor, personLicense),
        holdsLicense(actor, companyLicense),
        mayIssueFor(actor, market),
        mayManageLicense(actor, market),
        mayRotateKeys(actor, market),
        mayAdministerType(actor, 'market_regulation', kindOf),
        mayReadThroughGrant(actor, activeGrant, police, now),
        mayGrantForCase(actor, companyCase),
      ]).toEqual(expected)
    })

  it('lets through the routes only those a record decision may allow', () => {
    for (const [, actor, [, , issue, , rotate, types, read]] of table) {
      if (issue) expect(issuers.allows(actor)).toBe(true)
      if (rotate) expect(keyAdmins.allows(actor)).toBe(true)
      if (types) expect(typeAdmins.allows(actor)).toBe(true)
      if (read) expect(grantReaders.allows(actor)).toBe(true)
    }
  })

  it('reads through no grant that is withdrawn, expired or names no department', () => {
    const clerk = staff('window_clerk', police.id)
    expect(mayReadThroughGrant(clerk, { ...activeGrant, withdrawn_at: now }, police, now)).toBe(false)
    expect(mayReadThroughGrant(clerk, { withdrawn_at: null, valid_until: now }, police, now)).toBe(false)
    expect(mayReadThroughGrant(clerk, activeGrant, undefined, now)).toBe(false)
    expect(isGrantActive(activeGrant, now)).toBe(true)
  })
})

describe('what a license’s status allows', () => {
  const statuses = ['valid', 'suspended', 'revoked', 'superseded'] as const
  it('moves by 注销, 暂停 and 恢复 only from the statuses they apply to', () => {
    expect(statuses.map((s) => statusAfter('revoke', s))).toEqual([
      'revoked',
      'revoked',
      undefined,
      undefined,
    ])
    expect(statuses.map((s) => statusAfter('suspend', s))).toEqual([
      'suspended',
      undefined,
      undefined,
      undefined,
    ])
    expect(statuses.map((s) => statusAfter('resume', s))).toEqual([undefined, 'valid', undefined, undefined])
  })

  it('gives a new version (变更, 补发) only to a current license', () => {
    expect(statuses.map(mayReissue)).toEqual([true, true, false, false])
  })

  it('shows, downloads and exports only a valid license', () => {
    const all: LicenseStatus[] = ['valid', 'expired', 'suspended', 'revoked', 'superseded']
    expect(all.map(isUsable)).toEqual([true, false, false, false, false])
  })

  it('issues the result of an approved case only', () => {
    expect([yieldsResult('approved'), yieldsResult('denied'), yieldsResult(null)]).toEqual([
      true,
      false,
      false,
    ])
  })
})
