import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Actor } from '../../platform/authz.ts'
import { FixedClock } from '../../platform/clock.ts'
import { createTestServer, type TestServer, useTestActors } from '../../testing/test-server.ts'
import {
  buildGuide,
  caseActors,
  DEPT,
  FakeCatalog,
  fakeGrants,
  fakeStaffDirectory,
  ID_CARD_GRANTS,
} from './cases.testing.ts'
import { createCasesModule } from './index.ts'

// What the staff workbench needs: time limits on tasks and cases, material downloads, case search.

const actors: Record<string, Actor> = {
  ...caseActors(),
  marketAdmin: {
    kind: 'staff',
    accountId: 's-market-admin',
    name: '市场监管部门管理员',
    roles: [{ role: 'department_admin', departmentId: DEPT.market, regionCode: '330106' }],
    realNameLevel: 3,
  },
  cityClerk: {
    kind: 'staff',
    accountId: 's-city-clerk',
    name: '市级窗口',
    roles: [{ role: 'window_clerk', departmentId: DEPT.market, regionCode: '330100' }],
    realNameLevel: 3,
  },
}
const catalog = new FakeCatalog(
  [
    buildGuide(),
    buildGuide({
      implementationId: 'impl-immediate',
      itemCode: '000105002000',
      itemName: '即办事项',
      processingKind: 'immediate',
      legalLimitDays: 0,
      promisedLimitDays: 0,
      materials: [],
    }),
    buildGuide({
      implementationId: 'impl-ps',
      itemCode: '000201001000',
      itemName: '户口迁移',
      departmentId: DEPT.publicSecurity,
      materials: [],
    }),
    // accepted by market regulation, reviewed by the tax bureau (联合审查)
    buildGuide({
      implementationId: 'impl-joint',
      itemCode: '000105003000',
      itemName: '联合审查事项',
      materials: [],
      steps: [
        { key: 'accept', name: { zh: '受理', en: 'Acceptance' }, kind: 'accept', role: 'window_clerk' },
        {
          key: 'review',
          name: { zh: '税务审查', en: 'Tax review' },
          kind: 'review',
          role: 'reviewer',
          departmentId: DEPT.tax,
        },
        { key: 'decide', name: { zh: '决定', en: 'Decision' }, kind: 'decide', role: 'approver' },
      ],
    }),
  ],
  [],
)
// Monday 2 March 2026, 10:00 in Hangzhou
const MONDAY = new Date('2026-03-02T02:00:00Z')
const clock = new FixedClock(MONDAY)

let server: TestServer
let as: (name: string) => Record<string, string>
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
let pdf: string

const inject = (method: 'GET' | 'POST', url: string, who?: string, payload?: unknown) =>
  server.app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
    headers: who ? as(who) : {},
  })

async function upload(who: string, name: string, content: Buffer): Promise<string> {
  const boundary = '----tongbanStaffTest'
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    payload,
    headers: { ...as(who), 'content-type': `multipart/form-data; boundary=${boundary}` },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().sha256
}

let keys = 0
async function apply(who: string, implementationId = 'impl-business-license') {
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    payload: {
      implementationId,
      formData: { name: '申请人', phone: '13800138000' },
      materials:
        implementationId === 'impl-business-license'
          ? [
              { key: 'id-card', licenseGrantId: ID_CARD_GRANTS[who] ?? '', name: '居民身份证（电子证照）' },
              { key: 'premises', fileSha256: pdf, name: '租赁合同.pdf' },
            ]
          : [],
      declaration: true,
    },
    headers: { ...as(who), 'idempotency-key': `staff-test-${++keys}` },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as { id: string; caseNo: string }
}
async function moveOk(id: string, move: string, who: string, body: Record<string, unknown> = {}) {
  const { version } = (await inject('GET', `/api/v1/cases/${id}`, who)).json()
  const response = await inject('POST', `/api/v1/cases/${id}/${move}`, who, { version, ...body })
  expect(response.statusCode, response.body).toBe(200)
  return response.json()
}
const taskOf = async (who: string, caseId: string) =>
  (await inject('GET', '/api/v1/tasks?limit=200', who))
    .json()
    .items.find((t: { caseId: string }) => t.caseId === caseId)

