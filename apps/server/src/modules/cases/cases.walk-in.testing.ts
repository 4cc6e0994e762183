import { buildIdNumber, buildUscc } from '@tongban/standards'
import { expect } from 'vitest'
import { type Actor, anonymous } from '../../platform/authz.ts'
import { FixedClock } from '../../platform/clock.ts'
import { localNotifier } from '../../platform/notify.ts'
import { createTestServer, type TestServer } from '../../testing/test-server.ts'
import { identityModule, identityService } from '../identity/index.ts'
import { orgModule, orgService } from '../org/index.ts'
import { casesPorts } from '../wiring.ts'
import { buildGuide, FakeCatalog } from './cases.testing.ts'
import { createCasesModule } from './index.ts'

/*
 * The HTTP fixture of the 一窗受理 tests (cases.walk-in, cases.walk-in-company tests), on a real
 * database: the real identity module opens accounts (in the same transaction as the case), the real org
 * module names the department; the catalog is a fake. Each test file starts its own server.
 */

export const SYSTEM = { actorId: null, actorKind: 'system' as const, ip: null, requestId: null }
// Monday 2 March 2026, 10:00 in Hangzhou
export const MONDAY = new Date('2026-03-02T02:00:00Z')
export const clock = new FixedClock(MONDAY)
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
)
export const NEW_PASSWORD = 'Counter@2026x'

export let server: TestServer
/** Its guides are added once the departments exist (the module takes the catalog when it registers). */
export const catalog = new FakeCatalog([])
export let departments: { market: string; ps: string }
export let pdf: string
/** Test callers by name; real accounts (an applicant after activating) are resolved by account id. */
export const actors: Record<string, Actor> = {}

let serial = 0
export const nextIdNumber = () =>
  buildIdNumber({ regionCode: '330106', birthDate: '1988-08-08', sequence: 100 + ++serial * 2 })
export const nextUscc = () =>
  buildUscc({
    registrationAuthority: '9',
    entityType: '1',
    regionCode: '330106',
    organizationCode: 8_100_000 + ++serial,
  })
export const nextPhone = () => `1391234${String(1000 + ++serial).slice(-4)}`

export const idOf = (name: string) => (actors[name] as { accountId: string }).accountId
export const headers = (who?: string) => (who ? { authorization: `Bearer ${who}` } : {})

export async function upload(who: string): Promise<string> {
  const boundary = '----tongbanWalkInTest'
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="身份证扫描件.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    PDF,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    payload,
    headers: { ...headers(who), 'content-type': `multipart/form-data; boundary=${boundary}` },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().sha256
}

let keys = 0
export function walkInBody(overrides: Record<string, unknown> = {}) {
  return {
    applicant: { kind: 'person', name: '赵窗口', idNumber: nextIdNumber(), phone: nextPhone() },
    implementationId: 'impl-business-license',
    formData: { name: '赵窗口', phone: '13800138000' },
    materials: [
      { key: 'id-card', fileSha256: pdf, name: '身份证扫描件.pdf' },
      { key: 'premises', fileSha256: pdf, name: '租赁合同.pdf' },
    ],
    declaration: true,
    accept: true,
    ...overrides,
  }
}
export const walkIn = (body: unknown, who = 'clerk', key = `walk-in-test-${++keys}`) =>
  server.app.inject({
    method: 'POST',
    url: '/api/v1/walk-ins',
    payload: body as object,
    headers: { ...headers(who), 'idempotency-key': key },
  })
export const get = (url: string, who: string) =>
  server.app.inject({ method: 'GET', url, headers: headers(who) })

