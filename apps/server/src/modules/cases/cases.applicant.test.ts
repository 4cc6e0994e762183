import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../platform/authz.ts'
import { FixedClock } from '../../platform/clock.ts'
import { createTestServer, type TestServer, useTestActors } from '../../testing/test-server.ts'
import {
  buildGrant,
  buildGuide,
  caseActors,
  DEPT,
  FakeCatalog,
  fakeApplicantFacts,
  fakeGrants,
  fakeStaffDirectory,
} from './cases.testing.ts'
import { createCasesModule } from './index.ts'

// The applicant is who they are (issue 14) and cites only grants that are theirs for this case (issue 15),
// through HTTP on PGlite, or PostgreSQL when DATABASE_URL is set.

const ZHANG_ID = '11010519491231002X'
const actors: Record<string, Actor> = {
  ...caseActors(),
  // 张三 (p-1) verified to level 3, and the same account at level 1 (self-declared)
  verified: { kind: 'person', accountId: 'p-1', name: '张三', roles: [], realNameLevel: 3 },
  selfDeclared: { kind: 'person', accountId: 'p-1', name: '张三', roles: [], realNameLevel: 1 },
}
const facts = fakeApplicantFacts({
  'p-1': { name: '张三', idNumber: ZHANG_ID },
  'p-2': { name: '李四', idNumber: '110105194912310037' },
  'p-3': { name: '王五', idNumber: '110105194912310045' },
  'c-1': {
    name: '杭州某某科技有限公司',
    company: { name: '杭州某某科技有限公司', uscc: '91330106MA2KXXXX1X', legalRepresentative: '赵六' },
  },
})
const catalog = new FakeCatalog([
  // a person's item whose form asks who applies; its e-license material must be a 居民身份证
  buildGuide({
    implementationId: 'impl-person',
    applicantFields: { name: 'name', idNo: 'idNumber' },
    materials: [
      {
        key: 'id-card',
        name: '居民身份证',
        required: false,
        source: 'either',
        licenseType: 'resident_id_card',
      },
    ],
  }),
  // an administrative license (行政许可): real-name level 3
  buildGuide({ implementationId: 'impl-license', minRealNameLevel: 3, materials: [] }),
  // a company's item
  buildGuide({
    implementationId: 'impl-company',
    applicantFields: { companyName: 'companyName', uscc: 'uscc', legalRep: 'legalRepresentative' },
    materials: [
      {
        key: 'licence',
        name: '营业执照',
        required: false,
        source: 'either',
        licenseType: 'business_license',
      },
    ],
  }),
])
const grants = fakeGrants([
  buildGrant({ id: 'grant-withdrawn', holderAccountId: 'p-1', active: false }),
  buildGrant({ id: 'grant-tax', holderAccountId: 'p-1', departmentId: DEPT.tax }),
  buildGrant({ id: 'grant-driving', holderAccountId: 'p-1', licenseType: 'driving_license' }),
  buildGrant({ id: 'grant-other-case', holderAccountId: 'p-1', departmentId: null, caseId: 'c-else' }),
])

let server: TestServer
let as: (name: string) => Record<string, string>
let keys = 0
const submit = (who: string, body: Record<string, unknown>) =>
  server.app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    payload: { declaration: true, materials: [], ...body },
    headers: { ...as(who), 'idempotency-key': `applicant-${++keys}-key` },
  })