beforeAll(async () => {
  server = await createTestServer({
    clock,
    modules: [
      createCasesModule({
        catalog: () => catalog,
        staff: () => fakeStaffDirectory(actors),
        grants: () => fakeGrants(),
      }),
    ],
  })
  as = useTestActors(server, actors)
  pdf = await upload('citizen', '租赁合同.pdf', PDF)
  await upload('agent', '租赁合同.pdf', PDF)
})
afterAll(() => server?.close())
beforeEach(() => clock.set(MONDAY))

describe('time limits on staff views', () => {
  it('shows acceptance, deadlines, days left, level and the stopped clock on tasks and cases', async () => {
    const { id } = await apply('citizen')
    const before = await taskOf('clerk', id)
    expect(before).toMatchObject({
      step: 'accept',
      caseStatus: 'submitted',
      timeLimit: {
        acceptedAt: null,
        acceptedOn: null,
        legalDeadline: null,
        promisedDeadline: null,
        workingDaysLeft: null,
        level: 'none',
        clockStopped: false,
      },
    })
    await moveOk(id, 'accept', 'clerk')
    const review = await taskOf('reviewer', id)
    expect(review).toMatchObject({
      step: 'review',
      caseStatus: 'accepted',
      timeLimit: {
        acceptedAt: MONDAY.toISOString(),
        acceptedOn: '2026-03-02',
        legalDeadline: '2026-03-30',
        promisedDeadline: '2026-03-16',
        workingDaysLeft: 10,
        level: 'green',
        clockStopped: false,
        warning: null,
      },
    })
    // Friday 13 March: one working day left
    clock.set(new Date('2026-03-13T02:00:00Z'))
    expect((await taskOf('reviewer', id)).timeLimit).toMatchObject({ workingDaysLeft: 1, level: 'yellow' })
    const suspended = await moveOk(id, 'suspend', 'reviewer', { reason: '现场核查' })
    expect(suspended.timeLimit).toMatchObject({
      acceptedAt: MONDAY.toISOString(),
      clockStopped: true,
      pausedSince: '2026-03-13',
      level: 'paused',
      workingDaysLeft: null,
    })
    expect((await taskOf('reviewer', id)).timeLimit).toMatchObject({ clockStopped: true, level: 'paused' })
    clock.set(new Date('2026-03-16T02:00:00Z'))
    await moveOk(id, 'resume', 'reviewer')
    // Tuesday 24 March is past the promised deadline moved by the one working day it stood
    clock.set(new Date('2026-03-24T02:00:00Z'))
    const overdue = await taskOf('reviewer', id)
    expect(overdue.timeLimit).toMatchObject({
      promisedDeadline: '2026-03-17',
      level: 'red',
      clockStopped: false,
      workingDaysLeft: -5,
    })
    expect(overdue.timeLimit.warning.zh).toContain('已超过承诺时限')
  })
})

