import type { FieldError } from '@tongban/contracts'
import type { Actor, RoleGrant } from '../../platform/authz.ts'
import type {
  ApplicantFacts,
  ApplicantFactsPort,
  BundleDescription,
  CatalogPort,
  CitedGrant,
  LicenseGrantsPort,
  PublishedGuide,
  StaffDirectoryPort,
} from './cases.ports.ts'

/** Departments of the fake catalog (ids only: the cases module keeps no foreign key to org). */
export const DEPT = {
  market: '11111111-1111-4111-8111-111111111111',
  publicSecurity: '22222222-2222-4222-8222-222222222222',
  tax: '33333333-3333-4333-8333-333333333333',
}

/** A published guide for tests: 西湖区 market regulation, 20/10 working days, two materials. */
export function buildGuide(overrides: Partial<PublishedGuide> = {}): PublishedGuide {
  return {
    implementationId: 'impl-business-license',
    version: 1,
    itemCode: '000105001000',
    itemName: '个体工商户注册登记',
    regionCode: '330106',
    departmentId: DEPT.market,
    processingKind: 'promised',
    legalLimitDays: 20,
    promisedLimitDays: 10,
    materials: [
      { key: 'id-card', name: '经营者身份证明', required: true, source: 'either' },
      { key: 'premises', name: '经营场所证明', required: true, source: 'upload' },
      { key: 'photo', name: '照片', required: false, source: 'upload' },
    ],
    ...overrides,
  }
}

/** A catalog that knows the given guides and bundles; the form needs `name` (text) and `phone` (11 digits). */
export class FakeCatalog implements CatalogPort {
  readonly applications: string[] = []
  constructor(
    readonly guides: PublishedGuide[],
    readonly bundles: BundleDescription[] = [],
  ) {}

  async getPublishedVersion(implementationId: string, version?: number) {
    return this.guides
      .filter(
        (g) => g.implementationId === implementationId && (version === undefined || g.version === version),
      )
      .sort((a, b) => b.version - a.version)[0]
  }

  async validateApplication(
    _id: string,
    _version: number,
    data: Record<string, unknown>,
  ): Promise<FieldError[]> {
    const errors: FieldError[] = []
    if (typeof data.name !== 'string' || data.name === '')
      errors.push({
        path: '/name',
        code: 'required',
        message: { zh: '此项为必填项', en: 'This field is required' },
      })
    if (data.phone !== undefined && !/^1\d{10}$/.test(String(data.phone)))
      errors.push({
        path: '/phone',
        code: 'pattern',
        message: { zh: '格式不正确', en: 'Has the wrong format' },
      })
    return errors
  }

  async getBundle(bundleId: string, regionCode: string) {
    return this.bundles.find((b) => b.bundleId === bundleId && b.regionCode === regionCode)
  }

  async recordApplication(implementationId: string) {
    this.applications.push(implementationId)
  }
}

/** A staff directory over a fixed set of actors. */
export function fakeStaffDirectory(actors: Record<string, Actor>): StaffDirectoryPort {
  return {
    async findRoleGrants(accountId: string): Promise<RoleGrant[] | undefined> {
      const actor = Object.values(actors).find((a) => a.kind === 'staff' && a.accountId === accountId)
      return actor && actor.kind === 'staff' ? actor.roles : undefined
    },
  }
}

const staff = (
  accountId: string,
  name: string,
  role: RoleGrant['role'],
  departmentId: string | null,
  regionCode = '330106',
): Actor => ({
  kind: 'staff',
  accountId,
  name,
  roles: [{ role, departmentId, regionCode }],
  realNameLevel: 3,
})

/** Applicants and staff of the test department (西湖区市场监管局) and of others. */
export function caseActors(): Record<string, Actor> {
  return {
    citizen: { kind: 'person', accountId: 'p-1', name: '张三', roles: [], realNameLevel: 2 },
    otherCitizen: { kind: 'person', accountId: 'p-2', name: '李四', roles: [], realNameLevel: 2 },
    agent: {
      kind: 'person',
      accountId: 'p-3',
      name: '王五',
      roles: [],
      realNameLevel: 2,
      actingFor: { accountId: 'c-1', name: '杭州某某科技有限公司' },
    },
    company: { kind: 'company', accountId: 'c-1', name: '杭州某某科技有限公司', roles: [], realNameLevel: 2 },
    clerk: staff('s-clerk', '窗口甲', 'window_clerk', DEPT.market),
    clerk2: staff('s-clerk2', '窗口乙', 'window_clerk', DEPT.market),
    reviewer: staff('s-reviewer', '审查员', 'reviewer', DEPT.market),
    approver: staff('s-approver', '审批员', 'approver', DEPT.market),
    psClerk: staff('s-ps-clerk', '公安窗口', 'window_clerk', DEPT.publicSecurity),
    psReviewer: staff('s-ps-reviewer', '公安审查', 'reviewer', DEPT.publicSecurity),
    psApprover: staff('s-ps-approver', '公安审批', 'approver', DEPT.publicSecurity),
    taxClerk: staff('s-tax-clerk', '税务窗口', 'window_clerk', DEPT.tax),
    taxReviewer: staff('s-tax-reviewer', '税务审查', 'reviewer', DEPT.tax),
    taxApprover: staff('s-tax-approver', '税务审批', 'approver', DEPT.tax),
    binjiangClerk: staff('s-bj-clerk', '滨江窗口', 'window_clerk', DEPT.market, '330108'),
    provinceAdmin: staff('s-admin', '省系统管理员', 'system_admin', null, '330000'),
    countyAdmin: staff('s-county-admin', '区系统管理员', 'system_admin', null, '330106'),
  }
}

/** Each test applicant's 用证授权 of their 居民身份证 to the market department (fakeGrants knows them). */
export const ID_CARD_GRANTS: Record<string, string> = {
  citizen: 'grant-1',
  otherCitizen: 'grant-p-2',
  agent: 'grant-c-1',
  company: 'grant-c-1',
}

/** A grant of the fake licenses module: active, to the market department, unless overridden. */
export function buildGrant(overrides: Partial<CitedGrant> & Pick<CitedGrant, 'id' | 'holderAccountId'>) {
  return {
    licenseType: 'resident_id_card',
    active: true,
    departmentId: DEPT.market,
    caseId: null,
    ...overrides,
  } satisfies CitedGrant
}

/** The licenses module's grants as the cases tests know them: the applicants' ID_CARD_GRANTS and `more`. */
export function fakeGrants(more: CitedGrant[] = []): LicenseGrantsPort & { grants: CitedGrant[] } {
  const grants: CitedGrant[] = [
    buildGrant({ id: 'grant-1', holderAccountId: 'p-1' }),
    buildGrant({ id: 'grant-p-2', holderAccountId: 'p-2' }),
    buildGrant({ id: 'grant-c-1', holderAccountId: 'c-1', licenseType: 'business_license' }),
    ...more,
  ]
  return { grants, findGrant: async (id) => grants.find((g) => g.id === id) }
}

/** The accounts' real-name facts (the identity module's) by account id. */
export function fakeApplicantFacts(facts: Record<string, ApplicantFacts>): ApplicantFactsPort {
  return {
    async findApplicantFacts(actor) {
      const own = facts[actor.accountId]
      if (!own) return undefined
      const company = actor.actingFor ? facts[actor.actingFor.accountId]?.company : own.company
      return { ...own, ...(company ? { company } : {}) }
    },
  }
}
