import type { CaseCompleted, ResultLicense } from '@tongban/contracts'
import { buildUscc } from '@tongban/standards'
import type { Actor, StaffRole } from '../../platform/authz.ts'
import { FixedClock } from '../../platform/clock.ts'
import { createTestServer, type TestServer, useTestActors } from '../../testing/test-server.ts'
import { orgModule, orgService } from '../org/index.ts'
import { licensesPorts } from '../wiring.ts'
import { createLicensesModule } from './index.ts'
import type { CaseFacts } from './licenses.ports.ts'

/**
 * The licenses module's HTTP test bench: a server with the org and licenses modules, fakes of the cases,
 * catalog and identity ports, two departments (market regulation, police) and named actors. One per test
 * file (each file has its own instance of this module).
 */

export const BUSINESS_LICENSE = '11100000000010014P001'
export const ID_CARD = '11100000000013127D001'
export const system = { actorId: null, actorKind: 'system' as const, ip: null, requestId: null }

export let server: TestServer
let as: (name: string) => Record<string, string>
export const clock = new FixedClock(new Date('2026-11-23T02:00:00Z'))
/** The fake cases module's cases. */
export const cases = new Map<string, CaseFacts>()
/** The fake catalog's 办理结果 by implementation: impl-bl issues a 营业执照, impl-close yields no license. */
export const results = new Map<string, ResultLicense>([
  ['impl-bl', { typeCode: '11100000000010014P001', action: 'issue' }],
])

/** The `case.completed` payload of a fake case, approved, its form encrypted as the cases module does. */
export function completion(caseId: string): CaseCompleted {
  const facts = cases.get(caseId)
  if (!facts) throw new Error(`no fake case ${caseId}`)
  return {
    caseId,
    caseNo: `TB-TEST-${caseId.slice(-4)}`,
    seq: 6,
    applicantId: facts.applicantId,
    actingForId: facts.actingForId,
    itemName: '测试事项',
    regionCode: facts.regionCode,
    parentId: null,
    departmentId: facts.departmentId,
    implementationId: facts.implementationId,
    guideVersion: facts.guideVersion,
    decision: 'approved',
    formDataEnc: server.platform.vault.encrypt(JSON.stringify(facts.formData)),
  }
}
export let market: { id: string; uscc: string }
export let police: { id: string }
export const companyUscc = buildUscc({
  registrationAuthority: '9',
  entityType: '1',
  regionCode: '330106',
  organizationCode: 77,
})

/** The licenses module on fakes of the cases, catalog and identity modules (and the real org module). */
const licensesOnFakes = () =>
  createLicensesModule({
    cases: () => ({ findCase: async (id) => cases.get(id) }),
    guides: () => ({ resultOf: async (implementationId) => results.get(implementationId) }),
    holders: () => ({
      findHolder: async (id) =>
        id === 'c-1' ? { name: '杭州西湖示例科技有限公司', identifier: companyUscc } : undefined,
    }),
    departments: licensesPorts.departments,
  })

/** Starts the bench (call in beforeAll; close `server` in afterAll). */
export async function startLicensesServer(): Promise<void> {
  server = await createTestServer({ clock, modules: [orgModule, licensesOnFakes()] })
  await createDepartments()
  as = useTestActors(server, actors())
}

async function createDepartments(): Promise<void> {
  const org = orgService(server.platform)
  const dept = (kind: string, name: string, organizationCode: number) =>
    org.createDepartment(
      {
        name,
        shortName: name.slice(0, 8),
        kind,
        regionCode: '330106',
        uscc: buildUscc({
          registrationAuthority: '1',
          entityType: '1',
          regionCode: '330106',
          organizationCode,
        }),
      },
      system,
    )
  market = await dept('market_regulation', '杭州市西湖区市场监督管理局', 2001)
  police = await dept('public_security', '杭州市公安局西湖区分局', 2002)
}

const staff = (accountId: string, role: StaffRole, departmentId: string | null): Actor => ({
  kind: 'staff',
  accountId,
  name: accountId,
  roles: [{ role, departmentId, regionCode: '330106' }],
  realNameLevel: 3,
})

/** The named actors of the tests: staff of both departments, an agent of company c-1, a citizen. */
function actors(): Record<string, Actor> {
  return {
    security: staff('s-sec', 'security_admin', market.id),
    policeSecurity: staff('s-sec2', 'security_admin', police.id),
    approver: staff('s-app', 'approver', market.id),
    marketAdmin: staff('s-adm', 'department_admin', market.id),
    policeAdmin: staff('s-padm', 'department_admin', police.id),
    marketClerk: staff('s-clk', 'window_clerk', market.id),
    policeClerk: staff('s-pclk', 'window_clerk', police.id),
    agent: {
      kind: 'person',
      accountId: 'p-1',
      name: '张三',
      roles: [],
      realNameLevel: 3,
      actingFor: { accountId: 'c-1', name: '杭州西湖示例科技有限公司' },
    },
    citizen: { kind: 'person', accountId: 'p-2', name: '李四', roles: [], realNameLevel: 3 },
  }
}

/** One request as a named actor (or anonymously). */
export const inject = (
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  who?: string,
  payload?: unknown,
) =>
  server.app.inject({
    method,
    url,
    ...(who ? { headers: as(who) } : {}),
    ...(payload === undefined ? {} : { payload: payload as object }),
  })

/** The body of a staff issue of a 营业执照 to the agent's company. */
export const businessLicense = (overrides: Record<string, unknown> = {}) => ({
  typeCode: BUSINESS_LICENSE,
  departmentId: market.id,
  holder: { kind: 'company', accountId: 'c-1', name: '杭州西湖示例科技有限公司', identifier: companyUscc },
  fields: {
    companyName: '杭州西湖示例科技有限公司',
    uscc: companyUscc,
    legalRepresentative: '张三',
    registeredCapital: 100,
    businessScope: '软件开发',
  },
  reason: '窗口补录历史执照',
  ...overrides,
})

/** The published signing keys. */
export async function publishedKeys() {
  return (await inject('GET', '/api/v1/licenses/keys')).json().items
}

/** The market regulator's first keys, generated by its security admin. */
export async function rotateMarketKeys(): Promise<void> {
  await inject('POST', `/api/v1/departments/${market.id}/license-keys/rotate`, 'security')
}