describe('downloading materials', () => {
  it('gives the file to its applicant and to staff who may see the case, audits staff, 404 to everyone else', async () => {
    const { id, caseNo } = await apply('citizen')
    const url = `/api/v1/cases/${id}/materials/${pdf}`
    const mine = await inject('GET', url, 'citizen')
    expect(mine.statusCode).toBe(200)
    expect(mine.rawPayload.equals(PDF)).toBe(true)
    expect(mine.headers['content-type']).toBe('application/pdf')
    expect(mine.headers['content-disposition']).toBe(
      `attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('租赁合同.pdf')}`,
    )
    expect(mine.headers['cache-control']).toBe('private, no-store')

    const auditOf = () => server.platform.audit.list({ action: 'case.material.download', limit: 100 })
    const before = (await auditOf()).length
    for (const who of ['clerk', 'reviewer', 'approver', 'marketAdmin', 'cityClerk']) {
      const response = await inject('GET', url, who)
      expect(response.statusCode, who).toBe(200)
      expect(response.rawPayload.equals(PDF)).toBe(true)
    }
    const audited = (await auditOf()).slice(0, 5)
    expect((await auditOf()).length).toBe(before + 5)
    expect(audited.map((e) => e.actorId).sort()).toEqual(
      ['s-approver', 's-city-clerk', 's-clerk', 's-market-admin', 's-reviewer'].sort(),
    )
    expect(audited[0]).toMatchObject({
      resourceType: 'case',
      resourceId: id,
      regionCode: '330106',
      outcome: 'success',
      details: { caseNo, materialKey: 'premises', sha256: pdf, name: '租赁合同.pdf' },
    })

    // other departments, other regions, other applicants, administrators: as if nothing were there
    for (const who of ['psClerk', 'taxReviewer', 'binjiangClerk', 'otherCitizen', 'provinceAdmin']) {
      const response = await inject('GET', url, who)
      expect(response.statusCode, who).toBe(404)
      expect(response.body).not.toContain('%PDF')
    }
    expect((await inject('GET', url)).statusCode).toBe(401)
    // a file the case does not list, even one the caller uploaded, is not a material of it
    const other = await upload('citizen', '另一份.pdf', Buffer.concat([PDF, Buffer.from('% other\n')]))
    expect((await inject('GET', `/api/v1/cases/${id}/materials/${other}`, 'clerk')).statusCode).toBe(404)
    expect((await auditOf()).length).toBe(before + 5)
  })

  it('keeps a superseded material downloadable after a correction', async () => {
    const { id } = await apply('citizen')
    await moveOk(id, 'requestCorrection', 'clerk', {
      items: [{ kind: 'material', key: 'premises', problem: 'defective' }],
    })
    const fixed = await upload('citizen', '租赁合同（补正）.pdf', Buffer.concat([PDF, Buffer.from('% v2\n')]))
    await moveOk(id, 'resubmit', 'citizen', {
      materials: [{ key: 'premises', fileSha256: fixed, name: '租赁合同（补正）.pdf' }],
    })
    for (const sha of [pdf, fixed])
      expect((await inject('GET', `/api/v1/cases/${id}/materials/${sha}`, 'clerk')).statusCode).toBe(200)
  })
})