export const count = async (table: 'cases' | 'accounts') =>
  Number(
    (
      await server.platform.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
export const identity = () => identityService(server.platform)
/** The actions the audit log holds of a resource (read through the platform's audit log, sealed first). */
export const auditActions = async (resourceId: string) =>
  (await server.platform.audit.list({ resourceId, limit: 1_000 })).map((r) => r.action)

export async function staffAccount(username: string, name: string) {
  const admin: Actor = {
    kind: 'staff',
    accountId: 'bootstrap',
    name: 'bootstrap',
    roles: [{ role: 'system_admin', departmentId: null, regionCode: '330000' }],
    realNameLevel: 3,
  }
  const { account } = await identity().createStaff(
    { username, name, regionCode: '330106' },
    admin as Exclude<Actor, { kind: 'anonymous' }>,
    SYSTEM,
  )
  return account.id
}

/** Starts the file's server, its departments, guides and staff, and the clerk's upload (in beforeAll). */
export async function startWalkInServer(): Promise<void> {
  server = await createTestServer({
    clock,
    modules: [
      orgModule,
      identityModule,
      createCasesModule({
        catalog: () => catalog,
        applicants: casesPorts.applicants,
        departments: casesPorts.departments,
        contacts: (platform) => ({
          async findContact(accountId) {
            const account = await identityService(platform).getAccount(accountId)
            return account.phone_enc ? { phone: platform.vault.decrypt(account.phone_enc) } : undefined
          },
        }),
      }),
    ],
  })
  await addDepartmentsAndGuides()
  await addCallers()
  pdf = await upload('clerk')
}

/** The departments of the test's items (real org rows), and the fake catalog's guides of them. */
async function addDepartmentsAndGuides(): Promise<void> {
  const org = orgService(server.platform)
  const department = async (name: string, kind: string, n: number) =>
    (
      await org.createDepartment(
        {
          name,
          shortName: name.slice(0, 4),
          kind: kind as 'market_regulation',
          regionCode: '330106',
          uscc: buildUscc({
            registrationAuthority: '1',
            entityType: '1',
            regionCode: '330106',
            organizationCode: 9_100_000 + n,
          }),
        },
        SYSTEM,
      )
    ).id
  departments = {
    market: await department('杭州市西湖区市场监督管理局', 'market_regulation', 1),
    ps: await department('杭州市公安局西湖区分局', 'public_security', 2),
  }
  catalog.guides.push(
    buildGuide({ departmentId: departments.market }),
    buildGuide({
      implementationId: 'impl-ps',
      itemCode: '000201001000',
      itemName: '户口迁移',
      departmentId: departments.ps,
      materials: [],
    }),
    // a guide whose department the cases table cannot hold: the case insert fails after the account's
    buildGuide({ implementationId: 'impl-broken', departmentId: 'not-a-department', materials: [] }),
  )
}

/** The staff (real accounts) and a registered citizen; any other bearer is a real account id. */
async function addCallers(): Promise<void> {
  const staff = async (name: string, username: string, role: 'window_clerk' | 'reviewer', dept: string) => {
    actors[name] = {
      kind: 'staff',
      accountId: await staffAccount(username, `${name}姓名`),
      name: `${name}姓名`,
      roles: [{ role, departmentId: dept, regionCode: '330106' }],
      realNameLevel: 3,
    }
  }
  await staff('clerk', 'xh.sj.walkin', 'window_clerk', departments.market)
  await staff('reviewer', 'xh.sj.walkin.reviewer', 'reviewer', departments.market)
  await staff('psClerk', 'xh.ga.walkin', 'window_clerk', departments.ps)
  await staff('brokenClerk', 'xh.broken.walkin', 'window_clerk', 'not-a-department')
  const citizen = await identity().registerPerson(
    {
      name: '钱市民',
      idNumber: nextIdNumber(),
      phone: nextPhone(),
      password: 'Tongban@2026',
    },
    SYSTEM,
  )
  actors.citizen = (await identity().actorFor(citizen.id))!
  // named test callers first; any other bearer is a real account id, resolved as the SSO module does
  server.platform.authenticator = async (request) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
    if (!token) return anonymous
    return actors[token] ?? (await identity().actorFor(token)) ?? anonymous
  }
}

/** The notifications the platform's local notifier wrote. */
export const notifications = () => localNotifier(server.dataDir, clock).sent()