const countCases = async () =>
  Number(
    (
      await server.platform.db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

beforeAll(async () => {
  server = await createTestServer({
    clock: new FixedClock(new Date('2026-03-02T02:00:00Z')),
    modules: [
      createCasesModule({
        catalog: () => catalog,
        staff: () => fakeStaffDirectory(actors),
        applicantFacts: () => facts,
        grants: () => grants,
      }),
    ],
  })
  as = useTestActors(server, actors)
})
afterAll(() => server?.close())

describe('the applicant is who they are', () => {
  it('files a person as their account: name and ID number filled in from it', async () => {
    const response = await submit('citizen', {
      implementationId: 'impl-person',
      formData: { phone: '13800138000' },
    })
    expect(response.statusCode, response.body).toBe(201)
    const view = (
      await server.app.inject({ url: `/api/v1/cases/${response.json().id}`, headers: as('citizen') })
    ).json()
    expect(view.formData).toMatchObject({ name: '张三', idNo: ZHANG_ID })
  })

  it('refuses a form naming someone else (400 on the fields), and writes nothing', async () => {
    const before = await countCases()
    const response = await submit('citizen', {
      implementationId: 'impl-person',
      formData: { name: '李四', idNo: '110105194912310037', phone: '13800138000' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().errors.map((e: { path: string }) => e.path)).toEqual([
      '/formData/name',
      '/formData/idNo',
    ])
    expect(response.json().errors[0].message.zh).toContain('登录账户')
    expect(await countCases()).toBe(before)
    // the account's own details, written out (ID number in lower case), are accepted
    const own = await submit('citizen', {
      implementationId: 'impl-person',
      formData: { name: '张三', idNo: ZHANG_ID.toLowerCase(), phone: '13800138000' },
    })
    expect(own.statusCode).toBe(201)
  })

  it("lets an agent file for the company with the company's data, not another company's", async () => {
    const filed = await submit('agent', {
      implementationId: 'impl-company',
      formData: { name: '王五', phone: '13800138000' },
    })
    expect(filed.statusCode, filed.body).toBe(201)
    const view = (
      await server.app.inject({ url: `/api/v1/cases/${filed.json().id}`, headers: as('company') })
    ).json()
    expect(view.formData).toMatchObject({
      companyName: '杭州某某科技有限公司',
      uscc: '91330106MA2KXXXX1X',
      legalRep: '赵六',
    })
    const other = await submit('agent', {
      implementationId: 'impl-company',
      formData: { name: '王五', phone: '13800138000', uscc: '91330106MA2KYYYY2Y' },
    })
    expect(other.statusCode).toBe(400)
    expect(other.json().errors[0].path).toBe('/formData/uscc')
  })

  it('refuses an item below its real-name level with a problem saying what to do (403)', async () => {
    const low = await submit('selfDeclared', { implementationId: 'impl-license', formData: { name: '张三' } })
    expect(low.statusCode).toBe(403)
    expect(low.headers['content-type']).toContain('application/problem+json')
    expect(low.json().detail).toContain('第 3 级')
    expect(low.json().detail).toContain('第 1 级')
    const verified = await submit('verified', {
      implementationId: 'impl-license',
      formData: { name: '张三' },
    })
    expect(verified.statusCode, verified.body).toBe(201)
  })
})

describe('a cited 用证授权 is the applicant’s, in force, of the type, for the case', () => {
  const citing = (grantId: string) => ({
    implementationId: 'impl-person',
    formData: { phone: '13800138000' },
    materials: [{ key: 'id-card', licenseGrantId: grantId, name: '居民身份证（电子证照）' }],
  })

  it('accepts the applicant’s own active grant to the department', async () => {
    expect((await submit('citizen', citing('grant-1'))).statusCode).toBe(201)
  })

  it.each([
    ['another citizen’s grant', 'grant-p-2'],
    ['a made-up id', '5b0c2f4e-0000-4000-8000-000000000000'],
    ['a withdrawn or expired grant', 'grant-withdrawn'],
    ['a grant to another department', 'grant-tax'],
    ['a grant of another license type', 'grant-driving'],
    ['a grant for another case', 'grant-other-case'],
  ])('refuses %s like a missing record (404), and files no case', async (_, grantId) => {
    const before = await countCases()
    const response = await submit('citizen', citing(grantId))
    expect(response.statusCode).toBe(404)
    expect(response.json().detail).toContain('/materials/0/licenseGrantId')
    expect(await countCases()).toBe(before)
  })

  it("lets an agent cite the company's grant, and nobody else", async () => {
    const body = {
      implementationId: 'impl-company',
      formData: { name: '王五', phone: '13800138000' },
      materials: [{ key: 'licence', licenseGrantId: 'grant-c-1', name: '营业执照（电子证照）' }],
    }
    expect((await submit('agent', body)).statusCode).toBe(201)
    expect((await submit('citizen', body)).statusCode).toBe(404)
  })
})