describe('searching cases (staff)', () => {
  let seeded: { citizen: { id: string; caseNo: string }[]; agent: { id: string; caseNo: string } }

  beforeAll(async () => {
    clock.set(new Date('2026-04-06T02:00:00Z'))
    const a = await apply('citizen')
    const b = await apply('citizen', 'impl-immediate')
    clock.set(new Date('2026-04-08T02:00:00Z'))
    const c = await apply('citizen', 'impl-ps')
    const d = await apply('citizen', 'impl-joint')
    const agent = await apply('agent')
    await moveOk(a.id, 'accept', 'clerk')
    seeded = { citizen: [a, b, c, d], agent }
  })

  const search = (who: string, query: string) => inject('GET', `/api/v1/cases?${query}`, who)
  const numbers = (response: { json(): { items: { caseNo: string }[] } }) =>
    response.json().items.map((i) => i.caseNo)

  it('finds cases within the caller’s departments and regions only', async () => {
    const [a, b, c, d] = seeded.citizen
    const window = '&from=2026-04-06&to=2026-04-08&limit=200'
    const clerk = await search('clerk', window)
    expect(clerk.statusCode).toBe(200)
    expect(numbers(clerk).sort()).toEqual([a!.caseNo, b!.caseNo, d!.caseNo, seeded.agent.caseNo].sort())
    expect(clerk.json().total).toBe(4)
    // a department working only a step of the case (the tax review) sees it too
    expect(numbers(await search('taxReviewer', window))).toEqual([d!.caseNo])
    expect(numbers(await search('psClerk', window))).toEqual([c!.caseNo])
    expect(numbers(await search('cityClerk', window)).length).toBe(4)
    expect(numbers(await search('marketAdmin', window)).length).toBe(4)
    expect(numbers(await search('binjiangClerk', window))).toEqual([])
    for (const who of ['citizen', 'provinceAdmin']) expect((await search(who, window)).statusCode).toBe(403)
    expect((await inject('GET', '/api/v1/cases')).statusCode).toBe(401)
  })

  it('filters by case number, item, status, applicant name prefix and date, and pages', async () => {
    const [a, b, , d] = seeded.citizen
    expect(numbers(await search('clerk', `caseNo=${a!.caseNo}`))).toEqual([a!.caseNo])
    expect(
      numbers(await search('clerk', `caseNo=${a!.caseNo.slice(0, 16).toLowerCase()}&limit=200`)),
    ).toEqual(expect.arrayContaining([a!.caseNo, b!.caseNo]))
    expect(numbers(await search('clerk', 'item=impl-immediate&limit=200'))).toContain(b!.caseNo)
    expect(numbers(await search('clerk', 'item=000105003000'))).toEqual([d!.caseNo])
    expect(numbers(await search('clerk', `item=${encodeURIComponent('联合')}`))).toEqual([d!.caseNo])
    // LIKE wildcards typed by a user match themselves only
    expect(numbers(await search('clerk', `item=${encodeURIComponent('%')}`))).toEqual([])
    const accepted = await search('clerk', 'status=accepted&from=2026-04-06&to=2026-04-06')
    expect(numbers(accepted)).toEqual([a!.caseNo])
    expect(accepted.json().items[0].timeLimit).toMatchObject({
      acceptedOn: '2026-04-08',
      level: 'green',
      clockStopped: false,
    })
    expect(numbers(await search('clerk', 'from=2026-04-07&to=2026-04-08&limit=200')).sort()).toEqual(
      [d!.caseNo, seeded.agent.caseNo].sort(),
    )
    expect(numbers(await search('clerk', 'to=2026-04-06&from=2026-04-06&limit=200')).sort()).toEqual(
      [a!.caseNo, b!.caseNo].sort(),
    )
    const company = await search('clerk', `applicant=${encodeURIComponent('杭州某某')}`)
    expect(numbers(company)).toEqual([seeded.agent.caseNo])
    expect(company.json().items[0].applicant).toEqual({ kind: 'company', name: '杭州某某科技有限公司' })

    const pageOne = (await search('clerk', 'from=2026-04-06&to=2026-04-08&limit=3')).json()
    const pageTwo = (await search('clerk', 'from=2026-04-06&to=2026-04-08&limit=3&offset=3')).json()
    expect(pageOne.total).toBe(4)
    expect(pageTwo.total).toBe(4)
    expect(pageOne.items).toHaveLength(3)
    expect(pageTwo.items).toHaveLength(1)
    expect(new Set([...pageOne.items, ...pageTwo.items].map((i: { id: string }) => i.id)).size).toBe(4)
    // newest first
    expect(pageOne.items[0].submittedAt >= pageTwo.items[0].submittedAt).toBe(true)

    const bad = await search('clerk', 'status=nonsense&from=2026-13-01')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['/query/status', '/query/from']),
    )
  })

  it('masks applicants’ names, shows no form data or account ids, and audits a search by name', async () => {
    const found = await search('clerk', `applicant=${encodeURIComponent('张')}&limit=200`)
    expect(found.json().total).toBeGreaterThanOrEqual(4)
    for (const item of found.json().items) expect(item.applicant).toEqual({ kind: 'person', name: '张*' })
    const body = found.body
    expect(body).not.toMatch(/张三|13800138000|"p-1"|formData|grant-1/)
    const audit = await server.platform.audit.list({ action: 'case.search', limit: 5 })
    expect(audit[0]).toMatchObject({
      actorId: 's-clerk',
      outcome: 'success',
      details: { applicant: '张', found: found.json().total },
    })
    expect(numbers(await search('clerk', `applicant=${encodeURIComponent('李')}`))).toEqual([])
  })
})

describe('the OpenAPI document', () => {
  it('describes search, downloads and the progress form', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    const search = doc.paths['/api/v1/cases'].get
    expect(search.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['caseNo', 'item', 'status', 'applicant', 'from', 'to', 'limit', 'offset']),
    )
    expect(doc.paths['/api/v1/cases/{id}/materials/{sha256}'].get).toBeDefined()
    expect(
      doc.paths['/api/v1/progress'].post.requestBody.content['application/json'].schema.required.sort(),
    ).toEqual(['caseNo', 'queryCode'])
  })
})
